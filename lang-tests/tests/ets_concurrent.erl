-module(ets_concurrent).
-export([main/1]).

%% Concurrency options give the same results; many writers on one public
%% table; long walks over a big table while other processes run.

opts() ->
    [[], [{write_concurrency, true}], [{read_concurrency, true}],
     [{write_concurrency, true}, {read_concurrency, true}],
     [{decentralized_counters, true}], [{write_concurrency, auto}],
     [{write_concurrency, true}, {decentralized_counters, false}]].

main(_) ->
    [options(Type) || Type <- [set, ordered_set, bag, duplicate_bag]],
    writers(),
    big(),
    ok.

options(Type) ->
    Results = [begin
                   T = ets:new(t, [Type, public | O]),
                   ets:insert(T, [{I rem 97, I} || I <- lists:seq(1, 500)]),
                   [ets:delete(T, K) || K <- lists:seq(0, 96, 5)],
                   R = {ets:info(T, size), lists:sort(ets:tab2list(T)),
                        ets:select_count(T, [{{'_', '$1'}, [{'>', '$1', 250}], [true]}]),
                        lists:sort(ets:lookup(T, 3))},
                   ets:delete(T),
                   R
               end || O <- opts()],
    [First | _] = Results,
    io:format("~p: size ~p, all options agree: ~p~n",
              [Type, element(1, First), lists:all(fun(R) -> R =:= First end, Results)]),
    io:format("~p: decentralized_counters ~p~n",
              [Type, [ets:info(ets:new(x, [Type | O]), decentralized_counters) || O <- opts()]]).

writers() ->
    [begin
         T = ets:new(w, [Type, public | O]),
         Self = self(),
         N = 8,
         Pids = [spawn(fun() ->
                               [ets:insert(T, {{W, I}, I}) || I <- lists:seq(1, 2000)],
                               [ets:update_counter(T, counter, 1, {counter, 0}) || _ <- lists:seq(1, 500)],
                               [ets:delete(T, {W, I}) || I <- lists:seq(1, 2000, 2)],
                               Self ! {done, self()}
                       end) || W <- lists:seq(1, N)],
         [receive {done, P} -> ok end || P <- Pids],
         io:format("~p ~p: size ~p counter ~p~n", [Type, O, ets:info(T, size), ets:lookup(T, counter)])
     end || Type <- [set, ordered_set], O <- opts()].

big() ->
    T = ets:new(big, [public, ordered_set]),
    ets:insert(T, [{I, I * 2} || I <- lists:seq(1, 30000)]),
    Self = self(),
    %% A process that must get to run while the walks go on.
    Ticker = spawn(fun() -> tick(Self, 0) end),
    Sel = ets:select(T, [{{'$1', '$2'}, [{'==', {'rem', '$1', 1000}, 0}], ['$2']}]),
    io:format("select ~p ~p~n", [length(Sel), lists:sublist(Sel, 3)]),
    io:format("count ~p~n", [ets:select_count(T, [{{'_', '$2'}, [{'>', '$2', 100}], [true]}])]),
    io:format("tab2list ~p~n", [length(ets:tab2list(T))]),
    io:format("select_reverse ~p~n", [lists:sublist(ets:select_reverse(T, [{{'$1', '_'}, [], ['$1']}]), 3)]),
    io:format("foldl ~p~n", [ets:foldl(fun({K, _}, A) -> K + A end, 0, T)]),
    io:format("replace ~p~n", [ets:select_replace(T, [{{'$1', '$2'}, [{'<', '$1', 15001}], [{{'$1', x}}]}])]),
    io:format("delete ~p ~p~n", [ets:select_delete(T, [{{'_', x}, [], [true]}]), ets:info(T, size)]),
    Ticker ! {stop, self()},
    receive {ticks, N} -> io:format("ticker ran ~p~n", [N > 0]) end,
    S = ets:new(bigset, [set]),
    ets:insert(S, [{I} || I <- lists:seq(1, 20000)]),
    io:format("set select ~p~n", [length(ets:select(S, [{'_', [], [true]}]))]),
    ets:delete(S),
    io:format("deleted ~p~n", [ets:info(S)]).

tick(Parent, N) ->
    receive
        {stop, From} -> From ! {ticks, N}
    after 0 ->
        erlang:yield(),
        tick(Parent, N + 1)
    end.
