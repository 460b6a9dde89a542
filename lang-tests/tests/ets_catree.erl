-module(ets_catree).
-export([main/1]).

%% An ordered_set with write_concurrency (a CA tree in Beryl) under
%% concurrent writers and walkers. The even keys below 20000 are always
%% there; writer W owns the odd keys K with K rem 16 == 2 * W + 1. Walkers
%% check that every walk is in order and sees all the even keys.

-define(EVENS, 10000).
-define(WRITERS, 8).

main(_) ->
    T = ets:new(t, [ordered_set, public, {write_concurrency, true}]),
    ets:insert(T, [{K * 2, fixed} || K <- lists:seq(0, ?EVENS - 1)]),
    Self = self(),
    Writers = [spawn_link(fun() -> Self ! {self(), writer(T, W)} end)
               || W <- lists:seq(0, ?WRITERS - 1)],
    Walkers = [spawn_link(fun() -> Self ! {self(), walker(T, M)} end)
               || M <- [next, prev, select, select_reverse, tab2list]],
    Models = [receive {P, Model} -> Model end || P <- Writers],
    [P ! stop || P <- Walkers],
    Walks = [receive {P, R} -> R end || P <- Walkers],
    io:format("walks in order and complete: ~p~n",
              [[{M, lists:all(fun(X) -> X end, Oks)} || {M, Oks} <- Walks]]),
    Want = lists:sort([{K * 2, fixed} || K <- lists:seq(0, ?EVENS - 1)]
                      ++ lists:append([maps:to_list(M) || M <- Models])),
    Got = ets:tab2list(T),
    io:format("contents match the writers' models: ~p (~p objects)~n",
              [Got =:= Want, length(Got)]),
    Deleted = ets:select_delete(T, [{{'$1', '_'}, [{'=:=', {'rem', '$1', 2}, 1}], [true]}]),
    io:format("odd keys deleted: ~p, left ~p~n", [Deleted, ets:info(T, size)]),
    Replaced = ets:select_replace(T, [{{'$1', fixed}, [{'<', '$1', 1000}], [{{'$1', changed}}]}]),
    io:format("replaced ~p, first ~p, last ~p~n",
              [Replaced, ets:lookup(T, ets:first(T)), ets:lookup(T, ets:last(T))]),
    io:format("next/prev between keys: ~p ~p ~p~n",
              [ets:next(T, 999), ets:prev(T, 999.0), ets:next(T, 19998)]),
    true = ets:delete_all_objects(T),
    io:format("after delete_all_objects: ~p ~p~n", [ets:info(T, size), ets:first(T)]),
    ok.

%% Writer W: inserts (single and lists), deletes, update_counter and
%% insert_new on its own odd keys; returns its model (key => value).
writer(T, W) ->
    writer(T, W, 4000, W * 7919 + 13, #{}).

writer(_T, _W, 0, _X, Model) ->
    Model;
writer(T, W, N, X, Model) ->
    X1 = (X * 69069 + 1) band 16#ffffffff,
    K = key(W, X1),
    Model1 = case (X1 bsr 8) rem 10 of
                 R when R < 4 ->
                     ets:insert(T, {K, N}),
                     Model#{K => N};
                 R when R < 5 ->
                     Ks = [K, key(W, X1 bsr 3), key(W, X1 bsr 5)],
                     ets:insert(T, [{Ki, N} || Ki <- Ks]),
                     maps:merge(Model, maps:from_list([{Ki, N} || Ki <- Ks]));
                 R when R < 8 ->
                     ets:delete(T, K),
                     maps:remove(K, Model);
                 R when R < 9 ->
                     case maps:is_key(K, Model) of
                         true -> ets:update_counter(T, K, 1),
                                 Model#{K := maps:get(K, Model) + 1};
                         false -> Model
                     end;
                 _ ->
                     case ets:insert_new(T, {K, N}) of
                         true -> false = maps:is_key(K, Model), Model#{K => N};
                         false -> true = maps:is_key(K, Model), Model
                     end
             end,
    writer(T, W, N - 1, X1, Model1).

key(W, X) ->
    ((X rem 1250) * 16) + 2 * W + 1.

walker(T, Mode) ->
    Oks = [begin
               Keys = walk(T, Mode),
               is_ascending(Keys) andalso length([K || K <- Keys, K rem 2 =:= 0]) =:= ?EVENS
           end || _ <- [1, 2, 3]],
    receive stop -> {Mode, Oks} end.

walk(T, next) -> next_walk(T, ets:first(T));
walk(T, prev) -> lists:reverse(prev_walk(T, ets:last(T)));
walk(T, select) -> ets:select(T, [{{'$1', '_'}, [], ['$1']}]);
walk(T, select_reverse) -> lists:reverse(ets:select_reverse(T, [{{'$1', '_'}, [], ['$1']}]));
walk(T, tab2list) -> [K || {K, _} <- ets:tab2list(T)].

next_walk(_T, '$end_of_table') -> [];
next_walk(T, K) -> [K | next_walk(T, ets:next(T, K))].

prev_walk(_T, '$end_of_table') -> [];
prev_walk(T, K) -> [K | prev_walk(T, ets:prev(T, K))].

is_ascending([A, B | Rest]) when A < B -> is_ascending([B | Rest]);
is_ascending([_, _ | _]) -> false;
is_ascending(_) -> true.
