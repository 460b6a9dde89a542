%% proc_lib: processes that know their ancestors and initial call, start
%% synchronously (start/start_link + init_ack) and exit with OTP's reasons.
%%
%% A process started here records '$ancestors' and '$initial_call' in its
%% dictionary. An exception that escapes it becomes an exit with
%% `{Reason, Stack}` (errors), `{{nocatch, Value}, Stack}` (throws) or the
%% reason (exits). OTP files the crash report under the SASL domain, which
%% its default logger configuration does not print; neither does Beryl.
-module(proc_lib).
-export([spawn/1, spawn/2, spawn/3, spawn/4,
         spawn_link/1, spawn_link/2, spawn_link/3, spawn_link/4,
         spawn_opt/2, spawn_opt/3, spawn_opt/4, spawn_opt/5,
         start/3, start/4, start/5, start_link/3, start_link/4, start_link/5,
         start_monitor/3, start_monitor/4, start_monitor/5,
         init_ack/1, init_ack/2, init_p/3, init_p/5,
         initial_call/1, translate_initial_call/1,
         hibernate/3, wake_up/3, stop/1, stop/3, format/1]).

%% The arguments of init_p: who spawns, its ancestors, then what to run.
init_args(Run) ->
    [get_my_name(), get_ancestors() | Run].

spawn(F) when is_function(F) ->
    erlang:spawn(?MODULE, init_p, init_args([F])).

spawn(Node, F) when is_function(F) ->
    check_node(Node),
    ?MODULE:spawn(F).

spawn(M, F, A) when is_atom(M), is_atom(F), is_list(A) ->
    erlang:spawn(?MODULE, init_p, init_args([M, F, A])).

spawn(Node, M, F, A) ->
    check_node(Node),
    ?MODULE:spawn(M, F, A).

spawn_link(F) when is_function(F) ->
    erlang:spawn_link(?MODULE, init_p, init_args([F])).

spawn_link(Node, F) when is_function(F) ->
    check_node(Node),
    ?MODULE:spawn_link(F).

spawn_link(M, F, A) when is_atom(M), is_atom(F), is_list(A) ->
    erlang:spawn_link(?MODULE, init_p, init_args([M, F, A])).

spawn_link(Node, M, F, A) ->
    check_node(Node),
    ?MODULE:spawn_link(M, F, A).

spawn_opt(F, Opts) when is_function(F), is_list(Opts) ->
    erlang:spawn_opt(?MODULE, init_p, init_args([F]), Opts).

spawn_opt(Node, F, Opts) when is_function(F) ->
    check_node(Node),
    ?MODULE:spawn_opt(F, Opts).

spawn_opt(M, F, A, Opts) when is_atom(M), is_atom(F), is_list(A) ->
    erlang:spawn_opt(?MODULE, init_p, init_args([M, F, A]), Opts).

spawn_opt(Node, M, F, A, Opts) ->
    check_node(Node),
    ?MODULE:spawn_opt(M, F, A, Opts).

check_node(Node) when Node =:= node() -> ok;
check_node(_) -> erlang:error(notsup).

init_p(Parent, Ancestors, Fun) when is_function(Fun) ->
    put('$ancestors', [Parent | Ancestors]),
    {module, M} = erlang:fun_info(Fun, module),
    {name, F} = erlang:fun_info(Fun, name),
    {arity, A} = erlang:fun_info(Fun, arity),
    put('$initial_call', {M, F, A}),
    try
        Fun()
    catch
        Class:Reason:Stacktrace -> exit_p(Class, Reason, Stacktrace)
    end.

init_p(Parent, Ancestors, M, F, A) when is_atom(M), is_atom(F), is_list(A) ->
    put('$ancestors', [Parent | Ancestors]),
    put('$initial_call', translate(M, F, A)),
    try
        apply(M, F, A)
    catch
        Class:Reason:Stacktrace -> exit_p(Class, Reason, Stacktrace)
    end.

hibernate(M, F, A) when is_atom(M), is_atom(F), is_list(A) ->
    erlang:garbage_collect(),
    wake_up(M, F, A).

