%% gen_statem: the generic state machine behaviour, with OTP 25's callback
%% modes (state_functions, handle_event_function, state_enter), callback
%% results, transition actions, event queue and timeouts.
%%
%% The semantics follow OTP's gen_statem:
%% - An event is handled by `Mod:State(Type, Content, Data)` or
%%   `Mod:handle_event(Type, Content, State, Data)`; a `throw` is a result.
%% - Replies in the action list are sent as the list is processed; the last
%%   timeout of each kind wins.
%% - A postponed event is retried after the next state change, before the
%%   events inserted by `next_event` actions... which in turn come before
%%   the rest of the queue: queue = NextEvents ++ Postponed ++ Queue.
%% - Any handled event cancels the event timeout; a state change cancels the
%%   state timeout. Timeouts of time 0 are queued internally (OTP's `t0q`)
%%   and fire as soon as the event queue is empty, before the mailbox is
%%   read again; other timeouts are `erlang:start_timer/4` timers.
%% - With `state_enter`, a state change (or repeat_state) calls the new
%%   state with `(enter, OldState, Data)`; that call may not change state,
%%   postpone or insert events.
-module(gen_statem).
-export([start/3, start/4, start_link/3, start_link/4, start_monitor/3, start_monitor/4,
         stop/1, stop/3, cast/2, call/2, call/3, send_request/2, send_request/4,
         wait_response/3, receive_response/3, check_response/3,
         reqids_new/0, reqids_size/1, reqids_add/3, reqids_to_list/1,
         wait_response/1, wait_response/2, receive_response/1, receive_response/2,
         check_response/2, reply/1, reply/2,
         enter_loop/4, enter_loop/5, enter_loop/6, init_it/6,
         system_continue/3, system_terminate/4, system_get_state/1,
         system_replace_state/2, wakeup_from_hibernate/2]).

%% The callbacks (behaviour_info/1 is generated from these).
-callback init(Args :: term()) -> term().
-callback callback_mode() -> term().
-callback state_name(EventType :: term(), EventContent :: term(), Data :: term()) -> term().
-callback handle_event(EventType :: term(), EventContent :: term(), State :: term(),
                       Data :: term()) -> term().
-callback terminate(Reason :: term(), State :: term(), Data :: term()) -> term().
-callback code_change(OldVsn :: term(), State :: term(), Data :: term(), Extra :: term()) -> term().
-callback format_status(Opt :: term(), StatusData :: list()) -> term().
-callback format_status(Status :: map()) -> map().
-optional_callbacks([format_status/1, format_status/2, terminate/3, code_change/4,
                     state_name/3, handle_event/4]).

-record(p, {parent, name, module, callback_mode, state_enter = false}).
-record(s, {state, data, postponed = [], timers = #{t0q => []}, hibernate = false}).

%% ------------------------------------------------------------------ start

start(Module, Args, Opts) -> gen:start(?MODULE, nolink, Module, Args, Opts).
start(Name, Module, Args, Opts) -> gen:start(?MODULE, nolink, Name, Module, Args, Opts).
start_link(Module, Args, Opts) -> gen:start(?MODULE, link, Module, Args, Opts).
start_link(Name, Module, Args, Opts) -> gen:start(?MODULE, link, Name, Module, Args, Opts).
start_monitor(Module, Args, Opts) -> gen:start(?MODULE, monitor, Module, Args, Opts).
start_monitor(Name, Module, Args, Opts) -> gen:start(?MODULE, monitor, Name, Module, Args, Opts).

stop(ServerRef) -> proc_lib:stop(ServerRef, normal, infinity).
stop(ServerRef, Reason, Timeout) -> proc_lib:stop(ServerRef, Reason, Timeout).

%% ------------------------------------------------------------------ calls

cast(ServerRef, Msg) when is_pid(ServerRef); is_atom(ServerRef) ->
    send(ServerRef, {'$gen_cast', Msg});
cast({global, _} = Name, Msg) ->
    send(gen:where(Name), {'$gen_cast', Msg});
cast({via, Mod, Name}, Msg) ->
    try Mod:send(Name, {'$gen_cast', Msg}), ok catch _:_ -> ok end;
cast({Name, Node} = ServerRef, Msg) when is_atom(Name), is_atom(Node) ->
    send(ServerRef, {'$gen_cast', Msg}).

send(Proc, Msg) ->
    try erlang:send(Proc, Msg) catch error:_ -> ok end,
    ok.

call(ServerRef, Request) -> call(ServerRef, Request, infinity).

call(ServerRef, Request, Timeout) ->
    T = case Timeout of
            {dirty_timeout, T0} -> T0;
            {clean_timeout, T0} -> T0;
            _ -> Timeout
        end,
    case catch gen:call(ServerRef, '$gen_call', Request, T) of
        {ok, Reply} -> Reply;
        {'EXIT', Reason} -> exit({Reason, {?MODULE, call, [ServerRef, Request, Timeout]}})
    end.

send_request(Name, Request) -> gen:send_request(Name, '$gen_call', Request).
wait_response(ReqId) -> gen:wait_response(ReqId, infinity).
wait_response(ReqId, Timeout) -> gen:wait_response(ReqId, Timeout).
receive_response(ReqId) -> gen:receive_response(ReqId, infinity).
receive_response(ReqId, Timeout) -> gen:receive_response(ReqId, Timeout).
check_response(Msg, ReqId) -> gen:check_response(Msg, ReqId).
send_request(Name, Request, Label, Col) ->
    gen:reqids_add(send_request(Name, Request), Label, Col).
wait_response(Col, Timeout, Delete) -> gen:wait_response(Col, Timeout, Delete).
receive_response(Col, Timeout, Delete) -> gen:receive_response(Col, Timeout, Delete).
check_response(Msg, Col, Delete) -> gen:check_response(Msg, Col, Delete).
reqids_new() -> gen:reqids_new().
reqids_size(Col) -> gen:reqids_size(Col).
reqids_add(ReqId, Label, Col) -> gen:reqids_add(ReqId, Label, Col).
reqids_to_list(Col) -> gen:reqids_to_list(Col).

reply({reply, From, Reply}) -> reply(From, Reply);
reply(Replies) when is_list(Replies) -> [reply(R) || R <- Replies], ok.

reply(From, Reply) -> gen:reply(From, Reply).

%% ------------------------------------------------------------ enter_loop

enter_loop(Module, Opts, State, Data) ->
    enter_loop(Module, Opts, State, Data, self()).
enter_loop(Module, Opts, State, Data, Server_or_Actions) ->
    if
        is_list(Server_or_Actions) ->
            enter_loop(Module, Opts, State, Data, self(), Server_or_Actions);
        true ->
            enter_loop(Module, Opts, State, Data, Server_or_Actions, [])
    end.
enter_loop(Module, _Opts, State, Data, Server, Actions) ->
    Parent = gen:get_parent(),
    enter(Parent, Server, Module, State, Data, Actions).

%% ------------------------------------------------------------------ init

init_it(Starter, Parent, Name0, Module, Args, _Opts) ->
    Result = try Module:init(Args)
             catch
                 throw:R -> R;
                 Class:Reason0:Stacktrace ->
                     gen:unregister_name(Name0),
                     proc_lib:init_ack(Starter, {error, Reason0}),
                     erlang:raise(Class, Reason0, Stacktrace)
             end,
    case Result of
        {ok, State, Data} ->
            proc_lib:init_ack(Starter, {ok, self()}),
            enter(Parent, Name0, Module, State, Data, []);
        {ok, State, Data, Actions} ->
            proc_lib:init_ack(Starter, {ok, self()}),
            enter(Parent, Name0, Module, State, Data, Actions);
        {stop, Reason} ->
            gen:unregister_name(Name0),
            proc_lib:init_ack(Starter, {error, Reason}),
            exit(Reason);
        ignore ->
            gen:unregister_name(Name0),
            proc_lib:init_ack(Starter, ignore),
            exit(normal);
        Else ->
            Error = {bad_return_from_init, Else},
            gen:unregister_name(Name0),
            proc_lib:init_ack(Starter, {error, Error}),
            exit(Error)
    end.

enter(Parent, Name0, Module, State, Data, Actions) ->
    Name = case Name0 of
               Pid when is_pid(Pid) -> Pid;
               _ -> gen:name(Name0)
           end,
    P0 = #p{parent = Parent, name = Name, module = Module},
    S = #s{state = State, data = Data},
    case callback_mode(P0, Module) of
        {ok, P} ->
            %% The initial state is entered as from itself.
            actions(P, S, [], {State, Data}, true, true, listify(Actions), new_acc());
        {error, Class, Reason, Stacktrace} ->
            terminate(Class, Reason, Stacktrace, P0, S, [])
    end.

callback_mode(P, Module) ->
    try Module:callback_mode() of
        Result -> callback_mode_result(P, Result)
    catch
        throw:Result -> callback_mode_result(P, Result);
        Class:Reason:Stacktrace -> {error, Class, Reason, Stacktrace}
    end.

callback_mode_result(P, Result) ->
    Parsed = lists:foldl(
               fun(state_functions, {_, E}) -> {state_functions, E};
                  (handle_event_function, {_, E}) -> {handle_event_function, E};
                  (state_enter, {M, _}) -> {M, true};
                  (_, _) -> bad
               end, {undefined, false}, listify(Result)),
    case Parsed of
        {Mode, Enter} when Mode =/= undefined ->
            {ok, P#p{callback_mode = Mode, state_enter = Enter}};
        _ ->
            {error, error, {bad_return_from_callback_mode, Result}, []}
    end.

%% ------------------------------------------------------------------ loop

loop(P, #s{hibernate = true} = S) ->
    proc_lib:hibernate(?MODULE, wakeup_from_hibernate, [P, S#s{hibernate = false}]);
loop(P, S) ->
    receive
        Msg -> received(P, S, Msg)
    end.

wakeup_from_hibernate(P, S) -> loop(P, S).

received(P, S, Msg) ->
    case Msg of
        {'$gen_call', From, Request} ->
            event(P, S, {{call, From}, Request}, []);
        {'$gen_cast', Cast} ->
            event(P, S, {cast, Cast}, []);
        {timeout, TimerRef, TimeoutType} ->
            case S#s.timers of
                #{TimeoutType := {TimerRef, TimeoutMsg}} = Timers when TimeoutType =/= t0q ->
                    S1 = S#s{timers = maps:remove(TimeoutType, Timers)},
                    event(P, S1, {TimeoutType, TimeoutMsg}, []);
                #{} ->
                    event(P, S, {info, Msg}, [])
            end;
        {system, From, Req} ->
            system_msg(Req, From, P, S);
        {'EXIT', Pid, Reason} when Pid =:= P#p.parent ->
            terminate(exit, Reason, [], P, S, []);
        _ ->
            event(P, S, {info, Msg}, [])
    end.

system_msg(get_state, From, P, S) ->
    gen:reply(From, {ok, {S#s.state, S#s.data}}),
    loop(P, S);
system_msg({replace_state, StateFun}, From, P, S) ->
    try StateFun({S#s.state, S#s.data}) of
        {NState, NData} = New ->
            gen:reply(From, {ok, New}),
            loop(P, S#s{state = NState, data = NData})
    catch
        _:_ ->
            gen:reply(From, {error, bad_state_fun}),
            loop(P, S)
    end;
system_msg({terminate, Reason}, _From, P, S) ->
    terminate(exit, Reason, [], P, S, []);
system_msg(get_status, From, P, S) ->
    gen:reply(From, {ok, {status, self(), {module, ?MODULE},
                          [get(), running, P#p.parent, [],
                           [{header, gen:format_status_header("Status for state machine",
                                                              P#p.name)},
                            {data, [{"Status", running}, {"Parent", P#p.parent},
                                    {"Modules", [P#p.module]},
                                    {"Time-outs", {0, []}},
                                    {"Logged Events", []},
                                    {"Postponed", S#s.postponed}]},
                            {data, [{"State", {S#s.state, S#s.data}}]}]]}}),
    loop(P, S);
system_msg(suspend, From, P, S) ->
    gen:reply(From, ok),
    suspended(P, S);
system_msg(resume, From, P, S) ->
    gen:reply(From, ok),
    loop(P, S);
system_msg({change_code, _, OldVsn, Extra}, From, P, S) ->
    Module = P#p.module,
    case catch Module:code_change(OldVsn, S#s.state, S#s.data, Extra) of
        {ok, NState, NData} ->
            gen:reply(From, ok),
            loop(P, S#s{state = NState, data = NData});
        Else ->
            gen:reply(From, Else),
            loop(P, S)
    end;
system_msg(Other, From, P, S) ->
    gen:reply(From, {error, {unknown_system_msg, Other}}),
    loop(P, S).

suspended(P, S) ->
    receive
        {system, From, resume} ->
            gen:reply(From, ok),
            loop(P, S);
        {system, From, {terminate, _} = Req} ->
            system_msg(Req, From, P, S);
        {system, From, get_state} ->
            gen:reply(From, {ok, {S#s.state, S#s.data}}),
            suspended(P, S);
        {system, From, _} ->
            gen:reply(From, ok),
            suspended(P, S);
        {'EXIT', Pid, Reason} when Pid =:= P#p.parent ->
            terminate(exit, Reason, [], P, S, [])
    end.

system_continue(_Parent, _Debug, {P, S}) -> loop(P, S).
system_terminate(Reason, _Parent, _Debug, {P, S}) -> terminate(exit, Reason, [], P, S, []).
system_get_state({_P, S}) -> {ok, {S#s.state, S#s.data}}.
system_replace_state(StateFun, {P, S}) ->
    {NState, NData} = Result = StateFun({S#s.state, S#s.data}),
    {ok, Result, {P, S#s{state = NState, data = NData}}}.

%% ----------------------------------------------------------- one event

%% Handle Event with the queue of events after it.
event(P, #s{hibernate = true} = S, Event, Events) ->
    _ = garbage_collect(),
    event(P, S#s{hibernate = false}, Event, Events);
event(P, S, {Type, Content} = Event, Events) ->
    Q = [Event | Events],
    Result = call_state(P, S#s.state, S#s.data, Type, Content),
    result(P, S, Q, {S#s.state, S#s.data}, true, Result).

call_state(P, State, Data, Type, Content) ->
    Module = P#p.module,
    try
        case P#p.callback_mode of
            state_functions -> {ok, Module:State(Type, Content, Data)};
            handle_event_function -> {ok, Module:handle_event(Type, Content, State, Data)}
        end
    catch
        throw:Result -> {ok, Result};
        Class:Reason:Stacktrace -> {error, Class, Reason, Stacktrace}
    end.

%% Acc: replies are sent at once; next_events (reversed), hibernate,
%% timeouts (reversed) and postpone are collected.
new_acc() -> {[], false, [], false}.

%% The result of a state callback. StateCall is false for state enter
%% calls.
result(P, S, Q, _StateData, _StateCall, {error, Class, Reason, Stacktrace}) ->
    terminate(Class, Reason, Stacktrace, P, S, Q);
result(P, S, Q, StateData, StateCall, {ok, Result}) ->
    result(P, S, Q, StateData, StateCall, Result, new_acc()).

result(P, S, Q, {State, Data} = StateData, StateCall, Result, Acc) ->
    Bad = fun(Tag) ->
                  terminate(error, {Tag, Result}, [], P,
                            S#s{state = State, data = Data}, Q)
          end,
    case Result of
        {next_state, State, NewData} ->
            actions(P, S, Q, {State, NewData}, false, StateCall, [], Acc);
        {next_state, NextState, NewData} when StateCall ->
            check_state(P, NextState, Bad,
                        fun() -> actions(P, S, Q, {NextState, NewData}, true, StateCall, [], Acc) end);
        {next_state, _, _} ->
            Bad(bad_state_enter_return_from_state_function);
        {next_state, State, NewData, Actions} ->
            actions(P, S, Q, {State, NewData}, false, StateCall, listify(Actions), Acc);
        {next_state, NextState, NewData, Actions} when StateCall ->
            check_state(P, NextState, Bad,
                        fun() ->
                                actions(P, S, Q, {NextState, NewData}, true, StateCall,
                                        listify(Actions), Acc)
                        end);
        {next_state, _, _, _} ->
            Bad(bad_state_enter_return_from_state_function);
        {keep_state, NewData} ->
            actions(P, S, Q, {State, NewData}, false, StateCall, [], Acc);
        {keep_state, NewData, Actions} ->
            actions(P, S, Q, {State, NewData}, false, StateCall, listify(Actions), Acc);
        keep_state_and_data ->
            actions(P, S, Q, StateData, false, StateCall, [], Acc);
        {keep_state_and_data, Actions} ->
            actions(P, S, Q, StateData, false, StateCall, listify(Actions), Acc);
        {repeat_state, NewData} ->
            actions(P, S, Q, {State, NewData}, true, StateCall, [], Acc);
        {repeat_state, NewData, Actions} ->
            actions(P, S, Q, {State, NewData}, true, StateCall, listify(Actions), Acc);
        repeat_state_and_data ->
            actions(P, S, Q, StateData, true, StateCall, [], Acc);
        {repeat_state_and_data, Actions} ->
            actions(P, S, Q, StateData, true, StateCall, listify(Actions), Acc);
        stop ->
            terminate(exit, normal, [], P, S#s{state = State, data = Data}, Q);
        {stop, Reason} ->
            terminate(exit, Reason, [], P, S#s{state = State, data = Data}, Q);
        {stop, Reason, NewData} ->
            terminate(exit, Reason, [], P, S#s{state = State, data = NewData}, Q);
        {stop_and_reply, Reason, Replies} ->
            reply_then_terminate(Reason, P, S#s{state = State, data = Data}, Q,
                                 listify(Replies));
        {stop_and_reply, Reason, Replies, NewData} ->
            reply_then_terminate(Reason, P, S#s{state = State, data = NewData}, Q,
                                 listify(Replies));
        _ ->
            Bad(bad_return_from_state_function)
    end.

%% With state functions a state must be an atom (it names a function).
check_state(#p{callback_mode = state_functions}, NextState, Bad, _Continue)
  when not is_atom(NextState) ->
    Bad(bad_return_from_state_function);
check_state(_, _, _, Continue) ->
    Continue().

reply_then_terminate(Reason, P, S, Q, [{reply, From, Reply} | Rs]) ->
    gen:reply(From, Reply),
    reply_then_terminate(Reason, P, S, Q, Rs);
reply_then_terminate(Reason, P, S, Q, []) ->
    terminate(exit, Reason, [], P, S, Q);
reply_then_terminate(_Reason, P, S, Q, [R | _]) ->
    terminate(error, {bad_reply_action_from_state_function, R}, [], P, S, Q).

%% Process the action list, then go on to the state enter call (when the
%% state changed or repeats and state_enter is on) or the transition.
actions(P, S, Q, StateData, CallEnter, _StateCall, [], Acc) ->
    case CallEnter andalso P#p.state_enter of
        true -> state_enter(P, S, Q, StateData, Acc);
        false -> transition(P, S, Q, StateData, Acc)
    end;
actions(P, S, Q, {State, Data} = StateData, CallEnter, StateCall, [Action | Actions],
        {NextEventsR, Hib, TimeoutsR, Postpone} = Acc) ->
    Next = fun(Acc1) -> actions(P, S, Q, StateData, CallEnter, StateCall, Actions, Acc1) end,
    Bad = fun(Tag) ->
                  terminate(error, {Tag, Action}, [], P, S#s{state = State, data = Data}, Q)
          end,
    case Action of
        {reply, From, Reply} ->
            case is_from(From) of
                true ->
                    gen:reply(From, Reply),
                    Next(Acc);
                false -> Bad(bad_action_from_state_function)
            end;
        {hibernate, H} when is_boolean(H) -> Next({NextEventsR, H, TimeoutsR, Postpone});
        hibernate -> Next({NextEventsR, true, TimeoutsR, Postpone});
        {postpone, Pp} when not Pp orelse StateCall -> Next({NextEventsR, Hib, TimeoutsR, Pp});
        postpone when StateCall -> Next({NextEventsR, Hib, TimeoutsR, true});
        postpone -> Bad(bad_state_enter_action_from_state_function);
        {next_event, Type, Content} ->
            case is_event_type(Type) of
                true when StateCall ->
                    Next({[{Type, Content} | NextEventsR], Hib, TimeoutsR, Postpone});
                true -> Bad(bad_state_enter_action_from_state_function);
                false -> Bad(bad_action_from_state_function)
            end;
        _ ->
            case timeout_action(Action) of
                {ok, Timeout} -> Next({NextEventsR, Hib, [Timeout | TimeoutsR], Postpone});
                error -> Bad(bad_action_from_state_function)
            end
    end.

%% A timeout action as {Type, Time | update, Msg[, Opts]}; cancel is a time
%% of infinity.
timeout_action(Time) when is_integer(Time), Time >= 0; Time =:= infinity ->
    {ok, {timeout, Time, Time, []}};
timeout_action({Type, cancel}) ->
    case is_timeout_type(Type) of
        true -> {ok, {Type, infinity, undefined, []}};
        false -> error
    end;
timeout_action({Type, Time, Msg}) ->
    timeout_action({Type, Time, Msg, []});
timeout_action({Type, Time, Msg, Opts}) ->
    Abs = case listify(Opts) of
              [] -> false;
              [{abs, B}] when is_boolean(B) -> B;
              _ -> bad
          end,
    Valid = is_timeout_type(Type) andalso
        case Abs of
            false -> Time =:= infinity orelse Time =:= update orelse
                         (is_integer(Time) andalso Time >= 0);
            true -> is_integer(Time) orelse Time =:= infinity;
            bad -> false
        end,
    case Valid of
        true -> {ok, {Type, Time, Msg, listify(Opts)}};
        false -> error
    end;
timeout_action(_) ->
    error.

is_timeout_type(timeout) -> true;
is_timeout_type(state_timeout) -> true;
is_timeout_type({timeout, _}) -> true;
is_timeout_type(_) -> false.

is_event_type({call, From}) -> is_from(From);
is_event_type(Type) ->
    lists:member(Type, [cast, info, internal, timeout, state_timeout])
        orelse case Type of
                   {timeout, _} -> true;
                   _ -> false
               end.

is_from({Pid, _}) when is_pid(Pid) -> true;
is_from(_) -> false.

state_enter(P, S, Q, {NextState, NewData} = StateData, Acc) ->
    PrevState = S#s.state,
    Result = call_state(P, NextState, NewData, enter, PrevState),
    case Result of
        {error, Class, Reason, Stacktrace} ->
            terminate(Class, Reason, Stacktrace, P, S, Q);
        {ok, R} ->
            result(P, S, Q, StateData, false, R, Acc)
    end.

%% The event at the head of Q was handled: postpone it or not, requeue
%% postponed events on a state change, cancel and start timeouts, and go on
%% with the next event.
transition(P, S, [Event | Events], StateData, Acc) ->
    transition(P, S, Event, Events, StateData, Acc);
transition(P, S, [], StateData, Acc) ->
    %% From init or enter_loop: no event was being handled.
    transition(P, S, none, [], StateData, Acc).

transition(P, #s{state = State, postponed = Postponed0, timers = Timers0} = S,
           Event, Events, {NextState, NewData}, {NextEventsR, Hib, TimeoutsR, Postpone}) ->
    Postponed1 = case Postpone andalso Event =/= none of
                     true -> [Event | Postponed0];
                     false -> Postponed0
                 end,
    Timers1 = cancel_timeout(timeout, Timers0),
    {Events1, Postponed2, Timers2} =
        case NextState =:= State andalso Event =/= none of
            true ->
                {Events, Postponed1, Timers1};
            false when Event =:= none ->
                {Events, Postponed1, Timers1};
            false ->
                {lists:reverse(Postponed1, Events), [], cancel_timeout(state_timeout, Timers1)}
        end,
    Timers3 = start_timeouts(lists:reverse(TimeoutsR), Timers2),
    S1 = S#s{state = NextState, data = NewData, postponed = Postponed2, timers = Timers3,
             hibernate = Hib},
    done(P, S1, lists:reverse(NextEventsR, Events1)).

%% Timeouts in the order given; a later one of the same type replaces an
%% earlier one.
start_timeouts([], Timers) ->
    Timers;
start_timeouts([{Type, Time, Msg, Opts} | Rest], Timers) ->
    Later = [T || T <- Rest, element(1, T) =:= Type],
    case Later of
        [_ | _] ->
            start_timeouts(Rest, Timers);
        [] ->
            start_timeouts(Rest, start_timeout(Type, Time, Msg, Opts, Timers))
    end.

start_timeout(Type, infinity, _Msg, _Opts, Timers) ->
    cancel_timeout(Type, Timers);
start_timeout(Type, update, Msg, _Opts, Timers) ->
    case Timers of
        #{Type := {TimerRef, _}} -> Timers#{Type := {TimerRef, Msg}};
        #{t0q := T0Q} -> Timers#{Type => {0, Msg}, t0q := T0Q ++ [Type]}
    end;
start_timeout(Type, 0, Msg, [], Timers) ->
    Timers1 = cancel_timeout(Type, Timers),
    #{t0q := T0Q} = Timers1,
    Timers1#{Type => {0, Msg}, t0q := T0Q ++ [Type]};
start_timeout(Type, Time, Msg, Opts, Timers) ->
    Timers1 = cancel_timeout(Type, Timers),
    TimerRef = erlang:start_timer(Time, self(), Type, Opts),
    Timers1#{Type => {TimerRef, Msg}}.

cancel_timeout(Type, Timers) ->
    case Timers of
        #{Type := {0, _}, t0q := T0Q} ->
            maps:remove(Type, Timers#{t0q := lists:delete(Type, T0Q)});
        #{Type := {TimerRef, _}} ->
            case erlang:cancel_timer(TimerRef) of
                false -> receive {timeout, TimerRef, _} -> ok after 0 -> ok end;
                _ -> ok
            end,
            maps:remove(Type, Timers);
        #{} ->
            Timers
    end.

%% Next event: from the queue, then a zero-time timeout, then the mailbox.
done(P, S, [Event | Events]) ->
    event(P, S, Event, Events);
done(P, S, []) ->
    case S#s.timers of
        #{t0q := [Type | _]} = Timers ->
            #{Type := {0, Msg}} = Timers,
            event(P, S#s{timers = cancel_timeout(Type, Timers)}, {Type, Msg}, []);
        #{} ->
            loop(P, S)
    end.

%% ------------------------------------------------------------- terminate

terminate(Class, Reason, Stacktrace, P, S, Q) ->
    Module = P#p.module,
    case erlang:function_exported(Module, terminate, 3) of
        true ->
            try Module:terminate(Reason, S#s.state, S#s.data)
            catch
                throw:_ -> ok;
                C:R:ST ->
                    error_info(C, R, P, S, Q),
                    erlang:raise(C, R, ST)
            end;
        false ->
            ok
    end,
    case Reason of
        normal -> ok;
        shutdown -> ok;
        {shutdown, _} -> ok;
        _ -> error_info(Class, Reason, P, S, Q)
    end,
    case Stacktrace of
        [] -> erlang:Class(Reason);
        _ -> erlang:raise(Class, Reason, Stacktrace)
    end.

error_info(Class, Reason, P, S, Q) ->
    Event = case Q of
                [E | _] -> io_lib:format("** Last event = ~tp~n", [E]);
                [] -> ""
            end,
    error_logger:error_msg("** State machine ~tp terminating~n~ts"
                           "** When server state  = ~tp~n"
                           "** Reason for termination = ~tp:~tp~n"
                           "** Callback mode = ~tp~n",
                           [P#p.name, Event, {S#s.state, S#s.data}, Class, Reason,
                            case P#p.state_enter of
                                true -> [P#p.callback_mode, state_enter];
                                false -> P#p.callback_mode
                            end]).

listify(Item) when is_list(Item) -> Item;
listify(Item) -> [Item].
