-module(ets_update).
-export([main/1]).

%% update_counter/3,4, update_element/3, lookup_element/3 and their errors.

t(F) -> try F() catch C:R -> {C, R} end.

main(_) ->
    lists:foreach(fun counters/1, [set, ordered_set]),
    bags(),
    ok.

counters(Type) ->
    io:format("== ~p~n", [Type]),
    T = ets:new(c, [Type]),
    ets:insert(T, {a, 1, 2}),
    Ops = [1, {2, 1}, {3, 10, 5, 0}, [{2, 1}, {3, 1}], {1, 1}, {4, 1}, {2, -100, -10, -5},
           [], {2, 1.5}, {2, a}, [{2, 1}, {9, 1}], {2, 1, 100}, x, {x, 1},
           {2, 1000000000000000000000}, {2, -1000000000000000000000}, {3, 3, 3, 100}, {3, 1, 3, 100},
           {0, 1}, -1],
    [io:format("~p -> ~p ~p~n", [Op, t(fun() -> ets:update_counter(T, a, Op) end), ets:lookup(T, a)]) || Op <- Ops],
    ets:insert(T, {s, notanumber, 1.0}),
    io:format("~p~n", [t(fun() -> ets:update_counter(T, s, 1) end)]),
    io:format("~p~n", [t(fun() -> ets:update_counter(T, s, {3, 1}) end)]),
    io:format("missing ~p~n", [t(fun() -> ets:update_counter(T, zz, 1) end)]),
    Defaults = [{b, {c, 5}}, {d, {d}}, {e, {e, x}}, {f, x}, {g, {g, 1, 2}}, {b, {b, 100}},
                {h, {h, 1, 2, 3}}],
    [io:format("default ~p ~p -> ~p~n", [K, D, t(fun() -> ets:update_counter(T, K, 1, D) end)]) || {K, D} <- Defaults],
    io:format("default list ~p~n", [t(fun() -> ets:update_counter(T, i, [{2, 1}, {3, 5}], {i, 0, 0}) end)]),
    io:format("~p~n", [lists:sort(ets:tab2list(T))]),
    Elems = [{2, x}, [{2, y}, {3, z}], {1, q}, {9, x}, [], {2}, [{2, p} | x], x],
    [io:format("update_element ~p -> ~p ~p~n", [E, t(fun() -> ets:update_element(T, a, E) end), ets:lookup(T, a)]) || E <- Elems],
    io:format("update_element missing ~p~n", [t(fun() -> ets:update_element(T, zz, {2, x}) end)]),
    LE = [{a, 2}, {a, 3}, {a, 1}, {a, 9}, {zz, 1}, {a, 0}, {a, x}],
    [io:format("lookup_element ~p -> ~p~n", [{K, P}, t(fun() -> ets:lookup_element(T, K, P) end)]) || {K, P} <- LE],
    K2 = ets:new(k2, [Type, {keypos, 2}]),
    ets:insert(K2, {10, key, 20}),
    io:format("keypos 2: ~p ~p ~p~n", [ets:update_counter(K2, key, 1), ets:lookup(K2, key),
                                       t(fun() -> ets:update_counter(K2, key, {2, 1}) end)]),
    io:format("keypos 2 default: ~p ~p~n", [ets:update_counter(K2, new, {1, 5}, {0, x, 0}), ets:lookup(K2, new)]),
    ets:delete(T),
    io:format("deleted ~p~n", [t(fun() -> ets:update_counter(T, a, 1) end)]).

bags() ->
    io:format("== bags~n"),
    [begin
         B = ets:new(b, [Type]),
         ets:insert(B, [{k, 1, a}, {k, 2, b}]),
         io:format("~p update_counter ~p~n", [Type, t(fun() -> ets:update_counter(B, k, 1) end)]),
         io:format("~p update_element ~p~n", [Type, t(fun() -> ets:update_element(B, k, {2, x}) end)]),
         io:format("~p lookup_element ~p ~p~n", [Type, t(fun() -> ets:lookup_element(B, k, 2) end),
                                                  t(fun() -> ets:lookup_element(B, k, 3) end)]),
         ets:insert(B, {k, short}),
         io:format("~p lookup_element short ~p~n", [Type, t(fun() -> ets:lookup_element(B, k, 3) end)])
     end || Type <- [bag, duplicate_bag]].
