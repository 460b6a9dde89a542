%% Factorial of 5000 (bignum multiplication), 20 times.
-module(fact).
-export([main/1]).

fact(0) -> 1;
fact(N) -> N * fact(N - 1).

loop(0, R) -> R;
loop(N, _) -> loop(N - 1, fact(5000)).

main(_) ->
    T0 = erlang:monotonic_time(microsecond),
    R = loop(20, 0),
    T1 = erlang:monotonic_time(microsecond),
    io:format("result ~p~ntime_us ~p~n", [R rem 1000000007, T1 - T0]).
