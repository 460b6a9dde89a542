-module(ets_select).
-export([main/1]).

%% Traversal and matching: first/next/last/prev, foldl/foldr, match,
%% match_object, select with guards and bodies, continuations,
%% select_count/delete/replace, match_delete.

t(F) -> try F() catch C:R -> {C, R} end.
srt(L) when is_list(L) -> lists:sort(L);
srt(X) -> X.

main(_) ->
    lists:foreach(fun walk/1, [set, ordered_set, bag, duplicate_bag]),
    ordered(),
    specs(),
    chunks(),
    replace(),
    ok.

fill(Type) ->
    T = ets:new(t, [Type]),
    ets:insert(T, [{I, I * I, if I rem 2 =:= 0 -> even; true -> odd end} || I <- lists:seq(1, 10)]),
    ets:insert(T, [{3, extra, odd}, {s, "string", [1, 2]}, {{t, 1}, <<"b">>, 1.5}]),
    T.

walk(Type) ->
    io:format("== ~p~n", [Type]),
    T = fill(Type),
    Keys = collect(T, ets:first(T), []),
    io:format("first/next ~p ~p~n", [length(Keys), lists:sort(Keys)]),
    io:format("next end ~p~n", [ets:next(T, hd(Keys))]),
    io:format("foldl ~p~n", [lists:sort(ets:foldl(fun(O, A) -> [element(1, O) | A] end, [], T))]),
    io:format("foldr ~p~n", [ets:foldr(fun(_, A) -> A + 1 end, 0, T)]),
    io:format("match ~p~n", [srt(ets:match(T, {'$1', '_', even}))]),
    io:format("match 2 vars ~p~n", [srt(ets:match(T, {'$2', '$1', odd}))]),
    io:format("match_object ~p~n", [srt(ets:match_object(T, {'_', '_', odd}))]),
    io:format("match key ~p~n", [srt(ets:match_object(T, {3, '_', '_'}))]),
    io:format("match repeated ~p~n", [srt(ets:match(T, {'$1', '$1', '_'}))]),
    io:format("select ~p~n", [srt(ets:select(T, [{{'$1', '$2', '_'}, [{is_integer, '$1'}, {'>', '$2', 20}], [{{'$2', '$1'}}]}]))]),
    io:format("select_reverse ~p~n", [srt(ets:select_reverse(T, [{{'$1', '_', even}, [], ['$1']}]))]),
    io:format("select_count ~p~n", [ets:select_count(T, [{{'_', '_', odd}, [], [true]}])]),
    io:format("select_count not true ~p~n", [ets:select_count(T, [{{'_', '_', odd}, [], [yes]}])]),
    io:format("select_delete ~p~n", [ets:select_delete(T, [{{'$1', '_', even}, [{'<', '$1', 5}], [true]}])]),
    io:format("match_delete ~p~n", [ets:match_delete(T, {'_', '_', [1, 2]})]),
    io:format("left ~p ~p~n", [ets:info(T, size), srt(ets:select(T, [{{'$1', '_', '_'}, [], ['$1']}]))]),
    io:format("tab2list ~p~n", [srt(ets:tab2list(T))]),
    E = ets:new(e, [Type]),
    io:format("empty ~p ~p ~p ~p~n", [ets:first(E), ets:last(E), ets:select(E, [{'_', [], ['$_']}]),
                                       ets:foldl(fun(_, A) -> A + 1 end, 0, E)]).

collect(_T, '$end_of_table', Acc) -> Acc;
collect(T, K, Acc) -> collect(T, ets:next(T, K), [K | Acc]).

