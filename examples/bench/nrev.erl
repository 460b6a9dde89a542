%% Naive reverse of a 30-element list, 20,000 times: list construction
%% and allocation pressure.
-module(nrev).
-export([main/1]).

app([H | T], L) -> [H | app(T, L)];
app([], L) -> L.

nrev([H | T]) -> app(nrev(T), [H]);
nrev([]) -> [].

loop(0, _, R) -> R;
loop(N, L, _) -> loop(N - 1, L, nrev(L)).

main(_) ->
    L = lists:seq(1, 30),
    T0 = erlang:monotonic_time(microsecond),
    R = loop(20000, L, []),
    T1 = erlang:monotonic_time(microsecond),
    io:format("result ~p~ntime_us ~p~n", [hd(R), T1 - T0]).
