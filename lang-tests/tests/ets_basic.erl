-module(ets_basic).
-export([main/1]).

%% ETS basics: every table type, insert/lookup/delete, keypos, info.

t(F) -> try F() catch C:R -> {C, R} end.
id(X) -> X.
sorted(T) -> lists:sort(ets:tab2list(T)).

main(_) ->
    lists:foreach(fun types/1, [set, ordered_set, bag, duplicate_bag]),
    keys(),
    keypos(),
    info(),
    errors(),
    ok.

types(Type) ->
    io:format("== ~p~n", [Type]),
    T = ets:new(tab, [Type]),
    true = ets:insert(T, {a, 1}),
    true = ets:insert(T, [{b, 2}, {c, 3}, {a, 4}]),
    true = ets:insert(T, {a, 1}),
    io:format("lookup a ~p~n", [ets:lookup(T, a)]),
    io:format("lookup z ~p~n", [ets:lookup(T, z)]),
    io:format("member ~p ~p~n", [ets:member(T, a), ets:member(T, z)]),
    io:format("size ~p~n", [ets:info(T, size)]),
    io:format("all ~p~n", [sorted(T)]),
    io:format("insert_new ~p ~p~n", [ets:insert_new(T, {a, 9}), ets:insert_new(T, [{d, 1}, {e, 2}])]),
    io:format("insert_new list ~p~n", [ets:insert_new(T, [{f, 1}, {a, 2}])]),
    io:format("f ~p~n", [ets:lookup(T, f)]),
    io:format("delete_object ~p~n", [ets:delete_object(T, {a, 1})]),
    io:format("after ~p~n", [ets:lookup(T, a)]),
    io:format("take ~p ~p~n", [ets:take(T, b), ets:take(T, b)]),
    io:format("delete ~p~n", [ets:delete(T, c)]),
    io:format("delete missing ~p~n", [ets:delete(T, nothere)]),
    io:format("all ~p~n", [sorted(T)]),
    true = ets:insert(T, [{x, 1}, {x, 2}, {x, 1}, {x, 3}]),
    io:format("x ~p~n", [lists:sort(ets:lookup(T, x))]),
    true = ets:insert(T, {y, 1}),
    true = ets:insert(T, {y, 2}),
    true = ets:insert(T, {y, 1}),
    io:format("y ~p~n", [ets:lookup(T, y)]),
    io:format("delete_all_objects ~p ~p~n", [ets:delete_all_objects(T), ets:info(T, size)]),
    io:format("empty ~p~n", [ets:tab2list(T)]),
    io:format("delete table ~p~n", [ets:delete(T)]),
    io:format("gone ~p ~p~n", [ets:info(T), t(fun() -> ets:lookup(T, a) end)]).

