%% Quicksort of 100,000 pseudo-random integers with list comprehensions.
-module(qsort).
-export([main/1]).

qsort([]) -> [];
qsort([P | Xs]) -> qsort([X || X <- Xs, X < P]) ++ [P] ++ qsort([X || X <- Xs, X >= P]).

randoms(0, _, Acc) -> Acc;
randoms(N, S, Acc) ->
    S1 = (S * 1103515245 + 12345) rem 2147483648,
    randoms(N - 1, S1, [S1 rem 1000000 | Acc]).

main(_) ->
    L = randoms(100000, 42, []),
    T0 = erlang:monotonic_time(microsecond),
    S = qsort(L),
    T1 = erlang:monotonic_time(microsecond),
    io:format("result ~p~ntime_us ~p~n", [lists:sum(lists:sublist(S, 100)), T1 - T0]).
