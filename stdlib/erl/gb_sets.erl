%% The gb_sets module, written for Beryl (OTP 25's API, results and error
%% behaviour).
%%
%% General balanced trees as in gb_trees: {Size, Node}, a node being
%% {Element, Smaller, Bigger} or nil. The shape shows when a set is
%% printed, so insertion rebalances exactly as OTP does, and the set
%% operations pick OTP's strategy: merging the two ordered lists into a
%% freshly balanced tree, or walking the smaller list against the bigger
%% tree when the bigger one is much bigger (N2 >= N1 * round(1.46 * ln N2)).
-module(gb_sets).

-export([empty/0, is_empty/1, size/1, singleton/1, is_member/2, insert/2, add/2,
         delete/2, delete_any/2, balance/1, union/2, union/1, intersection/2,
         intersection/1, is_disjoint/2, difference/2, is_subset/2, to_list/1,
         from_list/1, from_ordset/1, smallest/1, largest/1, take_smallest/1,
         take_largest/1, iterator/1, iterator_from/2, next/1, filter/2, fold/3,
         is_set/1]).
-export([new/0, is_element/2, add_element/2, del_element/2, subtract/2]).

empty() -> {0, nil}.

new() -> {0, nil}.

is_empty({0, nil}) -> true;
is_empty(_) -> false.

size({N, _}) -> N.

singleton(X) -> {1, {X, nil, nil}}.

is_element(X, S) -> is_member(X, S).

is_member(X, {_, T}) -> member(X, T).

member(X, {E, S, _}) when X < E -> member(X, S);
member(X, {E, _, B}) when X > E -> member(X, B);
member(_, {_, _, _}) -> true;
member(_, nil) -> false.

insert(X, {N, T}) ->
    N1 = N + 1,
    {N1, insert_1(X, T, N1 * N1)}.

%% As in gb_trees: the budget halves at each level, and a leaf reached
%% with the budget spent answers {Tree, 2^Height, Size} so that the
%% highest subtree that is too deep is rebuilt balanced.
insert_1(X, {E, S, B}, Budget) when X < E ->
    case insert_1(X, S, Budget bsr 1) of
        {S1, H1, N1} when is_integer(H1) -> too_deep({E, S1, B}, H1, N1, B);
        S1 -> {E, S1, B}
    end;
insert_1(X, {E, S, B}, Budget) when X > E ->
    case insert_1(X, B, Budget bsr 1) of
        {B1, H1, N1} when is_integer(H1) -> too_deep({E, S, B1}, H1, N1, S);
        B1 -> {E, S, B1}
    end;
insert_1(X, nil, 0) -> {{X, nil, nil}, 1, 1};
insert_1(X, nil, _) -> {X, nil, nil};
insert_1(X, _, _) -> erlang:error({key_exists, X}).

too_deep(T, H1, N1, Other) ->
    {H2, N2} = count(Other),
    H = max(H1, H2) bsl 1,
    N = N1 + N2 + 1,
    if
        H > N * N -> balance(T, N);
        true -> {T, H, N}
    end.

count({_, nil, nil}) -> {1, 1};
count({_, S, B}) ->
    {H1, N1} = count(S),
    {H2, N2} = count(B),
    {max(H1, H2) bsl 1, N1 + N2 + 1};
count(nil) -> {1, 0}.

balance({N, T}) -> {N, balance(T, N)}.

balance(T, N) -> from_ordered(to_list(T, []), N).

from_ordered(L, N) ->
    {T, _} = build(L, N),
    T.

%% A perfectly balanced tree of the first N elements, and the rest.
build(L, N) when N > 1 ->
    NB = (N - 1) div 2,
    {S, [X | L1]} = build(L, N - 1 - NB),
    {B, L2} = build(L1, NB),
    {{X, S, B}, L2};
build([X | L], 1) -> {{X, nil, nil}, L};
build(L, 0) -> {nil, L}.

%% The same tree from a list in descending order.
from_reversed(L, N) ->
    {T, _} = build_rev(L, N),
    T.

build_rev(L, N) when N > 1 ->
    NS = (N - 1) div 2,
    {B, [X | L1]} = build_rev(L, N - 1 - NS),
    {S, L2} = build_rev(L1, NS),
    {{X, S, B}, L2};
build_rev([X | L], 1) -> {{X, nil, nil}, L};
build_rev(L, 0) -> {nil, L}.

