%% gen_server: the generic server behaviour, with OTP 25's API, callback
%% protocol, return values and exit reasons.
%%
%% The loop keeps (Parent, Name, State, Mod, Timeout). Callback results are
%% interpreted as OTP does: `{reply, ...}`, `{noreply, ...}` with a timeout,
%% `hibernate` or `{continue, C}`, `{stop, ...}`; anything else stops the
%% server with `{bad_return_value, Value}`. A `throw` from a callback is its
%% return value. An exit signal from the parent (when trapping exits) stops
%% the server with the parent's reason.
-module(gen_server).
-export([start/3, start/4, start_link/3, start_link/4, start_monitor/3, start_monitor/4,
         stop/1, stop/3, call/2, call/3, send_request/2, send_request/4,
         wait_response/2, receive_response/2, check_response/2,
         wait_response/3, receive_response/3, check_response/3,
         reqids_new/0, reqids_size/1, reqids_add/3, reqids_to_list/1,
         cast/2, reply/2, abcast/2, abcast/3, multi_call/2, multi_call/3, multi_call/4,
         enter_loop/3, enter_loop/4, enter_loop/5, init_it/6,
         system_continue/3, system_terminate/4, system_get_state/1,
         system_replace_state/2, format_status/2, wake_hib/6]).

%% The callbacks (behaviour_info/1 is generated from these, as by OTP's
%% compiler).
-callback init(Args :: term()) -> term().
-callback handle_call(Request :: term(), From :: term(), State :: term()) -> term().
-callback handle_cast(Request :: term(), State :: term()) -> term().
-callback handle_info(Info :: term(), State :: term()) -> term().
-callback handle_continue(Info :: term(), State :: term()) -> term().
-callback terminate(Reason :: term(), State :: term()) -> term().
-callback code_change(OldVsn :: term(), State :: term(), Extra :: term()) -> term().
-callback format_status(Opt :: term(), StatusData :: list()) -> term().
-callback format_status(Status :: map()) -> map().
-optional_callbacks([handle_info/2, handle_continue/2, terminate/2, code_change/3,
                     format_status/1, format_status/2]).

%% ------------------------------------------------------------------ start

start(Mod, Args, Options) ->
    gen:start(?MODULE, nolink, Mod, Args, Options).
start(Name, Mod, Args, Options) ->
    gen:start(?MODULE, nolink, Name, Mod, Args, Options).
start_link(Mod, Args, Options) ->
    gen:start(?MODULE, link, Mod, Args, Options).
start_link(Name, Mod, Args, Options) ->
    gen:start(?MODULE, link, Name, Mod, Args, Options).
start_monitor(Mod, Args, Options) ->
    gen:start(?MODULE, monitor, Mod, Args, Options).
start_monitor(Name, Mod, Args, Options) ->
    gen:start(?MODULE, monitor, Name, Mod, Args, Options).

stop(Name) -> proc_lib:stop(Name, normal, infinity).
stop(Name, Reason, Timeout) -> proc_lib:stop(Name, Reason, Timeout).

%% ------------------------------------------------------------------ calls

call(Name, Request) ->
    case catch gen:call(Name, '$gen_call', Request) of
        {ok, Res} -> Res;
        {'EXIT', Reason} -> exit({Reason, {?MODULE, call, [Name, Request]}})
    end.

call(Name, Request, Timeout) ->
    case catch gen:call(Name, '$gen_call', Request, Timeout) of
        {ok, Res} -> Res;
        {'EXIT', Reason} -> exit({Reason, {?MODULE, call, [Name, Request, Timeout]}})
    end.

send_request(Name, Request) ->
    gen:send_request(Name, '$gen_call', Request).

send_request(Name, Request, Label, ReqIdCollection) ->
    gen:reqids_add(send_request(Name, Request), Label, ReqIdCollection).

