%% gen_server: starting (every init/1 result, names, already_started),
%% call/cast/info, deferred replies, call timeouts (and that a late reply
%% is dropped), stop/terminate with their reasons, bad return values,
%% handle_continue, noreply timeouts, the errors of calls to dead servers,
%% sys:get_state/replace_state and send_request.
-module(stdlib_gen_server).
-behaviour(gen_server).
-export([main/1]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, handle_continue/2,
         terminate/2, code_change/3]).

-include("lib/scrub.hrl").

main(_) ->
    process_flag(trap_exit, true),
    register(the_tester, self()),
    starting(),
    messages(),
    timeouts(),
    stopping(),
    errors(),
    extras(),
    io:format("mailbox at end: ~p~n", [flush()]).


catch_exit(F) ->
    try F() catch exit:R -> {exit, clean(R)} end.

starting() ->
    {ok, P1} = gen_server:start_link(?MODULE, {value, 1}, []),
    show("start_link ok", is_pid(P1)),
    show("get", gen_server:call(P1, get)),
    show("start ignore", gen_server:start(?MODULE, ignore, [])),
    show("start stop", gen_server:start(?MODULE, {stop, no_way}, [])),
    show("start bad", gen_server:start(?MODULE, bad_return, [])),
    show("start crash", gen_server:start(?MODULE, crash, [])),
    show("start exit", gen_server:start(?MODULE, {exit, gone}, [])),
    show("start throw", gen_server:start(?MODULE, {throw, {ok, 42}}, [])),
    {ok, Named} = gen_server:start({local, named_srv}, ?MODULE, {value, named}, []),
    show("named", whereis(named_srv) =:= Named),
    show("already", gen_server:start({local, named_srv}, ?MODULE, {value, x}, [])
                        =:= {error, {already_started, Named}}),
    show("call by name", gen_server:call(named_srv, get)),
    show("call by {Name,Node}", gen_server:call({named_srv, node()}, get)),
    {ok, {P2, Ref}} = gen_server:start_monitor(?MODULE, {value, 2}, []),
    show("start_monitor", {is_pid(P2), is_reference(Ref)}),
    gen_server:cast(P2, stop_me),
    receive {'DOWN', Ref, process, P2, R} -> show("monitored down", R) end,
    show("start_link stop", gen_server:start_link(?MODULE, {stop, bad_init}, [])),
    receive {'EXIT', _, Why} -> show("link exit", Why) after 100 -> show("link exit", none) end,
    show("init timeout", gen_server:start(?MODULE, {sleep, 500}, [{timeout, 50}])),
    ok = gen_server:stop(Named),
    ok = gen_server:stop(P1),
    receive {'EXIT', P1, R1} -> show("stopped linked", R1) end.

messages() ->
    {ok, P} = gen_server:start_link(?MODULE, {value, []}, []),
    ok = gen_server:cast(P, {push, a}),
    ok = gen_server:cast(P, {push, b}),
    P ! {info, c},
    show("after cast/info", gen_server:call(P, get)),
    show("deferred reply", gen_server:call(P, {defer, 10})),
    show("reply via gen_server:reply", gen_server:call(P, {reply_from_other, hello})),
    show("continue", gen_server:call(P, {continue, more})),
    show("after continue", gen_server:call(P, get)),
    show("noreply timeout", gen_server:call(P, {timeout_in, 20})),
    receive timed_out -> ok end,
    show("after timeout", gen_server:call(P, get)),
    show("throw reply", gen_server:call(P, throw_reply)),
    show("unknown cast ok", gen_server:cast(P, {push, d})),
    show("cast to dead name", gen_server:cast(nobody_here, x)),
    show("cast to {Name,Node}", gen_server:cast({nobody_here, node()}, x)),
    show("abcast", gen_server:abcast(nobody_here, x)),
    ok = gen_server:stop(P),
    receive {'EXIT', P, R} -> show("exit", R) end.

timeouts() ->
    {ok, P} = gen_server:start(?MODULE, {value, 0}, []),
    show("call timeout", catch_exit(fun() -> gen_server:call(P, {sleep, 200}, 30) end)),
    %% The reply comes after the caller gave up: it must not arrive.
    timer:sleep(300),
    show("late reply dropped", flush()),
    show("still alive", gen_server:call(P, get, 1000)),
    show("infinity", gen_server:call(P, get, infinity)),
    gen_server:stop(P).

