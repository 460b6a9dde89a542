%% The dict module, written for Beryl (OTP 25's API, results and error
%% behaviour).
%%
%% A dict is a linear hash table (Litwin): a record holding a tuple of
%% segments, each a tuple of 16 buckets, each bucket a list of [Key|Value]
%% cells. The record shows when a dict is printed, so slots are chosen with
%% erlang:phash/2 and the table grows and shrinks one bucket at a time
%% exactly as OTP's does; bucket order is OTP's too (new keys go last).
-module(dict).

-export([new/0, is_key/2, to_list/1, from_list/1, size/1, is_empty/1]).
-export([fetch/2, find/2, fetch_keys/1, erase/2, take/2]).
-export([store/3, append/3, append_list/3, update/3, update/4, update_counter/3]).
-export([fold/3, map/2, filter/2, merge/3]).

-define(SEG, 16).
-define(EXPAND, 5).
-define(CONTRACT, 3).

-record(dict, {size = 0,
               n = ?SEG,             % active slots
               maxn = ?SEG,          % slots before the segments must double
               bso = ?SEG div 2,     % offset of a slot's buddy
               exp_size = ?SEG * ?EXPAND,
               con_size = ?SEG * ?CONTRACT,
               empty,                % an empty segment, shared
               segs}).

new() ->
    E = empty_seg(),
    #dict{empty = E, segs = {E}}.

empty_seg() -> erlang:make_tuple(?SEG, []).

is_key(Key, D) -> key_in(Key, bucket(D, slot(D, Key))).

key_in(K, [[K | _] | _]) -> true;
key_in(K, [_ | B]) -> key_in(K, B);
key_in(_, []) -> false.

to_list(D) -> fold(fun(K, V, Acc) -> [{K, V} | Acc] end, [], D).

from_list(L) -> lists:foldl(fun({K, V}, D) -> store(K, V, D) end, new(), L).

