%% The body of ets_dc_on.erl and ets_dc_off.erl: the cost of size
%% bookkeeping in a set with write_concurrency and decentralized_counters
%% ?DC. One worker per scheduler inserts and deletes keys of its own,
%% 1,000,000 in all (insert/delete throughput, time_us), then each calls
%% ets:info(T, size) 200,000 times (info_us).

main(_) ->
    T = ets:new(bench, [set, public, {write_concurrency, true}, {decentralized_counters, ?DC}]),
    Workers = erlang:system_info(schedulers),
    Per = 1000000 div Workers,
    T0 = erlang:monotonic_time(microsecond),
    run(Workers, fun(W) -> insdel(T, W * Per, (W + 1) * Per) end),
    T1 = erlang:monotonic_time(microsecond),
    run(Workers, fun(_) -> sizes(T, 200000) end),
    T2 = erlang:monotonic_time(microsecond),
    0 = ets:info(T, size),
    io:format("result ~p~ntime_us ~p~ninfo_us ~p~n", [ets:info(T, decentralized_counters), T1 - T0, T2 - T1]).

run(Workers, F) ->
    Self = self(),
    Pids = [spawn_link(fun() -> F(W), Self ! {done, self()} end) || W <- lists:seq(0, Workers - 1)],
    [receive {done, P} -> ok end || P <- Pids].

insdel(_T, To, To) -> ok;
insdel(T, K, To) ->
    ets:insert(T, {K, K}),
    ets:delete(T, K),
    insdel(T, K + 1, To).

sizes(_T, 0) -> ok;
sizes(T, N) -> _ = ets:info(T, size), sizes(T, N - 1).
