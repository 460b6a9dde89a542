%% The gb_trees module: every exported function, the tree shapes (they
%% show when a tree is printed) through inserts that trigger rebalancing,
%% deletes and balance/1, keys that are equal but distinct (gb_trees
%% compares keys with ==, so 1 and 1.0 are the same key), and error cases.
-module(stdlib_gb_trees).
-export([main/1]).

-include("lib/show.hrl").

id(X) -> X.

main(_) ->
    basics(),
    shapes(),
    iterators(),
    ok.

basics() ->
    E = gb_trees:empty(),
    T = lists:foldl(fun({K, V}, A) -> gb_trees:insert(K, V, A) end, E,
                    [{5, five}, {2, two}, {8, eight}, {1, one}, {9, nine}, {c, cee}]),
    ?T(E),
    ?T(T),
    io:format("~p~n", [T]),
    ?T(gb_trees:is_empty(E)),
    ?T(gb_trees:is_empty(T)),
    ?T(gb_trees:is_empty(id(x))),
    ?T(gb_trees:size(T)),
    ?T(gb_trees:size(id(x))),
    ?T(gb_trees:lookup(2, T)),
    ?T(gb_trees:lookup(2.0, T)),
    ?T(gb_trees:lookup(3, T)),
    ?T(gb_trees:lookup(3, id(x))),
    ?T(gb_trees:get(8, T)),
    ?T(gb_trees:get(8.0, T)),
    ?T(gb_trees:get(3, T)),
    ?T(gb_trees:get(3, E)),
    ?T(gb_trees:is_defined(c, T)),
    ?T(gb_trees:is_defined(d, T)),
    ?T(gb_trees:is_defined(d, id(x))),
    ?T(gb_trees:insert(5, again, T)),
    ?T(gb_trees:insert(5.0, again, T)),
    ?T(gb_trees:insert(6, six, T)),
    ?T(gb_trees:insert(6, six, id(x))),
    ?T(gb_trees:insert(6, six, id({x, nil}))),
    ?T(gb_trees:update(5, new, T)),
    ?T(gb_trees:update(5.0, new, T)),
    ?T(gb_trees:update(7, new, T)),
    ?T(gb_trees:enter(5, new, T)),
    ?T(gb_trees:enter(7, new, T)),
    ?T(gb_trees:enter(7, new, E)),
    ?T(gb_trees:delete(5, T)),
    ?T(gb_trees:delete(1, T)),
    ?T(gb_trees:delete(9.0, T)),
    ?T(gb_trees:delete(7, T)),
    ?T(gb_trees:delete(7, id(x))),
    ?T(gb_trees:delete_any(5, T)),
    ?T(gb_trees:delete_any(7, T)),
    ?T(gb_trees:take(5, T)),
    ?T(gb_trees:take(c, T)),
    ?T(gb_trees:take(7, T)),
    ?T(gb_trees:take_any(8, T)),
    ?T(gb_trees:take_any(7, T)),
    ?T(gb_trees:keys(T)),
    ?T(gb_trees:keys(E)),
    ?T(gb_trees:keys(id(x))),
    ?T(gb_trees:values(T)),
    ?T(gb_trees:to_list(T)),
    ?T(gb_trees:to_list(E)),
    ?T(gb_trees:to_list(id(x))),
    ?T(gb_trees:smallest(T)),
    ?T(gb_trees:largest(T)),
    ?T(gb_trees:smallest(E)),
    ?T(gb_trees:largest(E)),
    ?T(gb_trees:take_smallest(T)),
    ?T(gb_trees:take_largest(T)),
    ?T(gb_trees:take_smallest(E)),
    ?T(gb_trees:take_largest(E)),
    ?T(gb_trees:take_largest(id(x))),
    ?T(gb_trees:map(fun(K, V) -> {K, V} end, T)),
    ?T(gb_trees:map(fun(K, V) -> {K, V} end, E)),
    ?T(gb_trees:map(id(x), T)),
    ?T(gb_trees:map(fun(V) -> V end, T)),
    ?T(gb_trees:balance(T)),
    ?T(gb_trees:balance(E)),
    ?T(gb_trees:from_orddict([{1, a}, {2, b}, {3, c}, {4, d}, {5, e}, {6, f}])),
    ?T(gb_trees:from_orddict([])),
    ?T(gb_trees:from_orddict(id(x))),
    ?T(gb_trees:from_orddict(id([{1, a} | b]))),
    ?T(gb_trees:from_orddict(id([{1, a}, b]))).

shapes() ->
    %% Ascending inserts keep triggering rebuilds.
    Up = lists:foldl(fun(K, A) -> gb_trees:insert(K, K * 10, A) end, gb_trees:empty(),
                     lists:seq(1, 20)),
    ?T(Up),
    Down = lists:foldl(fun(K, A) -> gb_trees:enter(K, -K, A) end, gb_trees:empty(),
                       lists:seq(30, 1, -1)),
    ?T(Down),
    Mixed = lists:foldl(fun(K, A) -> gb_trees:enter(K * 7919 rem 101, K, A) end,
                        gb_trees:empty(), lists:seq(1, 60)),
    ?T(Mixed),
    ?T(gb_trees:balance(Mixed)),
    Deleted = lists:foldl(fun gb_trees:delete_any/2, Up, [1, 4, 10, 11, 12, 19, 99]),
    ?T(Deleted),
    ?T(gb_trees:balance(Deleted)),
    Big = lists:foldl(fun(K, A) -> gb_trees:insert(K, [], A) end, gb_trees:empty(),
                      lists:seq(1, 1000)),
    ?T(gb_trees:size(Big)),
    ?T(depth(element(2, Big))),
    ?T(depth(element(2, gb_trees:balance(Big)))),
    ?T(lists:sum(gb_trees:keys(Big))),
    ?T(gb_trees:smallest(Big)),
    ?T(gb_trees:largest(Big)),
    ?T(gb_trees:get(512, Big)),
    F = gb_trees:from_orddict([{K, K} || K <- lists:seq(1, 100)]),
    ?T(gb_trees:take(50, F) =:= {50, gb_trees:delete(50, F)}).

depth(nil) -> 0;
depth({_, _, S, B}) -> 1 + max(depth(S), depth(B)).

iterators() ->
    T = gb_trees:from_orddict([{K, K * K} || K <- lists:seq(1, 10)]),
    I = gb_trees:iterator(T),
    ?T(I),
    ?T(walk(I)),
    ?T(walk(gb_trees:iterator(gb_trees:empty()))),
    ?T(walk(gb_trees:iterator_from(4, T))),
    ?T(walk(gb_trees:iterator_from(4.5, T))),
    ?T(walk(gb_trees:iterator_from(0, T))),
    ?T(walk(gb_trees:iterator_from(11, T))),
    ?T(gb_trees:iterator_from(7, T)),
    ?T(gb_trees:next([])),
    ?T(gb_trees:next(id(x))),
    ?T(gb_trees:iterator(id(x))),
    ?T(gb_trees:iterator_from(1, id(x))).

walk(I) ->
    case gb_trees:next(I) of
        none -> [];
        {K, V, I1} -> [{K, V} | walk(I1)]
    end.
