%% lists:sort of a million pseudo-random integers (library code: the
%% merge sort of lists.erl).
-module(sort1m).
-export([main/1]).

main(_) ->
    L = gen(1000000, 12345, []),
    T0 = erlang:monotonic_time(microsecond),
    S = lists:sort(L),
    T1 = erlang:monotonic_time(microsecond),
    io:format("result ~p~ntime_us ~p~n", [{hd(S), lists:nth(500000, S), lists:last(S)}, T1 - T0]).

gen(0, _, Acc) -> Acc;
gen(N, X, Acc) -> X1 = (X * 1103515245 + 12345) rem 2147483648, gen(N - 1, X1, [X1 | Acc]).