wait_response(ReqId, Timeout) -> gen:wait_response(ReqId, Timeout).
receive_response(ReqId, Timeout) -> gen:receive_response(ReqId, Timeout).
check_response(Msg, ReqId) -> gen:check_response(Msg, ReqId).
wait_response(Col, Timeout, Delete) -> gen:wait_response(Col, Timeout, Delete).
receive_response(Col, Timeout, Delete) -> gen:receive_response(Col, Timeout, Delete).
check_response(Msg, Col, Delete) -> gen:check_response(Msg, Col, Delete).
reqids_new() -> gen:reqids_new().
reqids_size(Col) -> gen:reqids_size(Col).
reqids_add(ReqId, Label, Col) -> gen:reqids_add(ReqId, Label, Col).
reqids_to_list(Col) -> gen:reqids_to_list(Col).

cast({global, _} = Name, Request) ->
    catch gen:where(Name) ! {'$gen_cast', Request},
    ok;
cast({via, Mod, Name}, Request) ->
    catch Mod:send(Name, {'$gen_cast', Request}),
    ok;
cast(Dest, Request) when is_atom(Dest); is_pid(Dest) ->
    do_send(Dest, {'$gen_cast', Request});
cast({Name, Node} = Dest, Request) when is_atom(Name), is_atom(Node) ->
    do_send(Dest, {'$gen_cast', Request}).

do_send(Dest, Msg) ->
    try erlang:send(Dest, Msg) catch error:_ -> ok end,
    ok.

reply(From, Reply) -> gen:reply(From, Reply).

abcast(Name, Request) when is_atom(Name) ->
    do_send(Name, {'$gen_cast', Request}),
    abcast.
abcast(Nodes, Name, Request) when is_list(Nodes), is_atom(Name) ->
    [do_send({Name, Node}, {'$gen_cast', Request}) || Node <- Nodes],
    abcast.

multi_call(Name, Request) -> multi_call([node()], Name, Request, infinity).
multi_call(Nodes, Name, Request) -> multi_call(Nodes, Name, Request, infinity).
multi_call(Nodes, Name, Request, Timeout) ->
    lists:foldr(
      fun(Node, {Good, Bad}) when Node =:= node() ->
              case catch gen:call(Name, '$gen_call', Request, Timeout) of
                  {ok, Res} -> {[{Node, Res} | Good], Bad};
                  _ -> {Good, [Node | Bad]}
              end;
         (Node, {Good, Bad}) ->
              {Good, [Node | Bad]}
      end, {[], []}, Nodes).

%% ------------------------------------------------------------ enter_loop

enter_loop(Mod, Options, State) ->
    enter_loop(Mod, Options, State, self(), infinity).
enter_loop(Mod, Options, State, ServerName = {Scope, _}) when Scope == local; Scope == global ->
    enter_loop(Mod, Options, State, ServerName, infinity);
enter_loop(Mod, Options, State, ServerName = {via, _, _}) ->
    enter_loop(Mod, Options, State, ServerName, infinity);
enter_loop(Mod, Options, State, Timeout) ->
    enter_loop(Mod, Options, State, self(), Timeout).
enter_loop(Mod, _Options, State, ServerName, Timeout) ->
    Parent = gen:get_parent(),
    loop(Parent, name_of(ServerName), State, Mod, Timeout).

name_of(Pid) when is_pid(Pid) -> Pid;
name_of(Name) -> gen:name(Name).

%% --------------------------------------------------------------- init

init_it(Starter, Parent, Name0, Mod, Args, _Options) ->
    Name = name_of(Name0),
    case init_callback(Mod, Args) of
        {ok, {ok, State}} ->
            proc_lib:init_ack(Starter, {ok, self()}),
            loop(Parent, Name, State, Mod, infinity);
        {ok, {ok, State, TimeoutOrAction}} ->
            case valid_timeout(TimeoutOrAction) of
                true ->
                    proc_lib:init_ack(Starter, {ok, self()}),
                    loop(Parent, Name, State, Mod, TimeoutOrAction);
                false ->
                    init_bad_return(Starter, Name0, {ok, State, TimeoutOrAction})
            end;
        {ok, {stop, Reason}} ->
            gen:unregister_name(Name0),
            proc_lib:init_ack(Starter, {error, Reason}),
            exit(Reason);
        {ok, ignore} ->
            gen:unregister_name(Name0),
            proc_lib:init_ack(Starter, ignore),
            exit(normal);
        {ok, Else} ->
            init_bad_return(Starter, Name0, Else);
        {'EXIT', Class, Reason, Stacktrace} ->
            gen:unregister_name(Name0),
            proc_lib:init_ack(Starter, {error, terminate_reason(Class, Reason, Stacktrace)}),
            erlang:raise(Class, Reason, Stacktrace)
    end.

