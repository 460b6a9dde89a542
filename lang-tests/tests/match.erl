%% Pattern matching: literals, tuples, lists, nested patterns, repeated
%% variables, `=` inside patterns (aliases), strings as lists, [H|T],
%% "prefix" ++ Rest patterns in function heads, multi-clause function
%% heads, case, wildcards, and the fact that 1 and 1.0 do not match.
-module(match).
-export([main/1]).

id(X) -> X.

%% Run F and return {value, V} or {Class, Reason} (never the stacktrace).
err(F) ->
    try F() of
        V -> {value, V}
    catch
        C:R -> {C, R}
    end.

main(_Args) ->
    literals(),
    tuples(),
    lists_(),
    nested(),
    repeated(),
    aliases(),
    strings(),
    prefix(),
    heads(),
    cases(),
    numbers(),
    misc(),
    ok.

literals() ->
    io:format("== literals~n"),
    1 = id(1),
    a = id(a),
    "abc" = id("abc"),
    [] = id([]),
    {} = id({}),
    <<"bin">> = id(<<"bin">>),
    2.5 = id(2.5),
    io:format("~p~n", [lit(id(0))]),
    io:format("~p~n", [lit(id(42))]),
    io:format("~p~n", [lit(id(-7))]),
    io:format("~p~n", [lit(id(foo))]),
    io:format("~p~n", [lit(id('Foo Bar'))]),
    io:format("~p~n", [lit(id([]))]),
    io:format("~p~n", [lit(id({}))]),
    io:format("~p~n", [lit(id(3.25))]),
    io:format("~p~n", [lit(id(<<"xy">>))]),
    io:format("~p~n", [lit(id(12345678901234567890123))]),
    io:format("~p~n", [lit(id(other))]).

lit(0) -> zero;
lit(42) -> answer;
lit(-7) -> minus_seven;
lit(foo) -> atom_foo;
lit('Foo Bar') -> quoted_atom;
lit([]) -> nil;
lit({}) -> empty_tuple;
lit(3.25) -> float_3_25;
lit(<<"xy">>) -> binary_xy;
lit(12345678901234567890123) -> bignum;
lit(_) -> no_match.

tuples() ->
    io:format("== tuples~n"),
    {A, B} = id({1, 2}),
    io:format("~p ~p~n", [A, B]),
    {C, _, D} = id({x, y, z}),
    io:format("~p ~p~n", [C, D]),
    io:format("~p~n", [tup(id({}))]),
    io:format("~p~n", [tup(id({a}))]),
    io:format("~p~n", [tup(id({a, b}))]),
    io:format("~p~n", [tup(id({a, b, c}))]),
    io:format("~p~n", [tup(id({ok, 5}))]),
    io:format("~p~n", [tup(id({error, bad}))]),
    io:format("~p~n", [tup(id([a]))]),
    io:format("~p~n", [err(fun() -> {_, _} = id({1, 2, 3}) end)]).

tup({}) -> size0;
tup({ok, N}) -> {ok_with, N};
tup({error, R}) -> {error_with, R};
tup({_}) -> size1;
tup({_, _}) -> size2;
tup({_, _, _}) -> size3;
tup(_) -> not_a_small_tuple.

lists_() ->
    io:format("== lists~n"),
    [H | T] = id([1, 2, 3]),
    io:format("~p ~p~n", [H, T]),
    [X, Y | Rest] = id([a, b, c, d]),
    io:format("~p ~p ~p~n", [X, Y, Rest]),
    [P, Q] = id([p, q]),
    io:format("~p ~p~n", [P, Q]),
    [_, _, Third | _] = id([1, 2, 3, 4, 5]),
    io:format("~p~n", [Third]),
    [Single] = id([only]),
    io:format("~p~n", [Single]),
    [Hd | Tl] = id([last]),
    io:format("~p ~p~n", [Hd, Tl]),
    %% improper list
    [I1 | I2] = id([1 | 2]),
    io:format("~p ~p~n", [I1, I2]),
    io:format("~p~n", [len(id([]))]),
    io:format("~p~n", [len(id([a]))]),
    io:format("~p~n", [len(id([a, b]))]),
    io:format("~p~n", [len(id([a, b, c, d, e]))]),
    io:format("~p~n", [err(fun() -> [_, _] = id([1, 2, 3]) end)]),
    io:format("~p~n", [err(fun() -> [_ | _] = id([]) end)]).

len([]) -> zero;
len([_]) -> one;
len([_, _]) -> two;
len([_, _ | _]) -> many.

