%% Code the JIT compiles, on the paths where native code hands over to the
%% interpreter: recursion deeper than the native stack allows, a full heap,
%% arithmetic that leaves the small integers, comparisons of boxed terms,
%% errors raised in compiled functions, preemption of a compiled loop.
%% (The harness also runs it with BERYL_JIT=eager.)
-module(jit_paths).
-export([main/1, rloop/2, rlen/1]).

build(0) -> [];
build(N) -> [N | build(N - 1)].

len([]) -> 0;
len([_ | T]) -> 1 + len(T).

app([H | T], L) -> [H | app(T, L)];
app([], L) -> L.

sum([], Acc) -> Acc;
sum([H | T], Acc) -> sum(T, Acc + H).

diff([], Acc) -> Acc;
diff([H | T], Acc) -> diff(T, Acc - H).

count_lt([], _, N) -> N;
count_lt([H | T], X, N) when H < X -> count_lt(T, X, N + 1);
count_lt([_ | T], X, N) -> count_lt(T, X, N).

count_ge([], _, N) -> N;
count_ge([H | T], X, N) when H >= X -> count_ge(T, X, N + 1);
count_ge([_ | T], X, N) -> count_ge(T, X, N).

count_eq([], _, N) -> N;
count_eq([H | T], X, N) when H =:= X -> count_eq(T, X, N + 1);
count_eq([_ | T], X, N) -> count_eq(T, X, N).

count_ne([], _, N) -> N;
count_ne([H | T], X, N) when H =/= X -> count_ne(T, X, N + 1);
count_ne([_ | T], X, N) -> count_ne(T, X, N).

ints([]) -> 0;
ints([H | T]) when is_integer(H) -> 1 + ints(T);
ints([_ | T]) -> ints(T).

atoms([]) -> 0;
atoms([H | T]) when is_atom(H) -> 1 + atoms(T);
atoms([_ | T]) -> atoms(T).

pos(N) when N > 0 -> N - 1.

down(0) -> done;
down(N) -> down(pos(N)).

add1(X) -> X + 1.

calls(0, Acc) -> Acc;
calls(N, Acc) -> calls(N - 1, add1(Acc)).

ev(0) -> true;
ev(N) -> od(N - 1).

od(0) -> false;
od(N) -> ev(N - 1).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

spin() -> spin().

%% Instructions native code has the interpreter run, in compiled functions.
safe_div(A, B) -> try A div B catch error:badarith -> inf end.

classify(X) ->
    case X of
        1.5 -> float;
        100000000000000000000 -> big;
        a -> atom_a;
        "str" -> string;
        7 -> seven;
        _ -> other
    end.

kind(a) -> 1;
kind(b) -> 2;
kind(c) -> 3;
kind(_) -> 0.

tag({point, X, Y}) -> {X + Y, point};
tag({size, S}) -> {S, size};
tag(T) when is_tuple(T) -> {tuple_size(T), tuple};
tag(_) -> {0, none}.

collect(0, Acc) -> Acc;
collect(N, Acc) -> receive X -> collect(N - 1, Acc + X) end.

sizes([], Acc) -> Acc;
sizes([B | T], Acc) ->
    S = try byte_size(B) catch error:badarg -> -1 end,
    sizes(T, Acc + S).

