%% A bounded-time stress test of the concurrency core: thousands of
%% processes send to each other and to a few sinks, link, monitor, trap
%% exits and kill each other at random, on all schedulers. Afterwards every
%% process has ended, every sink saw from every sender exactly the messages
%% 1..K in order (nothing lost or duplicated within the ordering guarantee),
%% and memory is back near its starting level.
-module(chaos).
-export([main/1]).

main([Secs, Workers]) ->
    Duration = list_to_integer(Secs) * 1000,
    N = list_to_integer(Workers),
    erlang:garbage_collect(),
    Base = erlang:system_info(process_count),
    Mem0 = erlang:memory(total),
    Sinks = [spawn(fun() -> sink(#{}) end) || _ <- lists:seq(1, 4)],
    Self = self(),
    Ws = [spawn(fun() -> worker_init(Self, I, Sinks) end) || I <- lists:seq(1, N)],
    Mons = maps:from_list([{monitor(process, W), W} || W <- Ws]),
    [W ! {peers, list_to_tuple(Ws)} || W <- Ws],
    receive after Duration -> ok end,
    [exit(W, kill) || W <- Ws],
    Reasons = wait_down(Mons, #{}),
    io:format("workers ended: ~p~n", [maps:size(Mons) =:= lists:sum(maps:values(Reasons))]),
    Checks = [begin S ! {report, Self}, receive {S, R} -> R end end || S <- Sinks],
    Pairs = lists:sum([P || {P, _, _} <- Checks]),
    Msgs = lists:sum([M || {_, M, _} <- Checks]),
    Bad = lists:append([B || {_, _, B} <- Checks]),
    io:format("pairs ~p, messages ~p, gaps or duplicates ~p~n", [Pairs > 0, Msgs > 0, Bad]),
    SinkMons = [monitor(process, S) || S <- Sinks],
    [S ! stop || S <- Sinks],
    [receive {'DOWN', M, process, _, normal} -> ok end || M <- SinkMons],
    receive after 100 -> ok end,
    io:format("processes back to start: ~p~n", [erlang:system_info(process_count) =:= Base]),
    erlang:garbage_collect(),
    receive after 100 -> ok end,
    Mem1 = erlang:memory(total),
    io:format("memory back to start: ~p~n", [Mem1 =< Mem0 + 16 * 1024 * 1024]),
    io:format("kinds of exit: ~p~n", [lists:sort(maps:keys(Reasons)) -- [killed]]),
    io:format("stats ~p ~p ~p~n", [Msgs, Mem0 div 1024, Mem1 div 1024]).

wait_down(Mons, Acc) when map_size(Mons) =:= 0 -> Acc;
wait_down(Mons, Acc) ->
    receive
        {'DOWN', M, process, _, R} ->
            Kind = case R of {_, _} -> other; _ when is_atom(R) -> R; _ -> other end,
            wait_down(maps:remove(M, Mons), Acc#{Kind => maps:get(Kind, Acc, 0) + 1})
    end.

sink(Seen) ->
    receive
        {msg, From, Seq} ->
            Seen1 = case Seen of
                        #{From := {Last, Bad}} when Seq =:= Last + 1 -> Seen#{From := {Seq, Bad}};
                        #{From := {Last, Bad}} -> Seen#{From := {Last, [{Last, Seq} | Bad]}};
                        #{} when Seq =:= 1 -> Seen#{From => {1, []}};
                        #{} -> Seen#{From => {Seq, [{0, Seq}]}}
                    end,
            sink(Seen1);
        {report, To} ->
            Bad = lists:append([B || {_, B} <- maps:values(Seen)]),
            Msgs = lists:sum([L || {L, _} <- maps:values(Seen)]),
            To ! {self(), {maps:size(Seen), Msgs, Bad}},
            sink(Seen);
        stop ->
            ok
    end.

worker_init(_Parent, I, Sinks) ->
    receive {peers, Peers} -> ok end,
    case I rem 3 of 0 -> process_flag(trap_exit, true); _ -> ok end,
    worker(Peers, list_to_tuple(Sinks), #{}, I * 7919 + 1, 0).

rand(X) -> (X * 1103515245 + 12345) rem 2147483648.

worker(Peers, Sinks, Sent, R0, Steps) ->
    R1 = rand(R0),
    Peer = element(1 + R1 rem tuple_size(Peers), Peers),
    R2 = rand(R1),
    Sent1 = case R2 rem 100 of
                X when X < 60 ->
                    Sink = element(1 + R2 rem tuple_size(Sinks), Sinks),
                    Seq = maps:get(Sink, Sent, 0) + 1,
                    Sink ! {msg, self(), Seq},
                    Sent#{Sink => Seq};
                X when X < 75 -> Peer ! {hello, self()}, Sent;
                X when X < 82 -> catch link(Peer), Sent;
                X when X < 88 -> monitor(process, Peer), Sent;
                X when X < 90 -> catch unlink(Peer), Sent;
                X when X < 91 -> exit(Peer, kill), Sent;
                X when X < 92 -> exit(Peer, chaos), Sent;
                _ -> Sent
            end,
    %% Drain what arrived (hellos, 'EXIT's, 'DOWN's), keeping queues short.
    receive _ -> ok after 0 -> ok end,
    receive _ -> ok after 0 -> ok end,
    case Steps rem 50 of
        0 -> receive _ -> ok after 1 -> ok end;
        _ -> ok
    end,
    worker(Peers, Sinks, Sent1, R2, Steps + 1).
