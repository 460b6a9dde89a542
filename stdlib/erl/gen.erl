%% gen: what the generic behaviours share — starting a named process
%% synchronously, the call protocol and replies, and names.
%%
%% A call monitors the server with an alias (`{alias, demonitor}`) and tags
%% the request `[alias | Mref]`; the reply is sent to the alias, so a reply
%% that comes after the caller gave up (timeout) is dropped instead of
%% landing in its mailbox, as on OTP 25.
-module(gen).
-export([start/5, start/6, init_it/6, init_it/7, call/3, call/4, reply/2,
         send_request/3, wait_response/2, receive_response/2, check_response/2,
         wait_response/3, receive_response/3, check_response/3,
         reqids_new/0, reqids_size/1, reqids_add/3, reqids_to_list/1,
         where/1, get_parent/0, name/1, unregister_name/1, format_status_header/2,
         timeout/1, spawn_opts/1]).

%% start(GenMod, LinkP, [Name,] Mod, Args, Options)
start(GenMod, LinkP, Name, Mod, Args, Options) ->
    case where(Name) of
        undefined -> do_spawn(GenMod, LinkP, Name, Mod, Args, Options);
        Pid -> {error, {already_started, Pid}}
    end.

start(GenMod, LinkP, Mod, Args, Options) ->
    do_spawn(GenMod, LinkP, Mod, Args, Options).

do_spawn(GenMod, link, Mod, Args, Options) ->
    proc_lib:start_link(?MODULE, init_it, [GenMod, self(), self(), Mod, Args, Options],
                        timeout(Options), spawn_opts(Options));
do_spawn(GenMod, monitor, Mod, Args, Options) ->
    Ret = proc_lib:start_monitor(?MODULE, init_it, [GenMod, self(), self(), Mod, Args, Options],
                                 timeout(Options), spawn_opts(Options)),
    monitor_return(Ret);
do_spawn(GenMod, _, Mod, Args, Options) ->
    proc_lib:start(?MODULE, init_it, [GenMod, self(), self, Mod, Args, Options],
                   timeout(Options), spawn_opts(Options)).

do_spawn(GenMod, link, Name, Mod, Args, Options) ->
    proc_lib:start_link(?MODULE, init_it, [GenMod, self(), self(), Name, Mod, Args, Options],
                        timeout(Options), spawn_opts(Options));
do_spawn(GenMod, monitor, Name, Mod, Args, Options) ->
    Ret = proc_lib:start_monitor(?MODULE, init_it,
                                 [GenMod, self(), self(), Name, Mod, Args, Options],
                                 timeout(Options), spawn_opts(Options)),
    monitor_return(Ret);
do_spawn(GenMod, _, Name, Mod, Args, Options) ->
    proc_lib:start(?MODULE, init_it, [GenMod, self(), self, Name, Mod, Args, Options],
                   timeout(Options), spawn_opts(Options)).

monitor_return({{ok, Pid}, Mon}) when is_pid(Pid), is_reference(Mon) ->
    {ok, {Pid, Mon}};
monitor_return({Error, Mon}) when is_reference(Mon) ->
    receive {'DOWN', Mon, process, _, _} -> ok end,
    Error.

init_it(GenMod, Starter, Parent, Mod, Args, Options) ->
    init_it2(GenMod, Starter, Parent, self(), Mod, Args, Options).

init_it(GenMod, Starter, Parent, Name, Mod, Args, Options) ->
    case register_name(Name) of
        true ->
            init_it2(GenMod, Starter, Parent, Name, Mod, Args, Options);
        {false, Pid} ->
            proc_lib:init_ack(Starter, {error, {already_started, Pid}}),
            exit(normal)
    end.

init_it2(GenMod, Starter, self, Name, Mod, Args, Options) ->
    init_it2(GenMod, Starter, self(), Name, Mod, Args, Options);
init_it2(GenMod, Starter, Parent, Name, Mod, Args, Options) ->
    GenMod:init_it(Starter, Parent, Name, Mod, Args, Options).

%% ------------------------------------------------------------------- calls

call(Process, Label, Request) ->
    call(Process, Label, Request, 5000).

