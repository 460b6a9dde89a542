%% One counter process receiving 3,000,000 {add, N} messages from 8
%% senders: the many-senders path of the mailbox.
-module(counter).
-export([main/1]).

main(_) ->
    Senders = 8, Per = 375000,
    T0 = erlang:monotonic_time(microsecond),
    Self = self(),
    C = spawn(fun() -> count(Senders * Per, 0, Self) end),
    [spawn(fun() -> send(C, Per) end) || _ <- lists:seq(1, Senders)],
    R = receive {total, T} -> T end,
    T1 = erlang:monotonic_time(microsecond),
    io:format("result ~p~ntime_us ~p~n", [R, T1 - T0]).

send(_, 0) -> ok;
send(C, K) -> C ! {add, K rem 7}, send(C, K - 1).

count(0, Acc, Parent) -> Parent ! {total, Acc};
count(K, Acc, Parent) ->
    receive {add, N} -> count(K - 1, Acc + N, Parent) end.