ordered() ->
    io:format("== ordered_set order~n"),
    T = fill(ordered_set),
    io:format("first ~p last ~p~n", [ets:first(T), ets:last(T)]),
    io:format("next 3 ~p prev 3 ~p~n", [ets:next(T, 3), ets:prev(T, 3)]),
    io:format("next 3.5 ~p prev 3.5 ~p~n", [ets:next(T, 3.5), ets:prev(T, 3.5)]),
    io:format("next missing ~p prev first ~p~n", [ets:next(T, zzz), ets:prev(T, 1)]),
    io:format("tab2list ~p~n", [ets:tab2list(T)]),
    io:format("foldl ~p~n", [ets:foldl(fun(O, A) -> [element(1, O) | A] end, [], T)]),
    io:format("foldr ~p~n", [ets:foldr(fun(O, A) -> [element(1, O) | A] end, [], T)]),
    io:format("select ~p~n", [ets:select(T, [{{'$1', '_', odd}, [], ['$1']}])]),
    io:format("select_reverse ~p~n", [ets:select_reverse(T, [{{'$1', '_', odd}, [], ['$1']}])]),
    io:format("match ~p~n", [ets:match(T, {'$1', '_', even})]),
    S = ets:new(s, [set]),
    ets:insert(S, {a, 1}),
    io:format("set next missing ~p~n", [t(fun() -> ets:next(S, nokey) end)]),
    io:format("set last ~p prev ~p~n", [ets:last(S), ets:prev(S, a)]).