wake_up(M, F, A) when is_atom(M), is_atom(F), is_list(A) ->
    try
        apply(M, F, A)
    catch
        Class:Reason:Stacktrace -> exit_p(Class, Reason, Stacktrace)
    end.

exit_p(Class, Reason, Stacktrace) ->
    crash_report(Class, Reason),
    erlang:raise(exit, exit_reason(Class, Reason, Stacktrace), Stacktrace).

%% The crash report OTP's logger prints (on standard error here); exits
%% with the reasons supervisors use to stop children are not crashes.
crash_report(exit, normal) -> ok;
crash_report(exit, shutdown) -> ok;
crash_report(exit, {shutdown, _}) -> ok;
crash_report(Class, Reason) ->
    Call = case get('$initial_call') of
               {M, F, A} -> io_lib:format("~tp:~tp/~p", [M, F, A]);
               _ -> "unknown"
           end,
    Info = [{pid, self()}, {registered_name, get_my_name()}],
    Exception = {text, io_lib:format("~tp", [Reason])},
    Items = [{'initial call', {text, Call}} | Info] ++
        [{list_to_atom("exception " ++ atom_to_list(Class)), Exception},
         {ancestors, get_ancestors()}] ++
        [case process_info(self(), I) of
             {I, V} -> {I, V};
             _ -> {I, undefined}
         end || I <- [message_queue_len, links, trap_exit]],
    error_logger:report_block("CRASH", Items).

exit_reason(error, Reason, Stacktrace) -> {Reason, Stacktrace};
exit_reason(exit, Reason, _Stacktrace) -> Reason;
exit_reason(throw, Reason, Stacktrace) -> {{nocatch, Reason}, Stacktrace}.

%% ------------------------------------------------------- synchronous start

start(M, F, A) -> start(M, F, A, infinity).

start(M, F, A, Timeout) when is_atom(M), is_atom(F), is_list(A) ->
    sync_start(?MODULE:spawn_opt(M, F, A, [monitor]), Timeout).

start(M, F, A, Timeout, SpawnOpts) when is_atom(M), is_atom(F), is_list(A) ->
    no_monitor_opt(SpawnOpts),
    sync_start(?MODULE:spawn_opt(M, F, A, [monitor | SpawnOpts]), Timeout).

sync_start({Pid, Ref}, Timeout) ->
    receive
        {ack, Pid, Return} ->
            erlang:demonitor(Ref, [flush]),
            Return;
        {'DOWN', Ref, process, Pid, Reason} ->
            {error, Reason}
    after Timeout ->
        erlang:demonitor(Ref, [flush]),
        kill_flush(Pid),
        {error, timeout}
    end.

start_link(M, F, A) -> start_link(M, F, A, infinity).

start_link(M, F, A, Timeout) when is_atom(M), is_atom(F), is_list(A) ->
    sync_start_link(?MODULE:spawn_link(M, F, A), Timeout).

start_link(M, F, A, Timeout, SpawnOpts) when is_atom(M), is_atom(F), is_list(A) ->
    no_monitor_opt(SpawnOpts),
    sync_start_link(?MODULE:spawn_opt(M, F, A, [link | SpawnOpts]), Timeout).

sync_start_link(Pid, Timeout) ->
    receive
        {ack, Pid, Return} ->
            Return;
        {'EXIT', Pid, Reason} ->
            {error, Reason}
    after Timeout ->
        kill_flush(Pid),
        {error, timeout}
    end.

start_monitor(M, F, A) -> start_monitor(M, F, A, infinity).

start_monitor(M, F, A, Timeout) when is_atom(M), is_atom(F), is_list(A) ->
    sync_start_monitor(?MODULE:spawn_opt(M, F, A, [monitor]), Timeout).

start_monitor(M, F, A, Timeout, SpawnOpts) when is_atom(M), is_atom(F), is_list(A) ->
    no_monitor_opt(SpawnOpts),
    sync_start_monitor(?MODULE:spawn_opt(M, F, A, [monitor | SpawnOpts]), Timeout).