stopping() ->
    {ok, P1} = gen_server:start(?MODULE, {value, 1}, []),
    M1 = monitor(process, P1),
    show("stop reply", gen_server:call(P1, {stop, normal, bye})),
    receive {'DOWN', M1, _, _, R1} -> show("down", R1) end,
    {ok, P2} = gen_server:start(?MODULE, {value, 2}, []),
    M2 = monitor(process, P2),
    gen_server:cast(P2, {stop, {shutdown, done}}),
    receive {'DOWN', M2, _, _, R2} -> show("down", R2) end,
    {ok, P3} = gen_server:start(?MODULE, {value, 3}, []),
    M3 = monitor(process, P3),
    show("stop/3", gen_server:stop(P3, {shutdown, x}, 1000)),
    receive {'DOWN', M3, _, _, R3} -> show("down", R3) end,
    show("stop dead", catch_exit(fun() -> gen_server:stop(P3) end)),
    show("stop no name", catch_exit(fun() -> gen_server:stop(no_such_server) end)),
    {ok, P4} = gen_server:start(?MODULE, {value, 4}, []),
    M4 = monitor(process, P4),
    show("stop custom", catch_exit(fun() -> gen_server:stop(P4, custom, infinity) end)),
    receive {'DOWN', M4, _, _, R4} -> show("down", R4) end,
    %% The parent's exit signal stops a server that traps exits.
    {ok, P5} = gen_server:start_link(?MODULE, {value, 5}, []),
    gen_server:call(P5, trap),
    unlink(P5),
    M5 = monitor(process, P5),
    spawn(fun() -> exit(P5, normal) end),
    timer:sleep(20),
    show("normal exit signal ignored", gen_server:call(P5, get)),
    %% ... but not from the parent.
    {ok, P6} = gen_server:start_link(?MODULE, {value, 6}, []),
    gen_server:call(P6, trap),
    exit(P6, normal),
    receive {'EXIT', P6, R6} -> show("parent exit", R6) end,
    gen_server:stop(P5),
    receive {'DOWN', M5, _, _, R5} -> show("down", R5) end.

errors() ->
    {ok, P} = gen_server:start(?MODULE, {value, 1}, []),
    show("crash in call", catch_exit(fun() -> gen_server:call(P, crash) end)),
    show("dead call", catch_exit(fun() -> gen_server:call(P, get) end)),
    show("noproc name", catch_exit(fun() -> gen_server:call(no_such_server, get) end)),
    show("noproc name 3", catch_exit(fun() -> gen_server:call(no_such_server, get, 10) end)),
    {ok, P2} = gen_server:start(?MODULE, {value, 2}, []),
    show("bad return", catch_exit(fun() -> gen_server:call(P2, bad_return) end)),
    {ok, P3} = gen_server:start(?MODULE, {value, 3}, []),
    M3 = monitor(process, P3),
    gen_server:cast(P3, crash),
    receive {'DOWN', M3, _, _, R3} -> show("cast crash", clean(R3)) end,
    {ok, P4} = gen_server:start(?MODULE, {value, 4}, []),
    show("exit in call", catch_exit(fun() -> gen_server:call(P4, {exit, because}) end)),
    {ok, P5} = gen_server:start(?MODULE, {value, 5}, []),
    show("stop in terminate", catch_exit(fun() -> gen_server:call(P5, crash_terminate) end)),
    {ok, P6} = gen_server:start(?MODULE, {value, self()}, []),
    show("calling self", gen_server:call(P6, call_self)),
    gen_server:stop(P6).

