%% receive ... after on many processes at once: a timeout never fires
%% before its milliseconds have passed (Beryl arms a timeout after the
%% receive starts, at its scheduler's next clock reading), an answer that
%% comes first cancels it, and a receive after a cancelled one still times
%% out.
-module(recv_after_timing).
-export([main/1]).

main(_) ->
    Self = self(),
    Echo = spawn(fun echo/0),
    Ps = [spawn(fun() -> Self ! {self(), worker(I, Echo)} end) || I <- lists:seq(1, 200)],
    Rs = [receive {P, R} -> R end || P <- Ps],
    Echo ! stop,
    {Early, Timeouts, Answers} = lists:foldl(fun({E, T, A}, {E0, T0, A0}) -> {E0 + E, T0 + T, A0 + A} end, {0, 0, 0}, Rs),
    io:format("early ~p~ntimeouts ~p~nanswers ~p~n", [Early, Timeouts, Answers]).

%% Each round: an exchange whose answer comes first, then a wait that must
%% time out, checked against the monotonic clock.
worker(I, Echo) -> worker(I, Echo, 0, 0, 0, 0).

worker(_, _, 20, E, T, A) ->
    {E, T, A};
worker(I, Echo, Round, E, T, A) ->
    Echo ! {self(), Round},
    A1 = receive Round -> A + 1 after 5000 -> A end,
    Ms = 1 + (I + Round) rem 4,
    T0 = erlang:monotonic_time(microsecond),
    receive never -> ok after Ms -> ok end,
    Took = erlang:monotonic_time(microsecond) - T0,
    E1 = if Took < Ms * 1000 -> E + 1; true -> E end,
    worker(I, Echo, Round + 1, E1, T + 1, A1).

echo() ->
    receive
        {From, M} -> From ! M, echo();
        stop -> ok
    end.
