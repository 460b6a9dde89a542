%% supervisor: a gen_server that starts, watches and restarts children,
%% with OTP 25's strategies (one_for_one, one_for_all, rest_for_one,
%% simple_one_for_one), restart types, restart intensity, shutdown
%% protocol, child-spec checks and API results.
%%
%% Static children are kept as {Ids, Db}: Ids in termination order (the
%% reverse of start order, which is also the order which_children/1
%% reports), Db a map Id => #child{}. A simple_one_for_one supervisor keeps
%% its one spec there and its children in a map Pid => start arguments.
%% A child whose restart failed has pid {restarting, OldPid} and is retried
%% through a cast to the supervisor itself, so other requests get through
%% in between, as on OTP.
-module(supervisor).
-behaviour(gen_server).
-export([start_link/2, start_link/3, start_child/2, restart_child/2, delete_child/2,
         terminate_child/2, which_children/1, count_children/1, get_childspec/2,
         check_childspecs/1, check_childspecs/2, get_callback_module/1]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2,
         code_change/3, format_status/2]).

%% The callback (behaviour_info/1 is generated from it).
-callback init(Args :: term()) -> term().

-record(child, {pid = undefined, id, mfargs, restart_type = permanent,
                significant = false, shutdown, child_type = worker, modules = []}).
