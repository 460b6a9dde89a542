%% The sets module: every exported function on both representations (the
%% version 1 hash table, the default, whose shape shows when a set is
%% printed, and the version 2 map), mixed arguments, elements that are
%% equal but distinct (1 and 1.0 are two elements), and error cases.
-module(stdlib_sets).
-export([main/1]).

-define(T(E), show(??E, fun() -> E end)).

id(X) -> X.

show(Text, F) ->
    R = try F() catch C:Reason -> {C, clean(Reason)} end,
    io:format("~s => ~w~n", [Text, R]).

clean({badarity, _}) -> badarity;
clean({badfun, _}) -> badfun;
clean(R) -> R.

main(_) ->
    v1(),
    v2(),
    algebra(),
    growth(),
    ok.

v1() ->
    S = sets:from_list([b, a, 1, c, 1.0, b, "str"]),
    ?T(S),
    io:format("~p~n", [S]),
    ?T(sets:new()),
    io:format("~p~n", [sets:new()]),
    ?T(sets:new([])),
    ?T(sets:new([{version, 1}])),
    ?T(sets:new([{other, x}, {version, 2}])),
    ?T(sets:new([{version, 3}])),
    ?T(sets:new(id(x))),
    ?T(sets:from_list([])),
    ?T(sets:from_list(id([a | b]))),
    ?T(sets:from_list(id(x))),
    ?T(sets:from_list([a, b], [{version, 1}])),
    ?T(sets:from_list([a, b], [])),
    ?T(sets:from_list([a, b], [{version, 3}])),
    ?T(sets:is_set(S)),
    ?T(sets:is_set(#{})),
    ?T(sets:is_set({set, a})),
    ?T(sets:is_set([])),
    ?T(sets:size(S)),
    ?T(sets:size(id(x))),
    ?T(sets:is_empty(S)),
    ?T(sets:is_empty(sets:new())),
    ?T(sets:is_empty(id(x))),
    ?T(sets:to_list(S)),
    ?T(sets:to_list(id(x))),
    ?T(sets:is_element(1.0, S)),
    ?T(sets:is_element(2, S)),
    ?T(sets:is_element(a, id(x))),
    ?T(sets:add_element(a, S)),
    ?T(sets:add_element(d, S)),
    ?T(sets:add_element(d, id(x))),
    ?T(sets:del_element(a, S)),
    ?T(sets:del_element(1, S)),
    ?T(sets:del_element(z, S)),
    ?T(sets:del_element(z, id(x))),
    ?T(sets:fold(fun(E, A) -> [E | A] end, [], S)),
    ?T(sets:fold(fun(E, A) -> [E | A] end, [], sets:new())),
    ?T(sets:fold(id(x), [], S)),
    ?T(sets:fold(fun(E, A) -> [E | A] end, [], id(x))),
    ?T(sets:filter(fun is_atom/1, S)),
    ?T(sets:filter(fun(_) -> maybe end, S)),
    ?T(sets:filter(id(x), S)),
    ?T(sets:filter(fun is_atom/1, id(x))),
    dict_order().

%% Elements visit order: bucket by bucket, newest first in a bucket.
dict_order() ->
    S = sets:from_list(lists:seq(1, 100)),
    ?T(sets:to_list(S)),
    ?T(sets:to_list(sets:filter(fun(E) -> E rem 3 =:= 0 end, S))),
    ?T(sets:filter(fun(E) -> E rem 3 =:= 0 end, S)).

v2() ->
    S = sets:from_list([b, a, 1, c, 1.0, b, "str"], [{version, 2}]),
    ?T(S),
    ?T(sets:new([{version, 2}])),
    ?T(sets:from_list([a, b], [{version, 2}, {x, y}])),
    ?T(sets:is_set(S)),
    ?T(sets:size(S)),
    ?T(sets:is_empty(S)),
    ?T(sets:is_empty(sets:new([{version, 2}]))),
    ?T(sets:to_list(S)),
    ?T(sets:is_element(1.0, S)),
    ?T(sets:is_element(2, S)),
    ?T(sets:add_element(a, S)),
    ?T(sets:add_element(d, S)),
    ?T(sets:del_element(a, S)),
    ?T(sets:del_element(z, S)),
    ?T(lists:sort(sets:fold(fun(E, A) -> [E | A] end, [], S))),
    ?T(sets:fold(id(x), [], S)),
    ?T(sets:filter(fun is_atom/1, S)),
    ?T(sets:filter(fun(_) -> maybe end, S)),
    ?T(sets:filter(id(x), S)).

algebra() ->
    A1 = sets:from_list([1, 2, 3, 4, x]),
    B1 = sets:from_list([3, 4, 5, 6, 4.0]),
    C1 = sets:from_list([x]),
    E1 = sets:new(),
    A2 = sets:from_list([1, 2, 3, 4, x], [{version, 2}]),
    B2 = sets:from_list([3, 4, 5, 6, 4.0], [{version, 2}]),
    C2 = sets:from_list([x], [{version, 2}]),
    E2 = sets:new([{version, 2}]),
    ?T(sets:union(A1, B1)),
    ?T(sets:union(B1, A1)),
    ?T(sets:union(A2, B2)),
    ?T(sets:union(A1, B2)),
    ?T(sets:union(A2, B1)),
    ?T(sets:union(A1, id(x))),
    ?T(sets:union([A1, B1, C1])),
    ?T(sets:union([A2, B2, C2])),
    ?T(sets:union([A1])),
    ?T(sets:union([])),
    ?T(sets:union(id(x))),
    ?T(sets:intersection(A1, B1)),
    ?T(sets:intersection(B1, A1)),
    ?T(sets:intersection(A2, B2)),
    ?T(sets:intersection(B2, A2)),
    ?T(sets:intersection(A1, B2)),
    ?T(sets:intersection(A2, E1)),
    ?T(sets:intersection(A1, id(x))),
    ?T(sets:intersection([A1, B1, C1])),
    ?T(sets:intersection([A2, B2])),
    ?T(sets:intersection([A2])),
    ?T(sets:intersection(id([]))),
    ?T(sets:is_disjoint(A1, B1)),
    ?T(sets:is_disjoint(B1, C1)),
    ?T(sets:is_disjoint(A2, B2)),
    ?T(sets:is_disjoint(B2, C2)),
    ?T(sets:is_disjoint(C2, B2)),
    ?T(sets:is_disjoint(A1, C2)),
    ?T(sets:is_disjoint(E1, E2)),
    ?T(sets:is_disjoint(A1, id(x))),
    ?T(sets:subtract(A1, B1)),
    ?T(sets:subtract(B1, A1)),
    ?T(sets:subtract(A2, B2)),
    ?T(sets:subtract(A2, E2)),
    ?T(sets:subtract(A1, B2)),
    ?T(sets:subtract(A2, B1)),
    ?T(sets:subtract(A1, id(x))),
    ?T(sets:is_subset(C1, A1)),
    ?T(sets:is_subset(A1, C1)),
    ?T(sets:is_subset(E1, A1)),
    ?T(sets:is_subset(C2, A2)),
    ?T(sets:is_subset(A2, C2)),
    ?T(sets:is_subset(C2, A1)),
    ?T(sets:is_subset(C1, A2)),
    ?T(sets:is_subset(B2, B1)),
    ?T(sets:is_subset(A1, id(x))).

growth() ->
    Big = sets:from_list(lists:seq(1, 300)),
    ?T(sets:size(Big)),
    io:format("~w~n", [element(2, Big) + element(3, Big) * 1000]),
    Small = lists:foldl(fun sets:del_element/2, Big, lists:seq(1, 280)),
    ?T(Small),
    Filtered = sets:filter(fun(E) -> E rem 25 =:= 0 end, Big),
    ?T(Filtered),
    Odd = sets:from_list(lists:seq(1, 300, 2)),
    ?T(sets:size(sets:union(Big, Odd))),
    ?T(sets:size(sets:intersection(Big, Odd))),
    ?T(sets:size(sets:subtract(Big, Odd))),
    ?T(sets:is_subset(Odd, Big)),
    ?T(sets:is_disjoint(Odd, sets:from_list(lists:seq(2, 300, 2)))),
    Odd2 = sets:from_list(lists:seq(1, 30, 2), [{version, 2}]),
    Big2 = sets:from_list(lists:seq(1, 30), [{version, 2}]),
    ?T(sets:subtract(Big2, Odd2)),
    ?T(sets:intersection(Big2, Odd2)),
    ?T(sets:is_subset(Odd2, Big2)),
    ?T(sets:is_disjoint(Odd2, Big2)),
    ?T(lists:sort(sets:to_list(sets:union(Odd2, Big)))).
