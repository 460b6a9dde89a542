%% A map of 1,000 keys updated 1,000,000 times (the trie layout).
-module(mapupdate).
-export([main/1]).

fill(0, M) -> M;
fill(N, M) -> fill(N - 1, M#{N => 0}).

loop(0, M) -> M;
loop(N, M) ->
    K = N rem 1000 + 1,
    #{K := V} = M,
    loop(N - 1, M#{K := V + 1}).

main(_) ->
    M0 = fill(1000, #{}),
    T0 = erlang:monotonic_time(microsecond),
    M = loop(1000000, M0),
    T1 = erlang:monotonic_time(microsecond),
    io:format("result ~p~ntime_us ~p~n", [maps:get(500, M), T1 - T0]).
