%% The sets module, written for Beryl (OTP 25's API, results and error
%% behaviour).
%%
%% Two representations, as in OTP 25. Version 1 (the default) is a linear
%% hash table like dict's: a record with a tuple of segments of 16
%% buckets, each bucket a list of elements, slots chosen by erlang:phash/2;
%% it shows when a set is printed, so it grows, shrinks and orders its
%% buckets exactly as OTP's does. Version 2 is a map from each element to
%% [] (sets:new([{version, 2}])).
-module(sets).

-export([new/0, new/1, is_set/1, size/1, is_empty/1, to_list/1, from_list/1, from_list/2]).
-export([is_element/2, add_element/2, del_element/2]).
-export([union/2, union/1, intersection/2, intersection/1, is_disjoint/2]).
-export([subtract/2, is_subset/2, fold/3, filter/2]).

-compile({no_auto_import, [size/1]}).

-define(SEG, 16).
-define(EXPAND, 5).
-define(CONTRACT, 3).

-record(set, {size = 0,
              n = ?SEG,             % active slots
              maxn = ?SEG,          % slots before the segments must double
              bso = ?SEG div 2,     % offset of a slot's buddy
              exp_size = ?SEG * ?EXPAND,
              con_size = ?SEG * ?CONTRACT,
              empty,                % an empty segment, shared
              segs}).

new() ->
    E = erlang:make_tuple(?SEG, []),
    #set{empty = E, segs = {E}}.

new([{version, 2}]) -> #{};
new(Opts) ->
    case proplists:get_value(version, Opts, 1) of
        1 -> new();
        2 -> #{}
    end.

from_list(L) -> lists:foldl(fun(E, S) -> add_element(E, S) end, new(), L).

from_list(L, [{version, 2}]) -> maps:from_keys(L, []);
from_list(L, Opts) ->
    case proplists:get_value(version, Opts, 1) of
        1 -> from_list(L);
        2 -> maps:from_keys(L, [])
    end.