init_bad_return(Starter, Name0, Else) ->
    Error = {bad_return_value, Else},
    gen:unregister_name(Name0),
    proc_lib:init_ack(Starter, {error, Error}),
    exit(Error).

init_callback(Mod, Args) ->
    try
        {ok, Mod:init(Args)}
    catch
        throw:R -> {ok, R};
        Class:R:S -> {'EXIT', Class, R, S}
    end.

valid_timeout(infinity) -> true;
valid_timeout(T) when is_integer(T), T >= 0 -> true;
valid_timeout(hibernate) -> true;
valid_timeout({continue, _}) -> true;
valid_timeout(_) -> false.

%% ------------------------------------------------------------------ loop

loop(Parent, Name, State, Mod, {continue, Continue} = Msg) ->
    Reply = try_dispatch(Mod, handle_continue, Continue, State),
    handle_common_reply(Reply, Parent, Name, undefined, Msg, Mod, State);
loop(Parent, Name, State, Mod, hibernate) ->
    proc_lib:hibernate(?MODULE, wake_hib, [Parent, Name, State, Mod, infinity, hibernated]);
loop(Parent, Name, State, Mod, Time) ->
    Msg = receive
              Input -> Input
          after Time ->
              timeout
          end,
    decode_msg(Msg, Parent, Name, State, Mod, Time).

wake_hib(Parent, Name, State, Mod, Time, _) ->
    loop(Parent, Name, State, Mod, Time).

decode_msg(Msg, Parent, Name, State, Mod, Time) ->
    case Msg of
        {system, From, Req} ->
            system_msg(Req, From, Parent, Name, State, Mod, Time);
        {'EXIT', Parent, Reason} ->
            terminate(Reason, [], Name, undefined, Msg, Mod, State);
        _ ->
            handle_msg(Msg, Parent, Name, State, Mod)
    end.

%% System messages (sys and proc_lib:stop): the state, its replacement,
%% termination, suspension.
system_msg(get_state, From, Parent, Name, State, Mod, Time) ->
    gen:reply(From, {ok, State}),
    loop(Parent, Name, State, Mod, Time);
system_msg({replace_state, StateFun}, From, Parent, Name, State, Mod, Time) ->
    {Reply, NState} = try
                          S = StateFun(State),
                          {{ok, S}, S}
                      catch
                          _:_ -> {{error, bad_state_fun}, State}
                      end,
    gen:reply(From, Reply),
    loop(Parent, Name, NState, Mod, Time);
system_msg(get_status, From, Parent, Name, State, Mod, Time) ->
    gen:reply(From, {ok, {status, self(), {module, ?MODULE},
                          [get(), running, Parent, [],
                           [{header, gen:format_status_header("Status for generic server", Name)},
                            {data, [{"Status", running}, {"Parent", Parent}]},
                            {data, [{"State", State}]}]]}}),
    loop(Parent, Name, State, Mod, Time);
system_msg({terminate, Reason}, _From, _Parent, Name, State, Mod, _Time) ->
    terminate(Reason, [], Name, undefined, [], Mod, State);
system_msg(suspend, From, Parent, Name, State, Mod, Time) ->
    gen:reply(From, ok),
    suspended(Parent, Name, State, Mod, Time);
system_msg(resume, From, Parent, Name, State, Mod, Time) ->
    gen:reply(From, ok),
    loop(Parent, Name, State, Mod, Time);