sync_start_monitor({Pid, Ref}, Timeout) ->
    receive
        {ack, Pid, Return} ->
            {Return, Ref};
        {'DOWN', Ref, process, Pid, Reason} = Down ->
            self() ! Down,
            {{error, Reason}, Ref}
    after Timeout ->
        kill_flush(Pid),
        {{error, timeout}, Ref}
    end.

no_monitor_opt(SpawnOpts) ->
    case lists:member(monitor, SpawnOpts) of
        true -> erlang:error(badarg);
        false -> ok
    end.

kill_flush(Pid) ->
    unlink(Pid),
    exit(Pid, kill),
    receive {'EXIT', Pid, _} -> ok after 0 -> ok end,
    ok.

init_ack(Parent, Return) ->
    Parent ! {ack, self(), Return},
    ok.

init_ack(Return) ->
    [Parent | _] = get('$ancestors'),
    init_ack(Parent, Return).

%% ------------------------------------------------------------ initial call

initial_call(DictOrPid) ->
    case raw_initial_call(DictOrPid) of
        {M, F, A} -> {M, F, make_dummy_args(A, [])};
        false -> false
    end.

translate_initial_call(DictOrPid) ->
    case raw_initial_call(DictOrPid) of
        {_, _, _} = MFA -> MFA;
        false -> {?MODULE, init_p, 5}
    end.

raw_initial_call(Pid) when is_pid(Pid) ->
    case process_info(Pid, dictionary) of
        {dictionary, Dict} -> raw_initial_call(Dict);
        _ -> false
    end;
raw_initial_call(Dict) when is_list(Dict) ->
    case lists:keyfind('$initial_call', 1, Dict) of
        {_, {M, F, A}} -> {M, F, A};
        _ -> false
    end.

make_dummy_args(0, Acc) -> Acc;
make_dummy_args(N, Acc) ->
    Arg = list_to_atom("Argument__" ++ integer_to_list(N)),
    make_dummy_args(N - 1, [Arg | Acc]).

%% The initial call of a generic server is its callback module's init/1.
translate(gen, init_it, [gen_server, _, _, supervisor, {_, Module, _}, _]) ->
    {supervisor, Module, 1};
translate(gen, init_it, [gen_server, _, _, _, supervisor, {_, Module, _}, _]) ->
    {supervisor, Module, 1};
translate(gen, init_it, [gen_server, _, _, Module | _]) when is_atom(Module) ->
    {Module, init, 1};
translate(gen, init_it, [gen_server, _, _, _, Module | _]) when is_atom(Module) ->
    {Module, init, 1};
translate(gen, init_it, [gen_statem, _, _, Module | _]) when is_atom(Module) ->
    {Module, init, 1};
translate(gen, init_it, [gen_statem, _, _, _, Module | _]) when is_atom(Module) ->
    {Module, init, 1};
translate(M, F, A) ->
    {M, F, length(A)}.

%% ------------------------------------------------------------------- stop

stop(Process) -> stop(Process, normal, infinity).

%% Stop a process that handles system messages (gen_server, gen_statem,
%% supervisor): it runs its terminate callback and exits with Reason. As
%% on OTP the request is made by a helper process, so nothing the process
%% answers can reach the caller's mailbox.
stop(Process, Reason, Timeout) ->
    Mref = erlang:monitor(process, Process),
    Helper = erlang:spawn(fun() ->
                           Tag = make_ref(),
                           catch erlang:send(Process, {system, {self(), Tag}, {terminate, Reason}}),
                           receive never -> ok end
                   end),
    receive
        {'DOWN', Mref, _, _, Reason} ->
            exit(Helper, kill),
            ok;
        {'DOWN', Mref, _, _, Other} ->
            exit(Helper, kill),
            exit(Other)
    after Timeout ->
        exit(Helper, kill),
        erlang:demonitor(Mref, [flush]),
        exit(timeout)
    end.

format(CrashReport) ->
    io_lib:format("~tp~n", [CrashReport]).

%% ----------------------------------------------------------------- helpers

get_my_name() ->
    case process_info(self(), registered_name) of
        {registered_name, Name} -> Name;
        _ -> self()
    end.

get_ancestors() ->
    case get('$ancestors') of
        A when is_list(A) -> A;
        _ -> []
    end.
