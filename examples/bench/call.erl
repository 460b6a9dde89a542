%% 200,000 gen_server-style calls (monitor, send, receive on the
%% reference) from a process with 10,000 unrelated messages queued: the
%% receive must not rescan them for every reply.
-module(call).
-export([main/1]).

main(_) ->
    [self() ! {unrelated, I} || I <- lists:seq(1, 10000)],
    Server = spawn(fun server/0),
    T0 = erlang:monotonic_time(microsecond),
    R = calls(Server, 200000, 0),
    T1 = erlang:monotonic_time(microsecond),
    Server ! stop,
    io:format("result ~p~ntime_us ~p~n", [R, T1 - T0]).

calls(_, 0, Acc) -> Acc;
calls(Server, N, Acc) -> calls(Server, N - 1, Acc + call(Server, N rem 10)).

call(Pid, Req) ->
    Ref = erlang:monitor(process, Pid),
    Pid ! {call, self(), Ref, Req},
    receive
        {Ref, Reply} -> erlang:demonitor(Ref, [flush]), Reply;
        {'DOWN', Ref, process, _, Reason} -> exit(Reason)
    end.

server() ->
    receive
        {call, From, Ref, X} -> From ! {Ref, X + 1}, server();
        stop -> ok
    end.
