%% gen_statem: a code lock in state_functions mode with state_enter and a
%% state timeout; a handle_event_function machine with postpone,
%% next_event, event/generic/state timeouts (including zero-time ones),
%% repeat_state, stop_and_reply; init results; bad returns and actions;
%% calls with timeouts; sys:get_state.
-module(stdlib_gen_statem).
-behaviour(gen_statem).
-export([main/1]).
-export([init/1, callback_mode/0, terminate/3, code_change/4]).
-export([locked/3, open/3, handle_event/4]).

-include("lib/scrub.hrl").

main(_) ->
    process_flag(trap_exit, true),
    register(tester, self()),
    lock(),
    events(),
    timeouts(),
    errors(),
    io:format("mailbox at end: ~p~n", [flush()]).


catch_exit(F) -> try F() catch exit:R -> {exit, R} end.


%% The callback mode is chosen by the process dictionary entry `mode`,
%% which init/1 (called first) sets for the lock.
callback_mode() ->
    case get(mode) of
        lock -> [state_functions, state_enter];
        _ -> handle_event_function
    end.

%% ------------------------------------------------------------- the lock

lock() ->
    {ok, P} = gen_statem:start_link({local, lock}, ?MODULE, {lock, [1, 2, 3]}, []),
    show("state", sys:get_state(lock)),
    show("button 1", gen_statem:call(lock, {button, 1})),
    show("button 2", gen_statem:call(lock, {button, 2})),
    show("button 3", gen_statem:call(lock, {button, 3})),
    show("state", element(1, sys:get_state(lock))),
    show("button while open", gen_statem:call(lock, {button, 9})),
    receive relocked -> ok end,
    show("relocked", element(1, sys:get_state(lock))),
    show("wrong", gen_statem:call(lock, {button, 7})),
    show("log", gen_statem:call(lock, log)),
    gen_statem:cast(lock, {set_code, [4]}),
    show("new code", gen_statem:call(lock, {button, 4})),
    show("stop", gen_statem:stop(lock)),
    receive {'EXIT', P, R} -> show("exit", R) end.