keys() ->
    io:format("== keys~n"),
    S = ets:new(s, [set]),
    O = ets:new(o, [ordered_set]),
    Keys = [1, 1.0, -0.0, 0, 2, "str", <<"bin">>, {1, 2}, [a | b], x, 100000000000000000000],
    [ets:insert(Tab, {K, v}) || Tab <- [S, O], K <- Keys],
    io:format("set size ~p, ordered_set size ~p~n", [ets:info(S, size), ets:info(O, size)]),
    io:format("set 1.0 ~p~n", [ets:lookup(S, 1.0)]),
    io:format("oset 1.0 ~p~n", [ets:lookup(O, 1.0)]),
    io:format("oset 1 ~p~n", [ets:lookup(O, 1)]),
    io:format("oset ~p~n", [ets:tab2list(O)]),
    io:format("big ~p~n", [ets:lookup(S, 100000000000000000000)]),
    io:format("tuple key ~p~n", [ets:lookup(O, {1, 2})]),
    ets:insert(S, {{deep, [1, 2, {3}]}, #{a => 1}, <<"value">>}),
    io:format("deep ~p~n", [ets:lookup(S, {deep, [1, 2, {3}]})]).

keypos() ->
    io:format("== keypos~n"),
    T = ets:new(k, [{keypos, 2}]),
    ets:insert(T, [{r, 1, a}, {r, 2, b}, {q, 1, c}]),
    io:format("~p~n", [sorted(T)]),
    io:format("~p~n", [ets:lookup(T, 1)]),
    io:format("short ~p~n", [t(fun() -> ets:insert(T, {only}) end)]),
    io:format("info ~p~n", [ets:info(T, keypos)]),
    O = ets:new(k, [ordered_set, {keypos, 3}]),
    ets:insert(O, [{a, b, 3}, {c, d, 1}, {e, f, 2}]),
    io:format("~p~n", [ets:tab2list(O)]).

info() ->
    io:format("== info~n"),
    T = ets:new(inf, [bag, public, {keypos, 2}]),
    ets:insert(T, [{a, 1}, {b, 1}]),
    Items = [name, size, type, keypos, protection, named_table, heir, compressed, node,
             read_concurrency, write_concurrency],
    io:format("~p~n", [[{I, ets:info(T, I)} || I <- Items]]),
    io:format("owner ~p~n", [ets:info(T, owner) =:= self()]),
    io:format("id ~p~n", [ets:info(T, id) =:= T]),
    io:format("memory ~p~n", [is_integer(ets:info(T, memory))]),
    L = ets:info(T),
    io:format("info/1 keys ~p~n", [[K || {K, _} <- L]]),
    io:format("bad item ~p~n", [t(fun() -> ets:info(T, nonsense) end)]),
    N = ets:new(named_one, [named_table, ordered_set, private]),
    io:format("named ~p ~p ~p~n", [N, ets:info(named_one, named_table), ets:info(named_one, protection)]),
    io:format("whereis ~p ~p~n", [is_reference(ets:whereis(named_one)), ets:whereis(no_such_table)]),
    io:format("same ~p~n", [ets:info(ets:whereis(named_one), name)]),
    io:format("in all ~p ~p~n", [lists:member(named_one, ets:all()), lists:member(T, ets:all())]),
    io:format("no table ~p ~p~n", [ets:info(no_such_table), ets:info(no_such_table, size)]),
    io:format("options ~p~n", [[ets:info(ets:new(x, O), type) || O <- [[], [bag, set], [set, bag], [duplicate_bag, compressed]]]]),
    ets:delete(named_one).

errors() ->
    io:format("== errors~n"),
    T = ets:new(e, []),
    Missing = ets:new(m, []),
    ets:delete(Missing),
    Calls = [
        fun() -> ets:new(id("x"), []) end,
        fun() -> ets:new(x, id(notalist)) end,
        fun() -> ets:new(x, [id(bogus)]) end,
        fun() -> ets:new(x, [{keypos, id(0)}]) end,
        fun() -> ets:new(x, [{heir, id(notapid), data}]) end,
        fun() -> ets:new(x, [{write_concurrency, id(maybe)}]) end,
        fun() -> ets:new(x, [{read_concurrency, id(1)}]) end,
        fun() -> ets:insert(T, id(notatuple)) end,
        fun() -> ets:insert(T, id({})) end,
        fun() -> ets:insert(T, id([{a} | b])) end,
        fun() -> ets:insert(T, id([{a}, 1])) end,
        fun() -> ets:insert(Missing, {a}) end,
        fun() -> ets:lookup(Missing, a) end,
        fun() -> ets:lookup(id(123), a) end,
        fun() -> ets:lookup(id(no_such_table), a) end,
        fun() -> ets:lookup(make_ref(), a) end,
        fun() -> ets:member(Missing, a) end,
        fun() -> ets:delete(Missing) end,
        fun() -> ets:delete(Missing, a) end,
        fun() -> ets:delete_object(T, id(a)) end,
        fun() -> ets:take(Missing, a) end,
        fun() -> ets:insert_new(T, id(x)) end,
        fun() -> ets:info(id(123)) end,
        fun() -> ets:info(make_ref()) end,
        fun() -> ets:info(T, id(123)) end,
        fun() -> ets:whereis(id("x")) end,
        fun() -> ets:new(dup_name, [named_table]), ets:new(dup_name, [named_table]) end,
        fun() -> ets:tab2list(Missing) end,
        fun() -> ets:delete_all_objects(Missing) end
    ],
    [io:format("~p~n", [t(F)]) || F <- Calls],
    io:format("missing info ~p ~p~n", [ets:info(Missing), ets:info(Missing, size)]),
    io:format("empty insert ~p~n", [ets:insert(T, [])]),
    io:format("size ~p~n", [ets:info(T, size)]).