extras() ->
    {ok, P} = gen_server:start(?MODULE, {value, 10}, []),
    show("sys:get_state", sys:get_state(P)),
    show("sys:replace_state", sys:replace_state(P, fun(S) -> S * 2 end)),
    show("get", gen_server:call(P, get)),
    ok = sys:suspend(P),
    gen_server:cast(P, {add, 1}),
    ok = sys:resume(P),
    show("after resume", gen_server:call(P, get)),
    Req = gen_server:send_request(P, get),
    show("wait_response", gen_server:wait_response(Req, 1000)),
    Req2 = gen_server:send_request(P, get),
    show("receive_response", gen_server:receive_response(Req2, 1000)),
    Req3 = gen_server:send_request(P, get),
    Msg = receive M -> M end,
    show("check_response", gen_server:check_response(Msg, Req3)),
    show("check other", gen_server:check_response(other, Req3)),
    show("multi_call", gen_server:multi_call(nobody_here, get)),
    C0 = gen_server:reqids_new(),
    C1 = gen_server:send_request(P, get, first, C0),
    C2 = gen_server:send_request(P, {add_reply, 5}, second, C1),
    show("reqids_size", gen_server:reqids_size(C2)),
    show("reqids_to_list labels", lists:sort([L || {_, L} <- gen_server:reqids_to_list(C2)])),
    {R1, L1, C3} = gen_server:wait_response(C2, 1000, true),
    {R2, L2, C4} = gen_server:receive_response(C3, 1000, true),
    show("collection answers", lists:sort([{L1, R1}, {L2, R2}])),
    show("empty collection", {gen_server:wait_response(C4, 10, true),
                              gen_server:receive_response(C4, 10, false),
                              gen_server:check_response(x, C4, true)}),
    C5 = gen_server:send_request(P, get, third, C4),
    M5 = receive Msg5 -> Msg5 end,
    show("check_response/3", gen_server:check_response(M5, C5, false)),
    show("check_response/3 other", gen_server:check_response(other, C5, false)),
    show("reqids_add twice", catch gen_server:reqids_add(hd(maps:keys(C5)), again, C5)),
    show("reqids_size bad", catch gen_server:reqids_size(nope)),
    C6 = gen_server:send_request(P, {sleep, 200}, slow, gen_server:reqids_new()),
    show("collection timeout", gen_server:receive_response(C6, 20, true)),
    timer:sleep(300),
    show("abandoned", flush()),
    gen_server:stop(P),
    Req4 = gen_server:send_request(P, get),
    show("response from dead", element(1, gen_server:wait_response(Req4, 1000))).


%% ------------------------------------------------------------- callbacks

init({value, V}) -> {ok, V};
init(ignore) -> ignore;
init({stop, R}) -> {stop, R};
init(bad_return) -> what;
init(crash) -> error(boom);
init({exit, R}) -> exit(R);
init({throw, V}) -> throw(V);
init({sleep, T}) -> timer:sleep(T), {ok, slept}.

handle_call(get, _From, S) -> {reply, S, S};
handle_call({add_reply, N}, _From, S) -> {reply, S + N, S};
handle_call({defer, T}, From, S) ->
    erlang:send_after(T, self(), {deferred, From}),
    {noreply, S};
handle_call({reply_from_other, X}, From, S) ->
    spawn(fun() -> gen_server:reply(From, {other, X}) end),
    {noreply, S};
handle_call({continue, X}, _From, S) -> {reply, continuing, S, {continue, X}};
handle_call({timeout_in, T}, _From, S) -> {reply, armed, S, T};
handle_call(throw_reply, _From, S) -> throw({reply, thrown, S});
handle_call({sleep, T}, _From, S) -> timer:sleep(T), {reply, slept, S};
handle_call({stop, R, Reply}, _From, S) -> {stop, R, Reply, S};
handle_call(crash, _From, _S) -> error(crashed);
handle_call(bad_return, _From, _S) -> nonsense;
handle_call({exit, R}, _From, _S) -> exit(R);
handle_call(crash_terminate, _From, S) -> {stop, crash_terminate, S};
handle_call(trap, _From, S) -> process_flag(trap_exit, true), {reply, ok, S};
handle_call(call_self, _From, S) ->
    {reply, catch_exit(fun() -> gen_server:call(self(), get) end), S}.

handle_cast({push, X}, S) when is_list(S) -> {noreply, S ++ [X]};
handle_cast({push, _}, S) -> {noreply, S};
handle_cast({add, N}, S) -> {noreply, S + N};
handle_cast(stop_me, S) -> {stop, normal, S};
handle_cast({stop, R}, S) -> {stop, R, S};
handle_cast(crash, _S) -> error(cast_crash).

handle_info({info, X}, S) -> {noreply, S ++ [X]};
handle_info({deferred, From}, S) -> gen_server:reply(From, {deferred, S}), {noreply, S};
handle_info(timeout, S) when is_list(S) ->
    the_tester ! timed_out,
    {noreply, S ++ [timed_out]};
handle_info(_, S) -> {noreply, S}.

handle_continue(X, S) when is_list(S) -> {noreply, S ++ [{continued, X}]}.

terminate(crash_terminate, _S) -> exit(terminate_failed);
terminate(_Reason, _S) -> ok.

code_change(_Old, S, _Extra) -> {ok, S}.