size(#dict{size = N}) when is_integer(N), N >= 0 -> N.

is_empty(#dict{size = N}) -> N =:= 0.

fetch(Key, D) ->
    case lookup(Key, bucket(D, slot(D, Key))) of
        {ok, V} -> V;
        error -> erlang:error(badarg, [Key, D])
    end.

find(Key, D) -> lookup(Key, bucket(D, slot(D, Key))).

lookup(K, [[K | V] | _]) -> {ok, V};
lookup(K, [_ | B]) -> lookup(K, B);
lookup(_, []) -> error.

fetch_keys(D) -> fold(fun(K, _, Acc) -> [K | Acc] end, [], D).

erase(Key, D0) ->
    {D1, Removed} = on_bucket(fun(B) -> erase_key(Key, B) end, D0, slot(D0, Key)),
    shrink(D1, Removed).

erase_key(K, [[K | _] | B]) -> {B, 1};
erase_key(K, [C | B0]) ->
    {B1, R} = erase_key(K, B0),
    {[C | B1], R};
erase_key(_, []) -> {[], 0}.

take(Key, D0) ->
    case on_bucket(fun(B) -> take_key(Key, B) end, D0, slot(D0, Key)) of
        {D1, {V, R}} -> {V, shrink(D1, R)};
        {_, error} -> error
    end.

take_key(K, [[K | V] | B]) -> {B, {V, 1}};
take_key(K, [C | B0]) ->
    {B1, R} = take_key(K, B0),
    {[C | B1], R};
take_key(_, []) -> {[], error}.

%% The bucket operations below share one walk: Hit(OldValue) gives the new
%% value of an existing key, Miss() the value of a key not yet there.
store(Key, Val, D) ->
    change(Key, fun(_) -> Val end, fun() -> Val end, D).

append(Key, Val, D) ->
    change(Key, fun(Bag) -> Bag ++ [Val] end, fun() -> [Val] end, D).

append_list(Key, L, D) ->
    change(Key, fun(Bag) -> Bag ++ L end, fun() -> L end, D).

update(Key, F, Init, D) ->
    change(Key, F, fun() when is_function(F, 1) -> Init end, D).

update_counter(Key, Incr, D) when is_number(Incr) ->
    change(Key, fun(V) -> V + Incr end, fun() -> Incr end, D).

change(Key, Hit, Miss, D0) ->
    {D1, Added} = on_bucket(fun(B) -> change_bkt(Key, Hit, Miss, B) end, D0, slot(D0, Key)),
    grow(D1, Added).

change_bkt(K, Hit, _, [[K | V] | B]) -> {[[K | Hit(V)] | B], 0};
change_bkt(K, Hit, Miss, [C | B0]) ->
    {B1, A} = change_bkt(K, Hit, Miss, B0),
    {[C | B1], A};
change_bkt(K, _, Miss, []) -> {[[K | Miss()]], 1}.

update(Key, F, D0) ->
    try on_bucket(fun(B) -> update_bkt(Key, F, B) end, D0, slot(D0, Key)) of
        {D1, _} -> D1
    catch
        throw:badarg -> erlang:error(badarg, [Key, F, D0])
    end.

update_bkt(K, F, [[K | V] | B]) -> {[[K | F(V)] | B], ok};
update_bkt(K, F, [C | B0]) ->
    {B1, R} = update_bkt(K, F, B0),
    {[C | B1], R};
update_bkt(_, _, []) -> throw(badarg).

fold(F, Acc, #dict{size = 0}) when is_function(F, 3) -> Acc;
fold(F, Acc, D) ->
    Segs = D#dict.segs,
    fold_segs(F, Acc, Segs, tuple_size(Segs)).

%% Segments and buckets are folded from the last, so that to_list/1,
%% which conses, lists them from the first.
fold_segs(F, Acc, Segs, I) when I >= 1 ->
    Seg = element(I, Segs),
    fold_segs(F, fold_seg(F, Acc, Seg, tuple_size(Seg)), Segs, I - 1);
fold_segs(F, Acc, _, 0) when is_function(F, 3) -> Acc.

fold_seg(F, Acc, Seg, I) when I >= 1 ->
    fold_seg(F, fold_bkt(F, Acc, element(I, Seg)), Seg, I - 1);
fold_seg(F, Acc, _, 0) when is_function(F, 3) -> Acc.

fold_bkt(F, Acc, [[K | V] | B]) -> fold_bkt(F, F(K, V, Acc), B);
fold_bkt(F, Acc, []) when is_function(F, 3) -> Acc.

map(F, #dict{size = 0} = D) when is_function(F, 2) -> D;
map(F, D) ->
    D#dict{segs = list_to_tuple(map_segs(F, tuple_to_list(D#dict.segs)))}.

%% Buckets are mapped first to last (the order F sees the pairs in).
map_segs(F, [S | Ss]) ->
    S1 = list_to_tuple(map_bkts(F, tuple_to_list(S))),
    [S1 | map_segs(F, Ss)];
map_segs(F, []) when is_function(F, 2) -> [].

map_bkts(F, [B | Bs]) ->
    B1 = map_bkt(F, B),
    [B1 | map_bkts(F, Bs)];
map_bkts(F, []) when is_function(F, 2) -> [].

map_bkt(F, [[K | V] | B]) ->
    V1 = F(K, V),
    [[K | V1] | map_bkt(F, B)];
map_bkt(F, []) when is_function(F, 2) -> [].

filter(F, #dict{size = 0} = D) when is_function(F, 2) -> D;
filter(F, D) ->
    {Segs1, Dropped} = filter_segs(F, tuple_to_list(D#dict.segs), [], 0),
    shrink(D#dict{segs = list_to_tuple(Segs1)}, Dropped).

filter_segs(F, [Seg | Segs], Acc, N0) ->
    {Bkts, N1} = filter_bkts(F, tuple_to_list(Seg), [], N0),
    filter_segs(F, Segs, [list_to_tuple(Bkts) | Acc], N1);
filter_segs(F, [], Acc, N) when is_function(F, 2) -> {lists:reverse(Acc), N}.

filter_bkts(F, [B | Bs], Acc, N0) ->
    {B1, N1} = filter_bkt(F, B, [], N0),
    filter_bkts(F, Bs, [B1 | Acc], N1);
filter_bkts(F, [], Acc, N) when is_function(F, 2) -> {lists:reverse(Acc), N}.

filter_bkt(F, [[K | V] = C | B], Acc, N) ->
    case F(K, V) of
        true -> filter_bkt(F, B, [C | Acc], N);
        false -> filter_bkt(F, B, Acc, N + 1)
    end;
filter_bkt(F, [], Acc, N) when is_function(F, 2) -> {lists:reverse(Acc), N}.

%% The smaller dict is folded into the larger one.
merge(F, D1, D2) when D1#dict.size < D2#dict.size ->
    fold(fun(K, V1, D) -> update(K, fun(V2) -> F(K, V1, V2) end, V1, D) end, D2, D1);
merge(F, D1, D2) ->
    fold(fun(K, V2, D) -> update(K, fun(V1) -> F(K, V1, V2) end, V2, D) end, D1, D2).

%% ------------------------------------------------------------ the table

%% Slots above n have not been split off yet: their keys still live in
%% the buddy slot, bso below.
slot(D, Key) ->
    H = erlang:phash(Key, D#dict.maxn),
    if
        H > D#dict.n -> H - D#dict.bso;
        true -> H
    end.

bucket(D, Slot) -> get_bkt(D#dict.segs, Slot).

get_bkt(Segs, Slot) ->
    element((Slot - 1) rem ?SEG + 1, element((Slot - 1) div ?SEG + 1, Segs)).

put_bkt(Segs, Slot, B) ->
    I = (Slot - 1) div ?SEG + 1,
    setelement(I, Segs, setelement((Slot - 1) rem ?SEG + 1, element(I, Segs), B)).

on_bucket(F, D, Slot) ->
    Segs = D#dict.segs,
    {B, Res} = F(get_bkt(Segs, Slot)),
    {D#dict{segs = put_bkt(Segs, Slot, B)}, Res}.

%% One more slot once the load passes 5 per slot: the buddy bucket is
%% split by rehashing its keys.
grow(D, 0) -> grow_1(D, 0);
grow(D, 1) -> grow_1(D, 1).

grow_1(D0, Added) when D0#dict.size + Added > D0#dict.exp_size ->
    D = double_segs(D0),
    N = D#dict.n + 1,
    Lo = N - D#dict.bso,
    {B1, B2} = split_bkt(get_bkt(D#dict.segs, Lo), Lo, N, D#dict.maxn),
    D#dict{size = D#dict.size + Added, n = N,
           exp_size = N * ?EXPAND, con_size = N * ?CONTRACT,
           segs = put_bkt(put_bkt(D#dict.segs, Lo, B1), N, B2)};
grow_1(D, Added) -> D#dict{size = D#dict.size + Added}.

double_segs(#dict{n = N, maxn = N, segs = Segs, empty = E} = D) ->
    D#dict{maxn = 2 * N, bso = 2 * D#dict.bso,
           segs = list_to_tuple(tuple_to_list(Segs) ++ lists:duplicate(tuple_size(Segs), E))};
double_segs(D) -> D.

split_bkt([[K | _] = C | B], Lo, Hi, MaxN) ->
    {L1, L2} = split_bkt(B, Lo, Hi, MaxN),
    case erlang:phash(K, MaxN) of
        Lo -> {[C | L1], L2};
        Hi -> {L1, [C | L2]}
    end;
split_bkt([], _, _, _) -> {[], []}.

%% One slot less once the load falls under 3 per slot: the last bucket is
%% appended to its buddy.
shrink(D, Removed) when D#dict.size - Removed < D#dict.con_size, D#dict.n > ?SEG ->
    N = D#dict.n,
    Lo = N - D#dict.bso,
    Segs0 = D#dict.segs,
    Segs = put_bkt(put_bkt(Segs0, Lo, get_bkt(Segs0, Lo) ++ get_bkt(Segs0, N)), N, []),
    N1 = N - 1,
    halve_segs(D#dict{size = D#dict.size - Removed, n = N1,
                      exp_size = N1 * ?EXPAND, con_size = N1 * ?CONTRACT,
                      segs = Segs});
shrink(D, Removed) -> D#dict{size = D#dict.size - Removed}.

halve_segs(#dict{n = N, bso = N, segs = Segs} = D) ->
    D#dict{maxn = D#dict.maxn div 2, bso = N div 2,
           segs = list_to_tuple(lists:sublist(tuple_to_list(Segs), tuple_size(Segs) div 2))};
halve_segs(D) -> D.