specs() ->
    io:format("== match specifications~n"),
    T = ets:new(m, [ordered_set]),
    ets:insert(T, [{1, a, 1.5}, {2, b, [x, y]}, {3, c, {p, q}}, {4, d, <<"bin">>}, {5, e, #{k => v}}]),
    MSs = [
        [{'_', [], ['$_']}],
        [{'$1', [], ['$1']}],
        [{{'$1', '$2', '$3'}, [], ['$$']}],
        [{{'$1', '$2', '$3'}, [], [{{'$3', '$2', '$1'}}]}],
        [{{'$1', '_', '$3'}, [{is_float, '$3'}], [float]}, {{'$1', '_', '$3'}, [{is_list, '$3'}], [list]}],
        [{{'$1', '_', '$3'}, [{is_tuple, '$3'}], [{element, 1, '$3'}]}],
        [{{'$1', '_', '$3'}, [{is_list, '$3'}], [{hd, '$3'}, {tl, '$3'}]}],
        [{{'$1', '_', '$3'}, [{is_binary, '$3'}], [{byte_size, '$3'}]}],
        [{{'$1', '_', '$3'}, [{is_map, '$3'}], [{map_get, k, '$3'}, {map_size, '$3'}]}],
        [{{'$1', '_', '_'}, [{'andalso', {'>', '$1', 1}, {'<', '$1', 4}}], ['$1']}],
        [{{'$1', '_', '_'}, [{'orelse', {'==', '$1', 1}, {'=:=', '$1', 5}}], ['$1']}],
        [{{'$1', '_', '_'}, [{'not', {'=/=', '$1', 2}}], ['$1']}],
        [{{'$1', '_', '_'}, [{'or', {'>', '$1', 4}, {'/=', '$1', '$1'}}], ['$1']}],
        [{{'$1', '_', '_'}, [{'xor', {'>', '$1', 2}, {'>', '$1', 3}}], ['$1']}],
        [{{'$1', '_', '_'}, [{'>=', '$1', 4}, {'=<', '$1', 4}], ['$1']}],
        [{{'$1', '_', '_'}, [], [{'+', '$1', 1}, {'*', '$1', 2}]}],
        [{{'$1', '_', '_'}, [], [{'-', '$1'}]}],
        [{{'$1', '_', '_'}, [], [{'div', 100, '$1'}]}],
        [{{'$1', '_', '_'}, [], [{'rem', 100, '$1'}]}],
        [{{'$1', '_', '_'}, [], [{'/', '$1', 2}]}],
        [{{'$1', '_', '_'}, [], [{'band', '$1', 6}, {'bor', '$1', 8}]}],
        [{{'$1', '_', '_'}, [], [{'bxor', '$1', 3}]}],
        [{{'$1', '_', '_'}, [], [{'bsl', '$1', 2}, {'bsr', '$1', 1}]}],
        [{{'$1', '_', '_'}, [], [{'bnot', '$1'}]}],
        [{{'$1', '_', '_'}, [], [{abs, {'-', '$1', 3}}]}],
        [{{'$1', '_', '$3'}, [{is_float, '$3'}], [{round, '$3'}, {trunc, '$3'}, {float, '$1'}]}],
        [{{'$1', '_', '$3'}, [], [{is_atom, '$3'}]}],
        [{{'$1', '_', '$3'}, [], [{is_integer, '$1'}]}],
        [{{'$1', '_', '$3'}, [{is_list, '$3'}], [{length, '$3'}]}],
        [{{'$1', '_', '$3'}, [{is_tuple, '$3'}], [{size, '$3'}]}],
        [{{'$1', '$2', '_'}, [], [['$1', '$2']]}],
        [{{'$1', '$2', '_'}, [], [['$1' | '$2']]}],
        [{{'$1', '$2', '_'}, [], [{const, {'$1', '$2'}}]}],
        [{{'$1', '$2', '_'}, [], [{{'$1', {{'$2'}}, [nested]}}]}],
        [{{'$1', '$2', '_'}, [{'==', '$1', 2}], [{is_pid, {self}}]}],
        [{{'$1', '$2', '_'}, [], [{node}]}],
        [{{'$1', '_', '_'}, [{'>', {'+', '$1', x}, 0}], ['$1']}],
        [{{'$1', '_', '_'}, [], [{'+', '$1', x}]}],
        [{{'$1', '_', '_'}, [{'>', '$1', 2}], ['$1']}, {{'$1', '_', '_'}, [], [{{low, '$1'}}]}],
        [{{'$1', '_', '_'}, [true], ['$1']}],
        [{{'$1', '_', '_'}, [false], ['$1']}],
        [{{'$1', '_', '_'}, [notbool], ['$1']}],
        [{{'$1', '_', '_'}, [{const, true}], ['$1']}],
        [{{'$1', '_', '_'}, ['$1'], ['$1']}],
        [{{'$1', '_', '_'}, [], [7, "str"]}],
        [{{'$1', '_', '_'}, [], [{element, 5, {{'$1'}}}]}],
        [{{1, '$2', '_'}, [], ['$2']}],
        [{{'$1', '_', '_'}, [{'==', '$1', 2.0}], ['$1']}],
        [{{'$1', '_', '_'}, [{'=:=', '$1', 2.0}], ['$1']}],
        [{{'_', '_', [x | '$1']}, [], ['$1']}],
        [{{'_', '_', #{k => '$1'}}, [], ['$1']}],
        [{{'_', '_', {p, '$1'}}, [], ['$1']}],
        [{{'$0', '_', '_'}, [{'<', '$0', 3}], ['$0']}],
        [{x, [], [1]}],
        [{{'$a', '_', '_'}, [], [1]}],
        [],
        [{'_', [], []}],
        [{'_', x, [1]}],
        [{'_', [{foo, 1}], [1]}],
        [{'_', [], [{foo, 1}]}],
        [{'_', [], ['$1']}],
        [{'_', [], ['_']}],
        [{'_', [], [{}]}],
        [{'_', [], [{1, 2}]}],
        [{'_', [], [{'andalso', true, '$1'}]}],
        [{'_', []}],
        [x],
        x,
        [{'_', [], [1]} | x]
    ],
    [io:format("~p~n  -> ~p~n", [MS, t(fun() -> ets:select(T, MS) end)]) || MS <- MSs],
    io:format("select_count errors ~p ~p~n", [t(fun() -> ets:select_count(T, x) end), t(fun() -> ets:select_delete(T, [x]) end)]),
    io:format("match errors ~p ~p~n", [t(fun() -> ets:match(T, 7) end), t(fun() -> ets:match_object(T, "x") end)]),
    io:format("match atoms ~p ~p~n", [ets:match(T, '$1'), ets:match(T, '_')]).

chunks() ->
    io:format("== continuations~n"),
    O = ets:new(o, [ordered_set]),
    ets:insert(O, [{I, I rem 3} || I <- lists:seq(1, 20)]),
    MS = [{{'$1', '$2'}, [{'=/=', '$2', 0}], ['$1']}],
    io:format("select/3 ~p~n", [all_chunks(ets:select(O, MS, 4), fun ets:select/1)]),
    io:format("select_reverse/3 ~p~n", [all_chunks(ets:select_reverse(O, MS, 5), fun ets:select_reverse/1)]),
    io:format("select/3 exact ~p~n", [all_chunks(ets:select(O, [{'_', [], ['$_']}], 10), fun ets:select/1)]),
    io:format("match/3 ~p~n", [all_chunks(ets:match(O, {'$1', 0}, 3), fun ets:match/1)]),
    io:format("match_object/3 ~p~n", [all_chunks(ets:match_object(O, {'_', 0}, 2), fun ets:match_object/1)]),
    io:format("none ~p~n", [ets:select(O, [{{nomatch}, [], ['$_']}], 3)]),
    io:format("end ~p~n", [ets:select('$end_of_table')]),
    io:format("errors ~p ~p ~p~n", [t(fun() -> ets:select(O, MS, 0) end), t(fun() -> ets:select(O, MS, x) end),
                                    t(fun() -> ets:select(bad_continuation) end)]),
    S = ets:new(s, [set]),
    ets:insert(S, [{I, I rem 3} || I <- lists:seq(1, 50)]),
    Chunks = hash_chunks(ets:select(S, MS, 7), []),
    io:format("set chunks ~p ~p~n", [lists:sort(lists:append(Chunks)) =:= [I || I <- lists:seq(1, 50), I rem 3 =/= 0],
                                      lists:all(fun(C) -> length(C) >= 1 end, Chunks)]),
    {SM, SC} = ets:match(S, {'$1', 1}, 1000),
    io:format("set match/3 all ~p ~p~n", [lists:sort(SM), SC]),
    B = ets:new(b, [bag]),
    ets:insert(B, [{k, I} || I <- lists:seq(1, 5)]),
    io:format("bag select/3 ~p~n", [lists:sort(lists:append(hash_chunks(ets:select(B, [{'_', [], ['$_']}], 2), [])))]).

all_chunks('$end_of_table', _) -> ['$end_of_table'];
all_chunks({L, Cont}, Next) -> [L | all_chunks(Next(Cont), Next)].

hash_chunks('$end_of_table', Acc) -> lists:reverse(Acc);
hash_chunks({L, Cont}, Acc) -> hash_chunks(ets:select(Cont), [L | Acc]).

replace() ->
    io:format("== select_replace~n"),
    [begin
         T = ets:new(r, [Type]),
         ets:insert(T, [{a, 1, x}, {b, 2, y}, {c, 3, z}]),
         R = [t(fun() -> ets:select_replace(T, MS) end) || MS <- [
                 [{{'$1', '$2', '$3'}, [{'>', '$2', 1}], [{{'$1', '$3', '$2'}}]}],
                 [{{'$1', '$2', '$3'}, [], [{{a, '$3', '$2'}}]}],
                 [{{'$1', '$2', '$3'}, [], [{{'$1', '$3'}}]}],
                 [{{'$1', '$2', '$3'}, [], ['$_']}],
                 [{{'$1', '$2'}, [], [{{'$1', '$2'}}]}],
                 [{{'$1', '$2'}, [], [{const, {a, 1}}]}],
                 [{{a, '$2'}, [], [{{a, new}}]}],
                 [{'$1', [], ['$1']}],
                 [{{'$1', '$2'}, [], [{{'$1', '$2', extra}}]}]
             ]],
         io:format("~p ~p ~p~n", [Type, R, srt(ets:tab2list(T))])
     end || Type <- [set, ordered_set, bag, duplicate_bag]].
