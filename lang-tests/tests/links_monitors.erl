-module(links_monitors).
-export([main/1]).
%% Links, monitors and exit signals with OTP's semantics: trap_exit,
%% kill/killed, normal exits, unlink, demonitor with flush, monitors of
%% names, noproc.

main(_) ->
    process_flag(trap_exit, true),
    link_exits(),
    exit_signals(),
    kill_chain(),
    monitors(),
    unlinking(),
    no_trap(),
    ok.

wait_exit(P) ->
    receive {'EXIT', P, Why} -> Why after 2000 -> no_exit end.

link_exits() ->
    io:format("== link exits~n"),
    P1 = spawn_link(fun() -> ok end),
    io:format("normal: ~p~n", [wait_exit(P1)]),
    P2 = spawn_link(fun() -> exit(custom) end),
    io:format("exit/1: ~p~n", [wait_exit(P2)]),
    P3 = spawn_link(fun() -> error(oops) end),
    {R3, _} = wait_exit(P3),
    io:format("error: ~p~n", [R3]),
    P4 = spawn_link(fun() -> throw(ball) end),
    {R4, _} = wait_exit(P4),
    io:format("throw: ~p~n", [R4]),
    P5 = spawn_link(fun() -> exit(kill) end),
    io:format("exit(kill): ~p~n", [wait_exit(P5)]),
    Self = self(),
    P6 = spawn(fun() -> link(Self), Self ! linked, receive after infinity -> ok end end),
    receive linked -> ok end,
    exit(P6, die),
    io:format("linked later, exit/2: ~p~n", [wait_exit(P6)]).

exit_signals() ->
    io:format("== exit/2~n"),
    Self = self(),
    %% A process that traps exits gets them as messages, except kill.
    T = spawn(fun() ->
                      process_flag(trap_exit, true),
                      Self ! ready,
                      trap_loop(Self)
              end),
    receive ready -> ok end,
    [exit(T, R) || R <- [normal, reason1, {tuple, 1}]],
    [receive {trapped, M} -> io:format("trapped ~p~n", [M]) end || _ <- [1, 2, 3]],
    M = monitor(process, T),
    exit(T, kill),
    receive {'DOWN', M, process, T, Why} -> io:format("kill -> ~p~n", [Why]) end,
    %% A process that does not trap: normal is ignored, anything else kills.
    N = spawn(fun() -> receive after infinity -> ok end end),
    MN = monitor(process, N),
    exit(N, normal),
    receive after 50 -> ok end,
    io:format("after normal: ~p~n", [is_process_alive(N)]),
    exit(N, shutdown),
    receive {'DOWN', MN, process, N, WhyN} -> io:format("shutdown -> ~p~n", [WhyN]) end,
    %% exit(self(), normal) in a non-trapping process ends it.
    {S, MS} = spawn_monitor(fun() -> exit(self(), normal), receive after 1000 -> late end end),
    receive {'DOWN', MS, process, S, WhyS} -> io:format("self normal -> ~p~n", [WhyS]) end,
    io:format("~p~n", [element(1, catch exit(not_a_pid, r))]).

trap_loop(Parent) ->
    receive
        {'EXIT', Parent, R} -> Parent ! {trapped, R}, trap_loop(Parent);
        Other -> Parent ! {trapped, Other}, trap_loop(Parent)
    end.

kill_chain() ->
    io:format("== kill chain~n"),
    Self = self(),
    %% Self -link- A -link- B; B is killed: A dies with killed, Self traps.
    A = spawn_link(fun() ->
                           B = spawn_link(fun() -> receive after infinity -> ok end end),
                           Self ! {b, B},
                           receive after infinity -> ok end
                   end),
    B = receive {b, Bp} -> Bp end,
    exit(B, kill),
    io:format("A: ~p~n", [wait_exit(A)]),
    %% A trapping process linked to a killed one gets {'EXIT', _, killed}.
    C = spawn_link(fun() -> receive after infinity -> ok end end),
    exit(C, kill),
    io:format("C: ~p~n", [wait_exit(C)]).

