%% Processes killed in the middle of file operations, or while an open is
%% still waiting (a FIFO without a writer), leave no file open behind: the
%% number of open descriptors of the VM comes back to where it started.
-module(file_kill).
-export([main/1]).

-include("lib/scratch.hrl").

main(_) ->
    with_scratch_dir("file_kill", fun run/1).

fds() ->
    {ok, Fds} = file:list_dir("/proc/self/fd"),
    length(Fds).

run(Dir) ->
    Base = fds(),
    Workers = [spawn(fun() -> work(filename:join(Dir, "w" ++ integer_to_list(I)), Mode) end)
               || I <- lists:seq(1, 40), Mode <- [[raw], [], [delayed_write, read_ahead]]],
    receive after 200 -> ok end,
    kill(Workers),
    Fifo = filename:join(Dir, "fifo"),
    "" = os:cmd("mkfifo " ++ Fifo),
    Blocked = [spawn(fun() -> file:open(Fifo, [read, raw]) end) || _ <- lists:seq(1, 5)],
    receive after 100 -> ok end,
    kill(Blocked),
    %% The waiting opens complete now that a writer comes; their
    %% processes are gone, so the files are closed at once.
    {ok, W} = file:open(Fifo, [write, raw]),
    ok = file:close(W),
    io:format("descriptors back: ~p~n", [settle(Base, 100)]).

work(Name, Mode) ->
    {ok, F} = file:open(Name, [read, write, binary | Mode]),
    loop(F, 0).

loop(F, N) ->
    ok = file:write(F, <<N:32>>),
    {ok, _} = file:position(F, {cur, -4}),
    {ok, <<N:32>>} = file:read(F, 4),
    loop(F, N + 1).

kill(Pids) ->
    Refs = [erlang:monitor(process, P) || P <- Pids],
    [exit(P, kill) || P <- Pids],
    [receive {'DOWN', R, process, _, _} -> ok end || R <- Refs].

settle(_, 0) -> false;
settle(Base, N) ->
    erlang:garbage_collect(),
    case fds() =< Base of
        true -> true;
        false -> receive after 20 -> settle(Base, N - 1) end
    end.
