-module(ets_owner).
-export([main/1]).

%% Owners, access rights, heirs, give_away, named tables, rename, setopts.

t(F) -> try F() catch C:R -> {C, R} end.

%% Run F in another process and return its result.
other(F) ->
    Self = self(),
    Pid = spawn(fun() -> Self ! {self(), t(F)} end),
    receive {Pid, R} -> R end.

main(_) ->
    access(),
    owner_exit(),
    heir(),
    give_away(),
    names(),
    ok.

access() ->
    io:format("== access~n"),
    [begin
         T = ets:new(a, [Access]),
         ets:insert(T, {k, 1}),
         Read = other(fun() -> ets:lookup(T, k) end),
         Write = other(fun() -> ets:insert(T, {k, 2}) end),
         Del = other(fun() -> ets:delete(T, k) end),
         Info = other(fun() -> ets:info(T, size) end),
         Sel = other(fun() -> ets:select(T, [{'_', [], ['$_']}]) end),
         Cnt = other(fun() -> ets:update_counter(T, k, 1) end),
         io:format("~p read ~p write ~p delete ~p info ~p select ~p counter ~p~n",
                   [Access, Read, Write, Del, Info, Sel, Cnt]),
         io:format("~p owner sees ~p~n", [Access, ets:lookup(T, k)]),
         DelTab = other(fun() -> ets:delete(T) end),
         io:format("~p delete table ~p ~p~n", [Access, DelTab, ets:info(T, size) =/= undefined])
     end || Access <- [public, protected, private]].

owner_exit() ->
    io:format("== owner exit~n"),
    Self = self(),
    Pid = spawn(fun() ->
                        T = ets:new(owned, [public]),
                        N = ets:new(owned_named, [named_table, public]),
                        ets:insert(T, {a, 1}),
                        Self ! {tables, T, N},
                        receive stop -> ok end
                end),
    {T, N} = receive {tables, T0, N0} -> {T0, N0} end,
    io:format("alive ~p ~p ~p~n", [ets:lookup(T, a), ets:info(N, named_table), ets:info(T, owner) =:= Pid]),
    Ref = monitor(process, Pid),
    Pid ! stop,
    receive {'DOWN', Ref, process, Pid, R} -> io:format("owner down ~p~n", [R]) end,
    io:format("after ~p ~p ~p~n", [ets:info(T), ets:info(owned_named), t(fun() -> ets:lookup(T, a) end)]),
    io:format("name free ~p~n", [ets:new(owned_named, [named_table]) =:= owned_named]),
    %% A crashing owner too.
    Pid2 = spawn(fun() -> T2 = ets:new(c, [public]), Self ! {tab, T2}, receive go -> exit(crash) end end),
    T2 = receive {tab, X} -> X end,
    Ref2 = monitor(process, Pid2),
    Pid2 ! go,
    receive {'DOWN', Ref2, process, Pid2, R2} -> io:format("owner down ~p ~p~n", [R2, ets:info(T2)]) end.

heir() ->
    io:format("== heir~n"),
    Self = self(),
    Pid = spawn(fun() ->
                        T = ets:new(h, [{heir, Self, my_data}]),
                        ets:insert(T, {x, 1}),
                        Self ! {tab, T},
                        receive stop -> ok end
                end),
    T = receive {tab, X} -> X end,
    io:format("heir ~p~n", [ets:info(T, heir) =:= Self]),
    Pid ! stop,
    receive
        {'ETS-TRANSFER', T, Pid, Data} -> io:format("transfer ~p~n", [Data])
    end,
    io:format("now owner ~p ~p ~p~n", [ets:info(T, owner) =:= self(), ets:info(T, heir) =:= self(), ets:lookup(T, x)]),
    ets:insert(T, {y, 2}),
    %% A named table's transfer names it.
    Pid2 = spawn(fun() ->
                         ets:new(heir_named, [named_table, {heir, Self, 42}]),
                         Self ! made,
                         receive stop -> ok end
                 end),
    receive made -> ok end,
    Pid2 ! stop,
    receive
        {'ETS-TRANSFER', Name, Pid2, D2} -> io:format("named transfer ~p ~p~n", [Name, D2])
    end,
    %% A dead heir: the table is deleted.
    Dead = spawn(fun() -> ok end),
    Mref = monitor(process, Dead),
    receive {'DOWN', Mref, _, _, _} -> ok end,
    Pid3 = spawn(fun() ->
                         T3 = ets:new(h3, [{heir, Dead, x}]),
                         Self ! {tab, T3},
                         receive stop -> ok end
                 end),
    T3 = receive {tab, Y} -> Y end,
    R3 = monitor(process, Pid3),
    Pid3 ! stop,
    receive {'DOWN', R3, _, _, _} -> ok end,
    io:format("dead heir ~p~n", [ets:info(T3)]),
    %% setopts
    S = ets:new(s, []),
    io:format("setopts ~p~n", [[t(fun() -> ets:setopts(S, O) end) || O <- [{heir, self(), d}, {heir, none}, [{heir, self(), d}], [], {heir, x, y}, {foo, 1}, x]]]),
    io:format("heir now ~p~n", [ets:info(S, heir) =:= self()]),
    io:format("setopts other ~p~n", [other(fun() -> ets:setopts(S, {heir, none}) end)]).

