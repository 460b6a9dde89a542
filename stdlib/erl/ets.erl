%% The parts of ets written in Erlang, for Beryl. The table operations are
%% BIFs (vm/src/bif/ets.rs); here are the folds and the loop that runs
%% whole-table walks (select, select_count, select_delete, select_replace,
%% match, match_object, match_delete, tab2list) a chunk at a time, so that
%% a walk over a big table yields to other processes between chunks.
-module(ets).
-export([foldl/3, foldr/3, '$walk'/1, '$walk_true'/1]).

%% Continue a walk the BIF started: ets:'$chunk'/1 does one chunk.
'$walk'(State) ->
    case ets:'$chunk'(State) of
        {more, S} -> '$walk'(S);
        {done, Result} -> Result
    end.

'$walk_true'(State) ->
    _ = '$walk'(State),
    true.

foldl(F, Accu, T) when is_function(F, 2) ->
    fold(F, Accu, T, select);
foldl(F, Accu, T) ->
    erlang:error(badarg, [F, Accu, T]).

foldr(F, Accu, T) when is_function(F, 2) ->
    fold(F, Accu, T, select_reverse);
foldr(F, Accu, T) ->
    erlang:error(badarg, [F, Accu, T]).

fold(F, Accu, T, How) ->
    MS = [{'_', [], ['$_']}],
    fold_chunk(F, Accu, ets:How(T, MS, 100)).

fold_chunk(_F, Accu, '$end_of_table') ->
    Accu;
fold_chunk(F, Accu, {Objs, Cont}) ->
    Accu1 = lists:foldl(F, Accu, Objs),
    fold_chunk(F, Accu1, ets:select(Cont)).