call(Process, Label, Request, Timeout)
  when is_pid(Process), Timeout =:= infinity;
       is_pid(Process), is_integer(Timeout), Timeout >= 0 ->
    do_call(Process, Label, Request, Timeout);
call(Process, Label, Request, Timeout)
  when Timeout =:= infinity; is_integer(Timeout), Timeout >= 0 ->
    case where(Process) of
        undefined -> exit(noproc);
        Pid -> do_call(Pid, Label, Request, Timeout)
    end.

do_call(Process, _Label, _Request, _Timeout) when Process =:= self() ->
    exit(calling_self);
do_call(Process, Label, Request, Timeout) ->
    Mref = erlang:monitor(process, Process, [{alias, demonitor}]),
    Tag = [alias | Mref],
    erlang:send(Process, {Label, {self(), Tag}, Request}, [noconnect]),
    receive
        {[alias | Mref], Reply} ->
            erlang:demonitor(Mref, [flush]),
            {ok, Reply};
        {'DOWN', Mref, _, _, noconnection} ->
            exit({nodedown, node(Process)});
        {'DOWN', Mref, _, _, Reason} ->
            exit(Reason)
    after Timeout ->
        erlang:demonitor(Mref, [flush]),
        receive
            {[alias | Mref], Reply} -> {ok, Reply}
        after 0 ->
            exit(timeout)
        end
    end.

reply({_To, [alias | Alias] = Tag}, Reply) ->
    Alias ! {Tag, Reply},
    ok;
reply({To, Tag}, Reply) ->
    try To ! {Tag, Reply}, ok catch _:_ -> ok end.

send_request(Process, Label, Request) ->
    Pid = case is_pid(Process) of
              true -> Process;
              false -> where(Process)
          end,
    case Pid of
        undefined ->
            Mref = erlang:monitor(process, Process, [{alias, demonitor}]),
            Mref;
        _ ->
            Mref = erlang:monitor(process, Pid, [{alias, demonitor}]),
            erlang:send(Pid, {Label, {self(), [alias | Mref]}, Request}, [noconnect]),
            Mref
    end.

wait_response(Mref, Timeout) ->
    receive
        {[alias | Mref], Reply} ->
            erlang:demonitor(Mref, [flush]),
            {reply, Reply};
        {'DOWN', Mref, _, Object, Reason} ->
            {error, {Reason, Object}}
    after Timeout ->
        timeout
    end.

%% As wait_response/2, but a timeout abandons the request: the alias is
%% dropped, so a late reply never arrives (one already here is taken).
receive_response(Mref, Timeout) ->
    case wait_response(Mref, Timeout) of
        timeout ->
            erlang:demonitor(Mref, [flush]),
            receive
                {[alias | Mref], Reply} -> {reply, Reply}
            after 0 -> timeout
            end;
        Result ->
            Result
    end.

check_response(Msg, Mref) ->
    case Msg of
        {[alias | Mref], Reply} ->
            erlang:demonitor(Mref, [flush]),
            {reply, Reply};
        {'DOWN', Mref, _, Object, Reason} ->
            {error, {Reason, Object}};
        _ ->
            no_reply
    end.

%% Request id collections (a map ReqId => Label): the first response of
%% any request in it, with its label; Delete drops that request from the
%% collection returned.
wait_response(Col, _Timeout, Delete) when map_size(Col) == 0, is_boolean(Delete) ->
    no_request;
wait_response(Col, Timeout, Delete) when is_map(Col), is_boolean(Delete) ->
    receive
        {[alias | Mref], _} = Msg when is_map_key(Mref, Col) -> collected(Msg, Col, Delete);
        {'DOWN', Mref, _, _, _} = Msg when is_map_key(Mref, Col) -> collected(Msg, Col, Delete)
    after Timeout ->
        timeout
    end.

%% As wait_response/3, but a timeout abandons every request in Col.
receive_response(Col, _Timeout, Delete) when map_size(Col) == 0, is_boolean(Delete) ->
    no_request;
receive_response(Col, Timeout, Delete) when is_map(Col), is_boolean(Delete) ->
    receive
        {[alias | Mref], _} = Msg when is_map_key(Mref, Col) -> collected(Msg, Col, Delete);
        {'DOWN', Mref, _, _, _} = Msg when is_map_key(Mref, Col) -> collected(Msg, Col, Delete)
    after Timeout ->
        [erlang:demonitor(Mref, [flush]) || Mref <- maps:keys(Col)],
        flush_collected(Col),
        timeout
    end.

