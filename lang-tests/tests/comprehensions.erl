%% List comprehensions: single and multiple generators, filters (guard
%% filters and general boolean expressions), pattern generators that skip
%% non-matching elements, nested comprehensions, comprehensions over
%% strings, cartesian products, dependent generators, quicksort,
%% permutations, pythagorean triples, the n-queens problem, and variables
%% bound in generators shadowing outer ones.
-module(comprehensions).
-export([main/1]).

id(X) -> X.

main(_Args) ->
    basic(),
    filters(),
    patterns(),
    multiple(),
    nested(),
    strings(),
    algorithms(),
    errors(),
    ok.

basic() ->
    io:format("== basic~n"),
    L = id([1, 2, 3, 4, 5]),
    io:format("~p~n", [[X * X || X <- L]]),
    io:format("~p~n", [[{X} || X <- L]]),
    io:format("~p~n", [[X || X <- []]]),
    io:format("~p~n", [[ok || _ <- L]]),
    io:format("~p~n", [[X + 1 || X <- [X * 10 || X <- L]]]),
    io:format("~p~n", [lists:sum([X || X <- lists:seq(1, 100)])]),
    io:format("~p~n", [length([X || X <- lists:seq(1, 100000)])]),
    %% side effects in the template happen in order
    [io:format("item ~p~n", [X]) || X <- id([a, b, c])],
    ok.

filters() ->
    io:format("== filters~n"),
    L = id(lists:seq(1, 20)),
    io:format("~p~n", [[X || X <- L, X rem 3 =:= 0]]),
    io:format("~p~n", [[X || X <- L, X rem 2 =:= 0, X rem 3 =:= 0]]),
    io:format("~p~n", [[X || X <- L, X > 5, X < 10]]),
    io:format("~p~n", [[X || X <- L, is_prime(X)]]),
    io:format("~p~n", [[X || X <- L, not is_prime(X), X > 1]]),
    io:format("~p~n", [[X || X <- id([1, a, 2.0, "s", {t}, b]), is_atom(X)]]),
    io:format("~p~n", [[X || X <- id([1, a, 2.0, "s", {t}, b]), is_number(X) orelse is_tuple(X)]]),
    %% a filter that is a variable bound to a boolean
    Keep = id(true),
    Drop = id(false),
    io:format("~p ~p~n", [[X || X <- [1, 2], Keep], [X || X <- [1, 2], Drop]]),
    %% filter that is a guard test which would raise: just false
    io:format("~p~n", [[X || X <- id([[1], [], [2, 3], x, {}]), length(X) > 0]]),
    io:format("~p~n", [[X || X <- id([3, a, 4]), X > 3]]),
    %% filter using a captured variable
    Min = id(15),
    io:format("~p~n", [[X || X <- L, X >= Min]]).

is_prime(N) when N < 2 -> false;
is_prime(N) -> [] =:= [D || D <- lists:seq(2, N - 1), N rem D =:= 0].

