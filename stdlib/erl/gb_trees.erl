%% The gb_trees module, written for Beryl (OTP 25's API, results and error
%% behaviour).
%%
%% General balanced trees (Arne Andersson): {Size, Node}, a node being
%% {Key, Value, Smaller, Bigger} or nil. Nothing is rebalanced on delete;
%% an insert that makes the tree too deep (height > size^2 along the path,
%% measured as 2^height) rebuilds the highest subtree that is too deep
%% into a perfectly balanced one. The shape shows when a tree is printed,
%% so the rules are exactly OTP's.
-module(gb_trees).

-export([empty/0, is_empty/1, size/1, lookup/2, get/2, insert/3, update/3, enter/3,
         delete/2, delete_any/2, balance/1, is_defined/2, keys/1, values/1,
         to_list/1, from_orddict/1, smallest/1, largest/1, take/2, take_any/2,
         take_smallest/1, take_largest/1, iterator/1, iterator_from/2, next/1, map/2]).

empty() -> {0, nil}.

is_empty({0, nil}) -> true;
is_empty(_) -> false.

size({N, _}) when is_integer(N), N >= 0 -> N.

lookup(Key, {_, T}) -> lookup_1(Key, T).

lookup_1(Key, {K, _, S, _}) when Key < K -> lookup_1(Key, S);
lookup_1(Key, {K, _, _, B}) when Key > K -> lookup_1(Key, B);
lookup_1(_, {_, V, _, _}) -> {value, V};
lookup_1(_, nil) -> none.

is_defined(Key, {_, T}) -> defined(Key, T).

defined(Key, {K, _, S, _}) when Key < K -> defined(Key, S);
defined(Key, {K, _, _, B}) when Key > K -> defined(Key, B);
defined(_, {_, _, _, _}) -> true;
defined(_, nil) -> false.

%% A missing key fails with function_clause, as in OTP.
get(Key, {_, T}) -> get_1(Key, T).

get_1(Key, {K, _, S, _}) when Key < K -> get_1(Key, S);
get_1(Key, {K, _, _, B}) when Key > K -> get_1(Key, B);
get_1(_, {_, V, _, _}) -> V.

%% The key given replaces the one in the tree (1.0 may replace 1).
update(Key, Val, {N, T}) -> {N, update_1(Key, Val, T)}.

update_1(Key, Val, {K, V, S, B}) when Key < K -> {K, V, update_1(Key, Val, S), B};
update_1(Key, Val, {K, V, S, B}) when Key > K -> {K, V, S, update_1(Key, Val, B)};
update_1(Key, Val, {_, _, S, B}) -> {Key, Val, S, B}.

insert(Key, Val, {N, T}) when is_integer(N) ->
    N1 = N + 1,
    {N1, insert_1(Key, Val, T, N1 * N1)}.

%% Budget halves at each level down; a leaf reached with the budget spent
%% answers {Tree, 2^Height, Size} so that the callers can find the subtree
%% to rebuild. A plain node means that no rebalancing is needed.
insert_1(Key, Val, {K, V, S, B}, Budget) when Key < K ->
    case insert_1(Key, Val, S, Budget bsr 1) of
        {S1, H1, N1} -> too_deep({K, V, S1, B}, H1, N1, B);
        S1 -> {K, V, S1, B}
    end;
insert_1(Key, Val, {K, V, S, B}, Budget) when Key > K ->
    case insert_1(Key, Val, B, Budget bsr 1) of
        {B1, H1, N1} -> too_deep({K, V, S, B1}, H1, N1, S);
        B1 -> {K, V, S, B1}
    end;
insert_1(Key, Val, nil, 0) -> {{Key, Val, nil, nil}, 1, 1};
insert_1(Key, Val, nil, _) -> {Key, Val, nil, nil};
insert_1(Key, _, _, _) -> erlang:error({key_exists, Key}).

too_deep(T, H1, N1, Other) ->
    {H2, N2} = count(Other),
    H = max(H1, H2) bsl 1,
    N = N1 + N2 + 1,
    if
        H > N * N -> balance(T, N);
        true -> {T, H, N}
    end.

count({_, _, nil, nil}) -> {1, 1};
count({_, _, S, B}) ->
    {H1, N1} = count(S),
    {H2, N2} = count(B),
    {max(H1, H2) bsl 1, N1 + N2 + 1};
count(nil) -> {1, 0}.

enter(Key, Val, T) ->
    case is_defined(Key, T) of
        true -> update(Key, Val, T);
        false -> insert(Key, Val, T)
    end.

balance({N, T}) -> {N, balance(T, N)}.

balance(T, N) -> from_pairs(to_list(T, []), N).

