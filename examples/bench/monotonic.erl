%% 2 processes each calling erlang:monotonic_time() 10,000,000 times: the
%% time API must take no global lock.
-module(monotonic).
-export([main/1]).

main(_) ->
    T0 = erlang:monotonic_time(microsecond),
    Self = self(),
    [spawn(fun() -> Self ! {done, loop(10000000, 0)} end) || _ <- [1, 2]],
    R = lists:sum([receive {done, X} -> X end || _ <- [1, 2]]),
    T1 = erlang:monotonic_time(microsecond),
    io:format("result ~p~ntime_us ~p~n", [R, T1 - T0]).

loop(0, Ok) -> Ok;
loop(K, Ok) ->
    T = erlang:monotonic_time(),
    loop(K - 1, if is_integer(T) -> Ok + 1; true -> Ok end).
