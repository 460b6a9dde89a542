%% Many to one: 200 processes each send 5,000 messages to one receiver.
-module(bang).
-export([main/1]).

main(_) ->
    N = 200, M = 5000,
    T0 = erlang:monotonic_time(microsecond),
    Self = self(),
    [spawn(fun() -> [Self ! {msg, I} || I <- lists:seq(1, M)] end) || _ <- lists:seq(1, N)],
    R = recv(N * M, 0),
    T1 = erlang:monotonic_time(microsecond),
    io:format("result ~p~ntime_us ~p~n", [R, T1 - T0]).

recv(0, Acc) -> Acc;
recv(K, Acc) -> receive {msg, I} -> recv(K - 1, Acc + I) end.