system_msg({change_code, _, _, Extra}, From, Parent, Name, State, Mod, Time) ->
    case catch Mod:code_change(undefined, State, Extra) of
        {ok, NState} ->
            gen:reply(From, ok),
            loop(Parent, Name, NState, Mod, Time);
        Else ->
            gen:reply(From, Else),
            loop(Parent, Name, State, Mod, Time)
    end;
system_msg(Other, From, Parent, Name, State, Mod, Time) ->
    gen:reply(From, {error, {unknown_system_msg, Other}}),
    loop(Parent, Name, State, Mod, Time).

%% Suspended (sys:suspend/1): only system messages are handled.
suspended(Parent, Name, State, Mod, Time) ->
    receive
        {system, From, Req} ->
            case Req of
                resume ->
                    gen:reply(From, ok),
                    loop(Parent, Name, State, Mod, Time);
                {terminate, _} ->
                    system_msg(Req, From, Parent, Name, State, Mod, Time);
                get_state ->
                    gen:reply(From, {ok, State}),
                    suspended(Parent, Name, State, Mod, Time);
                _ ->
                    gen:reply(From, ok),
                    suspended(Parent, Name, State, Mod, Time)
            end;
        {'EXIT', Parent, Reason} = Msg ->
            terminate(Reason, [], Name, undefined, Msg, Mod, State)
    end.

system_continue(Parent, _Debug, [Name, State, Mod, Time]) ->
    loop(Parent, Name, State, Mod, Time).

system_terminate(Reason, _Parent, _Debug, [Name, State, Mod, _Time]) ->
    terminate(Reason, [], Name, undefined, [], Mod, State).

system_get_state([_Name, State, _Mod, _Time]) -> {ok, State}.

system_replace_state(StateFun, [Name, State, Mod, Time]) ->
    NState = StateFun(State),
    {ok, NState, [Name, NState, Mod, Time]}.

format_status(_Opt, [_PDict, SysState, Parent, _Debug, [Name, State, _Mod, _Time]]) ->
    [{header, gen:format_status_header("Status for generic server", Name)},
     {data, [{"Status", SysState}, {"Parent", Parent}]},
     {data, [{"State", State}]}].

%% --------------------------------------------------------- dispatching

handle_msg({'$gen_call', From, Msg}, Parent, Name, State, Mod) ->
    Result = try_handle_call(Mod, Msg, From, State),
    case Result of
        {ok, {reply, Reply, NState}} ->
            reply(From, Reply),
            loop(Parent, Name, NState, Mod, infinity);
        {ok, {reply, Reply, NState, TimeoutOrAction}} ->
            case valid_timeout(TimeoutOrAction) of
                true ->
                    reply(From, Reply),
                    loop(Parent, Name, NState, Mod, TimeoutOrAction);
                false ->
                    terminate({bad_return_value, {reply, Reply, NState, TimeoutOrAction}},
                              [], Name, From, Msg, Mod, State)
            end;
        {ok, {stop, Reason, Reply, NState}} ->
            try
                terminate(Reason, [], Name, From, Msg, Mod, NState)
            after
                reply(From, Reply)
            end;
        Other ->
            handle_common_reply(Other, Parent, Name, From, Msg, Mod, State)
    end;
handle_msg(Msg, Parent, Name, State, Mod) ->
    Reply = try_dispatch(Msg, Mod, State),
    handle_common_reply(Reply, Parent, Name, undefined, Msg, Mod, State).

try_dispatch({'$gen_cast', Msg}, Mod, State) ->
    try_dispatch(Mod, handle_cast, Msg, State);
try_dispatch(Info, Mod, State) ->
    try_dispatch(Mod, handle_info, Info, State).

