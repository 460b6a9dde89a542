%% Funs and closures: capturing variables, closures returned from
%% functions, higher-order functions, `fun name/arity`, `fun mod:name/arity`
%% (also with variable module/function), named recursive funs, funs with
%% several clauses and guards, is_function/1,2, erlang:fun_info(F, arity),
%% calling a fun with the wrong arity (badarity), currying and composition.
%% Funs themselves are never printed.
-module(closures).
-export([main/1, exported_double/1, add3/3]).

id(X) -> X.

exported_double(X) -> 2 * X.

add3(A, B, C) -> A + B + C.

local_square(X) -> X * X.

main(_Args) ->
    capture(),
    returned(),
    higher_order(),
    references(),
    named(),
    clauses(),
    introspection(),
    arity_errors(),
    currying(),
    shadowing(),
    ok.

capture() ->
    io:format("== capturing variables~n"),
    X = id(10),
    Y = id([a, b]),
    F = fun(Z) -> {X, Y, Z} end,
    io:format("~p~n", [F(1)]),
    io:format("~p~n", [F(two)]),
    %% capture of many variables of many types
    A = id(1), B = id(2.5), C = id("str"), D = id({t, 1}), E = id(#{k => v}),
    G = fun() -> [A, B, C, D, E] end,
    io:format("~p~n", [G()]),
    %% captured values are fixed at creation time
    Fs = [fun() -> N * N end || N <- lists:seq(1, 5)],
    io:format("~p~n", [[H() || H <- Fs]]),
    %% closure capturing another closure
    Inc = fun(V) -> V + X end,
    Twice = fun(V) -> Inc(Inc(V)) end,
    io:format("~p~n", [Twice(id(1))]),
    %% fun with no free variables
    K = fun() -> constant end,
    io:format("~p~n", [K()]),
    %% fun in a fun in a fun
    Outer = fun(P) -> fun(Q) -> fun(R) -> [P, Q, R, X] end end end,
    io:format("~p~n", [((Outer(p))(q))(r)]).

make_adder(N) -> fun(X) -> X + N end.

make_counter(Start) ->
    {fun() -> Start end, fun(Step) -> make_counter(Start + Step) end}.

compose(F, G) -> fun(X) -> F(G(X)) end.

compose_all(Fs) -> lists:foldr(fun compose/2, fun(X) -> X end, Fs).

returned() ->
    io:format("== closures returned from functions~n"),
    Add5 = make_adder(id(5)),
    Add10 = make_adder(id(10)),
    io:format("~p ~p~n", [Add5(1), Add10(1)]),
    {Get0, Step0} = make_counter(id(100)),
    {Get1, Step1} = Step0(5),
    {Get2, _} = Step1(-50),
    io:format("~p ~p ~p~n", [Get0(), Get1(), Get2()]),
    Sq = fun local_square/1,
    F = compose(Add5, Sq),
    G = compose(Sq, Add5),
    io:format("~p ~p~n", [F(3), G(3)]),
    H = compose_all([Add5, Sq, Add10, fun exported_double/1]),
    io:format("~p~n", [H(1)]),
    io:format("~p~n", [(make_adder(id(1)))(41)]).

higher_order() ->
    io:format("== higher-order functions~n"),
    L = id([1, 2, 3, 4, 5, 6]),
    io:format("~p~n", [lists:map(fun(X) -> X * 10 end, L)]),
    io:format("~p~n", [lists:filter(fun(X) -> X rem 2 =:= 0 end, L)]),
    io:format("~p~n", [lists:foldl(fun(X, Acc) -> [X | Acc] end, [], L)]),
    io:format("~p~n", [lists:foldr(fun(X, Acc) -> [X | Acc] end, [], L)]),
    io:format("~p~n", [lists:foldl(fun(X, {S, P}) -> {S + X, P * X} end, {0, 1}, L)]),
    io:format("~p~n", [my_map(fun(X) -> {X} end, L)]),
    io:format("~p~n", [my_filter(fun(X) -> X > 3 end, L)]),
    io:format("~p~n", [apply_n(fun(X) -> X * 2 end, 10, 1)]),
    io:format("~p~n", [take_while(fun(X) -> X < 4 end, L)]),
    io:format("~p~n", [lists:map(fun erlang:abs/1, [-1, 2, -3])]),
    io:format("~p~n", [lists:map(fun erlang:atom_to_list/1, [a, bc])]),
    io:format("~p~n", [lists:sort(lists:map(fun closures:exported_double/1, [3, 1, 2]))]),
    io:format("~p~n", [zip_with(fun(A, B) -> A * B end, [1, 2, 3], [4, 5, 6])]).

my_map(_, []) -> [];
my_map(F, [H | T]) -> [F(H) | my_map(F, T)].

my_filter(P, L) -> [X || X <- L, P(X)].

apply_n(_, 0, X) -> X;
apply_n(F, N, X) -> apply_n(F, N - 1, F(X)).

take_while(P, [H | T]) ->
    case P(H) of
        true -> [H | take_while(P, T)];
        false -> []
    end;
take_while(_, []) -> [].

zip_with(F, [A | As], [B | Bs]) -> [F(A, B) | zip_with(F, As, Bs)];
zip_with(_, [], []) -> [].

references() ->
    io:format("== fun name/arity and fun mod:name/arity~n"),
    F1 = fun local_square/1,
    F2 = fun exported_double/1,
    F3 = fun ?MODULE:exported_double/1,
    F4 = fun closures:add3/3,
    F5 = fun erlang:element/2,
    F6 = fun lists:reverse/1,
    io:format("~p ~p ~p ~p~n", [F1(7), F2(7), F3(7), F4(1, 2, 3)]),
    io:format("~p ~p~n", [F5(2, {a, b, c}), F6([1, 2, 3])]),
    M = id(closures),
    N = id(add3),
    Ar = id(3),
    F7 = fun M:N/Ar,
    io:format("~p~n", [F7(10, 20, 30)]),
    io:format("~p~n", [apply(F4, [1, 1, 1])]),
    io:format("~p~n", [apply(closures, add3, [2, 2, 2])]),
    io:format("~p~n", [apply(M, N, [3, 3, 3])]),
    io:format("~p~n", [apply(fun(X, Y) -> X - Y end, [10, 3])]),
    io:format("~p~n", [M:N(4, 4, 4)]),
    %% equality of fun references
    io:format("~p~n", [F3 =:= fun closures:exported_double/1]),
    io:format("~p~n", [F1 =:= fun local_square/1]),
    io:format("~p~n", [F4 == F7]).

named() ->
    io:format("== named funs~n"),
    Fact = fun Fact(0) -> 1; Fact(N) when N > 0 -> N * Fact(N - 1) end,
    io:format("~p ~p ~p~n", [Fact(0), Fact(5), Fact(25)]),
    Fib = fun F(0) -> 0; F(1) -> 1; F(N) -> F(N - 1) + F(N - 2) end,
    io:format("~p~n", [[Fib(I) || I <- lists:seq(0, 15)]]),
    Len = fun L([]) -> 0; L([_ | T]) -> 1 + L(T) end,
    io:format("~p~n", [Len(lists:seq(1, 1000))]),
    %% named fun capturing an outer variable
    Base = id(3),
    Pow = fun P(0) -> 1; P(E) -> Base * P(E - 1) end,
    io:format("~p~n", [Pow(40)]),
    %% named fun returned and called later; tail-recursive loop
    Loop = fun Lp(0, Acc) -> Acc; Lp(I, Acc) -> Lp(I - 1, Acc + I) end,
    io:format("~p~n", [Loop(100000, 0)]),
    %% named fun returning itself
    Self = fun S(stop) -> stopped; S(go) -> S end,
    io:format("~p~n", [((Self(go))(go))(stop)]).

clauses() ->
    io:format("== multi-clause funs with guards~n"),
    Classify = fun(X) when is_integer(X), X < 0 -> negative;
                  (0) -> zero;
                  (X) when is_integer(X) -> positive;
                  ({A, B}) when A > B -> {desc, A, B};
                  ({A, B}) -> {asc_or_eq, A, B};
                  (_) -> other
               end,
    io:format("~p~n", [lists:map(Classify, id([-5, 0, 5, {2, 1}, {1, 2}, x]))]),
    Two = fun(X, X) -> same; (_, _) -> different end,
    io:format("~p ~p~n", [Two(id(a), id(a)), Two(id(a), id(b))]),
    io:format("~p~n", [try Classify(1, 2) catch error:R -> element(1, R) end]),
    NoMatch = fun(ok) -> ok end,
    io:format("~p~n", [try NoMatch(id(not_ok)) catch C:R2 -> {C, R2} end]).

introspection() ->
    io:format("== is_function and fun_info~n"),
    Fs = [fun() -> ok end, fun(_) -> ok end, fun(_, _) -> ok end, fun local_square/1,
          fun closures:add3/3, fun erlang:abs/1],
    io:format("~p~n", [[is_function(F) || F <- Fs]]),
    io:format("~p~n", [[is_function(F, 1) || F <- Fs]]),
    io:format("~p~n", [[erlang:fun_info(F, arity) || F <- Fs]]),
    io:format("~w~n", [[erlang:fun_info(F, type) || F <- Fs]]),
    io:format("~p~n", [[is_function(X) || X <- id([a, 1, {}, [], "f"])]]),
    io:format("~p~n", [[is_function(X, 0) || X <- id([a, 1, {}, [], "f"])]]),
    io:format("~p~n", [erlang:fun_info(fun closures:add3/3, module)]),
    io:format("~p~n", [erlang:fun_info(fun closures:add3/3, name)]).

arity_errors() ->
    io:format("== wrong arity and non-funs~n"),
    F = fun(X) -> X end,
    Calls = [fun() -> F() end,
             fun() -> F(1, 2) end,
             fun() -> (fun() -> ok end)(extra) end,
             fun() -> (fun local_square/1)() end,
             fun() -> apply(F, [1, 2, 3]) end],
    [io:format("~p~n", [try C() catch error:R when is_tuple(R) -> {error, element(1, R)} end])
     || C <- Calls],
    %% badarity reason is {badarity, {Fun, Args}}: print the args only
    io:format("~p~n", [try F(a, b) catch error:{badarity, {Fun, Args}} ->
                                             {badarity, is_function(Fun), Args} end]),
    %% calling something that is not a fun
    NotFun = id(not_a_fun),
    io:format("~p~n", [try NotFun(1) catch C1:R1 -> {C1, R1} end]),
    io:format("~p~n", [try (id({a, b}))() catch C2:R2 -> {C2, R2} end]),
    io:format("~p~n", [try (id(42))(1, 2) catch C3:R3 -> {C3, R3} end]).

currying() ->
    io:format("== currying~n"),
    Curry3 = fun(F) -> fun(A) -> fun(B) -> fun(C) -> F(A, B, C) end end end end,
    C = Curry3(fun add3/3),
    io:format("~p~n", [((C(1))(2))(3)]),
    AddA = C(100),
    AddAB = AddA(20),
    io:format("~p ~p~n", [AddAB(3), AddAB(4)]),
    Uncurry = fun(F) -> fun(A, B) -> (F(A))(B) end end,
    Mul = fun(A) -> fun(B) -> A * B end end,
    io:format("~p~n", [(Uncurry(Mul))(6, 7)]),
    Flip = fun(F) -> fun(A, B) -> F(B, A) end end,
    Minus = fun(A, B) -> A - B end,
    io:format("~p ~p~n", [Minus(10, 3), (Flip(Minus))(10, 3)]),
    Partial = fun(F, A) -> fun(B) -> F(A, B) end end,
    io:format("~p~n", [lists:map(Partial(fun erlang:'*'/2, 3), [1, 2, 3])]),
    io:format("~p~n", [lists:map(Partial(fun erlang:'+'/2, 0.5), [1, 2])]).

shadowing() ->
    io:format("== fun heads shadow outer variables~n"),
    X = id(outer),
    F = fun(X) -> {inner, X} end,
    io:format("~p ~p~n", [F(arg), X]),
    Y = id(1),
    G = fun(Z) when Z > Y -> bigger; (_) -> not_bigger end,
    io:format("~p ~p~n", [G(2), G(0)]),
    %% variable bound inside a fun does not leak out
    H = fun() -> W = id(inside), W end,
    W = id(outside),
    io:format("~p ~p~n", [H(), W]).
