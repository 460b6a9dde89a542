%% receive ... after T where the message always arrives first, against the
%% same exchange with a plain receive (both timed here; the result line
%% carries no timing). The printed time is the `after` variant's.
-module(recv_after).
-export([main/1]).

main(_) ->
    N = 300000,
    P = spawn(fun() -> echo() end),
    Plain = timed(fun() -> plain(P, N) end),
    After = timed(fun() -> with_after(P, N) end),
    P ! stop,
    io:format("result ok~ntime_us ~p~n", [After]),
    io:format(standard_error, "plain ~p us, after ~p us, after/plain ~.2f~n", [Plain, After, After / Plain]).

timed(F) ->
    T0 = erlang:monotonic_time(microsecond),
    F(),
    erlang:monotonic_time(microsecond) - T0.

echo() ->
    receive
        {From, M} -> From ! M, echo();
        stop -> ok
    end.

plain(_, 0) -> ok;
plain(P, K) -> P ! {self(), K}, receive K -> plain(P, K - 1) end.

with_after(_, 0) -> ok;
with_after(P, K) -> P ! {self(), K}, receive K -> with_after(P, K - 1) after 5000 -> timeout end.
