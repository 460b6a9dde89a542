%% file:read_file of large files (Beryl maps them: vm/src/filemap.rs):
%% content, later changes to the file made by this program, appends,
%% empty and special files, errors, and the memory given back.
-module(file_read_large).
-export([main/1]).

-include("lib/scratch.hrl").

main(_) ->
    with_scratch_dir("read_file_big", fun run/1).

run(Dir) ->
    Big = filename:join(Dir, "big"),
    Data = binary:copy(<< <<(I rem 251)>> || I <- lists:seq(1, 250) >>, 12000),
    ok = file:write_file(Big, [Data, <<"tail">>]),
    M0 = erlang:memory(binary),
    {ok, B} = file:read_file(Big),
    io:format("size ~w md5 ~w same ~w~n", [byte_size(B), erlang:md5(B), B =:= <<Data/binary, "tail">>]),
    io:format("last ~w part ~w~n", [binary:last(B), binary:part(B, 1000, 5)]),
    %% Both big binaries are alive here, and the file's bytes count as
    %% binary memory. (Comparing with M0 was flaky on OTP: a temporary
    %% binary of write_file is sometimes freed in between.)
    io:format("memory grew ~w~n", [erlang:memory(binary) >= max(M0, byte_size(B) + byte_size(Data))]),
    %% The file changed after the read: the binary keeps what was read.
    ok = file:write_file(Big, <<"short">>),
    io:format("after rewrite ~w ~w~n", [byte_size(B), erlang:md5(B) =:= erlang:md5(<<Data/binary, "tail">>)]),
    {ok, B2} = file:read_file(Big),
    io:format("new ~p~n", [B2]),
    ok = file:write_file(Big, Data),
    {ok, B3} = file:read_file(Big),
    {ok, F} = file:open(Big, [read, write, binary]),
    ok = file:pwrite(F, 0, <<"XXXX">>),
    {ok, _} = file:position(F, 10),
    ok = file:write(F, <<"YYYY">>),
    ok = file:truncate(F),
    ok = file:close(F),
    io:format("after pwrite ~w ~w~n", [binary:part(B3, 0, 16), B3 =:= Data]),
    {ok, B4} = file:read_file(Big),
    io:format("now ~w~n", [B4]),
    %% Appending to a mapped binary copies it.
    B5 = <<B3/binary, "more">>,
    io:format("appended ~w ~w~n", [byte_size(B5), binary:part(B5, byte_size(B5) - 6, 6)]),
    Empty = filename:join(Dir, "empty"),
    ok = file:write_file(Empty, <<>>),
    io:format("empty ~p~n", [file:read_file(Empty)]),
    {ok, Status} = file:read_file("/proc/self/status"),
    io:format("proc ~w~n", [byte_size(Status) > 100]),
    io:format("dir ~p~n", [file:read_file(Dir)]),
    io:format("missing ~p~n", [file:read_file(filename:join(Dir, "nope"))]),
    io:format("enotdir ~p~n", [file:read_file(filename:join(Empty, "x"))]),
    %% A reader process holds the binary and exits: the memory goes back.
    ok = file:write_file(Big, Data),
    Self = self(),
    M1 = erlang:memory(binary),
    {Pid, Ref} = spawn_monitor(fun() ->
                                       {ok, R} = file:read_file(Big),
                                       Self ! {read, byte_size(R), binary:part(R, 5, 3)}
                               end),
    receive {read, Size, Part} -> io:format("reader ~w ~w~n", [Size, Part]) end,
    receive {'DOWN', Ref, process, Pid, normal} -> ok end,
    io:format("freed ~w~n", [wait_freed(M1 + 1000000, 100)]),
    %% A reader killed while its reads are in flight: nothing is kept.
    {Pid2, Ref2} = spawn_monitor(fun() -> read_loop(Big) end),
    receive after 50 -> ok end,
    exit(Pid2, kill),
    receive {'DOWN', Ref2, process, Pid2, killed} -> ok end,
    io:format("killed reader freed ~w~n", [wait_freed(M1 + 1000000, 100)]).

read_loop(Name) ->
    {ok, B} = file:read_file(Name),
    3000000 = byte_size(B),
    read_loop(Name).

wait_freed(_, 0) -> false;
wait_freed(Limit, N) ->
    erlang:garbage_collect(),
    case erlang:memory(binary) < Limit of
        true -> true;
        false -> receive after 10 -> wait_freed(Limit, N - 1) end
    end.