-record(state, {name, strategy, children = {[], #{}}, dynamics, intensity, period,
                restarts = [], dynamic_restarts = 0, auto_shutdown = never,
                module, args}).

-define(is_simple(State), State#state.strategy =:= simple_one_for_one).
-define(is_temporary(C), C#child.restart_type =:= temporary).
-define(is_transient(C), C#child.restart_type =:= transient).
-define(is_permanent(C), C#child.restart_type =:= permanent).

%% ------------------------------------------------------------------- API

start_link(Mod, Args) ->
    gen_server:start_link(supervisor, {self, Mod, Args}, []).

start_link(SupName, Mod, Args) ->
    gen_server:start_link(SupName, supervisor, {SupName, Mod, Args}, []).

start_child(Supervisor, ChildSpec) -> call(Supervisor, {start_child, ChildSpec}).
restart_child(Supervisor, Id) -> call(Supervisor, {restart_child, Id}).
delete_child(Supervisor, Id) -> call(Supervisor, {delete_child, Id}).
terminate_child(Supervisor, Id) -> call(Supervisor, {terminate_child, Id}).
get_childspec(Supervisor, Id) -> call(Supervisor, {get_childspec, Id}).
which_children(Supervisor) -> call(Supervisor, which_children).
count_children(Supervisor) -> call(Supervisor, count_children).
get_callback_module(Pid) -> (sys:get_state(Pid))#state.module.

call(Supervisor, Req) -> gen_server:call(Supervisor, Req, infinity).

check_childspecs(ChildSpecs) -> check_childspecs(ChildSpecs, undefined).

check_childspecs(ChildSpecs, AutoShutdown) when is_list(ChildSpecs) ->
    Auto = case AutoShutdown of
               undefined -> never;
               A -> A
           end,
    case lists:member(Auto, [never, any_significant, all_significant]) of
        false -> {error, {badarg, AutoShutdown}};
        true ->
            case check_startspec(ChildSpecs, Auto) of
                {ok, _} -> ok;
                Error -> {error, Error}
            end
    end;
check_childspecs(X, _) -> {error, {badarg, X}}.

%% ------------------------------------------------------------------ init

init({SupName, Mod, Args}) ->
    process_flag(trap_exit, true),
    case Mod:init(Args) of
        {ok, {SupFlags, StartSpec}} ->
            case set_flags(SupFlags, #state{name = supname(SupName, Mod),
                                            module = Mod, args = Args}) of
                {ok, State} when ?is_simple(State) -> init_dynamic(State, StartSpec);
                {ok, State} -> init_children(State, StartSpec);
                Error -> {stop, {supervisor_data, Error}}
            end;
        ignore ->
            ignore;
        Error ->
            {stop, {bad_return, {Mod, init, Error}}}
    end.

supname(self, Mod) -> {self(), Mod};
supname(N, _) -> N.

init_children(State, StartSpec) ->
    case check_startspec(StartSpec, State#state.auto_shutdown) of
        {ok, Children} ->
            case start_children(Children) of
                {ok, NChildren} ->
                    {ok, State#state{children = NChildren}};
                {error, NChildren, Reason} ->
                    _ = terminate_children(NChildren),
                    {stop, {shutdown, Reason}}
            end;
        Error ->
            {stop, {start_spec, Error}}
    end.

init_dynamic(State, [StartSpec]) ->
    case check_startspec([StartSpec], State#state.auto_shutdown) of
        {ok, {[Id], Db} = Children} ->
            Kind = case maps:get(Id, Db) of
                       C when ?is_temporary(C) -> mapsets;
                       _ -> maps
                   end,
            {ok, State#state{children = Children, dynamics = {Kind, #{}}}};
        Error ->
            {stop, {start_spec, Error}}
    end;
init_dynamic(_State, StartSpec) ->
    {stop, {bad_start_spec, StartSpec}}.

%% Start children in start order (Ids given in start order); the result
%% holds them in termination order.
start_children({Ids, Db}) -> start_children(Ids, Db, []).

start_children([Id | Ids], Db, Acc) ->
    Child = maps:get(Id, Db),
    case do_start_child(Child) of
        {ok, undefined} when ?is_temporary(Child) ->
            start_children(Ids, maps:remove(Id, Db), Acc);
        {ok, Pid} ->
            start_children(Ids, Db#{Id => Child#child{pid = Pid}}, [Id | Acc]);
        {ok, Pid, _Extra} ->
            start_children(Ids, Db#{Id => Child#child{pid = Pid}}, [Id | Acc]);
        {error, Reason} ->
            {error, {lists:reverse(Ids) ++ [Id | Acc], Db}, {failed_to_start_child, Id, Reason}}
    end;
start_children([], Db, Acc) ->
    {ok, {Acc, Db}}.

do_start_child(#child{mfargs = {M, F, Args}}) ->
    do_start_child_i(M, F, Args).

do_start_child_i(M, F, A) ->
    case catch apply(M, F, A) of
        {ok, Pid} when is_pid(Pid) -> {ok, Pid};
        {ok, Pid, Extra} when is_pid(Pid) -> {ok, Pid, Extra};
        ignore -> {ok, undefined};
        {error, Error} -> {error, Error};
        What -> {error, What}
    end.

%% ----------------------------------------------------------------- calls

handle_call({start_child, EArgs}, _From, State) when ?is_simple(State) ->
    #child{mfargs = {M, F, A}} = dynamic_spec(State),
    Args = A ++ EArgs,
    case do_start_child_i(M, F, Args) of
        {ok, undefined} -> {reply, {ok, undefined}, State};
        {ok, Pid} -> {reply, {ok, Pid}, dyn_store(Pid, Args, State)};
        {ok, Pid, Extra} -> {reply, {ok, Pid, Extra}, dyn_store(Pid, Args, State)};
        What -> {reply, What, State}
    end;
handle_call({start_child, ChildSpec}, _From, State) ->
    case check_childspec(ChildSpec, State#state.auto_shutdown) of
        {ok, Child} ->
            {Resp, NState} = handle_start_child(Child, State),
            {reply, Resp, NState};
        What ->
            {reply, {error, What}, State}
    end;

handle_call({terminate_child, Id}, _From, State) when not is_pid(Id), ?is_simple(State) ->
    {reply, {error, simple_one_for_one}, State};
handle_call({terminate_child, Id}, _From, State) ->
    case find_child(Id, State) of
        {ok, Child} ->
            do_terminate(Child),
            {reply, ok, del_child(Child, State)};
        error ->
            {reply, {error, not_found}, State}
    end;

handle_call({restart_child, _Id}, _From, State) when ?is_simple(State) ->
    {reply, {error, simple_one_for_one}, State};
handle_call({restart_child, Id}, _From, State) ->
    case find_child(Id, State) of
        {ok, Child} when Child#child.pid =:= undefined ->
            case do_start_child(Child) of
                {ok, Pid} -> {reply, {ok, Pid}, set_pid(Pid, Id, State)};
                {ok, Pid, Extra} -> {reply, {ok, Pid, Extra}, set_pid(Pid, Id, State)};
                Error -> {reply, Error, State}
            end;
        {ok, #child{pid = {restarting, _}}} ->
            {reply, {error, restarting}, State};
        {ok, _} ->
            {reply, {error, running}, State};
        _ ->
            {reply, {error, not_found}, State}
    end;

handle_call({delete_child, _Id}, _From, State) when ?is_simple(State) ->
    {reply, {error, simple_one_for_one}, State};
handle_call({delete_child, Id}, _From, State) ->
    case find_child(Id, State) of
        {ok, Child} when Child#child.pid =:= undefined ->
            {reply, ok, remove_child(Id, State)};
        {ok, #child{pid = {restarting, _}}} ->
            {reply, {error, restarting}, State};
        {ok, _} ->
            {reply, {error, running}, State};
        _ ->
            {reply, {error, not_found}, State}
    end;

handle_call({get_childspec, Id}, _From, State) ->
    case find_child(Id, State) of
        {ok, Child} -> {reply, {ok, child_to_spec(Child)}, State};
        error -> {reply, {error, not_found}, State}
    end;

handle_call(which_children, _From, State) when ?is_simple(State) ->
    #child{child_type = CT, modules = Mods} = dynamic_spec(State),
    {_, Db} = State#state.dynamics,
    Reply = [case Pid of
                 {restarting, _} -> {undefined, restarting, CT, Mods};
                 _ -> {undefined, Pid, CT, Mods}
             end || Pid <- maps:keys(Db)],
    {reply, Reply, State};
handle_call(which_children, _From, State) ->
    {Ids, Db} = State#state.children,
    Reply = [case maps:get(Id, Db) of
                 #child{pid = {restarting, _}, child_type = CT, modules = Mods} ->
                     {Id, restarting, CT, Mods};
                 #child{pid = Pid, child_type = CT, modules = Mods} ->
                     {Id, Pid, CT, Mods}
             end || Id <- Ids],
    {reply, Reply, State};

handle_call(count_children, _From, State) when ?is_simple(State) ->
    #child{child_type = CT} = dynamic_spec(State),
    {_, Db} = State#state.dynamics,
    Sz = map_size(Db),
    Active = Sz - State#state.dynamic_restarts,
    Reply = case CT of
                supervisor -> [{specs, 1}, {active, Active}, {supervisors, Sz}, {workers, 0}];
                worker -> [{specs, 1}, {active, Active}, {supervisors, 0}, {workers, Sz}]
            end,
    {reply, Reply, State};
handle_call(count_children, _From, State) ->
    {_, Db} = State#state.children,
    {Specs, Active, Supers, Workers} =
        maps:fold(fun(_, #child{pid = Pid, child_type = T}, {S, A, Su, W}) ->
                          Alive = case is_pid(Pid) andalso is_process_alive(Pid) of
                                      true -> 1;
                                      false -> 0
                                  end,
                          case T of
                              worker -> {S + 1, A + Alive, Su, W + 1};
                              supervisor -> {S + 1, A + Alive, Su + 1, W}
                          end
                  end, {0, 0, 0, 0}, Db),
    {reply, [{specs, Specs}, {active, Active}, {supervisors, Supers}, {workers, Workers}],
     State}.

handle_start_child(Child, State) ->
    case find_child(Child#child.id, State) of
        error ->
            case do_start_child(Child) of
                {ok, undefined} when ?is_temporary(Child) ->
                    {{ok, undefined}, State};
                {ok, Pid} ->
                    {{ok, Pid}, save_child(Child#child{pid = Pid}, State)};
                {ok, Pid, Extra} ->
                    {{ok, Pid, Extra}, save_child(Child#child{pid = Pid}, State)};
                {error, What} ->
                    {{error, {What, Child}}, State}
            end;
        {ok, OldChild} when is_pid(OldChild#child.pid) ->
            {{error, {already_started, OldChild#child.pid}}, State};
        {ok, _OldChild} ->
            {{error, already_present}, State}
    end.

%% ----------------------------------------------------------- casts, info

handle_cast({try_again_restart, TryAgainId}, State) ->
    case find_child_and_args(TryAgainId, State) of
        {ok, Child = #child{pid = {restarting, _}}} ->
            case restart(Child, State) of
                {ok, State1} -> {noreply, State1};
                {shutdown, State1} -> {stop, shutdown, State1}
            end;
        _ ->
            {noreply, State}
    end.

handle_info({'EXIT', Pid, Reason}, State) ->
    case restart_child(Pid, Reason, State) of
        {ok, State1} -> {noreply, State1};
        {shutdown, State1} -> {stop, shutdown, State1}
    end;
handle_info(Msg, State) ->
    error_logger:error_msg("Supervisor received unexpected message: ~tp~n", [Msg]),
    {noreply, State}.

terminate(_Reason, State) when ?is_simple(State) ->
    terminate_dynamic_children(State);
terminate(_Reason, State) ->
    terminate_children(State#state.children),
    ok.

code_change(_, State, _) ->
    case (State#state.module):init(State#state.args) of
        {ok, {SupFlags, _StartSpec}} ->
            case set_flags(SupFlags, State) of
                {ok, State1} -> {ok, State1};
                Error -> {error, Error}
            end;
        ignore -> {ok, State};
        Error -> Error
    end.

format_status(_, [_PDict, State]) ->
    [{data, [{"State", State}]}, {supervisor, [{"Callback", State#state.module}]}].

%% --------------------------------------------------------------- restarts

restart_child(Pid, Reason, State) ->
    case find_child_and_args(Pid, State) of
        {ok, Child} -> do_restart(Reason, Child, State);
        error -> {ok, State}
    end.

do_restart(Reason, Child, State) when ?is_permanent(Child) ->
    report(child_terminated, Reason, Child, State),
    restart(Child, State);
do_restart(normal, Child, State) ->
    do_auto_shutdown(Child, del_child(Child, State));
do_restart(shutdown, Child, State) ->
    do_auto_shutdown(Child, del_child(Child, State));
do_restart({shutdown, _}, Child, State) ->
    do_auto_shutdown(Child, del_child(Child, State));
do_restart(Reason, Child, State) when ?is_transient(Child) ->
    report(child_terminated, Reason, Child, State),
    restart(Child, State);
do_restart(Reason, Child, State) when ?is_temporary(Child) ->
    report(child_terminated, Reason, Child, State),
    do_auto_shutdown(Child, del_child(Child, State)).

do_auto_shutdown(_Child, State = #state{auto_shutdown = never}) ->
    {ok, State};
do_auto_shutdown(#child{significant = false}, State) ->
    {ok, State};
do_auto_shutdown(_Child, State = #state{auto_shutdown = any_significant}) ->
    {shutdown, State};
do_auto_shutdown(_Child, State) when ?is_simple(State) ->
    {_, Db} = State#state.dynamics,
    case map_size(Db) of
        0 -> {shutdown, State};
        _ -> {ok, State}
    end;
do_auto_shutdown(_Child, State) ->
    {_, Db} = State#state.children,
    Running = [C || C = #child{pid = P, significant = true} <- maps:values(Db),
                    P =/= undefined],
    case Running of
        [] -> {shutdown, State};
        _ -> {ok, State}
    end.

restart(Child, State) ->
    case add_restart(State) of
        {ok, NState} ->
            case restart(NState#state.strategy, Child, NState) of
                {{try_again, TryAgainId}, NState2} ->
                    gen_server:cast(self(), {try_again_restart, TryAgainId}),
                    {ok, NState2};
                Other ->
                    Other
            end;
        {terminate, NState} ->
            report(shutdown, reached_max_restart_intensity, Child, State),
            {shutdown, del_child(Child, NState)}
    end.

restart(simple_one_for_one, Child, State0) ->
    #child{pid = OldPid, mfargs = {M, F, A}} = Child,
    State1 = case OldPid of
                 {restarting, _} ->
                     State0#state{dynamic_restarts = State0#state.dynamic_restarts - 1};
                 _ -> State0
             end,
    State2 = dyn_erase(OldPid, State1),
    case do_start_child_i(M, F, A) of
        {ok, Pid} -> {ok, dyn_store(Pid, A, State2)};
        {ok, Pid, _Extra} -> {ok, dyn_store(Pid, A, State2)};
        {error, Error} ->
            ROldPid = restarting(OldPid),
            State3 = State2#state{dynamic_restarts = State2#state.dynamic_restarts + 1},
            report(start_error, Error, Child, State3),
            {{try_again, ROldPid}, dyn_store(ROldPid, A, State3)}
    end;
restart(one_for_one, #child{id = Id} = Child, State) ->
    OldPid = Child#child.pid,
    case do_start_child(Child) of
        {ok, Pid} -> {ok, set_pid(Pid, Id, State)};
        {ok, Pid, _Extra} -> {ok, set_pid(Pid, Id, State)};
        {error, Reason} ->
            report(start_error, Reason, Child, State),
            {{try_again, Id}, set_pid(restarting(OldPid), Id, State)}
    end;
restart(rest_for_one, #child{id = Id} = Child, State) ->
    {ChAfter, ChBefore} = split_child(Id, State#state.children),
    {Return, ChAfter2} = restart_multiple_children(Child, ChAfter),
    {Return, State#state{children = append(ChAfter2, ChBefore)}};
restart(one_for_all, Child, State) ->
    Children1 = del_child_id(Child#child.id, State#state.children),
    {Return, NChildren} = restart_multiple_children(Child, Children1),
    {Return, State#state{children = NChildren}}.

%% Children given in termination order: terminate them in that order, then
%% start them again in start order.
restart_multiple_children(Child, Children) ->
    case start_children(terminate_children(Children)) of
        {ok, NChildren} ->
            {ok, NChildren};
        {error, NChildren, {failed_to_start_child, FailedId, _Reason}} ->
            NewPid = if FailedId =:= Child#child.id -> restarting(Child#child.pid);
                        true -> {restarting, undefined}
                     end,
            {{try_again, FailedId}, set_pid(NewPid, FailedId, NChildren)}
    end.

restarting(Pid) when is_pid(Pid) -> {restarting, Pid};
restarting(RPid) -> RPid.

add_restart(State) ->
    Now = erlang:monotonic_time(1),
    Threshold = Now - State#state.period,
    R = [Now | lists:takewhile(fun(T) -> T >= Threshold end, State#state.restarts)],
    State1 = State#state{restarts = R},
    case length(R) =< State#state.intensity of
        true -> {ok, State1};
        false -> {terminate, State1}
    end.

%% The supervisor report OTP's logger prints (on standard error here).
report(Context, Reason, Child, State) ->
    Offender = [{pid, Child#child.pid}, {id, Child#child.id},
                {mfargs, Child#child.mfargs}, {restart_type, Child#child.restart_type},
                {significant, Child#child.significant}, {shutdown, Child#child.shutdown},
                {child_type, Child#child.child_type}],
    error_logger:report_block("SUPERVISOR",
                              [{supervisor, State#state.name}, {errorContext, Context},
                               {reason, Reason}, {offender, Offender}]).


%% ------------------------------------------------------------ termination

%% Terminate children in the order given (termination order); temporary
%% ones are forgotten. Returns the children without pids, in start order.
terminate_children({Ids, Db}) -> terminate_children(Ids, Db, []).

terminate_children([Id | Ids], Db, Acc) ->
    Child = maps:get(Id, Db),
    do_terminate(Child),
    case ?is_temporary(Child) of
        true -> terminate_children(Ids, maps:remove(Id, Db), Acc);
        false -> terminate_children(Ids, Db#{Id => Child#child{pid = undefined}}, [Id | Acc])
    end;
terminate_children([], Db, Acc) ->
    {Acc, Db}.

do_terminate(Child) when is_pid(Child#child.pid) ->
    _ = shutdown(Child),
    ok;
do_terminate(_Child) ->
    ok.

shutdown(#child{pid = Pid, shutdown = brutal_kill} = Child) ->
    Mon = monitor(process, Pid),
    exit(Pid, kill),
    receive
        {'DOWN', Mon, process, Pid, Reason0} ->
            shutdown_result(unlink_flush(Pid, Reason0), killed, Child)
    end;
shutdown(#child{pid = Pid, shutdown = Time} = Child) ->
    Mon = monitor(process, Pid),
    exit(Pid, shutdown),
    receive
        {'DOWN', Mon, process, Pid, Reason0} ->
            shutdown_result(unlink_flush(Pid, Reason0), shutdown, Child)
    after Time ->
        exit(Pid, kill),
        receive
            {'DOWN', Mon, process, Pid, Reason0} ->
                shutdown_result(unlink_flush(Pid, Reason0), shutdown, Child)
        end
    end.

shutdown_result(Expected, Expected, _Child) -> ok;
shutdown_result(shutdown, _, Child) when not ?is_permanent(Child) -> ok;
shutdown_result({shutdown, _}, _, Child) when not ?is_permanent(Child) -> ok;
shutdown_result(normal, _, Child) when not ?is_permanent(Child) -> ok;
shutdown_result(Reason, _, _Child) -> {error, Reason}.

unlink_flush(Pid, DefaultReason) ->
    unlink(Pid),
    receive
        {'EXIT', Pid, Reason} -> Reason
    after 0 -> DefaultReason
    end.

%% All dynamic children are told to shut down at once, then awaited.
terminate_dynamic_children(State) ->
    Child = dynamic_spec(State),
    {_, Db} = State#state.dynamics,
    Pids = maps:fold(
             fun(P, _, Acc) when is_pid(P) ->
                     Mon = monitor(process, P),
                     case Child#child.shutdown of
                         brutal_kill -> exit(P, kill);
                         _ -> exit(P, shutdown)
                     end,
                     Acc#{{P, Mon} => true};
                (_, _, Acc) -> Acc
             end, #{}, Db),
    TRef = case Child#child.shutdown of
               brutal_kill -> undefined;
               infinity -> undefined;
               Time -> erlang:start_timer(Time, self(), kill)
           end,
    wait_dynamic_children(Pids, map_size(Pids), TRef),
    ok.

wait_dynamic_children(_Pids, 0, undefined) ->
    ok;
wait_dynamic_children(_Pids, 0, TRef) ->
    _ = erlang:cancel_timer(TRef),
    receive {timeout, TRef, kill} -> ok after 0 -> ok end;
wait_dynamic_children(Pids, Sz, TRef) ->
    receive
        {'DOWN', Mon, process, Pid, Reason0} when is_map_key({Pid, Mon}, Pids) ->
            _ = unlink_flush(Pid, Reason0),
            wait_dynamic_children(maps:remove({Pid, Mon}, Pids), Sz - 1, TRef);
        {timeout, TRef, kill} ->
            maps:foreach(fun({P, _}, _) -> exit(P, kill) end, Pids),
            wait_dynamic_children(Pids, Sz, undefined)
    end.

%% ------------------------------------------------------------- children

dynamic_spec(#state{children = {[Id], Db}}) -> maps:get(Id, Db).

dyn_store(Pid, Args, #state{dynamics = {Kind, Db}} = State) ->
    case Kind of
        mapsets -> State#state{dynamics = {mapsets, Db#{Pid => []}}};
        maps -> State#state{dynamics = {maps, Db#{Pid => Args}}}
    end.

dyn_erase(Pid, #state{dynamics = {Kind, Db}} = State) ->
    State#state{dynamics = {Kind, maps:remove(Pid, Db)}}.

save_child(#child{mfargs = {M, F, _}} = Child, State) when ?is_temporary(Child) ->
    do_save_child(Child#child{mfargs = {M, F, undefined}}, State);
save_child(Child, State) ->
    do_save_child(Child, State).

do_save_child(#child{id = Id} = Child, #state{children = {Ids, Db}} = State) ->
    State#state{children = {[Id | Ids], Db#{Id => Child}}}.

del_child(#child{pid = Pid}, State) when ?is_simple(State) ->
    dyn_erase(Pid, State);
del_child(Child, State) ->
    State#state{children = del_child_id(Child#child.id, State#state.children)}.

del_child_id(Id, {Ids, Db}) ->
    case maps:get(Id, Db) of
        Child when ?is_temporary(Child) ->
            {lists:delete(Id, Ids), maps:remove(Id, Db)};
        Child ->
            {Ids, Db#{Id => Child#child{pid = undefined}}}
    end.

split_child(Id, {Ids, Db}) ->
    {IdsAfter, IdsBefore} = split_ids(Id, Ids, []),
    DbBefore = maps:with(IdsBefore, Db),
    #{Id := Ch} = DbAfter = maps:with(IdsAfter, Db),
    {{IdsAfter, DbAfter#{Id => Ch#child{pid = undefined}}}, {IdsBefore, DbBefore}}.

split_ids(Id, [Id | Ids], After) -> {lists:reverse([Id | After]), Ids};
split_ids(Id, [Other | Ids], After) -> split_ids(Id, Ids, [Other | After]).

append({Ids1, Db1}, {Ids2, Db2}) -> {Ids1 ++ Ids2, maps:merge(Db1, Db2)}.

find_child(Pid, State) when is_pid(Pid), ?is_simple(State) ->
    case find_dynamic_child(Pid, State) of
        error ->
            case find_dynamic_child({restarting, Pid}, State) of
                error ->
                    case is_process_alive(Pid) of
                        true -> error;
                        false -> {ok, dynamic_spec(State)}
                    end;
                Other -> Other
            end;
        Other -> Other
    end;
find_child(Id, #state{children = {_Ids, Db}}) ->
    maps:find(Id, Db).

find_child_and_args(Pid, State) when ?is_simple(State) ->
    case find_dynamic_child(Pid, State) of
        {ok, #child{mfargs = {M, F, _}} = Child} ->
            {_, Db} = State#state.dynamics,
            Args = case State#state.dynamics of
                       {mapsets, _} -> undefined;
                       {maps, _} -> maps:get(Pid, Db)
                   end,
            {ok, Child#child{mfargs = {M, F, Args}}};
        error -> error
    end;
find_child_and_args(Pid, #state{children = {_Ids, Db}}) when is_pid(Pid) ->
    case [C || C = #child{pid = P} <- maps:values(Db), P =:= Pid] of
        [Child | _] -> {ok, Child};
        [] -> error
    end;
find_child_and_args(Id, #state{children = {_Ids, Db}}) ->
    maps:find(Id, Db).

find_dynamic_child(Pid, #state{dynamics = {_, Db}} = State) ->
    case is_map_key(Pid, Db) of
        true -> {ok, (dynamic_spec(State))#child{pid = Pid}};
        false -> error
    end.

set_pid(Pid, Id, #state{children = Children} = State) ->
    State#state{children = set_pid(Pid, Id, Children)};
set_pid(Pid, Id, {Ids, Db}) ->
    {Ids, maps:update_with(Id, fun(Child) -> Child#child{pid = Pid} end, Db)}.

remove_child(Id, #state{children = {Ids, Db}} = State) ->
    State#state{children = {lists:delete(Id, Ids), maps:remove(Id, Db)}}.

child_to_spec(#child{id = Id, mfargs = Func, restart_type = RestartType,
                     significant = Significant, shutdown = Shutdown,
                     child_type = ChildType, modules = Mods}) ->
    #{id => Id, start => Func, restart => RestartType, significant => Significant,
      shutdown => Shutdown, type => ChildType, modules => Mods}.

%% ---------------------------------------------------------------- checks

set_flags(Flags, State) ->
    try check_flags(Flags) of
        #{strategy := Strategy, intensity := MaxIntensity, period := Period,
          auto_shutdown := AutoShutdown} ->
            {ok, State#state{strategy = Strategy, intensity = MaxIntensity,
                             period = Period, auto_shutdown = AutoShutdown}}
    catch
        Thrown -> Thrown
    end.

check_flags(SupFlags) when is_map(SupFlags) ->
    do_check_flags(maps:merge(#{strategy => one_for_one, intensity => 1, period => 5,
                                auto_shutdown => never}, SupFlags));
check_flags({Strategy, MaxIntensity, Period}) ->
    check_flags(#{strategy => Strategy, intensity => MaxIntensity, period => Period,
                  auto_shutdown => never});
check_flags(What) ->
    throw({invalid_type, What}).

do_check_flags(#{strategy := Strategy, intensity := MaxIntensity, period := Period,
                 auto_shutdown := AutoShutdown} = Flags) ->
    lists:member(Strategy, [simple_one_for_one, one_for_one, one_for_all, rest_for_one])
        orelse throw({invalid_strategy, Strategy}),
    (is_integer(MaxIntensity) andalso MaxIntensity >= 0)
        orelse throw({invalid_intensity, MaxIntensity}),
    (is_integer(Period) andalso Period > 0) orelse throw({invalid_period, Period}),
    lists:member(AutoShutdown, [never, any_significant, all_significant])
        orelse throw({invalid_auto_shutdown, AutoShutdown}),
    Flags.

check_startspec(Children, AutoShutdown) ->
    check_startspec(Children, [], #{}, AutoShutdown).

check_startspec([ChildSpec | T], Ids, Db, AutoShutdown) ->
    case check_childspec(ChildSpec, AutoShutdown) of
        {ok, #child{id = Id} = Child} ->
            case maps:is_key(Id, Db) of
                true -> {duplicate_child_name, Id};
                false -> check_startspec(T, [Id | Ids], Db#{Id => Child}, AutoShutdown)
            end;
        Error -> Error
    end;
check_startspec([], Ids, Db, _AutoShutdown) ->
    {ok, {lists:reverse(Ids), Db}}.

check_childspec(ChildSpec, AutoShutdown) when is_map(ChildSpec) ->
    catch do_check_childspec(maps:merge(#{restart => permanent, type => worker}, ChildSpec),
                             AutoShutdown);
check_childspec({Id, Func, RestartType, Shutdown, ChildType, Mods}, AutoShutdown) ->
    check_childspec(#{id => Id, start => Func, restart => RestartType, significant => false,
                      shutdown => Shutdown, type => ChildType, modules => Mods},
                    AutoShutdown);
check_childspec(X, _AutoShutdown) ->
    {invalid_child_spec, X}.

do_check_childspec(#{restart := RestartType, type := ChildType} = ChildSpec, AutoShutdown) ->
    Id = case ChildSpec of
             #{id := I} -> I;
             _ -> throw(missing_id)
         end,
    Func = case ChildSpec of
               #{start := F} -> F;
               _ -> throw(missing_start)
           end,
    case Func of
        {M0, F0, A0} when is_atom(M0), is_atom(F0), is_list(A0) -> ok;
        _ -> throw({invalid_mfa, Func})
    end,
    lists:member(RestartType, [permanent, temporary, transient])
        orelse throw({invalid_restart_type, RestartType}),
    Significant = maps:get(significant, ChildSpec, false),
    valid_significant(Significant, RestartType, AutoShutdown),
    lists:member(ChildType, [supervisor, worker]) orelse throw({invalid_child_type, ChildType}),
    Shutdown = case ChildSpec of
                   #{shutdown := S} -> S;
                   #{type := worker} -> 5000;
                   #{type := supervisor} -> infinity
               end,
    case Shutdown of
        _ when is_integer(Shutdown), Shutdown >= 0 -> ok;
        infinity -> ok;
        brutal_kill -> ok;
        _ -> throw({invalid_shutdown, Shutdown})
    end,
    Mods = case ChildSpec of
               #{modules := Ms} -> Ms;
               _ -> {M, _, _} = Func, [M]
           end,
    case Mods of
        dynamic -> ok;
        _ when is_list(Mods) ->
            lists:foreach(fun(Mod) when is_atom(Mod) -> ok;
                             (Mod) -> throw({invalid_module, Mod})
                          end, Mods);
        _ -> throw({invalid_modules, Mods})
    end,
    {ok, #child{id = Id, mfargs = Func, restart_type = RestartType,
                significant = Significant, shutdown = Shutdown,
                child_type = ChildType, modules = Mods}}.

valid_significant(true, _RestartType, never) ->
    throw({bad_combination, [{auto_shutdown, never}, {significant, true}]});
valid_significant(true, permanent, _AutoShutdown) ->
    throw({bad_combination, [{restart, permanent}, {significant, true}]});
valid_significant(Significant, _RestartType, _AutoShutdown) when is_boolean(Significant) ->
    true;
valid_significant(Significant, _RestartType, _AutoShutdown) ->
    throw({invalid_significant, Significant}).
