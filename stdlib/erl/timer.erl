%% The timer module, written for Beryl with OTP 25's API. Timers for
%% local pids are erlang:send_after/3; the others are run by a registered
%% timer server that gives each timer a process of its own.
-module(timer).
-export([apply_after/4, send_after/3, send_after/2, exit_after/3, exit_after/2,
         kill_after/2, kill_after/1, apply_interval/4, send_interval/3,
         send_interval/2, cancel/1, sleep/1, tc/1, tc/2, tc/3, now_diff/2,
         seconds/1, minutes/1, hours/1, hms/3]).
-export([start/0, send/1]).

-define(MAX_RECEIVE_AFTER, 16#ffffffff).
-define(valid_time(T), is_integer(T), T >= 0).
-define(valid_mfa(M, F, A), is_atom(M), is_atom(F), is_list(A)).

apply_after(0, M, F, A) when ?valid_mfa(M, F, A) ->
    do_apply({M, F, A}),
    {ok, {instant, make_ref()}};
apply_after(Time, M, F, A) when ?valid_time(Time), ?valid_mfa(M, F, A) ->
    req(apply_once, {Time, {M, F, A}});
apply_after(_Time, _M, _F, _A) ->
    {error, badarg}.

send_after(0, Dest, Message) when is_pid(Dest); is_atom(Dest) ->
    Dest ! Message,
    {ok, {instant, make_ref()}};
send_after(0, {RegName, Node} = Dest, Message) when is_atom(RegName), is_atom(Node) ->
    Dest ! Message,
    {ok, {instant, make_ref()}};
send_after(Time, Pid, Message) when ?valid_time(Time), is_pid(Pid), node(Pid) =:= node() ->
    {ok, {send_local, erlang:send_after(Time, Pid, Message)}};
send_after(Time, Pid, Message) when is_pid(Pid) ->
    apply_after(Time, ?MODULE, send, [[Pid, Message]]);
send_after(Time, RegName, Message) when is_atom(RegName) ->
    apply_after(Time, ?MODULE, send, [[RegName, Message]]);
send_after(Time, {RegName, Node} = Dest, Message) when is_atom(RegName), is_atom(Node) ->
    apply_after(Time, ?MODULE, send, [[Dest, Message]]);
send_after(_Time, _Dest, _Message) ->
    {error, badarg}.

send_after(Time, Message) ->
    send_after(Time, self(), Message).

exit_after(Time, Pid, Reason) ->
    apply_after(Time, erlang, exit, [Pid, Reason]).

exit_after(Time, Reason) ->
    exit_after(Time, self(), Reason).

kill_after(Time, Pid) ->
    exit_after(Time, Pid, kill).

kill_after(Time) ->
    exit_after(Time, self(), kill).

apply_interval(Time, M, F, A) when ?valid_time(Time), ?valid_mfa(M, F, A) ->
    req(apply_interval, {Time, self(), {M, F, A}});
apply_interval(_Time, _M, _F, _A) ->
    {error, badarg}.

send_interval(Time, Pid, Message) when ?valid_time(Time), is_pid(Pid) ->
    req(apply_interval, {Time, Pid, {?MODULE, send, [[Pid, Message]]}});
send_interval(Time, RegName, Message) when ?valid_time(Time), is_atom(RegName) ->
    req(apply_interval, {Time, RegName, {?MODULE, send, [[RegName, Message]]}});
send_interval(Time, {RegName, Node} = Dest, Message)
  when ?valid_time(Time), is_atom(RegName), is_atom(Node) ->
    req(apply_interval, {Time, Dest, {?MODULE, send, [[Dest, Message]]}});
send_interval(_Time, _Pid, _Message) ->
    {error, badarg}.

send_interval(Time, Message) ->
    send_interval(Time, self(), Message).

cancel({instant, Ref}) when is_reference(Ref) ->
    {ok, cancel};
cancel({send_local, Ref}) when is_reference(Ref) ->
    _ = erlang:cancel_timer(Ref),
    {ok, cancel};
cancel({once, Ref} = TRef) when is_reference(Ref) ->
    req(cancel, TRef);
cancel({interval, Ref} = TRef) when is_reference(Ref) ->
    req(cancel, TRef);
cancel(_TRef) ->
    {error, badarg}.

sleep(T) when is_integer(T), T > ?MAX_RECEIVE_AFTER ->
    receive after ?MAX_RECEIVE_AFTER -> sleep(T - ?MAX_RECEIVE_AFTER) end;
sleep(T) ->
    receive after T -> ok end.

tc(F) ->
    T1 = erlang:monotonic_time(),
    Val = F(),
    T2 = erlang:monotonic_time(),
    {erlang:convert_time_unit(T2 - T1, native, microsecond), Val}.

tc(F, A) ->
    T1 = erlang:monotonic_time(),
    Val = apply(F, A),
    T2 = erlang:monotonic_time(),
    {erlang:convert_time_unit(T2 - T1, native, microsecond), Val}.

tc(M, F, A) ->
    T1 = erlang:monotonic_time(),
    Val = apply(M, F, A),
    T2 = erlang:monotonic_time(),
    {erlang:convert_time_unit(T2 - T1, native, microsecond), Val}.

now_diff({A2, B2, C2}, {A1, B1, C1}) ->
    ((A2 - A1) * 1000000 + B2 - B1) * 1000000 + C2 - C1.

seconds(Seconds) -> 1000 * Seconds.
minutes(Minutes) -> 1000 * 60 * Minutes.
hours(Hours) -> 1000 * 60 * 60 * Hours.
hms(H, M, S) -> hours(H) + minutes(M) + seconds(S).

%% ------------------------------------------------------------------ server

start() ->
    _ = server(),
    ok.

%% The timer server's pid, started on first use (the first to register
%% it wins; a loser's server is discarded).
server() ->
    case whereis(timer_server) of
        undefined ->
            Pid = spawn(fun() -> server_loop(#{}) end),
            try register(timer_server, Pid) of
                true -> Pid
            catch
                error:badarg -> exit(Pid, kill), server()
            end;
        Pid ->
            Pid
    end.

req(Req, Arg) ->
    Server = server(),
    Mref = monitor(process, Server),
    Server ! {Req, self(), Mref, Arg},
    receive
        {Mref, Reply} -> demonitor(Mref, [flush]), Reply;
        {'DOWN', Mref, process, _, Reason} -> {error, Reason}
    end.

server_loop(Timers) ->
    receive
        {apply_once, From, Mref, {Time, MFA}} ->
            Ref = make_ref(),
            Worker = spawn(fun() -> receive after Time -> do_apply(MFA) end end),
            monitor(process, Worker),
            From ! {Mref, {ok, {once, Ref}}},
            server_loop(Timers#{Ref => Worker, Worker => Ref});
        {apply_interval, From, Mref, {Time, Owner, MFA}} ->
            Ref = make_ref(),
            Worker = spawn(fun() -> interval_init(Owner, Time, MFA) end),
            monitor(process, Worker),
            From ! {Mref, {ok, {interval, Ref}}},
            server_loop(Timers#{Ref => Worker, Worker => Ref});
        {cancel, From, Mref, {_, Ref}} ->
            From ! {Mref, {ok, cancel}},
            case Timers of
                #{Ref := Worker} ->
                    exit(Worker, kill),
                    server_loop(maps:remove(Worker, maps:remove(Ref, Timers)));
                _ ->
                    server_loop(Timers)
            end;
        {'DOWN', _, process, Worker, _} ->
            case Timers of
                #{Worker := Ref} -> server_loop(maps:remove(Ref, maps:remove(Worker, Timers)));
                _ -> server_loop(Timers)
            end;
        _ ->
            server_loop(Timers)
    end.

%% An interval timer runs until cancelled or until its owner ends.
interval_init(Owner, Time, MFA) ->
    Mref = case get_pid(Owner) of
               undefined -> exit(normal);
               Pid -> monitor(process, Pid)
           end,
    Start = erlang:monotonic_time(millisecond),
    interval_loop(Mref, Start + Time, Time, MFA).

interval_loop(Mref, Next, Time, MFA) ->
    Wait = max(0, Next - erlang:monotonic_time(millisecond)),
    receive
        {'DOWN', Mref, process, _, _} -> ok
    after Wait ->
        do_apply(MFA),
        interval_loop(Mref, Next + Time, Time, MFA)
    end.

do_apply({?MODULE, send, [A]}) ->
    send(A);
do_apply({erlang, exit, [Name, Reason]}) ->
    catch exit(get_pid(Name), Reason);
do_apply({M, F, A}) ->
    catch spawn(M, F, A).

send([Dest, Msg]) ->
    catch Dest ! Msg.

get_pid(Name) when is_pid(Name) -> Name;
get_pid(undefined) -> undefined;
get_pid(Name) when is_atom(Name) -> get_pid(whereis(Name));
get_pid(_) -> undefined.
