%% All to all ping-pong: 300 processes, each pings every other one and
%% answers every ping (about 180,000 messages).
-module(big).
-export([main/1]).

main(_) ->
    N = 300,
    T0 = erlang:monotonic_time(microsecond),
    Self = self(),
    Ps = [spawn(fun() -> worker(Self) end) || _ <- lists:seq(1, N)],
    [P ! {peers, Ps} || P <- Ps],
    R = lists:sum([receive {done, C} -> C end || _ <- Ps]),
    [P ! stop || P <- Ps],
    T1 = erlang:monotonic_time(microsecond),
    io:format("result ~p~ntime_us ~p~n", [R, T1 - T0]).

worker(Parent) ->
    receive {peers, Ps} -> ok end,
    Others = [P || P <- Ps, P =/= self()],
    [P ! {ping, self()} || P <- Others],
    loop(length(Others), 0, Parent).

loop(0, Pongs, Parent) ->
    Parent ! {done, Pongs},
    serve();
loop(Left, Pongs, Parent) ->
    receive
        {ping, From} -> From ! pong, loop(Left, Pongs, Parent);
        pong -> loop(Left - 1, Pongs + 1, Parent)
    end.

serve() ->
    receive
        {ping, From} -> From ! pong, serve();
        stop -> ok
    end.
