%% 200 processes at once, each writing and reading back files of its own
%% (whole-file, open files, positioned reads and writes, lines), with
%% contents that differ per process: every result checked.
-module(file_many).
-export([main/1]).

-include("lib/scratch.hrl").

-define(N, 200).

main(_) ->
    with_scratch_dir("file_many", fun run/1).

run(Dir) ->
    Self = self(),
    Pids = [spawn_link(fun() -> Self ! {self(), worker(Dir, I)} end) || I <- lists:seq(1, ?N)],
    Results = [receive {P, R} -> R end || P <- Pids],
    Bad = [R || R <- Results, element(1, R) =/= ok],
    io:format("workers ~p, failures ~p~n", [length(Results), Bad]),
    io:format("bytes ~p~n", [lists:sum([B || {ok, B} <- Results])]),
    {ok, Names} = file:list_dir(Dir),
    io:format("files ~p~n", [length(Names)]).

worker(Dir, I) ->
    Name = filename:join(Dir, "w" ++ integer_to_list(I)),
    Line = iolist_to_binary(io_lib:format("process ~p line~n", [I])),
    Big = binary:copy(<<I:16>>, 1000 + I * 37),
    ok = file:write_file(Name, [Line, Big]),
    {ok, Whole} = file:read_file(Name),
    Whole = <<Line/binary, Big/binary>>,
    {ok, W} = file:open(Name, [write, binary]),
    ok = file:write(W, Line),
    ok = file:write(W, [Big, Line]),
    ok = file:pwrite(W, 0, <<"P">>),
    ok = file:close(W),
    {ok, R} = file:open(Name, [read, binary]),
    {ok, <<"P", _/binary>> = L1} = file:read_line(R),
    true = byte_size(L1) =:= byte_size(Line),
    {ok, B1} = file:read(R, byte_size(Big)),
    B1 = Big,
    {ok, L2} = file:read_line(R),
    L2 = Line,
    eof = file:read(R, 1),
    {ok, <<I:16>>} = file:pread(R, byte_size(Line), 2),
    ok = file:close(R),
    {ok, All} = file:read_file(Name),
    Size = 2 * byte_size(Line) + byte_size(Big),
    Size = byte_size(All),
    {ok, Size}.
