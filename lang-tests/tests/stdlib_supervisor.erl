%% A supervision tree: a top supervisor (one_for_one) with a counter
%% gen_server, a worker supervisor (rest_for_one) of three workers, and a
%% simple_one_for_one pool. Workers are crashed on purpose; the restarts
%% and the final state are printed. Then one_for_all, failures while a
%% supervisor starts, bad flags and specs, and check_childspecs.
-module(stdlib_supervisor).
-behaviour(supervisor).
-export([main/1, init/1, start_worker/1, start_counter/0, worker_loop/1]).
-export([handle_call/3, handle_cast/2, handle_info/2, terminate/2, code_change/3]).
-export([counter_init/1]).

main(_) ->
    tree(),
    one_for_all(),
    failures(),
    io:format("mailbox at end: ~p~n", [flush()]).

flush() ->
    receive M -> [M | flush()] after 0 -> [] end.

tree() ->
    process_flag(trap_exit, true),
    {ok, Top} = supervisor:start_link({local, top_sup}, ?MODULE, top),
    io:format("top started: ~p~n", [is_pid(Top)]),
    show(top_sup),
    show(workers_sup),
    %% counter: a gen_server
    ok = gen_server:call(counter, {add, 5}),
    ok = gen_server:call(counter, {add, 7}),
    io:format("counter = ~p~n", [gen_server:call(counter, get)]),
    gen_server:cast(counter, {add, 100}),
    io:format("counter after cast = ~p~n", [gen_server:call(counter, get)]),
    %% crash the counter: permanent, restarted with fresh state
    Old = whereis(counter),
    catch gen_server:call(counter, crash),
    wait_restart(counter, Old),
    io:format("counter restarted: ~p, value ~p~n",
              [whereis(counter) =/= Old, gen_server:call(counter, get)]),
    %% rest_for_one: crash w2, w2 and w3 restart, w1 keeps its pid
    Before = children_pids(workers_sup),
    OldW2 = proplists:get_value(w2, Before),
    exit(OldW2, boom),
    wait_until(fun() -> child_pid(workers_sup, w2) =/= OldW2 end),
    After = children_pids(workers_sup),
    io:format("rest_for_one: ~p~n",
              [[{Id, proplists:get_value(Id, Before) =:= P} || {Id, P} <- After]]),
    %% transient worker exiting normally is not restarted
    W1 = proplists:get_value(w1, After),
    W1 ! {exit, normal},
    wait_until(fun() -> child_pid(workers_sup, w1) =:= undefined end),
    io:format("after w1 normal exit: ~p~n", [[{Id, is_pid(P)} || {Id, P} <- children_pids(workers_sup)]]),
    io:format("count ~p~n", [supervisor:count_children(workers_sup)]),
    io:format("restart w1: ~p~n", [element(1, supervisor:restart_child(workers_sup, w1))]),
    io:format("restart w1 again: ~p~n", [supervisor:restart_child(workers_sup, w1)]),
    io:format("terminate w3: ~p~n", [supervisor:terminate_child(workers_sup, w3)]),
    io:format("delete w3: ~p~n", [supervisor:delete_child(workers_sup, w3)]),
    io:format("delete w3 again: ~p~n", [supervisor:delete_child(workers_sup, w3)]),
    io:format("children: ~p~n", [[Id || {Id, _, _, _} <- supervisor:which_children(workers_sup)]]),
    %% simple_one_for_one pool
    {ok, P1} = supervisor:start_child(pool_sup, [a]),
    {ok, P2} = supervisor:start_child(pool_sup, [b]),
    io:format("pool count ~p~n", [supervisor:count_children(pool_sup)]),
    exit(P1, kill),
    wait_until(fun() ->
                       Pids = [P || {_, P, _, _} <- supervisor:which_children(pool_sup)],
                       not lists:member(P1, Pids) andalso length(Pids) =:= 2
               end),
    io:format("pool after kill ~p~n", [supervisor:count_children(pool_sup)]),
    io:format("pool terminate ~p~n", [supervisor:terminate_child(pool_sup, P2)]),
    io:format("pool count ~p~n", [supervisor:count_children(pool_sup)]),
    io:format("pool terminate by id ~p~n", [supervisor:terminate_child(pool_sup, foo)]),
    %% dynamic child on top
    Spec = #{id => extra, start => {?MODULE, start_worker, [extra]}, restart => temporary},
    {ok, E} = supervisor:start_child(top_sup, Spec),
    io:format("extra dup: ~p~n", [supervisor:start_child(top_sup, Spec) =:= {error, {already_started, E}}]),
    exit(E, kill),
    wait_until(fun() -> supervisor:get_childspec(top_sup, extra) =:= {error, not_found} end),
    io:format("temporary gone: ~p~n", [supervisor:get_childspec(top_sup, extra)]),
    io:format("bad spec: ~p~n", [supervisor:start_child(top_sup, #{id => x, start => nope})]),
    io:format("failing child: ~p~n",
              [supervisor:start_child(top_sup, #{id => f, start => {?MODULE, start_worker, [fail]}})]),
    io:format("crashing child: ~p~n",
              [supervisor:start_child(top_sup, #{id => f, start => {?MODULE, start_worker, [crash]}})]),
    io:format("spec: ~p~n", [supervisor:get_childspec(top_sup, counter)]),
    %% restart intensity: workers_sup allows 3 restarts in 10 s
    Ws = whereis(workers_sup),
    [begin
         W = child_pid(workers_sup, w1),
         exit(W, kill),
         wait_until(fun() -> restarted(child_pid(workers_sup, w1), W) end)
     end || _ <- lists:seq(1, 5)],
    io:format("workers_sup replaced after intensity: ~p~n",
              [is_pid(whereis(workers_sup)) andalso whereis(workers_sup) =/= Ws]),
    show(top_sup),
    ok = supervisor:terminate_child(top_sup, counter),
    io:format("counter after terminate: ~p~n", [whereis(counter)]),
    exit(Top, shutdown),
    receive {'EXIT', Top, R} -> io:format("top exit ~p~n", [R]) end,
    io:format("all gone: ~p~n", [[whereis(N) || N <- [top_sup, workers_sup, pool_sup, counter]]]).

show(Sup) ->
    io:format("~p: ~p~n", [Sup, [{Id, Type, Mods, is_pid(P)} || {Id, P, Type, Mods} <- supervisor:which_children(Sup)]]).

children_pids(Sup) -> [{Id, P} || {Id, P, _, _} <- supervisor:which_children(Sup)].

%% The pid of a child, or undefined (also while its supervisor is being
%% replaced).
child_pid(Sup, Id) ->
    try proplists:get_value(Id, children_pids(Sup))
    catch exit:_ -> undefined
    end.

restarted(New, Old) -> is_pid(New) andalso New =/= Old.

%% Restarts happen asynchronously: poll for the expected state instead of
%% sleeping for a guessed time.
wait_until(F) -> wait_until(F, 1000).

wait_until(F, 0) -> error({timeout_waiting, F});
wait_until(F, N) ->
    case F() of
        true -> ok;
        false -> timer:sleep(5), wait_until(F, N - 1)
    end.

wait_restart(Name, Old) ->
    case whereis(Name) of
        P when is_pid(P), P =/= Old -> ok;
        _ -> timer:sleep(5), wait_restart(Name, Old)
    end.

init(counter) -> {ok, 0};
init(top) ->
    {ok, {#{strategy => one_for_one, intensity => 10, period => 10},
          [#{id => counter, start => {?MODULE, start_counter, []}},
           #{id => workers_sup, start => {supervisor, start_link, [{local, workers_sup}, ?MODULE, workers]},
             type => supervisor},
           #{id => pool_sup, start => {supervisor, start_link, [{local, pool_sup}, ?MODULE, pool]},
             type => supervisor}]}};
init(all) ->
    {ok, {{one_for_all, 5, 10},
          [#{id => a, start => {?MODULE, start_worker, [a]}},
           #{id => b, start => {?MODULE, start_worker, [{echo, b}]}},
           #{id => i, start => {?MODULE, start_worker, [ignore]}},
           #{id => t, start => {?MODULE, start_worker, [t]}, restart => temporary},
           #{id => c, start => {?MODULE, start_worker, [c]}, shutdown => brutal_kill}]}};
init({spec, Flags, Specs}) ->
    {ok, {Flags, Specs}};
init(ignore_me) ->
    ignore;
init(bad) ->
    nonsense;
init(workers) ->
    {ok, {{rest_for_one, 3, 10},
          [{w1, {?MODULE, start_worker, [w1]}, transient, 1000, worker, [?MODULE]},
           {w2, {?MODULE, start_worker, [w2]}, permanent, brutal_kill, worker, [?MODULE]},
           {w3, {?MODULE, start_worker, [w3]}, permanent, infinity, worker, [?MODULE]}]}};
init(pool) ->
    {ok, {#{strategy => simple_one_for_one},
          [#{id => pooled, start => {?MODULE, start_worker, []}, restart => transient}]}}.

start_worker(fail) -> {error, cannot};
start_worker(crash) -> exit(crash_in_start);
start_worker(ignore) -> ignore;
start_worker({echo, Name}) ->
    Pid = proc_lib:spawn_link(?MODULE, worker_loop, [Name]),
    {ok, Pid, {extra, Name}};
start_worker(Name) ->
    Pid = proc_lib:spawn_link(?MODULE, worker_loop, [Name]),
    {ok, Pid}.

worker_loop(Name) ->
    receive
        {exit, R} -> exit(R);
        _ -> worker_loop(Name)
    end.

start_counter() -> gen_server:start_link({local, counter}, ?MODULE, counter, []).

counter_init(_) -> ok.

%% gen_server callbacks (the counter); init/1 is shared with the supervisor
%% callbacks, so the counter's init goes through init(counter).
handle_call({add, N}, _From, S) -> {reply, ok, S + N};
handle_call(get, _From, S) -> {reply, S, S};
handle_call(crash, _From, _S) -> error(crashed).
handle_cast({add, N}, S) -> {noreply, S + N}.
handle_info(_, S) -> {noreply, S}.
terminate(_, _) -> ok.
code_change(_, S, _) -> {ok, S}.

one_for_all() ->
    {ok, Sup} = supervisor:start_link(?MODULE, all),
    Before = children_pids(Sup),
    io:format("one_for_all children: ~p~n", [[{Id, pid_or(P)} || {Id, P} <- Before]]),
    OldB = proplists:get_value(b, Before),
    exit(OldB, crash),
    wait_until(fun() -> restarted(child_pid(Sup, b), OldB) end),
    After = children_pids(Sup),
    io:format("one_for_all after crash: ~p~n",
              [[{Id, pid_or(P), proplists:get_value(Id, Before) =:= P} || {Id, P} <- After]]),
    io:format("restart ignored: ~p~n", [supervisor:restart_child(Sup, i)]),
    io:format("extra info: ~p~n",
              [element(3, supervisor:start_child(Sup, #{id => e, start => {?MODULE, start_worker, [{echo, e}]}}))]),
    io:format("count: ~p~n", [supervisor:count_children(Sup)]),
    unlink(Sup),
    M = monitor(process, Sup),
    exit(Sup, shutdown),
    receive {'DOWN', M, process, Sup, R} -> io:format("one_for_all down: ~p~n", [R]) end.

pid_or(P) when is_pid(P) -> pid;
pid_or(X) -> X.

failures() ->
    W = fun(Id, Arg) -> #{id => Id, start => {?MODULE, start_worker, [Arg]}} end,
    Show = fun(Label, Args) ->
                   R = supervisor:start_link(?MODULE, Args),
                   receive {'EXIT', _, _} -> ok after 20 -> ok end,
                   io:format("~s: ~p~n", [Label, R])
           end,
    Show("child fails", {spec, #{}, [W(a, a), W(b, fail), W(c, c)]}),
    Show("child crashes", {spec, #{}, [W(a, crash)]}),
    Show("ignore", ignore_me),
    Show("bad init", bad),
    Show("bad strategy", {spec, #{strategy => sideways}, []}),
    Show("bad intensity", {spec, {one_for_one, -1, 5}, []}),
    Show("bad period", {spec, {one_for_one, 1, 0}, []}),
    Show("bad flags", {spec, nope, []}),
    Show("dup ids", {spec, #{}, [W(a, a), W(a, b)]}),
    Show("bad restart", {spec, #{}, [#{id => a, start => {m, f, []}, restart => sometimes}]}),
    Show("bad shutdown", {spec, #{}, [#{id => a, start => {m, f, []}, shutdown => -1}]}),
    Show("bad type", {spec, #{}, [#{id => a, start => {m, f, []}, type => boss}]}),
    Show("missing id", {spec, #{}, [#{start => {m, f, []}}]}),
    Show("missing start", {spec, #{}, [#{id => a}]}),
    Show("bad tuple spec", {spec, #{}, [{a, {m, f, []}, permanent}]}),
    Show("simple with two", {spec, #{strategy => simple_one_for_one}, [W(a, a), W(b, b)]}),
    io:format("check ok: ~p~n", [supervisor:check_childspecs([W(a, a), W(b, b)])]),
    io:format("check dup: ~p~n", [supervisor:check_childspecs([W(a, a), W(a, b)])]),
    io:format("check bad: ~p~n", [supervisor:check_childspecs(nope)]),
    {ok, S} = supervisor:start_link(?MODULE, {spec, #{strategy => simple_one_for_one},
                                              [#{id => p, start => {?MODULE, start_worker, []}}]}),
    io:format("simple ignore: ~p~n", [supervisor:start_child(S, [ignore])]),
    io:format("simple fail: ~p~n", [supervisor:start_child(S, [fail])]),
    io:format("simple restart_child: ~p~n", [supervisor:restart_child(S, p)]),
    io:format("simple delete_child: ~p~n", [supervisor:delete_child(S, p)]),
    io:format("simple which: ~p~n", [supervisor:which_children(S)]),
    io:format("unknown child: ~p~n", [{supervisor:terminate_child(S, self()),
                                        supervisor:get_childspec(S, nope)}]),
    unlink(S),
    exit(S, kill).
