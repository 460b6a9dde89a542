%% The proplists module, written for Beryl (OTP 25's API and results).
%%
%% A property is an atom A (short for {A, true}) or a tuple whose first
%% element is the key. Keys are matched exactly (=:=).
-module(proplists).

-export([property/1, property/2, unfold/1, compact/1, lookup/2,
         lookup_all/2, is_defined/2, get_value/2, get_value/3,
         get_all_values/2, append_values/2, get_bool/2, get_keys/1,
         delete/2, substitute_aliases/2, substitute_negations/2,
         expand/2, normalize/2, split/2, from_map/1, to_map/1, to_map/2]).

%% get_keys/1 reproduces the hash table of OTP's sets, built on phash/2.
-compile({nowarn_deprecated_function, [{erlang, phash, 2}]}).

property({Key, true}) when is_atom(Key) -> Key;
property(Property) -> Property.

property(Key, true) when is_atom(Key) -> Key;
property(Key, Value) -> {Key, Value}.

unfold([P | Ps]) when is_atom(P) -> [{P, true} | unfold(Ps)];
unfold([P | Ps]) -> [P | unfold(Ps)];
unfold([]) -> [].

compact(ListIn) -> [property(P) || P <- ListIn].

lookup(Key, [P | Ps]) ->
    if
        is_atom(P), P =:= Key -> {Key, true};
        tuple_size(P) >= 1, element(1, P) =:= Key -> P;
        true -> lookup(Key, Ps)
    end;
lookup(_, []) -> none.

lookup_all(Key, [P | Ps]) ->
    if
        is_atom(P), P =:= Key -> [{Key, true} | lookup_all(Key, Ps)];
        tuple_size(P) >= 1, element(1, P) =:= Key -> [P | lookup_all(Key, Ps)];
        true -> lookup_all(Key, Ps)
    end;
lookup_all(_, []) -> [].

is_defined(Key, [P | Ps]) ->
    if
        is_atom(P), P =:= Key -> true;
        tuple_size(P) >= 1, element(1, P) =:= Key -> true;
        true -> is_defined(Key, Ps)
    end;
is_defined(_, []) -> false.

get_value(Key, List) -> get_value(Key, List, undefined).

%% The first property with the key decides, even when it is not a pair.
get_value(Key, [P | Ps], Default) ->
    if
        is_atom(P), P =:= Key -> true;
        tuple_size(P) >= 1, element(1, P) =:= Key ->
            case P of
                {_, Value} -> Value;
                _ -> Default
            end;
        true -> get_value(Key, Ps, Default)
    end;
get_value(_, [], Default) -> Default.

get_all_values(Key, [P | Ps]) ->
    if
        is_atom(P), P =:= Key -> [true | get_all_values(Key, Ps)];
        tuple_size(P) >= 1, element(1, P) =:= Key ->
            case P of
                {_, Value} -> [Value | get_all_values(Key, Ps)];
                _ -> get_all_values(Key, Ps)
            end;
        true -> get_all_values(Key, Ps)
    end;
get_all_values(_, []) -> [].

append_values(Key, [P | Ps]) ->
    if
        is_atom(P), P =:= Key -> [true | append_values(Key, Ps)];
        tuple_size(P) >= 1, element(1, P) =:= Key ->
            case P of
                {_, Value} when is_list(Value) -> Value ++ append_values(Key, Ps);
                {_, Value} -> [Value | append_values(Key, Ps)];
                _ -> append_values(Key, Ps)
            end;
        true -> append_values(Key, Ps)
    end;
append_values(_, []) -> [].

get_bool(Key, [P | Ps]) ->
    if
        is_atom(P), P =:= Key -> true;
        tuple_size(P) >= 1, element(1, P) =:= Key ->
            case P of
                {_, true} -> true;
                _ -> false
            end;
        true -> get_bool(Key, Ps)
    end;
get_bool(_, []) -> false.

delete(Key, [P | Ps]) ->
    if
        is_atom(P), P =:= Key -> delete(Key, Ps);
        tuple_size(P) >= 1, element(1, P) =:= Key -> delete(Key, Ps);
        true -> [P | delete(Key, Ps)]
    end;
delete(_, []) -> [].

%% ------------------------------------------------------------ get_keys/1
%%
%% OTP collects the keys in a `sets` (version 1) hash set and returns
%% sets:to_list/1 of it, so the order of the keys is that table's order.
%% This is the same linear-hashing table, reduced to what get_keys needs:
%% {Size, N (active slots), MaxN, Bso (buddy offset), ExpandAt, Buckets}.

get_keys(Ps) -> keyset_to_list(get_keys(Ps, {0, 16, 16, 8, 80, #{}})).

get_keys([P | Ps], Keys) ->
    if
        is_atom(P) -> get_keys(Ps, keyset_add(P, Keys));
        tuple_size(P) >= 1 -> get_keys(Ps, keyset_add(element(1, P), Keys));
        true -> get_keys(Ps, Keys)
    end;
get_keys([], Keys) -> Keys.

keyset_slot(E, N, MaxN, Bso) ->
    case erlang:phash(E, MaxN) of
        H when H > N -> H - Bso;
        H -> H
    end.

keyset_add(E, {Size, N, MaxN, Bso, ExpAt, Bkts} = S) ->
    Slot = keyset_slot(E, N, MaxN, Bso),
    Bkt = maps:get(Slot, Bkts, []),
    case lists:member(E, Bkt) of
        true -> S;
        false -> keyset_expand({Size, N, MaxN, Bso, ExpAt, Bkts#{Slot => [E | Bkt]}})
    end.

%% Past the load limit one more slot is opened by splitting its buddy.
keyset_expand({Size, N, MaxN, Bso, ExpAt, Bkts}) when Size + 1 > ExpAt ->
    {MaxN1, Bso1} = if N =:= MaxN -> {2 * MaxN, 2 * Bso}; true -> {MaxN, Bso} end,
    N1 = N + 1,
    Slot1 = N1 - Bso1,
    {B1, B2} = keyset_rehash(maps:get(Slot1, Bkts, []), Slot1, N1, MaxN1),
    {Size + 1, N1, MaxN1, Bso1, N1 * 5, Bkts#{Slot1 => B1, N1 => B2}};
keyset_expand({Size, N, MaxN, Bso, ExpAt, Bkts}) ->
    {Size + 1, N, MaxN, Bso, ExpAt, Bkts}.

keyset_rehash([E | T], Slot1, Slot2, MaxN) ->
    {L1, L2} = keyset_rehash(T, Slot1, Slot2, MaxN),
    case erlang:phash(E, MaxN) of
        Slot1 -> {[E | L1], L2};
        Slot2 -> {L1, [E | L2]}
    end;
keyset_rehash([], _, _, _) -> {[], []}.

%% sets:to_list/1 conses while folding the slots from the last, each
%% bucket front to back: slots come out in order, buckets reversed.
keyset_to_list({_, N, _, _, _, Bkts}) ->
    lists:append([lists:reverse(maps:get(I, Bkts, [])) || I <- lists:seq(1, N)]).

%% ------------------------------------------------------------ rewriting

substitute_aliases(As, Props) -> [substitute_aliases_1(As, P) || P <- Props].

substitute_aliases_1([{Key, Key1} | As], P) ->
    if
        is_atom(P), P =:= Key -> property(Key1, true);
        tuple_size(P) >= 1, element(1, P) =:= Key -> property(setelement(1, P, Key1));
        true -> substitute_aliases_1(As, P)
    end;
substitute_aliases_1([], P) -> P.

substitute_negations(As, Props) -> [substitute_negations_1(As, P) || P <- Props].

%% A tuple that is not {K, true} or {K, false} counts as false.
substitute_negations_1([{Key, Key1} | As], P) ->
    if
        is_atom(P), P =:= Key -> property(Key1, false);
        tuple_size(P) >= 1, element(1, P) =:= Key ->
            case P of
                {_, true} -> property(Key1, false);
                {_, false} -> property(Key1, true);
                _ -> property(Key1, true)
            end;
        true -> substitute_negations_1(As, P)
    end;
substitute_negations_1([], P) -> P.

%% Each expansion replaces the first property matching its key, when it
%% is equal to the expansion's property, and deletes the later ones.
expand(Es, Ps) when is_list(Ps) ->
    Es1 = [{property(P), V} || {P, V} <- Es],
    flatten(expand_0(key_uniq(Es1), Ps)).

expand_0([{P, L} | Es], Ps) -> expand_0(Es, expand_1(P, L, Ps));
expand_0([], Ps) -> Ps.

expand_1(P, L, Ps) ->
    if
        is_atom(P) -> expand_2(P, P, L, Ps);
        tuple_size(P) >= 1 -> expand_2(element(1, P), P, L, Ps);
        true -> Ps
    end.

expand_2(Key, P1, L, [P | Ps]) ->
    if
        is_atom(P), P =:= Key -> expand_3(Key, P1, P, L, Ps);
        tuple_size(P) >= 1, element(1, P) =:= Key -> expand_3(Key, P1, property(P), L, Ps);
        true -> [P | expand_2(Key, P1, L, Ps)]
    end;
expand_2(_, _, _, []) -> [].

expand_3(Key, P1, P, L, Ps) ->
    if
        P1 =:= P -> [L | delete(Key, Ps)];
        true -> [P | Ps]
    end.

%% Drops expansions whose key repeats the previous one's.
key_uniq([{K, V} | Ps]) -> [{K, V} | key_uniq_1(K, Ps)];
key_uniq([]) -> [].

key_uniq_1(K, [{K1, V} | Ps]) ->
    if
        K =:= K1 -> key_uniq_1(K, Ps);
        true -> [{K1, V} | key_uniq_1(K1, Ps)]
    end;
key_uniq_1(_, []) -> [].

%% One level only: the expansions inserted by expand/2.
flatten([E | Es]) when is_list(E) -> E ++ flatten(Es);
flatten([E | Es]) -> [E | flatten(Es)];
flatten([]) -> [].

normalize(L, Stages) -> compact(apply_stages(L, Stages)).

apply_stages(L, [{aliases, As} | Xs]) -> apply_stages(substitute_aliases(As, L), Xs);
apply_stages(L, [{expand, Es} | Xs]) -> apply_stages(expand(Es, L), Xs);
apply_stages(L, [{negations, Ns} | Xs]) -> apply_stages(substitute_negations(Ns, L), Xs);
apply_stages(L, []) -> L.

split(List, Keys) ->
    {Store, Rest} = split(List, maps:from_list([{K, []} || K <- Keys]), []),
    {[lists:reverse(map_get(K, Store)) || K <- Keys], lists:reverse(Rest)}.

split([P | Ps], Store, Rest) ->
    if
        is_atom(P) ->
            case is_map_key(P, Store) of
                true -> split(Ps, prepend(P, P, Store), Rest);
                false -> split(Ps, Store, [P | Rest])
            end;
        tuple_size(P) >= 1 ->
            Key = element(1, P),
            case is_map_key(Key, Store) of
                true -> split(Ps, prepend(Key, P, Store), Rest);
                false -> split(Ps, Store, [P | Rest])
            end;
        true -> split(Ps, Store, [P | Rest])
    end;
split([], Store, Rest) -> {Store, Rest}.

prepend(Key, Val, Store) -> Store#{Key := [Val | map_get(Key, Store)]}.

%% Folded from the end, so the first occurrence of a key wins.
to_map(List) ->
    lists:foldr(fun({K, V}, M) -> M#{K => V};
                   (T, M) when 1 =< tuple_size(T) -> maps:remove(element(1, T), M);
                   (K, M) when is_atom(K) -> M#{K => true};
                   (_, M) -> M
                end, #{}, List).

to_map(List, Stages) -> to_map(apply_stages(List, Stages)).

from_map(Map) -> maps:to_list(Map).
