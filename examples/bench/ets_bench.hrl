%% The body of the ETS benchmarks ets_{set,oset}_{plain,conc}_u{1,10}.erl,
%% in the shape of the RELEASE project's ets_bench: fill a table with
%% 1,000,000 keys, then run 16,000,000 operations from one worker per
%% scheduler: lookups, and ?UPDATE_PERMILLE/1000 updates split evenly
%% between inserts and deletes. Only the mixed phase is timed. Each
%% including module defines TYPE, OPTIONS and UPDATE_PERMILLE.

-define(KEYS, 1000000).
-define(OPS, 16000000).

main(_) ->
    T = ets:new(bench, ?OPTIONS),
    fill(T, 0),
    Workers = erlang:system_info(schedulers),
    Per = ?OPS div Workers,
    Self = self(),
    T0 = erlang:monotonic_time(microsecond),
    Pids = [spawn_link(fun() -> Self ! {done, self(), work(T, Per, W * 7919 + 1, 0)} end)
            || W <- lists:seq(1, Workers)],
    Hits = lists:sum([receive {done, P, H} -> H end || P <- Pids]),
    T1 = erlang:monotonic_time(microsecond),
    true = Hits > 0,
    io:format("result ~p~ntime_us ~p~n", [{?TYPE, ?UPDATE_PERMILLE}, T1 - T0]).

fill(_T, ?KEYS) -> ok;
fill(T, K) -> ets:insert(T, {K * 2, K}), fill(T, K + 1).

%% A linear congruential generator: the same sequence on both VMs.
work(_T, 0, _X, Hits) -> Hits;
work(T, N, X, Hits) ->
    X1 = (X * 69069 + 1) band 16#ffffffff,
    Key = X1 rem (2 * ?KEYS),
    case (X1 bsr 8) rem 1000 of
        R when R < ?UPDATE_PERMILLE div 2 ->
            ets:insert(T, {Key, N}),
            work(T, N - 1, X1, Hits);
        R when R < ?UPDATE_PERMILLE ->
            ets:delete(T, Key),
            work(T, N - 1, X1, Hits);
        _ ->
            case ets:lookup(T, Key) of
                [] -> work(T, N - 1, X1, Hits);
                [_] -> work(T, N - 1, X1, Hits + 1)
            end
    end.