give_away() ->
    io:format("== give_away~n"),
    Self = self(),
    T = ets:new(g, [protected]),
    ets:insert(T, {a, 1}),
    Pid = spawn(fun() ->
                        receive
                            {'ETS-TRANSFER', Tab, From, Gift} ->
                                Self ! {got, From =:= Self, Gift, ets:info(Tab, owner) =:= self(),
                                        ets:insert(Tab, {b, 2})}
                        end,
                        receive stop -> ok end
                end),
    io:format("give_away ~p~n", [ets:give_away(T, Pid, hello)]),
    receive {got, A, B, C, D} -> io:format("received ~p ~p ~p ~p~n", [A, B, C, D]) end,
    io:format("mine no more ~p ~p~n", [t(fun() -> ets:insert(T, {c, 3}) end), lists:sort(ets:tab2list(T))]),
    io:format("again ~p~n", [t(fun() -> ets:give_away(T, Pid, again) end)]),
    U = ets:new(u, []),
    io:format("to self ~p~n", [t(fun() -> ets:give_away(U, self(), x) end)]),
    io:format("to atom ~p~n", [t(fun() -> ets:give_away(U, x, x) end)]),
    Dead = spawn(fun() -> ok end),
    Mref = monitor(process, Dead),
    receive {'DOWN', Mref, _, _, _} -> ok end,
    io:format("to dead ~p~n", [t(fun() -> ets:give_away(U, Dead, x) end)]),
    io:format("by other ~p~n", [other(fun() -> ets:give_away(U, Self, x) end)]),
    Ref = monitor(process, Pid),
    Pid ! stop,
    receive {'DOWN', Ref, _, _, _} -> ok end,
    io:format("new owner gone ~p~n", [ets:info(T)]).

names() ->
    io:format("== names~n"),
    N = ets:new(first_name, [named_table, public]),
    ets:insert(first_name, {k, v}),
    io:format("~p ~p~n", [N, ets:lookup(first_name, k)]),
    io:format("rename ~p~n", [ets:rename(first_name, second_name)]),
    io:format("old ~p new ~p~n", [t(fun() -> ets:lookup(first_name, k) end), ets:lookup(second_name, k)]),
    io:format("info name ~p~n", [ets:info(second_name, name)]),
    ets:new(taken, [named_table]),
    io:format("rename taken ~p~n", [t(fun() -> ets:rename(second_name, taken) end)]),
    io:format("rename bad ~p~n", [t(fun() -> ets:rename(second_name, "x") end)]),
    U = ets:new(unnamed, []),
    R = ets:rename(U, still_unnamed),
    io:format("rename unnamed ~p ~p ~p~n", [R =:= U, ets:info(U, name), ets:whereis(still_unnamed)]),
    io:format("by ref ~p~n", [ets:lookup(ets:whereis(second_name), k)]),
    io:format("other process ~p~n", [other(fun() -> ets:lookup(second_name, k) end)]),
    ets:delete(second_name),
    io:format("deleted ~p ~p~n", [ets:whereis(second_name), t(fun() -> ets:lookup(second_name, k) end)]).