add_element(X, S) -> add(X, S).

add(X, S) ->
    case is_member(X, S) of
        true -> S;
        false -> insert(X, S)
    end.

from_list(L) -> from_ordset(ordsets:from_list(L)).

from_ordset(L) ->
    N = length(L),
    {N, from_ordered(L, N)}.

del_element(X, S) -> delete_any(X, S).

delete_any(X, S) ->
    case is_member(X, S) of
        true -> delete(X, S);
        false -> S
    end.

delete(X, {N, T}) -> {N - 1, delete_1(X, T)}.

delete_1(X, {E, S, B}) when X < E -> {E, delete_1(X, S), B};
delete_1(X, {E, S, B}) when X > E -> {E, S, delete_1(X, B)};
delete_1(_, {_, S, B}) -> join(S, B).

join(S, nil) -> S;
join(nil, B) -> B;
join(S, B) ->
    {X, B1} = take_smallest1(B),
    {X, S, B1}.

take_smallest({N, T}) ->
    {X, T1} = take_smallest1(T),
    {X, {N - 1, T1}}.

take_smallest1({X, nil, B}) -> {X, B};
take_smallest1({E, S, B}) ->
    {X, S1} = take_smallest1(S),
    {X, {E, S1, B}}.

smallest({_, T}) -> smallest_1(T).

smallest_1({X, nil, _}) -> X;
smallest_1({_, S, _}) -> smallest_1(S).

take_largest({N, T}) ->
    {X, T1} = take_largest1(T),
    {X, {N - 1, T1}}.

take_largest1({X, S, nil}) -> {X, S};
take_largest1({E, S, B}) ->
    {X, B1} = take_largest1(B),
    {X, {E, S, B1}}.

largest({_, T}) -> largest_1(T).

largest_1({X, _, nil}) -> X;
largest_1({_, _, B}) -> largest_1(B).

to_list({_, T}) -> to_list(T, []).

to_list({X, S, B}, L) -> to_list(S, [X | to_list(B, L)]);
to_list(nil, L) -> L.

iterator({_, T}) -> path(T, []).

path({_, nil, _} = T, As) -> [T | As];
path({_, S, _} = T, As) -> path(S, [T | As]);
path(nil, As) -> As.

iterator_from(X, {_, T}) -> path_from(X, T, []).

path_from(X, {E, _, B}, As) when E < X -> path_from(X, B, As);
path_from(_, {_, nil, _} = T, As) -> [T | As];
path_from(X, {_, S, _} = T, As) -> path_from(X, S, [T | As]);
path_from(_, nil, As) -> As.

next([{X, _, B} | As]) -> {X, path(B, As)};
next([]) -> none.

%% ------------------------------------------------------------ set algebra

%% Walk the list against the tree (true) or merge two lists (false)?
walk(_, N2) when N2 < 10 -> false;
walk(N1, N2) -> N2 >= N1 * round(1.46 * math:log(N2)).

union({N1, T1}, {N2, T2}) when N2 < N1 -> union(to_list(T2, []), N2, T1, N1);
union({N1, T1}, {N2, T2}) -> union(to_list(T1, []), N1, T2, N2).

union(L, N1, T2, N2) ->
    case walk(N1, N2) of
        true -> lists:foldl(fun add/2, {N2, T2}, L);
        false -> merge(L, to_list(T2, []), [], N1 + N2)
    end.

%% N counts the elements of the result: the sum of both sizes, less one
%% for each element in both. The lists trade places when the second one
%% has the smaller head, so an element in both is taken from whichever
%% list is first at that point.
merge([X | Xs], [Y | _] = Ys, Acc, N) when X < Y -> merge(Xs, Ys, [X | Acc], N);
merge([X | _] = Xs, [Y | Ys], Acc, N) when X > Y -> merge(Ys, Xs, [Y | Acc], N);
merge([X | Xs], [_ | Ys], Acc, N) -> merge(Xs, Ys, [X | Acc], N - 1);
merge([], Ys, Acc, N) -> {N, from_reversed(lists:reverse(Ys, Acc), N)};
merge(Xs, [], Acc, N) -> {N, from_reversed(lists:reverse(Xs, Acc), N)}.

union([S | Ss]) -> union_all(S, Ss);
union([]) -> empty().

union_all(S, [S1 | Ss]) -> union_all(union(S, S1), Ss);
union_all(S, []) -> S.

