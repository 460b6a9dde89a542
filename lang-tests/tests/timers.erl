-module(timers).
-export([main/1]).
%% Timers: erlang:send_after/start_timer/cancel_timer/read_timer, the
%% timer module, and receive ... after.

main(_) ->
    erlang_timers(),
    timer_module(),
    ordering(),
    ok.

erlang_timers() ->
    io:format("== erlang timers~n"),
    R1 = erlang:send_after(30, self(), ping),
    io:format("~p~n", [is_reference(R1)]),
    receive ping -> io:format("ping~n") after 2000 -> io:format("no ping~n") end,
    R2 = erlang:start_timer(20, self(), tick),
    receive {timeout, R2, tick} -> io:format("tick with its ref~n") after 2000 -> io:format("no tick~n") end,
    R3 = erlang:send_after(5000, self(), never),
    Left = erlang:read_timer(R3),
    io:format("read: ~p~n", [is_integer(Left) andalso Left =< 5000 andalso Left > 4000]),
    C = erlang:cancel_timer(R3),
    io:format("cancel: ~p~n", [is_integer(C) andalso C =< 5000]),
    io:format("cancel again: ~p~n", [erlang:cancel_timer(R3)]),
    io:format("read cancelled: ~p~n", [erlang:read_timer(R3)]),
    receive never -> io:format("cancelled timer fired~n") after 50 -> io:format("nothing~n") end,
    R4 = erlang:send_after(10, self(), fired),
    receive fired -> ok end,
    io:format("cancel fired: ~p~n", [erlang:cancel_timer(R4)]),
    R5 = erlang:send_after(1000, self(), x),
    io:format("async: ~p~n", [erlang:cancel_timer(R5, [{async, true}, {info, true}])]),
    receive {cancel_timer, R5, Res5} -> io:format("async result: ~p~n", [is_integer(Res5)]) end,
    R6 = erlang:send_after(1000, self(), y),
    io:format("no info: ~p~n", [erlang:cancel_timer(R6, [{info, false}])]),
    register(timers_named, self()),
    erlang:send_after(10, timers_named, by_name),
    receive by_name -> io:format("by name~n") after 2000 -> io:format("no by name~n") end,
    Abs = erlang:monotonic_time(millisecond) + 20,
    erlang:send_after(Abs, self(), absolute, [{abs, true}]),
    receive absolute -> io:format("absolute~n") after 2000 -> io:format("no absolute~n") end,
    io:format("~p~n", [element(1, catch erlang:send_after(-1, self(), x))]),
    io:format("~p~n", [element(1, catch erlang:send_after(10, "pid", x))]),
    io:format("~p~n", [element(1, catch erlang:cancel_timer(not_a_ref))]),
    io:format("~p~n", [erlang:cancel_timer(make_ref())]).

timer_module() ->
    io:format("== timer module~n"),
    io:format("~p~n", [timer:sleep(10)]),
    {ok, T1} = timer:send_after(20, self(), ta),
    receive ta -> io:format("ta~n") after 2000 -> io:format("no ta~n") end,
    {ok, T2} = timer:send_after(5000, tb),
    io:format("~p~n", [timer:cancel(T2)]),
    {ok, _} = timer:apply_after(10, erlang, send, [self(), applied]),
    receive applied -> io:format("applied~n") after 2000 -> io:format("not applied~n") end,
    {ok, TI} = timer:send_interval(15, self(), tick),
    Ticks = [receive tick -> tick after 2000 -> none end || _ <- [1, 2, 3]],
    io:format("~p ~p~n", [Ticks, timer:cancel(TI)]),
    receive after 50 -> ok end,
    flush_ticks(),
    receive tick -> io:format("tick after cancel~n") after 60 -> io:format("interval stopped~n") end,
    {Time, V} = timer:tc(fun() -> timer:sleep(5), done end),
    io:format("~p ~p~n", [V, is_integer(Time) andalso Time >= 5000]),
    {_, V2} = timer:tc(lists, seq, [1, 3]),
    io:format("~p~n", [V2]),
    io:format("~p~n", [[timer:seconds(2), timer:minutes(1), timer:hours(1), timer:hms(1, 2, 3)]]),
    io:format("~p~n", [timer:now_diff({1, 2, 3}, {1, 1, 0})]),
    io:format("~p~n", [timer:cancel(not_a_tref)]),
    io:format("~p~n", [timer:send_after(-5, self(), x)]),
    {ok, I} = timer:send_after(0, self(), instant),
    receive instant -> io:format("instant ~p~n", [element(1, I)]) end,
    _ = T1,
    {ok, K} = timer:exit_after(10, spawn(fun() -> receive after infinity -> ok end end), stop),
    io:format("~p~n", [element(1, K)]).

flush_ticks() ->
    receive tick -> flush_ticks() after 0 -> ok end.

ordering() ->
    io:format("== ordering~n"),
    Self = self(),
    [erlang:send_after(T, Self, {t, T}) || T <- [50, 10, 30, 20, 40]],
    io:format("~p~n", [[receive {t, X} -> X end || _ <- [1, 2, 3, 4, 5]]]),
    %% after with a message arriving first, many times.
    P = spawn(fun() -> echo_loop() end),
    Rs = [begin P ! {self(), I}, receive {echo, I} -> I after 1000 -> timeout end end || I <- lists:seq(1, 200)],
    io:format("~p~n", [lists:sum(Rs)]),
    P ! stop.

echo_loop() ->
    receive
        {From, I} -> From ! {echo, I}, echo_loop();
        stop -> ok
    after 5000 -> ok
    end.