nested() ->
    io:format("== nested~n"),
    {a, [B, {c, C}], {{D}}} = id({a, [1, {c, 2}], {{3}}}),
    io:format("~p ~p ~p~n", [B, C, D]),
    [{K1, V1}, {K2, V2} | _] = id([{one, 1}, {two, 2}, {three, 3}]),
    io:format("~p ~p ~p ~p~n", [K1, V1, K2, V2]),
    {ok, [[X]]} = id({ok, [[deep]]}),
    io:format("~p~n", [X]),
    io:format("~p~n", [tree_sum(id({node, {leaf, 1}, {node, {leaf, 2}, {leaf, 3}}}))]),
    io:format("~p~n", [depth(id({node, {node, {leaf, 1}, {leaf, 2}}, {leaf, 3}}))]).

tree_sum({leaf, N}) -> N;
tree_sum({node, L, R}) -> tree_sum(L) + tree_sum(R).

depth({leaf, _}) -> 1;
depth({node, L, R}) -> 1 + max(depth(L), depth(R)).

repeated() ->
    io:format("== repeated variables~n"),
    io:format("~p~n", [same(id({1, 1}))]),
    io:format("~p~n", [same(id({1, 2}))]),
    io:format("~p~n", [same(id({a, a}))]),
    io:format("~p~n", [same(id({[1, 2], [1, 2]}))]),
    io:format("~p~n", [same(id({1, 1.0}))]),
    io:format("~p~n", [same3(id(x), id(x), id(x))]),
    io:format("~p~n", [same3(id(x), id(y), id(x))]),
    io:format("~p~n", [first_eq_last(id([5, 6, 7, 5]))]),
    io:format("~p~n", [first_eq_last(id([5, 6, 7, 8]))]),
    X = id(10),
    %% X already bound: this is a comparison
    io:format("~p~n", [case id(10) of X -> bound_match; _ -> bound_nomatch end]),
    io:format("~p~n", [case id(11) of X -> bound_match; _ -> bound_nomatch end]),
    io:format("~p~n", [err(fun() -> X = id(12) end)]),
    {Y, Y} = id({z, z}),
    io:format("~p~n", [Y]).

same({X, X}) -> {same, X};
same({_, _}) -> different.

same3(A, A, A) -> all_same;
same3(_, _, _) -> not_all_same.

first_eq_last([H | T]) ->
    case lists:reverse(T) of
        [H | _] -> yes;
        _ -> no
    end.

aliases() ->
    io:format("== aliases (= in patterns)~n"),
    {A, B} = C = id({1, 2}),
    io:format("~p ~p ~p~n", [A, B, C]),
    D = {E, F} = id({3, 4}),
    io:format("~p ~p ~p~n", [D, E, F]),
    io:format("~p~n", [alias_of(id([1, 2, 3]))]),
    io:format("~p~n", [alias_of(id({pair, x, y}))]),
    io:format("~p~n", [alias_of(id(other))]),
    [G | _] = H = id([9, 800]),
    io:format("~p ~p~n", [G, H]),
    %% chained match expression returns the value
    V = (W = id(7)) + 1,
    io:format("~p ~p~n", [V, W]),
    X = Y = Z = id(same),
    io:format("~p ~p ~p~n", [X, Y, Z]).

alias_of([First | _] = L) -> {list, First, length(L)};
alias_of({pair, _, _} = T = {_, P, Q}) -> {pair, T, P, Q};
alias_of(X = Y) -> {other, X, Y}.

strings() ->
    io:format("== strings~n"),
    "hello" = id([$h, $e, $l, $l, $o]),
    [$h | Rest] = id("hello"),
    io:format("~s~n", [Rest]),
    [C1, C2 | _] = id("world"),
    io:format("~p ~p~n", [C1, C2]),
    io:format("~p~n", [greet(id("hi"))]),
    io:format("~p~n", [greet(id("bye"))]),
    io:format("~p~n", [greet(id("other"))]),
    io:format("~p~n", [greet(id([]))]),
    io:format("~p~n", ["" =:= id([])]).

greet("hi") -> hello;
greet("bye") -> goodbye;
greet("") -> empty;
greet([_ | _]) -> unknown.

prefix() ->
    io:format("== \"prefix\" ++ Rest patterns~n"),
    io:format("~p~n", [cmd(id("get key1"))]),
    io:format("~p~n", [cmd(id("set key2"))]),
    io:format("~p~n", [cmd(id("del"))]),
    io:format("~p~n", [cmd(id("get"))]),
    io:format("~p~n", [cmd(id("get "))]),
    io:format("~p~n", [cmd(id("unknown"))]),
    io:format("~p~n", [cmd(id("abc"))]),
    io:format("~p~n", [cmd(id("abcdef"))]),
    io:format("~p~n", [cmd(id([$a, $b, $c, 1, 2]))]),
    "x" ++ R1 = id("xyz"),
    io:format("~p~n", [R1]),
    [$a, $b] ++ R2 = id("abba"),
    io:format("~p~n", [R2]),
    "" ++ R3 = id("same"),
    io:format("~p~n", [R3]),
    io:format("~p~n", [case id("prefix-body") of "prefix-" ++ B -> B; _ -> none end]),
    io:format("~p~n", [err(fun() -> "abc" ++ _ = id("abd") end)]).