intersection({N1, T1}, {N2, T2}) when N2 < N1 -> intersection(to_list(T2, []), N2, T1, N1);
intersection({N1, T1}, {N2, T2}) -> intersection(to_list(T1, []), N1, T2, N2).

intersection(L, N1, T2, N2) ->
    case walk(N1, N2) of
        true -> keep(L, T2, [], 0);
        false -> common(L, to_list(T2, []), [], 0)
    end.

keep([X | Xs], T, Acc, N) ->
    case member(X, T) of
        true -> keep(Xs, T, [X | Acc], N + 1);
        false -> keep(Xs, T, Acc, N)
    end;
keep([], _, Acc, N) -> {N, from_reversed(Acc, N)}.

common([X | Xs], [Y | _] = Ys, Acc, N) when X < Y -> common(Xs, Ys, Acc, N);
common([X | _] = Xs, [Y | Ys], Acc, N) when X > Y -> common(Ys, Xs, Acc, N);
common([X | Xs], [_ | Ys], Acc, N) -> common(Xs, Ys, [X | Acc], N + 1);
common(_, _, Acc, N) -> {N, from_reversed(Acc, N)}.

intersection([S | Ss]) -> intersection_all(S, Ss).

intersection_all(S, [S1 | Ss]) -> intersection_all(intersection(S, S1), Ss);
intersection_all(S, []) -> S.

is_disjoint({N1, T1}, {N2, T2}) when N1 < N2 -> disjoint(T1, T2);
is_disjoint({_, T1}, {_, T2}) -> disjoint(T2, T1).

disjoint({X, S1, B1}, {Y, S2, _} = T2) when X < Y ->
    not member(X, S2) andalso disjoint(S1, S2) andalso disjoint(B1, T2);
disjoint({X, S1, B1}, {Y, _, B2} = T2) when X > Y ->
    not member(X, B2) andalso disjoint(B1, B2) andalso disjoint(S1, T2);
disjoint({_, _, _}, {_, _, _}) -> false;
disjoint(nil, _) -> true;
disjoint(_, nil) -> true.

subtract(S1, S2) -> difference(S1, S2).

difference({N1, T1}, {N2, T2}) ->
    L = to_list(T1, []),
    case walk(N1, N2) of
        true -> drop(L, T2, [], 0);
        false -> minus(L, to_list(T2, []), [], N1)
    end.

drop([X | Xs], T, Acc, N) ->
    case member(X, T) of
        true -> drop(Xs, T, Acc, N);
        false -> drop(Xs, T, [X | Acc], N + 1)
    end;
drop([], _, Acc, N) -> {N, from_reversed(Acc, N)}.

minus([X | Xs], [Y | _] = Ys, Acc, N) when X < Y -> minus(Xs, Ys, [X | Acc], N);
minus([X | _] = Xs, [Y | Ys], Acc, N) when X > Y -> minus(Xs, Ys, Acc, N);
minus([_ | Xs], [_ | Ys], Acc, N) -> minus(Xs, Ys, Acc, N - 1);
minus([], _, Acc, N) -> {N, from_reversed(Acc, N)};
minus(Xs, [], Acc, N) -> {N, from_reversed(lists:reverse(Xs, Acc), N)}.

is_subset({N1, T1}, {N2, T2}) ->
    L = to_list(T1, []),
    case walk(N1, N2) of
        true -> lists:all(fun(X) -> member(X, T2) end, L);
        false -> subset(L, to_list(T2, []))
    end.

subset([X | _], [Y | _]) when X < Y -> false;
subset([X | _] = Xs, [Y | Ys]) when X > Y -> subset(Xs, Ys);
subset([_ | Xs], [_ | Ys]) -> subset(Xs, Ys);
subset([], _) -> true;
subset(_, []) -> false.

is_set({0, nil}) -> true;
is_set({N, {_, _, _}}) when is_integer(N), N >= 0 -> true;
is_set(_) -> false.

filter(F, S) when is_function(F, 1) -> from_ordset([X || X <- to_list(S), F(X)]).

fold(F, Acc, {_, T}) when is_function(F, 2) -> fold_1(F, Acc, T).

fold_1(F, Acc, {X, S, B}) -> fold_1(F, F(X, fold_1(F, Acc, S)), B);
fold_1(_, Acc, _) -> Acc.
