%% A CPU-bound job (fib 30, 8 times) split over 2 processes: run with +S 1
%% and +S 2 to see the schedulers share the work.
-module(cpu_split).
-export([main/1]).

main(_) ->
    _ = lists:sum([1]),
    T0 = erlang:monotonic_time(microsecond),
    Self = self(),
    [spawn(fun() -> Self ! {r, lists:sum([fib(30) || _ <- [1, 2, 3, 4]])} end) || _ <- [1, 2]],
    R = lists:sum([receive {r, X} -> X end || _ <- [1, 2]]),
    T1 = erlang:monotonic_time(microsecond),
    io:format("result ~p~ntime_us ~p~n", [R, T1 - T0]).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).