patterns() ->
    io:format("== pattern generators~n"),
    Results = id([{ok, 1}, {error, x}, {ok, 2}, ok, {ok, 3, extra}, {ok, [4]}]),
    io:format("~p~n", [[X || {ok, X} <- Results]]),
    io:format("~p~n", [[R || {error, R} <- Results]]),
    io:format("~p~n", [[X || {ok, [X]} <- Results]]),
    io:format("~p~n", [[{K, V} || {K, V} <- Results, is_integer(V)]]),
    Pairs = id([{a, 1}, {b, 2}, {a, 3}, {c, 4}, {a, 5}]),
    io:format("~p~n", [[V || {a, V} <- Pairs]]),
    %% repeated variable in generator pattern
    io:format("~p~n", [[X || {X, X} <- id([{1, 1}, {1, 2}, {3, 3}, {a, a}])]]),
    %% outer variable in the pattern is a comparison? No: generator
    %% variables are fresh and shadow outer ones.
    X = id(a),
    io:format("~p~n", [[X || {X, _} <- Pairs]]),
    io:format("~p~n", [X]),
    %% list patterns
    io:format("~p~n", [[H || [H | _] <- id([[1, 2], [], [3], "ab", x])]]),
    io:format("~p~n", [[{A, B} || [A, B] <- id([[1, 2], [3], [4, 5, 6], [7, 8]])]]),
    io:format("~p~n", [[S || "x" ++ S <- id(["xa", "yb", "xyz", "x", ""])]]),
    %% binaries and maps in patterns
    io:format("~p~n", [[V || #{k := V} <- id([#{k => 1}, #{j => 2}, #{k => 3, j => 4}, x])]]),
    io:format("~p~n", [[B || {bin, <<"yes">> = B} <- id([{bin, <<"yes">>}, {bin, <<"no">>}])]]).

multiple() ->
    io:format("== multiple generators~n"),
    io:format("~p~n", [[{X, Y} || X <- [1, 2, 3], Y <- [a, b]]]),
    io:format("~p~n", [[{X, Y} || X <- [1, 2, 3], Y <- [], X > 0]]),
    io:format("~p~n", [[X * Y || X <- [1, 2, 3], Y <- [10, 100]]]),
    %% dependent generator
    io:format("~p~n", [[{X, Y} || X <- lists:seq(1, 4), Y <- lists:seq(X, 4)]]),
    %% filter between generators
    io:format("~p~n", [[{X, Y} || X <- lists:seq(1, 5), X rem 2 =:= 1, Y <- lists:seq(1, X), Y > 3]]),
    %% three generators
    io:format("~p~n", [length([{X, Y, Z} || X <- lists:seq(1, 10), Y <- lists:seq(1, 10),
                                           Z <- lists:seq(1, 10)])]),
    io:format("~p~n", [[[X, Y, Z] || X <- "ab", Y <- "cd", Z <- "ef"]]),
    %% cartesian product of a list of lists
    io:format("~p~n", [cartesian([[1, 2], [a, b], [x, y]])]),
    io:format("~p~n", [cartesian([])]),
    io:format("~p~n", [cartesian([[1, 2], []])]).

cartesian([]) -> [[]];
cartesian([L | Ls]) -> [[X | Rest] || X <- L, Rest <- cartesian(Ls)].

nested() ->
    io:format("== nested comprehensions~n"),
    M = [[R * 10 + C || C <- lists:seq(1, 3)] || R <- lists:seq(1, 3)],
    io:format("~w~n", [M]),
    io:format("~w~n", [transpose(M)]),
    io:format("~w~n", [[X || Row <- M, X <- Row, X rem 2 =:= 0]]),
    io:format("~w~n", [[[Y || Y <- Row, Y > 20] || Row <- M]]),
    io:format("~w~n", [[lists:sum(Row) || Row <- M]]),
    io:format("~w~n", [[{X, [Y || Y <- lists:seq(1, X)]} || X <- lists:seq(0, 4)]]),
    Flat = [E || L <- id([[1, [2]], [], [3, 4]]), E <- L],
    io:format("~w~n", [Flat]),
    io:format("~w~n", [mult_table(4)]).

transpose([[] | _]) -> [];
transpose(M) -> [[H || [H | _] <- M] | transpose([T || [_ | T] <- M])].

mult_table(N) -> [[I * J || J <- lists:seq(1, N)] || I <- lists:seq(1, N)].

strings() ->
    io:format("== strings~n"),
    S = id("Hello, World!"),
    io:format("~s~n", [[C || C <- S, C >= $a, C =< $z]]),
    io:format("~s~n", [[upper(C) || C <- S]]),
    io:format("~p~n", [[C || C <- S, C =:= $o]]),
    io:format("~p~n", [length([C || C <- S, C =:= $l])]),
    io:format("~p~n", [[C - $0 || C <- id("2024"), C >= $0, C =< $9]]),
    io:format("~s~n", [[[C, C] || C <- id("abc")]]),
    Words = split_words(id("the quick  brown fox")),
    io:format("~p~n", [Words]),
    io:format("~p~n", [[length(W) || W <- Words]]),
    io:format("~s~n", [lists:reverse(S)]),
    io:format("~p~n", [[{C, N} || C <- id("abc"), N <- [1, 2]]]),
    io:format("~p~n", [[X || X <- id("a1b2c3"), X > $9]]).

upper(C) when C >= $a, C =< $z -> C - 32;
upper(C) -> C.

split_words(S) -> split_words(S, [], []).
split_words([], [], Acc) -> lists:reverse(Acc);
split_words([], W, Acc) -> lists:reverse([lists:reverse(W) | Acc]);
split_words([$\s | T], [], Acc) -> split_words(T, [], Acc);
split_words([$\s | T], W, Acc) -> split_words(T, [], [lists:reverse(W) | Acc]);
split_words([C | T], W, Acc) -> split_words(T, [C | W], Acc).

algorithms() ->
    io:format("== algorithms~n"),
    io:format("~p~n", [qsort(id([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9]))]),
    io:format("~p~n", [qsort(id([b, "str", 1, {t}, a, 2.0, [], 0]))]),
    io:format("~p~n", [perms(id([1, 2, 3]))]),
    io:format("~p~n", [length(perms(id([1, 2, 3, 4, 5, 6])))]),
    io:format("~p~n", [perms(id("abc"))]),
    io:format("~w~n", [pyth(id(30))]),
    io:format("~p~n", [queens(id(6))]),
    io:format("~p~n", [length(queens(id(8)))]),
    io:format("~p~n", [hd(queens(id(8)))]),
    io:format("~p~n", [primes(id(60))]),
    io:format("~p~n", [subsets(id([a, b, c]))]).

qsort([]) -> [];
qsort([P | T]) -> qsort([X || X <- T, X < P]) ++ [P] ++ qsort([X || X <- T, X >= P]).

perms([]) -> [[]];
perms(L) -> [[H | T] || H <- L, T <- perms(L -- [H])].

pyth(N) ->
    [{A, B, C} || A <- lists:seq(1, N), B <- lists:seq(A, N), C <- lists:seq(B, N),
                  A * A + B * B =:= C * C].

queens(N) -> queens(N, N).
queens(0, _) -> [[]];
queens(K, N) ->
    [[Q | Qs] || Qs <- queens(K - 1, N), Q <- lists:seq(1, N), safe(Q, Qs, 1)].

safe(_, [], _) -> true;
safe(Q, [Q1 | Qs], D) -> Q =/= Q1 andalso abs(Q - Q1) =/= D andalso safe(Q, Qs, D + 1).

primes(N) -> sieve(lists:seq(2, N)).
sieve([]) -> [];
sieve([P | Xs]) -> [P | sieve([X || X <- Xs, X rem P =/= 0])].

subsets([]) -> [[]];
subsets([H | T]) -> S = subsets(T), [[H | X] || X <- S] ++ S.

errors() ->
    io:format("== errors~n"),
    %% generator over a non-list
    io:format("~p~n", [try [X || X <- id(notalist)] catch C:R -> {C, R} end]),
    %% improper list tail
    io:format("~p~n", [try [X || X <- id([1, 2 | tail])] catch C1:R1 -> {C1, R1} end]),
    %% a non-guard filter must return a boolean
    io:format("~p~n", [try [X || X <- id([1, 2]), id(X)] catch C2:R2 -> {C2, R2} end]),
    %% exception in a non-guard filter propagates
    io:format("~p~n", [try [X || X <- id([1, 0]), 1 div id(X) > 0] catch C3:R3 -> {C3, R3} end]).