cmd("get " ++ Key) -> {get, Key};
cmd("set " ++ Key) -> {set, Key};
cmd("del" ++ Rest) -> {del, Rest};
cmd("abc" ++ Rest) -> {abc, Rest};
cmd(Other) -> {unknown, Other}.

heads() ->
    io:format("== multi-clause heads~n"),
    [io:format("~p -> ~p~n", [X, classify(X)])
     || X <- id([0, 1, -1, 100, 1.5, a, "s", [], {}, {a, b}, <<>>])],
    io:format("~p~n", [fib(id(20))]),
    io:format("~p~n", [zip3(id([1, 2, 3]), id([a, b, c]), id([x, y, z]))]),
    io:format("~p~n", [swap_pairs(id([1, 2, 3, 4, 5]))]),
    ok.

classify(0) -> zero;
classify(N) when is_integer(N), N > 0 -> pos_int;
classify(N) when is_integer(N) -> neg_int;
classify(F) when is_float(F) -> float;
classify(A) when is_atom(A) -> atom;
classify([]) -> nil;
classify([_ | _]) -> cons;
classify({}) -> empty_tuple;
classify(T) when is_tuple(T) -> tuple;
classify(_) -> other.

fib(0) -> 0;
fib(1) -> 1;
fib(N) -> fib(N - 1) + fib(N - 2).

zip3([A | As], [B | Bs], [C | Cs]) -> [{A, B, C} | zip3(As, Bs, Cs)];
zip3([], [], []) -> [].

swap_pairs([A, B | T]) -> [B, A | swap_pairs(T)];
swap_pairs(L) -> L.

cases() ->
    io:format("== case~n"),
    F = fun(V) ->
                case V of
                    {ok, X} when X > 10 -> {big_ok, X};
                    {ok, X} -> {ok, X};
                    {error, _} = E -> {err, E};
                    [_ | _] -> list;
                    _ -> default
                end
        end,
    [io:format("~p~n", [F(id(V))])
     || V <- [{ok, 5}, {ok, 50}, {error, x}, [1], [], 3]],
    %% variables bound in all clauses are usable after the case
    R = case id(3) of
            1 -> Z = one, Z;
            3 -> Z = three, Z;
            _ -> Z = many, Z
        end,
    io:format("~p ~p~n", [R, Z]),
    %% nested case
    Res = case id({a, 1}) of
              {a, N} ->
                  case N of
                      1 -> a_one;
                      _ -> a_other
                  end;
              _ -> other
          end,
    io:format("~p~n", [Res]).

numbers() ->
    io:format("== numbers: integers vs floats~n"),
    io:format("~p~n", [num(id(1))]),
    io:format("~p~n", [num(id(1.0))]),
    io:format("~p~n", [num(id(2))]),
    io:format("~p~n", [num(id(2.0))]),
    io:format("~p~n", [num(id(-0.0))]),
    io:format("~p~n", [num(id(0.0))]),
    io:format("~p~n", [num(id(0))]),
    io:format("~p~n", [err(fun() -> 1 = id(1.0) end)]),
    io:format("~p~n", [err(fun() -> 1.0 = id(1) end)]),
    io:format("~p~n", [case id(1.0) of 1 -> int; 1.0 -> float end]),
    io:format("~p~n", [case id({1, 2.0}) of {1.0, 2} -> a; {1, 2.0} -> b end]),
    io:format("~p~n", [case id(a) of 97 -> int; "a" -> string; a -> atom end]),
    io:format("~p~n", [case id("a") of a -> atom; [$a] -> string end]).

num(1) -> int_one;
num(1.0) -> float_one;
num(2) -> int_two;
num(0) -> int_zero;
num(0.0) -> float_zero;
num(X) -> {other, X}.

misc() ->
    io:format("== misc~n"),
    _ = id(ignored),
    _Unused = id(also_ignored),
    {_, _, _} = id({1, 2, 3}),
    %% match returns the matched value
    io:format("~p~n", [{a, b} = id({a, b})]),
    %% match on binaries as whole literals
    io:format("~p~n", [case id(<<"abc">>) of <<"abd">> -> no; <<"abc">> -> yes end]),
    %% matching on a term built earlier
    K = id({key, 1}),
    io:format("~p~n", [lists:keyfind(1, 2, [K, {other, 2}])]),
    io:format("~p~n", [[X || {X, X} <- id([{1, 1}, {1, 2}, {b, b}, {c, d}])]]),
    ok.
