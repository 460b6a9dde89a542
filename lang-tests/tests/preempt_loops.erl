%% Loops that never wait are preempted after their reductions, whatever
%% they do on each turn: send, call BIFs, throw and catch. With one
%% scheduler (the harness runs every test with +S 1 too) main/1 would
%% never run again otherwise.
-module(preempt_loops).
-export([main/1]).

main(_) ->
    Sink = spawn(fun sink/0),
    Spinners = [spawn(fun() -> send_loop(Sink) end),
                spawn(fun() -> bif_loop(0) end),
                spawn(fun() -> catch_loop(0) end),
                spawn(fun() -> self_loop() end)],
    receive after 30 -> ok end,
    io:format("main ran while ~p loops spin~n", [length(Spinners)]),
    [exit(P, kill) || P <- Spinners],
    exit(Sink, kill),
    {reductions, R} = process_info(self(), reductions),
    io:format("reductions counted: ~p~n", [R > 0]).

sink() -> receive _ -> sink() end.

send_loop(S) -> S ! x, send_loop(S).

bif_loop(N) -> bif_loop(erlang:phash2({N, self()}, 1000)).

catch_loop(N) ->
    N2 = try throw(N + 1) catch throw:V -> V end,
    catch_loop(N2 rem 1000).

self_loop() ->
    self() ! tick,
    receive tick -> self_loop() end.