locked(enter, Old, Data) ->
    {keep_state, Data#{log => [{enter_locked, Old} | maps:get(log, Data)]}};
locked({call, From}, {button, B}, #{code := Code, input := In} = Data) ->
    Input = In ++ [B],
    if
        Input =:= Code ->
            {next_state, open, Data#{input := []}, [{reply, From, opened}]};
        length(Input) >= length(Code) ->
            {keep_state, Data#{input := []}, [{reply, From, wrong}]};
        true ->
            {keep_state, Data#{input := Input}, [{reply, From, {more, length(Input)}}]}
    end;
locked(EventType, Event, Data) ->
    common(EventType, Event, Data).

open(enter, Old, Data) ->
    {keep_state, Data#{log => [{enter_open, Old} | maps:get(log, Data)]},
     [{state_timeout, 100, lock}]};
open(state_timeout, lock, Data) ->
    tester ! relocked,
    {next_state, locked, Data};
open({call, From}, {button, _}, _Data) ->
    {keep_state_and_data, [{reply, From, already_open}]};
open(EventType, Event, Data) ->
    common(EventType, Event, Data).

common({call, From}, log, #{log := Log}) ->
    {keep_state_and_data, {reply, From, lists:reverse(Log)}};
common(cast, {set_code, Code}, Data) ->
    {keep_state, Data#{code := Code}}.

%% ------------------------------------------------ handle_event_function

init({lock, Code}) ->
    put(mode, lock),
    {ok, locked, #{code => Code, input => [], log => []}};
init({machine, Actions}) ->
    {ok, idle, [], Actions};
init(ignore) -> ignore;
init({stop, R}) -> {stop, R};
init(bad) -> {ok, only_state};
init(crash) -> error(init_crash).

events() ->
    {ok, P} = gen_statem:start_link(?MODULE, {machine, []}, []),
    %% Postponed in idle, handled after the change to busy.
    gen_statem:cast(P, {work, 1}),
    gen_statem:cast(P, {work, 2}),
    show("postponed", gen_statem:call(P, trace)),
    gen_statem:cast(P, go_busy),
    show("after busy", gen_statem:call(P, trace)),
    %% next_event: inserted before queued events, in order.
    show("next_event", gen_statem:call(P, {insert, [x, y, z]})),
    show("after insert", gen_statem:call(P, trace)),
    %% repeat_state keeps postponed events postponed.
    show("repeat", gen_statem:call(P, repeat)),
    show("info", begin P ! hello, gen_statem:call(P, trace) end),
    show("stop_and_reply", gen_statem:call(P, {stop_and_reply, done})),
    receive {'EXIT', P, R} -> show("exit", R) end.

timeouts() ->
    {ok, P} = gen_statem:start_link(?MODULE, {machine, [{state_timeout, 0, zero}]}, []),
    await_fired(1),
    show("zero state timeout from init", gen_statem:call(P, trace)),
    show("event timeout", gen_statem:call(P, {arm, [{timeout, 30, ev}]})),
    await_fired(1),
    show("fired", gen_statem:call(P, trace)),
    show("event timeout cancelled", gen_statem:call(P, {arm, [{timeout, 2000, ev2}]})),
    gen_statem:cast(P, poke),
    timer:sleep(50),
    show("not fired", gen_statem:call(P, trace)),
    show("generic timeouts", gen_statem:call(P, {arm, [{{timeout, a}, 20, ta},
                                                       {{timeout, b}, 40, tb},
                                                       {{timeout, a}, 10, ta2}]})),
    await_fired(2),
    show("generic fired", gen_statem:call(P, trace)),
    show("cancel", gen_statem:call(P, {arm, [{{timeout, c}, 30, tc}, {{timeout, c}, cancel}]})),
    timer:sleep(60),
    show("cancelled", gen_statem:call(P, trace)),
    show("update", gen_statem:call(P, {arm, [{{timeout, d}, 30, old}]})),
    show("update2", gen_statem:call(P, {arm, [{{timeout, d}, update, new}]})),
    await_fired(1),
    show("updated", gen_statem:call(P, trace)),
    show("integer timeout", gen_statem:call(P, {arm, [20]})),
    await_fired(1),
    show("integer fired", gen_statem:call(P, trace)),
    show("zero event timeout", gen_statem:call(P, {arm, [{timeout, 0, z}]})),
    await_fired(1),
    show("zero fired", gen_statem:call(P, trace)),
    show("call timeout", catch_exit(fun() -> gen_statem:call(P, {sleep, 200}, 20) end)),
    timer:sleep(250),
    show("late reply dropped", flush()),
    show("dirty timeout", gen_statem:call(P, trace, {dirty_timeout, 500})),
    gen_statem:stop(P),
    receive {'EXIT', P, R} -> show("exit", R) end.

errors() ->
    show("ignore", gen_statem:start(?MODULE, ignore, [])),
    show("stop", gen_statem:start(?MODULE, {stop, nope}, [])),
    show("bad init", gen_statem:start(?MODULE, bad, [])),
    show("init crash", gen_statem:start(?MODULE, crash, [])),
    {ok, P1} = gen_statem:start(?MODULE, {machine, []}, []),
    show("bad return", catch_exit(fun() -> gen_statem:call(P1, bad_return) end)),
    {ok, P2} = gen_statem:start(?MODULE, {machine, []}, []),
    show("bad action", catch_exit(fun() -> gen_statem:call(P2, bad_action) end)),
    {ok, P3} = gen_statem:start(?MODULE, {machine, []}, []),
    show("crash", catch_exit(fun() -> gen_statem:call(P3, crash) end)),
    show("dead", catch_exit(fun() -> gen_statem:call(P3, trace) end)),
    show("noproc", catch_exit(fun() -> gen_statem:call(no_such_machine, trace) end)),
    show("cast to nobody", gen_statem:cast(no_such_machine, x)),
    {ok, P4} = gen_statem:start(?MODULE, {machine, []}, []),
    show("stop with reason", catch_exit(fun() -> gen_statem:stop(P4, {shutdown, bye}, 1000) end)),
    {ok, P5} = gen_statem:start(?MODULE, {machine, []}, []),
    show("throw result", gen_statem:call(P5, throw_result)),
    gen_statem:stop(P5).

%% Timeouts tell the test they fired, so it waits for them instead of
%% sleeping for a guessed time.
fired() -> tester ! fired.

await_fired(0) -> ok;
await_fired(N) -> receive fired -> await_fired(N - 1) end.

handle_event(cast, {work, _N}, idle, _Data) ->
    {keep_state_and_data, [postpone]};
handle_event(cast, {work, N}, busy, Data) ->
    {keep_state, Data ++ [{worked, N}]};
handle_event(cast, go_busy, idle, Data) ->
    {next_state, busy, Data ++ [went_busy]};
handle_event({call, From}, trace, _State, Data) ->
    {keep_state, [], [{reply, From, Data}]};
handle_event({call, From}, {insert, Items}, _State, Data) ->
    gen_statem:cast(self(), after_insert),
    {keep_state, Data, [{reply, From, ok} | [{next_event, internal, {item, I}} || I <- Items]]};
handle_event(internal, {item, I}, _State, Data) ->
    {keep_state, Data ++ [{item, I}]};
handle_event(cast, after_insert, _State, Data) ->
    {keep_state, Data ++ [after_insert]};
handle_event({call, From}, repeat, State, Data) ->
    {repeat_state, Data ++ [{repeated, State}], [{reply, From, State}]};
handle_event(info, Msg, _State, Data) ->
    {keep_state, Data ++ [{info, Msg}]};
handle_event({call, From}, {stop_and_reply, R}, _State, Data) ->
    {stop_and_reply, normal, [{reply, From, R}], Data};
handle_event(state_timeout, Msg, _State, Data) ->
    fired(),
    {keep_state, Data ++ [{state_timeout, Msg}]};
handle_event(timeout, Msg, _State, Data) ->
    fired(),
    {keep_state, Data ++ [{timeout, Msg}]};
handle_event({timeout, Name}, Msg, _State, Data) ->
    fired(),
    {keep_state, Data ++ [{{timeout, Name}, Msg}]};
handle_event({call, From}, {arm, Actions}, _State, Data) ->
    {keep_state, Data, [{reply, From, armed} | Actions]};
handle_event(cast, poke, _State, Data) ->
    {keep_state, Data ++ [poked]};
handle_event({call, From}, {sleep, T}, _State, Data) ->
    timer:sleep(T),
    {keep_state, Data, [{reply, From, slept}]};
handle_event({call, _From}, bad_return, _State, _Data) ->
    what_is_this;
handle_event({call, _From}, bad_action, _State, Data) ->
    {keep_state, Data, [{jump, around}]};
handle_event({call, _From}, crash, _State, _Data) ->
    error(machine_crash);
handle_event({call, From}, throw_result, _State, Data) ->
    throw({keep_state, Data, [{reply, From, thrown}]}).

terminate(Reason, State, _Data) ->
    case get(mode) of
        lock -> io:format("lock terminate ~p in ~p~n", [Reason, State]);
        _ -> ok
    end.

code_change(_Old, State, Data, _Extra) -> {ok, State, Data}.
