%% The gb_sets module: every exported function, the tree shapes (they show
%% when a set is printed) through inserts, deletes and the set operations
%% (which merge lists for sets of like sizes and walk the bigger tree when
%% one set is much bigger), elements that are equal but distinct (1 and
%% 1.0 are the same element), and error cases.
-module(stdlib_gb_sets).
-export([main/1]).

-include("lib/show.hrl").

id(X) -> X.

main(_) ->
    basics(),
    algebra(),
    iterators(),
    ok.

basics() ->
    E = gb_sets:empty(),
    S = gb_sets:from_list([5, 2, 8, 1, 9, c, 2.0]),
    ?T(E),
    ?T(gb_sets:new()),
    ?T(S),
    io:format("~p~n", [S]),
    ?T(gb_sets:singleton(x)),
    ?T(gb_sets:is_empty(E)),
    ?T(gb_sets:is_empty(S)),
    ?T(gb_sets:size(S)),
    ?T(gb_sets:size(id(x))),
    ?T(gb_sets:is_member(2, S)),
    ?T(gb_sets:is_member(8.0, S)),
    ?T(gb_sets:is_member(3, S)),
    ?T(gb_sets:is_element(c, S)),
    ?T(gb_sets:is_element(c, id(x))),
    ?T(gb_sets:is_set(S)),
    ?T(gb_sets:is_set(E)),
    ?T(gb_sets:is_set({1, nil})),
    ?T(gb_sets:is_set({-1, {a, nil, nil}})),
    ?T(gb_sets:is_set(x)),
    ?T(gb_sets:insert(3, S)),
    ?T(gb_sets:insert(5, S)),
    ?T(gb_sets:insert(5.0, S)),
    ?T(gb_sets:insert(3, id(x))),
    ?T(gb_sets:add(3, S)),
    ?T(gb_sets:add(5.0, S)),
    ?T(gb_sets:add_element(d, S)),
    ?T(gb_sets:delete(5, S)),
    ?T(gb_sets:delete(9.0, S)),
    ?T(gb_sets:delete(7, S)),
    ?T(gb_sets:delete_any(7, S)),
    ?T(gb_sets:delete_any(1, S)),
    ?T(gb_sets:del_element(c, S)),
    ?T(gb_sets:balance(S)),
    ?T(gb_sets:to_list(S)),
    ?T(gb_sets:to_list(E)),
    ?T(gb_sets:to_list(id(x))),
    ?T(gb_sets:from_list([])),
    ?T(gb_sets:from_list(id(x))),
    ?T(gb_sets:from_ordset([a, b, c, d])),
    ?T(gb_sets:from_ordset([])),
    ?T(gb_sets:from_ordset(id(x))),
    ?T(gb_sets:smallest(S)),
    ?T(gb_sets:largest(S)),
    ?T(gb_sets:smallest(E)),
    ?T(gb_sets:largest(E)),
    ?T(gb_sets:take_smallest(S)),
    ?T(gb_sets:take_largest(S)),
    ?T(gb_sets:take_smallest(E)),
    ?T(gb_sets:take_largest(E)),
    ?T(gb_sets:filter(fun is_integer/1, S)),
    ?T(gb_sets:filter(fun(_) -> maybe end, S)),
    ?T(gb_sets:filter(id(x), S)),
    ?T(gb_sets:filter(fun is_integer/1, id(x))),
    ?T(gb_sets:fold(fun(X, A) -> [X | A] end, [], S)),
    ?T(gb_sets:fold(fun(X, A) -> [X | A] end, [], E)),
    ?T(gb_sets:fold(id(x), [], S)),
    ?T(gb_sets:fold(fun(X, A) -> [X | A] end, [], id(x))),
    Up = lists:foldl(fun gb_sets:insert/2, E, lists:seq(1, 25)),
    ?T(Up),
    Mixed = lists:foldl(fun(K, A) -> gb_sets:add(K * 7919 rem 101, A) end, E, lists:seq(1, 50)),
    ?T(Mixed),
    ?T(lists:foldl(fun gb_sets:delete_any/2, Mixed, lists:seq(1, 50))).

algebra() ->
    A = gb_sets:from_list([1, 2, 3, 4, x]),
    B = gb_sets:from_list([3, 4.0, 5, 6]),
    C = gb_sets:from_list([x]),
    E = gb_sets:empty(),
    Big = gb_sets:from_list(lists:seq(1, 200)),
    Odd = gb_sets:from_list(lists:seq(1, 40, 2)),
    Few = gb_sets:from_list([3.0, 50, 250, 500]),
    Sets = [{a, A}, {b, B}, {c, C}, {e, E}, {big, Big}, {odd, Odd}, {few, Few}],
    [io:format("~w ~w ~w~n  union ~w~n  intersection ~w~n  difference ~w~n",
               [N1, N2, {gb_sets:is_subset(S1, S2), gb_sets:is_disjoint(S1, S2)},
                gb_sets:union(S1, S2), gb_sets:intersection(S1, S2),
                gb_sets:difference(S1, S2)])
     || {N1, S1} <- Sets, {N2, S2} <- Sets,
        gb_sets:size(S1) + gb_sets:size(S2) < 60 orelse N1 =:= few orelse N2 =:= few],
    ?T(gb_sets:size(gb_sets:union(Big, Odd))),
    ?T(gb_sets:to_list(gb_sets:intersection(Big, Odd))),
    ?T(gb_sets:size(gb_sets:difference(Big, Odd))),
    ?T(gb_sets:to_list(gb_sets:difference(Odd, Big))),
    ?T(gb_sets:is_subset(Odd, Big)),
    ?T(gb_sets:is_subset(Big, Odd)),
    ?T(gb_sets:is_disjoint(Odd, Big)),
    ?T(gb_sets:subtract(A, B)),
    ?T(gb_sets:union([A, B, C])),
    ?T(gb_sets:union([A])),
    ?T(gb_sets:union([])),
    ?T(gb_sets:intersection([A, B, C])),
    ?T(gb_sets:intersection([A, B])),
    ?T(gb_sets:intersection([A])),
    ?T(gb_sets:intersection(id([]))),
    ?T(gb_sets:union(A, id(x))),
    ?T(gb_sets:intersection(id(x), A)),
    ?T(gb_sets:difference(A, id(x))),
    ?T(gb_sets:is_subset(A, id(x))),
    ?T(gb_sets:is_disjoint(A, id(x))).

iterators() ->
    S = gb_sets:from_list(lists:seq(1, 10)),
    I = gb_sets:iterator(S),
    ?T(I),
    ?T(walk(I)),
    ?T(walk(gb_sets:iterator(gb_sets:empty()))),
    ?T(walk(gb_sets:iterator_from(4, S))),
    ?T(walk(gb_sets:iterator_from(4.5, S))),
    ?T(walk(gb_sets:iterator_from(0, S))),
    ?T(walk(gb_sets:iterator_from(11, S))),
    ?T(gb_sets:iterator_from(7, S)),
    ?T(gb_sets:next([])),
    ?T(gb_sets:next(id(x))),
    ?T(gb_sets:iterator(id(x))).

walk(I) ->
    case gb_sets:next(I) of
        none -> [];
        {X, I1} -> [X | walk(I1)]
    end.