check_response(_Msg, Col, Delete) when map_size(Col) == 0, is_boolean(Delete) ->
    no_request;
check_response(Msg, Col, Delete) when is_map(Col), is_boolean(Delete) ->
    case Msg of
        {[alias | Mref], _} when is_map_key(Mref, Col) -> collected(Msg, Col, Delete);
        {'DOWN', Mref, _, _, _} when is_map_key(Mref, Col) -> collected(Msg, Col, Delete);
        _ -> no_reply
    end.

collected({[alias | Mref], Reply}, Col, Delete) ->
    _ = erlang:demonitor(Mref, [flush]),
    collected_result({reply, Reply}, Mref, Col, Delete);
collected({'DOWN', Mref, _, Object, Reason}, Col, Delete) ->
    collected_result({error, {Reason, Object}}, Mref, Col, Delete).

collected_result(Resp, Mref, Col, false) ->
    {Resp, maps:get(Mref, Col), Col};
collected_result(Resp, Mref, Col, true) ->
    {Label, NewCol} = maps:take(Mref, Col),
    {Resp, Label, NewCol}.

flush_collected(Col) ->
    receive
        {[alias | Mref], _} when is_map_key(Mref, Col) -> flush_collected(Col)
    after 0 ->
        ok
    end.

reqids_new() -> #{}.

reqids_size(Col) when is_map(Col) -> map_size(Col);
reqids_size(_) -> error(badarg).

reqids_add(ReqId, _, Col) when is_reference(ReqId), is_map_key(ReqId, Col) -> error(badarg);
reqids_add(ReqId, Label, Col) when is_reference(ReqId), is_map(Col) -> Col#{ReqId => Label};
reqids_add(_, _, _) -> error(badarg).

reqids_to_list(Col) when is_map(Col) -> maps:to_list(Col);
reqids_to_list(_) -> error(badarg).

%% ------------------------------------------------------------------- names

where({global, _Name}) -> undefined;
where({via, Module, Name}) -> Module:whereis_name(Name);
where({local, Name}) -> whereis(Name);
where(Name) when is_atom(Name) -> whereis(Name);
where({Name, Node}) when is_atom(Name), Node =:= node() -> whereis(Name);
where(Pid) when is_pid(Pid) -> Pid;
where(_) -> undefined.

register_name({local, Name} = LN) ->
    try register(Name, self()) of
        true -> true
    catch
        error:_ -> {false, where(LN)}
    end;
register_name({via, Module, Name} = GN) ->
    case Module:register_name(Name, self()) of
        yes -> true;
        no -> {false, where(GN)}
    end;
register_name({global, _}) ->
    erlang:error(notsup).

name({local, Name}) -> Name;
name({global, Name}) -> Name;
name({via, _, Name}) -> Name;
name(Pid) when is_pid(Pid) -> Pid.

unregister_name({local, Name}) ->
    try unregister(Name) catch _:_ -> ok end;
unregister_name({via, Mod, Name}) ->
    _ = Mod:unregister_name(Name);
unregister_name(_) ->
    ok.

get_parent() ->
    case get('$ancestors') of
        [Parent | _] when is_pid(Parent) -> Parent;
        [Parent | _] when is_atom(Parent) ->
            case whereis(Parent) of
                undefined -> exit(process_not_found);
                Pid -> Pid
            end;
        _ -> exit(process_was_not_started_by_proc_lib)
    end.

timeout(Options) ->
    case lists:keyfind(timeout, 1, Options) of
        {_, Time} -> Time;
        false -> infinity
    end.

spawn_opts(Options) ->
    case lists:keyfind(spawn_opt, 1, Options) of
        {_, Opts} -> Opts;
        false -> []
    end.

format_status_header(TagLine, Pid) when is_pid(Pid) ->
    lists:concat([TagLine, " ", pid_to_list(Pid)]);
format_status_header(TagLine, RegName) when is_atom(RegName) ->
    lists:concat([TagLine, " ", RegName]);
format_status_header(TagLine, Name) ->
    {TagLine, Name}.