masks([], Acc) -> Acc;
masks([X | T], Acc) -> masks(T, Acc bxor (X band 16#FFFFFFFFFFFFFFFFFFFF)).

records(<<>>, N) -> N;
records(<<L, _:L/binary, Rest/binary>>, N) -> records(Rest, N + 1);
records(_, N) -> {bad_tail, N}.

bump(M, K) -> try M#{K := maps:get(K, M, 0) + 1} catch error:E -> {error, E} end.

nine(#{1 := A, 2 := B, 3 := C, 4 := D, 5 := E, 6 := F, 7 := G, 8 := H, 9 := I}) ->
    A + B + C + D + E + F + G + H + I;
nine(#{1 := A}) -> {only, A};
nine(_) -> none.

%% Funs called from compiled code: closures (free variables), tail calls
%% of funs, export funs, a wrong arity.
apply_all([], _X, Acc) -> Acc;
apply_all([F | Fs], X, Acc) -> apply_all(Fs, X, [F(X) | Acc]).

compose(F, G) -> fun(X) -> F(G(X)) end.

twice(F, X) -> F(F(X)).

last_call(F, X) -> F(X).

%% Remote calls (through the export table) between compiled functions.
rloop(0, A) -> A;
rloop(N, A) -> ?MODULE:rloop(N - 1, A + length(lists:reverse([N, A]))).

rlen([]) -> 0;
rlen([_ | T]) -> 1 + ?MODULE:rlen(T).

loop_n(0, _F, Acc) -> Acc;
loop_n(N, F, Acc) -> loop_n(N - 1, F, F(N, Acc)).

frames(St) ->
    [{M, F, if is_list(A) -> length(A); true -> A end} || {M, F, A, _} <- lists:sublist(St, 2)].

main(_) ->
    L = build(200000),
    io:format("build ~p ~p ~p~n", [len(L), hd(L), lists:last(L)]),
    L2 = app(L, [x, y]),
    io:format("app ~p ~p~n", [len(L2), lists:nthtail(199999, L2)]),
    Big = lists:seq(1, 100000) ++ [1 bsl 59, 1 bsl 59, -(1 bsl 61), 7],
    io:format("sum ~p diff ~p~n", [sum(Big, 0), diff(Big, 0)]),
    io:format("sum of smalls ~p~n", [sum(lists:seq(1, 5000), 0)]),
    Mixed = [1, 2.5, 3, 1.0e10, -1, 1 bsl 70, -(1 bsl 70), a, "s", {t}, 2, 2.0],
    io:format("lt ~p ge ~p~n", [count_lt(Mixed, 2, 0), count_ge(Mixed, 2, 0)]),
    Terms = ["a", "b", "a", {x}, 1, 1.0, a, 1 bsl 80, 1 bsl 80, [], "a"],
    io:format("eq ~p ~p ~p ~p~n",
              [count_eq(Terms, "a", 0), count_eq(Terms, 1, 0), count_eq(Terms, 1 bsl 80, 0),
               count_eq(Terms, {x}, 0)]),
    io:format("ne ~p ~p~n", [count_ne(Terms, "a", 0), count_ne(Terms, a, 0)]),
    io:format("ints ~p atoms ~p~n", [ints(Terms), atoms(Terms)]),
    io:format("down ~p~n", [down(3000)]),
    R1 = try down(-5) catch error:E1:St1 -> {E1, frames(St1)} end,
    io:format("function_clause ~p~n", [R1]),
    io:format("calls ~p~n", [calls(5000, 0)]),
    R2 = try calls(3, foo) catch error:E2:St2 -> {E2, frames(St2)} end,
    io:format("badarith ~p~n", [R2]),
    R3 = try calls(3, (1 bsl 59) - 2) catch error:E3 -> E3 end,
    io:format("into bignums ~p~n", [R3]),
    io:format("ev ~p ~p~n", [ev(1000001), ev(40000)]),
    io:format("fib ~p~n", [fib(22)]),
    Divs = loop_n(3000, fun(N, A) -> [safe_div(N, N rem 3) | A] end, []),
    io:format("div ~p ~p~n", [length([D || D <- Divs, D =:= inf]), lists:sum([D || D <- Divs, D =/= inf])]),
    Keys = [1.5, 100000000000000000000, a, "str", 7, 1.5e0, 99, b, 100000000000000000001],
    io:format("classify ~p~n", [loop_n(2000, fun(_, _) -> [classify(K) || K <- Keys] end, [])]),
    io:format("kind ~p~n", [loop_n(3000, fun(N, A) -> A + kind(lists:nth(1 + N rem 4, [a, b, c, d])) end, 0)]),
    Ts = [{point, 1, 2}, {size, 9}, {x, y, z, w}, not_a_tuple, {point, 1}, {}],
    io:format("tag ~p~n", [loop_n(2000, fun(_, _) -> [tag(T) || T <- Ts] end, [])]),
    Self = self(),
    [Self ! N || N <- lists:seq(1, 5000)],
    io:format("collect ~p~n", [collect(5000, 0)]),
    Bins = [<<1, 2, 3>>, <<>>, foo, list_to_binary(lists:duplicate(100, $x)), {b}],
    io:format("sizes ~p~n", [loop_n(2000, fun(_, A) -> A + sizes(Bins, 0) end, 0)]),
    io:format("masks ~p~n", [masks([1 bsl 70 + 5, 3, -1, 1 bsl 100 - 1, 12345], 0)]),
    Recs = << <<(N rem 5), (binary:copy(<<N>>, N rem 5))/binary>> || N <- lists:seq(1, 3000) >>,
    io:format("records ~p ~p~n", [records(Recs, 0), records(<<Recs/binary, 9, 1>>, 0)]),
    io:format("records rest ~p~n", [loop_n(1500, fun(_, _) -> records(<<3, 1, 2, 3, 2, 1>>, 0) end, 0)]),
    M9 = maps:from_list([{K, K * 10} || K <- lists:seq(1, 9)]),
    io:format("maps ~p ~p ~p ~p ~p~n",
              [loop_n(2000, fun(_, _) -> bump(#{a => 1}, a) end, 0), bump(#{a => 1}, b), bump(not_a_map, a),
               loop_n(2000, fun(_, _) -> {nine(M9), nine(#{1 => x}), nine(#{2 => y}), nine(7)} end, 0),
               loop_n(2000, fun(N, A) -> A + nine(M9#{5 := N}) end, 0)]),
    K = 7,
    Funs = [fun(X) -> X + K end, fun erlang:abs/1, fun erlang:integer_to_list/1, compose(fun(X) -> X * 2 end, fun(X) -> X - K end)],
    io:format("funs ~p~n", [loop_n(3000, fun(_, _) -> apply_all(Funs, -3, []) end, 0)]),
    io:format("funs on ints ~p~n", [loop_n(3000, fun(N, A) -> A + twice(fun(X) -> X + N rem 3 end, 1) + last_call(fun(X) -> X * K end, N) end, 0)]),
    io:format("fold ~p ~p~n", [lists:foldl(fun(X, S) -> X + S end, 0, lists:seq(1, 30000)),
                               length(lists:map(fun(X) -> {X} end, lists:seq(1, 30000)))]),
    BadArity = try loop_n(1500, fun(_, _) -> twice(fun(X, Y) -> X + Y end, 1) end, 0) catch error:{badarity, {_, Args}} -> {badarity, Args} end,
    io:format("badarity ~p~n", [BadArity]),
    NotFun = try loop_n(1500, fun(_, _) -> last_call(not_a_fun, 1) end, 0) catch error:{badfun, B} -> {badfun, B} end,
    io:format("badfun ~p~n", [NotFun]),
    io:format("remote ~p ~p~n", [rloop(300000, 0), rlen(lists:seq(1, 100000))]),
    Spinner = spawn(fun spin/0),
    receive after 20 -> ok end,
    io:format("main ran beside a spinning loop~n"),
    exit(Spinner, kill),
    io:format("done~n").