monitors() ->
    io:format("== monitors~n"),
    {P, M} = spawn_monitor(fun() -> receive go -> exit(bye) end end),
    P ! go,
    receive {'DOWN', M, process, P, R} -> io:format("down: ~p~n", [R]) end,
    M2 = monitor(process, P),
    receive {'DOWN', M2, process, P, R2} -> io:format("dead already: ~p~n", [R2]) end,
    Q = spawn(fun() -> receive go -> ok end end),
    M3 = monitor(process, Q),
    io:format("demonitor: ~p~n", [demonitor(M3)]),
    Q ! go,
    receive {'DOWN', M3, _, _, _} -> io:format("unexpected DOWN~n") after 100 -> io:format("no DOWN~n") end,
    Q2 = spawn(fun() -> ok end),
    M4 = monitor(process, Q2),
    receive after 50 -> ok end,
    io:format("flush: ~p~n", [demonitor(M4, [flush])]),
    receive {'DOWN', M4, _, _, _} -> io:format("DOWN still there~n") after 0 -> io:format("flushed~n") end,
    Q3 = spawn(fun() -> receive go -> ok end end),
    M5 = monitor(process, Q3),
    io:format("info: ~p~n", [demonitor(M5, [info])]),
    io:format("info again: ~p~n", [demonitor(M5, [info])]),
    Q3 ! go,
    %% By name.
    Rn = spawn(fun() -> receive stop -> ok end end),
    register(lm_named, Rn),
    M6 = monitor(process, lm_named),
    Rn ! stop,
    receive {'DOWN', M6, process, Obj, Why6} -> io:format("by name: ~p ~p~n", [Obj, Why6]) end,
    M7 = monitor(process, no_such_name),
    receive {'DOWN', M7, process, Obj7, Why7} -> io:format("no name: ~p ~p~n", [Obj7, Why7]) end,
    M8 = monitor(process, {lm_other, node()}),
    receive {'DOWN', M8, process, Obj8, Why8} -> io:format("no name2: ~p ~p~n", [Obj8, Why8]) end,
    %% Several monitors on one process all fire.
    W = spawn(fun() -> receive go -> ok end end),
    Ms = [monitor(process, W) || _ <- [1, 2, 3]],
    W ! go,
    io:format("~p~n", [[receive {'DOWN', Mi, process, W, normal} -> ok end || Mi <- Ms]]),
    io:format("~p~n", [element(1, catch monitor(process, 42))]),
    io:format("~p~n", [element(1, catch monitor(foo, self()))]),
    io:format("~p~n", [element(1, catch demonitor(not_a_ref))]).

unlinking() ->
    io:format("== unlink~n"),
    P = spawn_link(fun() -> receive go -> exit(gone) end end),
    unlink(P),
    P ! go,
    receive {'EXIT', P, _} -> io:format("unexpected EXIT~n") after 100 -> io:format("no EXIT~n") end,
    io:format("~p~n", [unlink(P)]),
    io:format("~p~n", [link(self())]),
    io:format("~p~n", [element(1, catch link(not_a_pid))]),
    Dead = spawn(fun() -> ok end),
    receive after 50 -> ok end,
    io:format("~p~n", [link(Dead)]),
    io:format("~p~n", [wait_exit(Dead)]).

no_trap() ->
    io:format("== no trap~n"),
    Self = self(),
    %% A non-trapping linked process dies with the same reason.
    {Watcher, M} = spawn_monitor(fun() ->
                                         spawn_link(fun() -> exit(boom) end),
                                         receive after 2000 -> Self ! survived end
                                 end),
    receive {'DOWN', M, process, Watcher, R} -> io:format("propagated: ~p~n", [R]) end,
    %% ... but not a normal exit.
    {W2, M2} = spawn_monitor(fun() ->
                                     spawn_link(fun() -> ok end),
                                     receive after 100 -> exit(still_here) end
                             end),
    receive {'DOWN', M2, process, W2, R2} -> io:format("normal ignored: ~p~n", [R2]) end.