try_dispatch(Mod, Func, Msg, State) ->
    try
        {ok, Mod:Func(Msg, State)}
    catch
        throw:R ->
            {ok, R};
        error:undef = R:Stacktrace when Func == handle_info ->
            case erlang:function_exported(Mod, handle_info, 2) of
                false ->
                    error_logger:warning_msg("** Undefined handle_info in ~p~n"
                                             "** Unhandled message: ~tp~n", [Mod, Msg]),
                    {ok, {noreply, State}};
                true ->
                    {'EXIT', error, R, Stacktrace}
            end;
        Class:R:Stacktrace ->
            {'EXIT', Class, R, Stacktrace}
    end.

try_handle_call(Mod, Msg, From, State) ->
    try
        {ok, Mod:handle_call(Msg, From, State)}
    catch
        throw:R -> {ok, R};
        Class:R:Stacktrace -> {'EXIT', Class, R, Stacktrace}
    end.

handle_common_reply(Reply, Parent, Name, From, Msg, Mod, State) ->
    case Reply of
        {ok, {noreply, NState}} ->
            loop(Parent, Name, NState, Mod, infinity);
        {ok, {noreply, NState, TimeoutOrAction}} ->
            case valid_timeout(TimeoutOrAction) of
                true -> loop(Parent, Name, NState, Mod, TimeoutOrAction);
                false ->
                    terminate({bad_return_value, {noreply, NState, TimeoutOrAction}},
                              [], Name, From, Msg, Mod, State)
            end;
        {ok, {stop, Reason, NState}} ->
            terminate(Reason, [], Name, From, Msg, Mod, NState);
        {'EXIT', Class, Reason, Stacktrace} ->
            terminate(Class, Reason, Stacktrace, Name, From, Msg, Mod, State);
        {ok, BadReply} ->
            terminate({bad_return_value, BadReply}, [], Name, From, Msg, Mod, State)
    end.

%% ------------------------------------------------------------- terminate

terminate(Reason, Stacktrace, Name, From, Msg, Mod, State) ->
    terminate(exit, Reason, Stacktrace, Name, From, Msg, Mod, State).

terminate(Class, Reason, Stacktrace, Name, From, Msg, Mod, State) ->
    Reason1 = terminate_reason(Class, Reason, Stacktrace),
    case try_terminate(Mod, Reason1, State) of
        {'EXIT', C, R, S} ->
            error_info(R, Name, From, Msg, Mod, State),
            erlang:raise(C, R, S);
        _ ->
            case Reason of
                normal -> exit(normal);
                shutdown -> exit(shutdown);
                {shutdown, _} = Shutdown -> exit(Shutdown);
                _ ->
                    error_info(Reason1, Name, From, Msg, Mod, State),
                    erlang:raise(Class, Reason, Stacktrace)
            end
    end.

terminate_reason(error, Reason, Stacktrace) -> {Reason, Stacktrace};
terminate_reason(exit, Reason, _Stacktrace) -> Reason;
terminate_reason(throw, Reason, Stacktrace) -> {{nocatch, Reason}, Stacktrace}.

try_terminate(Mod, Reason, State) ->
    case erlang:function_exported(Mod, terminate, 2) of
        true ->
            try
                {ok, Mod:terminate(Reason, State)}
            catch
                throw:R -> {ok, R};
                Class:R:Stacktrace -> {'EXIT', Class, R, Stacktrace}
            end;
        false ->
            {ok, ok}
    end.

%% The report OTP's logger prints when a server stops abnormally (on
%% standard error here).
error_info(Reason, Name, From, Msg, _Mod, State) ->
    Client = case From of
                 {Pid, _} when is_pid(Pid) -> ["** Client ", pid_to_list(Pid), " stacktrace\n",
                                              "** []\n"];
                 _ -> []
             end,
    Last = case Msg of
               {'$gen_call', _, Req} -> Req;
               {'$gen_cast', Req} -> {'$gen_cast', Req};
               _ -> Msg
           end,
    Text = io_lib:format("** Generic server ~tp terminating ~n"
                         "** Last message in was ~tp~n"
                         "** When Server state == ~tp~n"
                         "** Reason for termination ==~n** ~tp~n",
                         [Name, Last, State, Reason]),
    error_logger:error_msg("~ts~ts", [Text, Client]).
