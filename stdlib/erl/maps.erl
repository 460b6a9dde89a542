%% The maps module, written for Beryl (OTP 25's API and error behaviour).
%% The functions that are BIFs in OTP are native here too; their
%% definitions below only make them appear in module_info(exports).
%%
%% Iterators are OTP's: maps:iterator(M) is [0 | M], and maps:next/1
%% asks erts_internal:map_next/3 for the next batch, a chain
%% {K1, V1, {K2, V2, ... none}} in the map's order.
-module(maps).

-export([get/2, get/3, find/2, from_list/1, from_keys/2, is_key/2, keys/1,
         merge/2, new/0, put/3, remove/2, size/1, take/2, to_list/1,
         update/3, values/1]).
-export([filter/2, filtermap/2, fold/3, foreach/2, map/2, update_with/3,
         update_with/4, without/2, with/2, iterator/1, next/1, intersect/2,
         intersect_with/3, merge_with/3, groups_from_list/2,
         groups_from_list/3]).

%% ------------------------------------------------------------ natives

get(Key, Map) -> maps:get(Key, Map).
get(Key, Map, Default) -> maps:get(Key, Map, Default).
find(Key, Map) -> maps:find(Key, Map).
from_list(List) -> maps:from_list(List).
from_keys(Keys, Value) -> maps:from_keys(Keys, Value).
is_key(Key, Map) -> maps:is_key(Key, Map).
keys(Map) -> maps:keys(Map).
merge(Map1, Map2) -> maps:merge(Map1, Map2).
new() -> maps:new().
put(Key, Value, Map) -> maps:put(Key, Value, Map).
remove(Key, Map) -> maps:remove(Key, Map).
size(Map) -> maps:size(Map).
take(Key, Map) -> maps:take(Key, Map).
to_list(Map) -> maps:to_list(Map).
update(Key, Value, Map) -> maps:update(Key, Value, Map).
values(Map) -> maps:values(Map).

%% ------------------------------------------------------------ iterators

iterator(M) when is_map(M) -> [0 | M];
iterator(M) -> erlang:error({badmap, M}, [M]).

next({K, V, I}) -> {K, V, I};
next([Path | Map]) when is_integer(Path), is_map(Map) ->
    erts_internal:map_next(Path, Map, iterator);
next(none) -> none;
next(Iter) -> erlang:error(badarg, [Iter]).

%% A map or an iterator; only the first step is guarded, so a bad
%% argument is reported as {badmap, X} while errors of Fun go through.
start(MapOrIter) when is_map(MapOrIter) -> next(iterator(MapOrIter));
start(Iter) -> next(Iter).

fold(Fun, Init, MapOrIter) when is_function(Fun, 3) ->
    try start(MapOrIter) of
        Next -> fold_1(Fun, Init, Next)
    catch
        error:_ -> erlang:error({badmap, MapOrIter}, [Fun, Init, MapOrIter])
    end;
fold(Fun, Init, Map) ->
    erlang:error(badarg, [Fun, Init, Map]).

fold_1(Fun, Acc, {K, V, I}) -> fold_1(Fun, Fun(K, V, Acc), next(I));
fold_1(_, Acc, none) -> Acc.

map(Fun, MapOrIter) when is_function(Fun, 2) ->
    try start(MapOrIter) of
        Next -> maps:from_list(map_1(Fun, Next))
    catch
        error:_ -> erlang:error({badmap, MapOrIter}, [Fun, MapOrIter])
    end;
map(Fun, Map) ->
    erlang:error(badarg, [Fun, Map]).

map_1(Fun, {K, V, I}) -> [{K, Fun(K, V)} | map_1(Fun, next(I))];
map_1(_, none) -> [].

filter(Pred, MapOrIter) when is_function(Pred, 2) ->
    try start(MapOrIter) of
        Next -> maps:from_list(filter_1(Pred, Next))
    catch
        error:_ -> erlang:error({badmap, MapOrIter}, [Pred, MapOrIter])
    end;
filter(Pred, Map) ->
    erlang:error(badarg, [Pred, Map]).

filter_1(Pred, {K, V, I}) ->
    case Pred(K, V) of
        true -> [{K, V} | filter_1(Pred, next(I))];
        false -> filter_1(Pred, next(I))
    end;
filter_1(_, none) -> [].

filtermap(Fun, MapOrIter) when is_function(Fun, 2) ->
    try start(MapOrIter) of
        Next -> maps:from_list(filtermap_1(Fun, Next))
    catch
        error:_ -> erlang:error({badmap, MapOrIter}, [Fun, MapOrIter])
    end;
filtermap(Fun, Map) ->
    erlang:error(badarg, [Fun, Map]).

filtermap_1(Fun, {K, V, I}) ->
    case Fun(K, V) of
        true -> [{K, V} | filtermap_1(Fun, next(I))];
        {true, NewV} -> [{K, NewV} | filtermap_1(Fun, next(I))];
        false -> filtermap_1(Fun, next(I))
    end;
filtermap_1(_, none) -> [].

foreach(Fun, MapOrIter) when is_function(Fun, 2) ->
    try start(MapOrIter) of
        Next -> foreach_1(Fun, Next)
    catch
        error:_ -> erlang:error({badmap, MapOrIter}, [Fun, MapOrIter])
    end;
foreach(Fun, Map) ->
    erlang:error(badarg, [Fun, Map]).

foreach_1(Fun, {K, V, I}) ->
    Fun(K, V),
    foreach_1(Fun, next(I));
foreach_1(_, none) -> ok.

%% ------------------------------------------------------------ updates

update_with(Key, Fun, Map) when is_function(Fun, 1), is_map(Map) ->
    case Map of
        #{Key := Value} -> Map#{Key := Fun(Value)};
        #{} -> erlang:error({badkey, Key}, [Key, Fun, Map])
    end;
update_with(Key, Fun, Map) ->
    erlang:error(error_type(Map), [Key, Fun, Map]).

update_with(Key, Fun, Init, Map) when is_function(Fun, 1), is_map(Map) ->
    case Map of
        #{Key := Value} -> Map#{Key := Fun(Value)};
        #{} -> Map#{Key => Init}
    end;
update_with(Key, Fun, Init, Map) ->
    erlang:error(error_type(Map), [Key, Fun, Init, Map]).

without(Ks, M) when is_list(Ks), is_map(M) ->
    lists:foldl(fun maps:remove/2, M, Ks);
without(Ks, M) ->
    erlang:error(error_type(M), [Ks, M]).

with(Ks, M) when is_list(Ks), is_map(M) ->
    maps:from_list(with_1(Ks, M));
with(Ks, M) ->
    erlang:error(error_type(M), [Ks, M]).

with_1([K | Ks], M) ->
    case M of
        #{K := V} -> [{K, V} | with_1(Ks, M)];
        #{} -> with_1(Ks, M)
    end;
with_1([], _) -> [].

%% ------------------------------------------------------------ two maps

%% The smaller map is iterated (the first one when sizes are equal), and
%% the combiner sees the values in argument order.
intersect(M1, M2) when is_map(M1), is_map(M2) ->
    case map_size(M1) =< map_size(M2) of
        true -> intersect_1(fun(_, _, V2) -> V2 end, M1, M2);
        false -> intersect_1(fun(_, V1, _) -> V1 end, M2, M1)
    end;
intersect(M1, M2) ->
    erlang:error(error_type_two_maps(M1, M2), [M1, M2]).

intersect_with(Combiner, M1, M2) when is_map(M1), is_map(M2), is_function(Combiner, 3) ->
    case map_size(M1) =< map_size(M2) of
        true -> intersect_1(Combiner, M1, M2);
        false -> intersect_1(fun(K, V1, V2) -> Combiner(K, V2, V1) end, M2, M1)
    end;
intersect_with(Combiner, M1, M2) ->
    erlang:error(error_type_merge_intersect(M1, M2, Combiner), [Combiner, M1, M2]).

intersect_1(Combiner, Small, Big) ->
    intersect_2(next(iterator(Small)), [], Big, Combiner).

intersect_2({K, V1, I}, Keep, Big, Combiner) ->
    Next = next(I),
    case Big of
        #{K := V2} -> intersect_2(Next, [{K, Combiner(K, V1, V2)} | Keep], Big, Combiner);
        _ -> intersect_2(Next, Keep, Big, Combiner)
    end;
intersect_2(none, Keep, _, _) ->
    maps:from_list(Keep).

%% The smaller map is iterated and folded into the larger one.
merge_with(Combiner, M1, M2) when is_map(M1), is_map(M2), is_function(Combiner, 3) ->
    case map_size(M1) > map_size(M2) of
        true ->
            merge_with_1(next(iterator(M2)), M1, Combiner);
        false ->
            merge_with_1(next(iterator(M1)), M2, fun(K, V1, V2) -> Combiner(K, V2, V1) end)
    end;
merge_with(Combiner, M1, M2) ->
    erlang:error(error_type_merge_intersect(M1, M2, Combiner), [Combiner, M1, M2]).

merge_with_1({K, V2, I}, Acc, Combiner) ->
    case Acc of
        #{K := V1} -> merge_with_1(next(I), Acc#{K := Combiner(K, V1, V2)}, Combiner);
        #{} -> merge_with_1(next(I), maps:put(K, V2, Acc), Combiner)
    end;
merge_with_1(none, Acc, _) ->
    Acc.

%% ------------------------------------------------------------ groups

%% The list is walked from its end, so each group keeps the list order.
groups_from_list(Fun, List0) when is_function(Fun, 1) ->
    try lists:reverse(List0) of
        List -> groups_1(Fun, List, #{})
    catch
        error:_ -> erlang:error(badarg, [Fun, List0])
    end;
groups_from_list(Fun, List) ->
    erlang:error(badarg, [Fun, List]).

groups_1(Fun, [H | T], Acc) ->
    K = Fun(H),
    groups_1(Fun, T, case Acc of
                         #{K := Vs} -> Acc#{K := [H | Vs]};
                         #{} -> Acc#{K => [H]}
                     end);
groups_1(_, [], Acc) ->
    Acc.

groups_from_list(Fun, ValueFun, List0) when is_function(Fun, 1), is_function(ValueFun, 1) ->
    try lists:reverse(List0) of
        List -> groups_2(Fun, ValueFun, List, #{})
    catch
        error:_ -> erlang:error(badarg, [Fun, ValueFun, List0])
    end;
groups_from_list(Fun, ValueFun, List) ->
    erlang:error(badarg, [Fun, ValueFun, List]).

groups_2(Fun, ValueFun, [H | T], Acc) ->
    K = Fun(H),
    V = ValueFun(H),
    groups_2(Fun, ValueFun, T, case Acc of
                                   #{K := Vs} -> Acc#{K := [V | Vs]};
                                   #{} -> Acc#{K => [V]}
                               end);
groups_2(_, _, [], Acc) ->
    Acc.

%% ------------------------------------------------------------ errors

error_type(M) when is_map(M) -> badarg;
error_type(V) -> {badmap, V}.

error_type_two_maps(M1, M2) when is_map(M1) -> {badmap, M2};
error_type_two_maps(M1, _) -> {badmap, M1}.

error_type_merge_intersect(M1, M2, Combiner) when is_function(Combiner, 3) ->
    error_type_two_maps(M1, M2);
error_type_merge_intersect(_, _, _) ->
    badarg.
