%% proc_lib: spawn variants record ancestors and the initial call; an
%% escaping exception becomes OTP's exit reason; start/start_link/
%% start_monitor with init_ack, timeouts and early deaths; initial_call/1,
%% translate_initial_call/1 and stop/1,3; erlang's process aliases.
-module(stdlib_proc_lib).
-export([main/1, child/1, starter/1, looper/0]).

-include("lib/scrub.hrl").

main(_) ->
    process_flag(trap_exit, true),
    register(the_main, self()),
    spawning(),
    exits(),
    starting(),
    stopping(),
    aliases(),
    io:format("mailbox at end: ~p~n", [flush()]).



child(report) ->
    the_main ! {info, get('$ancestors'), get('$initial_call')},
    ok;
child({error, R}) -> error(R);
child({exit, R}) -> exit(R);
child({throw, R}) -> throw(R);
child(normal) -> done.

spawning() ->
    proc_lib:spawn(?MODULE, child, [report]),
    receive {info, A1, I1} -> show("spawn/3", {A1, I1}) end,
    proc_lib:spawn_link(?MODULE, child, [report]),
    receive {info, A2, I2} -> show("spawn_link/3", {A2, I2}) end,
    receive {'EXIT', _, R2} -> show("exit", R2) end,
    proc_lib:spawn(fun() -> the_main ! {info, get('$ancestors'), get('$initial_call')} end),
    receive {info, A3, {M3, _, Ar3}} -> show("spawn/1", {A3, M3, Ar3}) end,
    {P4, Ref4} = proc_lib:spawn_opt(?MODULE, child, [report], [monitor]),
    receive {info, A4, I4} -> show("spawn_opt/4", {A4, I4}) end,
    receive {'DOWN', Ref4, process, P4, R4} -> show("down", R4) end,
    %% Nested: the ancestors list grows.
    proc_lib:spawn(fun() ->
                           proc_lib:spawn(?MODULE, child, [report]),
                           receive after 100 -> ok end
                   end),
    receive {info, A5, I5} -> show("nested", {length(A5), I5}) end.

exits() ->
    [begin
         P = proc_lib:spawn_link(?MODULE, child, [How]),
         receive {'EXIT', P, R} -> show(io_lib:format("~p", [How]), R) end
     end || How <- [{error, bad}, {exit, gone}, {throw, ball}, normal, {exit, normal}]].

starter(ok) ->
    proc_lib:init_ack({ok, self()}),
    looper();
starter({ack_then_die, V}) ->
    proc_lib:init_ack(V),
    exit(after_ack);
starter(die) ->
    exit(before_ack);
starter(slow) ->
    receive after 1000 -> ok end,
    proc_lib:init_ack(late);
starter(ancestors) ->
    proc_lib:init_ack({get('$ancestors'), get('$initial_call')}),
    looper().

looper() ->
    receive
        {system, From, {terminate, Reason}} ->
            gen:reply(From, ok),
            exit(Reason);
        stop -> ok;
        _ -> looper()
    end.

starting() ->
    {ok, P1} = proc_lib:start_link(?MODULE, starter, [ok]),
    show("start_link", is_pid(P1)),
    show("start_link ancestors", proc_lib:start_link(?MODULE, starter, [ancestors])),
    show("start value", proc_lib:start(?MODULE, starter, [{ack_then_die, v}])),
    show("start dies", proc_lib:start(?MODULE, starter, [die])),
    show("start_link dies", proc_lib:start_link(?MODULE, starter, [die])),
    show("start timeout", proc_lib:start(?MODULE, starter, [slow], 50)),
    show("start_link timeout", proc_lib:start_link(?MODULE, starter, [slow], 50)),
    {R6, M6} = proc_lib:start_monitor(?MODULE, starter, [ok]),
    show("start_monitor", {R6, is_reference(M6)}),
    {R7, M7} = proc_lib:start_monitor(?MODULE, starter, [die]),
    show("start_monitor dies", R7),
    receive {'DOWN', M7, process, _, Why7} -> show("down", Why7) end,
    show("start monitor opt", catch proc_lib:start(?MODULE, starter, [ok], 100, [monitor])),
    show("initial_call", proc_lib:initial_call(P1)),
    show("translate_initial_call", proc_lib:translate_initial_call(P1)),
    show("initial_call plain", proc_lib:initial_call(spawn(fun() -> receive after 100 -> ok end end))),
    P1 ! stop,
    receive {'EXIT', P1, R1} -> show("exit", R1) end,
    element(2, R6) ! stop,
    receive {'DOWN', M6, process, _, Why6} -> show("down", Why6) end,
    flush_exits().

flush_exits() ->
    receive {'EXIT', _, R} -> show("exit", R), flush_exits() after 50 -> ok end.

stopping() ->
    {ok, P} = proc_lib:start(?MODULE, starter, [ok]),
    show("stop", proc_lib:stop(P)),
    show("stop again", catch proc_lib:stop(P)),
    {ok, P2} = proc_lib:start(?MODULE, starter, [ok]),
    show("stop/3", proc_lib:stop(P2, {shutdown, x}, 1000)).

aliases() ->
    A = alias(),
    A ! one,
    show("alias receives", receive M -> M after 100 -> none end),
    show("unalias", unalias(A)),
    A ! two,
    show("after unalias", receive M2 -> M2 after 100 -> none end),
    show("unalias again", unalias(A)),
    B = alias([reply]),
    B ! first,
    B ! second,
    show("reply alias", flush()),
    P = spawn(fun() -> receive {To, X} -> To ! {back, X} end end),
    Mon = monitor(process, P, [{alias, reply_demonitor}]),
    P ! {Mon, 1},
    show("reply_demonitor", receive {back, V} -> V after 500 -> none end),
    Mon ! stray,
    timer:sleep(50),
    show("monitor gone", flush()),
    Q = spawn(fun() -> receive after 100 -> ok end end),
    Mon2 = monitor(process, Q, [{alias, demonitor}]),
    show("demonitor", demonitor(Mon2)),
    Mon2 ! stray,
    show("alias gone with monitor", receive S -> S after 50 -> none end),
    show("bad option", catch monitor(process, Q, [{alias, sometimes}])),
    show("bad alias option", catch alias([forever])),
    show("send to ref", make_ref() ! x).
