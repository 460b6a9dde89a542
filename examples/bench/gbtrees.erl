%% gb_trees: 200,000 inserts, lookups of every key, then deletes of half.
-module(gbtrees).
-export([main/1]).

main(_) ->
    Keys = [(I * 7919) rem 200003 || I <- lists:seq(1, 200000)],
    T0 = erlang:monotonic_time(microsecond),
    T = lists:foldl(fun(K, Acc) -> gb_trees:enter(K, K * 2, Acc) end, gb_trees:empty(), Keys),
    Sum = lists:foldl(fun(K, Acc) -> Acc + gb_trees:get(K, T) end, 0, Keys),
    T2 = lists:foldl(fun(K, Acc) -> gb_trees:delete_any(K, Acc) end, T, lists:sublist(Keys, 100000)),
    T1 = erlang:monotonic_time(microsecond),
    io:format("result ~p~ntime_us ~p~n", [{Sum, gb_trees:size(T2)}, T1 - T0]).
