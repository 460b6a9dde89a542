-module(recv_marker).
-export([main/1]).

%% Receives that match a reference made just before them (the
%% gen_server:call pattern) may start after the messages that were already
%% queued. These cases check that no message that could match is skipped
%% and that the older messages stay in order.

main(_) ->
    fill(500),
    io:format("calls: ~p~n", [self_calls(1000, 0)]),
    Server = spawn(fun server/0),
    io:format("server: ~p~n", [[call(Server, {double, I}) || I <- [1, 2, 3]]]),
    io:format("crash: ~p~n", [catch call(Server, crash)]),
    io:format("dead: ~p~n", [catch call(Server, {double, 1})]),
    removed_before_marker(),
    removed_at_marker(),
    two_refs(),
    io:format("timer: ~p~n", [timer_msg()]),
    io:format("old ref: ~p~n", [old_ref()]),
    io:format("in a fun: ~p~n", [(fun(R) -> self() ! {R, fun_ok}, receive {R, X} -> X end end)(make_ref())]),
    io:format("after: ~p~n", [timeout_case()]),
    down_flush(),
    Left = drain([]),
    io:format("left: ~p first ~p last ~p~n", [length(Left), hd(Left), lists:last(Left)]).

fill(0) -> ok;
fill(N) -> self() ! {junk, N}, fill(N - 1).

self_calls(0, Acc) -> Acc;
self_calls(N, Acc) ->
    Ref = make_ref(),
    self() ! {other, N},
    self() ! {Ref, N},
    receive {Ref, X} -> self_calls(N - 1, Acc + X) end.

server() ->
    receive
        {call, From, Ref, {double, X}} -> From ! {Ref, 2 * X}, server();
        {call, _, _, crash} -> exit(crashed)
    end.

call(Pid, Req) ->
    Ref = erlang:monitor(process, Pid),
    Pid ! {call, self(), Ref, Req},
    receive
        {Ref, Reply} -> erlang:demonitor(Ref, [flush]), Reply;
        {'DOWN', Ref, process, _, Reason} -> exit(Reason)
    end.

%% An older message leaves the mailbox after the reference was made: the
%% reply that then sits where that message was must still be found.
removed_before_marker() ->
    self() ! first,
    sync(),
    Ref = make_ref(),
    receive first -> ok end,
    self() ! {Ref, found},
    R = receive {Ref, X} -> X after 100 -> missed end,
    io:format("removed before marker: ~p~n", [R]).

removed_at_marker() ->
    sync(),
    Ref = make_ref(),
    self() ! second,
    self() ! {Ref, found},
    receive second -> ok end,
    R = receive {Ref, X} -> X after 100 -> missed end,
    io:format("removed at marker: ~p~n", [R]).

%% The first reference's messages arrive between the two creations.
two_refs() ->
    R1 = make_ref(),
    self() ! {R1, one},
    R2 = make_ref(),
    self() ! {R2, two},
    B = receive {R2, Y} -> Y after 100 -> missed end,
    A = receive {R1, X} -> X after 100 -> missed end,
    io:format("two refs: ~p ~p~n", [A, B]).

timer_msg() ->
    T = erlang:start_timer(5, self(), hello),
    receive {timeout, T, M} -> M end.

%% A reference that came in a message was not made here: the receive scans
%% from the start and finds the older message.
old_ref() ->
    Me = self(),
    spawn(fun() -> Ref = make_ref(), Me ! {Ref, early}, Me ! {carry, Ref} end),
    Carried = receive {carry, C} -> C end,
    receive {Carried, X} -> X after 100 -> missed end.

%% Move what has arrived into the mailbox proper.
sync() ->
    receive never_sent -> ok after 0 -> ok end.

timeout_case() ->
    Ref = make_ref(),
    receive {Ref, _} -> got after 10 -> timeout end.

%% demonitor/2 with flush after the 'DOWN' arrived, and the monitor list.
down_flush() ->
    {P, M} = spawn_monitor(fun() -> ok end),
    receive after 20 -> ok end,
    sync(),
    {monitors, Ms} = process_info(self(), monitors),
    Info = erlang:demonitor(M, [flush, info]),
    Left = receive {'DOWN', M, _, _, _} -> still_there after 0 -> gone end,
    P2 = spawn(fun() -> receive stop -> ok end end),
    M2 = monitor(process, P2),
    {monitors, Ms2} = process_info(self(), monitors),
    Active = erlang:demonitor(M2, [flush, info]),
    P2 ! stop,
    receive after 20 -> ok end,
    Late = receive {'DOWN', M2, _, _, _} -> late_down after 0 -> no_down end,
    Named = monitor(process, no_such_name),
    N = receive {'DOWN', Named, process, Obj, R} -> {Obj, R} end,
    io:format("down flush: ~p ~p ~p ~p ~p ~p ~p ~p~n",
              [Ms, Info, Left, Ms2 =:= [{process, P2}], Active, Late, N, is_pid(P)]).

drain(Acc) ->
    receive M -> drain([M | Acc]) after 0 -> lists:reverse(Acc) end.
