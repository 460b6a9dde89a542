%% A ring of 1,000 processes passing a token 1,000 times round: message
%% passing and context switches (1,000,000 messages).
-module(ring).
-export([main/1]).

main(_) ->
    N = 1000, Laps = 1000,
    T0 = erlang:monotonic_time(microsecond),
    First = self(),
    Last = lists:foldl(fun(_, Next) -> spawn(fun() -> relay(Next) end) end, First, lists:seq(1, N - 1)),
    Last ! {token, N * Laps},
    R = wait(Last),
    T1 = erlang:monotonic_time(microsecond),
    io:format("result ~p~ntime_us ~p~n", [R, T1 - T0]).

relay(Next) ->
    receive
        {token, 0} = M -> Next ! M;
        {token, K} -> Next ! {token, K - 1}, relay(Next)
    end.

wait(Last) ->
    receive
        {token, 0} -> done;
        {token, K} -> Last ! {token, K - 1}, wait(Last)
    end.
