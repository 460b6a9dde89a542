%% Takeuchi's function: deep recursion with three arguments.
-module(tak).
-export([main/1]).

tak(X, Y, Z) when Y < X -> tak(tak(X - 1, Y, Z), tak(Y - 1, Z, X), tak(Z - 1, X, Y));
tak(_, _, Z) -> Z.

loop(0, R) -> R;
loop(N, _) -> loop(N - 1, tak(18, 12, 6)).

main(_) ->
    T0 = erlang:monotonic_time(microsecond),
    R = loop(100, 0),
    T1 = erlang:monotonic_time(microsecond),
    io:format("result ~p~ntime_us ~p~n", [R, T1 - T0]).
