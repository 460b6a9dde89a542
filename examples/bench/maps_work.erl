%% maps: 200,000 puts into one large map, gets, folds, updates and
%% maps:merge of two large maps.
-module(maps_work).
-export([main/1]).

main(_) ->
    Keys = [(I * 7919) rem 200003 || I <- lists:seq(1, 200000)],
    T0 = erlang:monotonic_time(microsecond),
    M = lists:foldl(fun(K, Acc) -> Acc#{K => K} end, #{}, Keys),
    S1 = lists:foldl(fun(K, Acc) -> Acc + maps:get(K, M) end, 0, Keys),
    M2 = maps:map(fun(_, V) -> V + 1 end, M),
    S2 = maps:fold(fun(_, V, Acc) -> Acc + V end, 0, M2),
    M3 = maps:merge(M, maps:from_list([{K + 1000000, K} || K <- lists:sublist(Keys, 50000)])),
    T1 = erlang:monotonic_time(microsecond),
    io:format("result ~p~ntime_us ~p~n", [{S1, S2, map_size(M3)}, T1 - T0]).
