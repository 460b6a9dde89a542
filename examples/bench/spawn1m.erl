%% flags: +P 2000000
%% Spawning 1,000,000 idle processes (each waits in a receive): the cost of
%% a process in time and memory (peak memory / 1,000,000 = bytes each).
-module(spawn1m).
-export([main/1]).

main(_) ->
    N = 1000000,
    T0 = erlang:monotonic_time(microsecond),
    Ps = spawn_all(N, []),
    T1 = erlang:monotonic_time(microsecond),
    Count = erlang:system_info(process_count),
    [exit(P, kill) || P <- Ps],
    io:format("result ~p~ntime_us ~p~n", [Count >= N, T1 - T0]).

spawn_all(0, Acc) -> Acc;
spawn_all(K, Acc) -> spawn_all(K - 1, [spawn(fun idle/0) | Acc]).

idle() -> receive stop -> ok end.