from_orddict(L) ->
    N = length(L),
    {N, from_pairs(L, N)}.

from_pairs(L, N) ->
    {T, []} = build(L, N),
    T.

%% A perfectly balanced tree of the first N pairs, and the rest; the
%% smaller half gets the extra pair when N - 1 is odd.
build(L, N) when N > 1 ->
    NB = (N - 1) div 2,
    {S, [{K, V} | L1]} = build(L, N - 1 - NB),
    {B, L2} = build(L1, NB),
    {{K, V, S, B}, L2};
build([{K, V} | L], 1) -> {{K, V, nil, nil}, L};
build(L, 0) -> {nil, L}.

delete_any(Key, T) ->
    case is_defined(Key, T) of
        true -> delete(Key, T);
        false -> T
    end.

delete(Key, {N, T}) when is_integer(N), N >= 0 -> {N - 1, delete_1(Key, T)}.

delete_1(Key, {K, V, S, B}) when Key < K -> {K, V, delete_1(Key, S), B};
delete_1(Key, {K, V, S, B}) when Key > K -> {K, V, S, delete_1(Key, B)};
delete_1(_, {_, _, S, B}) -> join(S, B).

%% The smallest of the bigger subtree takes the place of a deleted node.
join(S, nil) -> S;
join(nil, B) -> B;
join(S, B) ->
    {K, V, B1} = take_smallest1(B),
    {K, V, S, B1}.

take_any(Key, T) ->
    case is_defined(Key, T) of
        true -> take(Key, T);
        false -> error
    end.

take(Key, {N, T}) when is_integer(N), N >= 0 ->
    {V, T1} = take_1(Key, T),
    {V, {N - 1, T1}}.

take_1(Key, {K, V, S, B}) when Key < K ->
    {V1, S1} = take_1(Key, S),
    {V1, {K, V, S1, B}};
take_1(Key, {K, V, S, B}) when Key > K ->
    {V1, B1} = take_1(Key, B),
    {V1, {K, V, S, B1}};
take_1(_, {_, V, S, B}) -> {V, join(S, B)}.

take_smallest({N, T}) when is_integer(N), N >= 0 ->
    {K, V, T1} = take_smallest1(T),
    {K, V, {N - 1, T1}}.

take_smallest1({K, V, nil, B}) -> {K, V, B};
take_smallest1({K, V, S, B}) ->
    {K1, V1, S1} = take_smallest1(S),
    {K1, V1, {K, V, S1, B}}.

smallest({_, T}) -> smallest_1(T).

smallest_1({K, V, nil, _}) -> {K, V};
smallest_1({_, _, S, _}) -> smallest_1(S).

take_largest({N, T}) when is_integer(N), N >= 0 ->
    {K, V, T1} = take_largest1(T),
    {K, V, {N - 1, T1}}.

take_largest1({K, V, S, nil}) -> {K, V, S};
take_largest1({K, V, S, B}) ->
    {K1, V1, B1} = take_largest1(B),
    {K1, V1, {K, V, S, B1}}.

largest({_, T}) -> largest_1(T).

largest_1({K, V, _, nil}) -> {K, V};
largest_1({_, _, _, B}) -> largest_1(B).

to_list({_, T}) -> to_list(T, []).

to_list({K, V, S, B}, L) -> to_list(S, [{K, V} | to_list(B, L)]);
to_list(nil, L) -> L.

keys({_, T}) -> keys(T, []).

keys({K, _, S, B}, L) -> keys(S, [K | keys(B, L)]);
keys(nil, L) -> L.

values({_, T}) -> values(T, []).

values({_, V, S, B}, L) -> values(S, [V | values(B, L)]);
values(nil, L) -> L.

%% An iterator is the path of nodes still to visit, the next one first.
iterator({_, T}) -> path(T, []).

path({_, _, nil, _} = T, As) -> [T | As];
path({_, _, S, _} = T, As) -> path(S, [T | As]);
path(nil, As) -> As.

iterator_from(Key, {_, T}) -> path_from(Key, T, []).

path_from(Key, {K, _, _, B}, As) when K < Key -> path_from(Key, B, As);
path_from(_, {_, _, nil, _} = T, As) -> [T | As];
path_from(Key, {_, _, S, _} = T, As) -> path_from(Key, S, [T | As]);
path_from(_, nil, As) -> As.

next([{K, V, _, B} | As]) -> {K, V, path(B, As)};
next([]) -> none.

map(F, {N, T}) when is_function(F, 2) -> {N, map_1(F, T)}.

map_1(_, nil) -> nil;
map_1(F, {K, V, S, B}) ->
    V1 = F(K, V),
    S1 = map_1(F, S),
    {K, V1, S1, map_1(F, B)}.