is_set(#{}) -> true;
is_set(#set{}) -> true;
is_set(_) -> false.

size(#{} = S) -> map_size(S);
size(#set{size = N}) -> N.

is_empty(#{} = S) -> map_size(S) =:= 0;
is_empty(#set{size = N}) -> N =:= 0.

to_list(#{} = S) -> maps:keys(S);
to_list(#set{} = S) -> fold(fun(E, L) -> [E | L] end, [], S).

is_element(E, #{} = S) -> is_map_key(E, S);
is_element(E, #set{} = S) -> lists:member(E, bucket(S, slot(S, E))).

%% A new element goes first in its bucket.
add_element(E, #{} = S) -> S#{E => []};
add_element(E, #set{} = S) ->
    Slot = slot(S, E),
    B = bucket(S, Slot),
    case lists:member(E, B) of
        true -> S;
        false -> grow(put_bucket(S, Slot, [E | B]))
    end.

del_element(E, #{} = S) -> maps:remove(E, S);
del_element(E, #set{} = S) ->
    Slot = slot(S, E),
    B = bucket(S, Slot),
    case lists:member(E, B) of
        true -> shrink(put_bucket(S, Slot, lists:delete(E, B)), 1);
        false -> S
    end.

%% The smaller set is added to the larger one.
union(#{} = S1, #{} = S2) -> maps:merge(S1, S2);
union(S1, S2) ->
    case size(S1) < size(S2) of
        true -> fold(fun add_element/2, S2, S1);
        false -> fold(fun add_element/2, S1, S2)
    end.

union([S1, S2 | Ss]) -> union_all(union(S1, S2), Ss);
union([S]) -> S;
union([]) -> new().

union_all(S, [S1 | Ss]) -> union_all(union(S, S1), Ss);
union_all(S, []) -> S.

%% The smaller set is filtered by membership in the larger one.
intersection(#{} = S1, #{} = S2) when map_size(S1) < map_size(S2) -> keep_in(S1, S2);
intersection(#{} = S1, #{} = S2) -> keep_in(S2, S1);
intersection(S1, S2) ->
    case size(S1) < size(S2) of
        true -> filter(fun(E) -> is_element(E, S2) end, S1);
        false -> filter(fun(E) -> is_element(E, S1) end, S2)
    end.

keep_in(Small, Big) -> maps:from_keys([K || K <- maps:keys(Small), is_map_key(K, Big)], []).

intersection([S1, S2 | Ss]) -> intersection_all(intersection(S1, S2), Ss);
intersection([S]) -> S.

intersection_all(S, [S1 | Ss]) -> intersection_all(intersection(S, S1), Ss);
intersection_all(S, []) -> S.

is_disjoint(#{} = S1, #{} = S2) when map_size(S1) < map_size(S2) -> none_in(maps:keys(S1), S2);
is_disjoint(#{} = S1, #{} = S2) -> none_in(maps:keys(S2), S1);
is_disjoint(S1, S2) ->
    {Small, Big} =
        case size(S1) < size(S2) of
            true -> {S1, S2};
            false -> {S2, S1}
        end,
    fold(fun(_, false) -> false;
            (E, true) -> not is_element(E, Big)
         end, true, Small).

none_in([K | Ks], M) -> not is_map_key(K, M) andalso none_in(Ks, M);
none_in([], _) -> true.

subtract(#{} = S1, #{} = S2) ->
    maps:from_keys([K || K <- maps:keys(S1), not is_map_key(K, S2)], []);
subtract(S1, S2) -> filter(fun(E) -> not is_element(E, S2) end, S1).

is_subset(#{} = S1, #{} = S2) ->
    map_size(S1) =< map_size(S2) andalso all_in(maps:keys(S1), S2);
is_subset(S1, S2) -> fold(fun(E, Sub) -> Sub andalso is_element(E, S2) end, true, S1).

all_in([K | Ks], M) -> is_map_key(K, M) andalso all_in(Ks, M);
all_in([], _) -> true.

fold(F, Acc, #{} = S) when is_function(F, 2) -> fold_iter(F, Acc, maps:next(maps:iterator(S)));
fold(F, Acc, #set{segs = Segs}) when is_function(F, 2) ->
    fold_segs(F, Acc, Segs, tuple_size(Segs)).

fold_iter(F, Acc, {K, _, I}) -> fold_iter(F, F(K, Acc), maps:next(I));
fold_iter(_, Acc, none) -> Acc.

fold_segs(F, Acc, Segs, I) when I >= 1 ->
    Seg = element(I, Segs),
    fold_segs(F, fold_seg(F, Acc, Seg, tuple_size(Seg)), Segs, I - 1);
fold_segs(_, Acc, _, _) -> Acc.

fold_seg(F, Acc, Seg, I) when I >= 1 ->
    fold_seg(F, lists:foldl(F, Acc, element(I, Seg)), Seg, I - 1);
fold_seg(_, Acc, _, _) -> Acc.

filter(F, #{} = S) when is_function(F, 1) ->
    maps:from_keys(filter_iter(F, maps:next(maps:iterator(S))), []);
filter(F, #set{segs = Segs} = S) when is_function(F, 1) ->
    {Segs1, Dropped} = filter_segs(F, tuple_to_list(Segs), [], 0),
    shrink(S#set{segs = list_to_tuple(Segs1)}, Dropped).

filter_iter(F, {K, _, I}) ->
    case F(K) of
        true -> [K | filter_iter(F, maps:next(I))];
        false -> filter_iter(F, maps:next(I))
    end;
filter_iter(_, none) -> [].

filter_segs(F, [Seg | Segs], Acc, N0) ->
    {Bkts, N1} = filter_bkts(F, tuple_to_list(Seg), [], N0),
    filter_segs(F, Segs, [list_to_tuple(Bkts) | Acc], N1);
filter_segs(_, [], Acc, N) -> {lists:reverse(Acc), N}.

filter_bkts(F, [B | Bs], Acc, N0) ->
    {B1, N1} = filter_bkt(F, B, [], N0),
    filter_bkts(F, Bs, [B1 | Acc], N1);
filter_bkts(_, [], Acc, N) -> {lists:reverse(Acc), N}.

%% A filtered bucket comes out reversed, as OTP's does.
filter_bkt(F, [E | B], Acc, N) ->
    case F(E) of
        true -> filter_bkt(F, B, [E | Acc], N);
        false -> filter_bkt(F, B, Acc, N + 1)
    end;
filter_bkt(_, [], Acc, N) -> {Acc, N}.

%% ------------------------------------------------------------ the table

%% Slots above n have not been split off yet: their elements still live
%% in the buddy slot, bso below.
slot(S, E) ->
    H = erlang:phash(E, S#set.maxn),
    if
        H > S#set.n -> H - S#set.bso;
        true -> H
    end.

bucket(S, Slot) -> get_bkt(S#set.segs, Slot).

put_bucket(S, Slot, B) -> S#set{segs = put_bkt(S#set.segs, Slot, B)}.

get_bkt(Segs, Slot) ->
    element((Slot - 1) rem ?SEG + 1, element((Slot - 1) div ?SEG + 1, Segs)).

put_bkt(Segs, Slot, B) ->
    I = (Slot - 1) div ?SEG + 1,
    setelement(I, Segs, setelement((Slot - 1) rem ?SEG + 1, element(I, Segs), B)).

%% One more slot once the load passes 5 per slot: the buddy bucket is
%% split by rehashing its elements.
grow(S0) when S0#set.size + 1 > S0#set.exp_size ->
    S = double_segs(S0),
    N = S#set.n + 1,
    Lo = N - S#set.bso,
    {B1, B2} = split_bkt(get_bkt(S#set.segs, Lo), Lo, N, S#set.maxn),
    S#set{size = S#set.size + 1, n = N,
          exp_size = N * ?EXPAND, con_size = N * ?CONTRACT,
          segs = put_bkt(put_bkt(S#set.segs, Lo, B1), N, B2)};
grow(S) -> S#set{size = S#set.size + 1}.

double_segs(#set{n = N, maxn = N, segs = Segs, empty = E} = S) ->
    S#set{maxn = 2 * N, bso = 2 * S#set.bso,
          segs = list_to_tuple(tuple_to_list(Segs) ++ lists:duplicate(tuple_size(Segs), E))};
double_segs(S) -> S.

split_bkt([E | B], Lo, Hi, MaxN) ->
    {L1, L2} = split_bkt(B, Lo, Hi, MaxN),
    case erlang:phash(E, MaxN) of
        Lo -> {[E | L1], L2};
        Hi -> {L1, [E | L2]}
    end;
split_bkt([], _, _, _) -> {[], []}.

%% One slot less once the load falls under 3 per slot: the last bucket is
%% appended to its buddy.
shrink(S, Removed) when S#set.size - Removed < S#set.con_size, S#set.n > ?SEG ->
    N = S#set.n,
    Lo = N - S#set.bso,
    Segs0 = S#set.segs,
    Segs = put_bkt(put_bkt(Segs0, Lo, get_bkt(Segs0, Lo) ++ get_bkt(Segs0, N)), N, []),
    N1 = N - 1,
    halve_segs(S#set{size = S#set.size - Removed, n = N1,
                     exp_size = N1 * ?EXPAND, con_size = N1 * ?CONTRACT,
                     segs = Segs});
shrink(S, Removed) -> S#set{size = S#set.size - Removed}.

halve_segs(#set{n = N, bso = N, segs = Segs} = S) ->
    S#set{maxn = S#set.maxn div 2, bso = N div 2,
          segs = list_to_tuple(lists:sublist(tuple_to_list(Segs), tuple_size(Segs) div 2))};
halve_segs(S) -> S.
