%% The read_ahead and delayed_write open modes: what another reader of the
%% file sees while writes are delayed (until the size is reached, the
%% delay passes, or position/read/close), and reads through a read-ahead
%% buffer mixed with position, pread, read_line and writes; pread and
%% pwrite on raw and non-raw files.
-module(file_buffered).
-export([main/1]).

-include("lib/scratch.hrl").

main(_) ->
    with_scratch_dir("file_buffered", fun(Dir) -> run(filename:join(Dir, "f")) end).

seen(Name) ->
    {ok, B} = file:read_file(Name),
    byte_size(B).

run(Name) ->
    delayed(Name, [raw]),
    delayed(Name, []),
    delay(Name),
    ahead(Name, [raw]),
    ahead(Name, []),
    mixed(Name),
    positioned(Name).

delayed(Name, Raw) ->
    {ok, F} = file:open(Name, [write, binary, {delayed_write, 100, 60000} | Raw]),
    ok = file:write(F, binary:copy(<<"a">>, 10)),
    S1 = seen(Name),
    ok = file:write(F, binary:copy(<<"b">>, 50)),
    S2 = seen(Name),
    ok = file:write(F, binary:copy(<<"c">>, 50)),
    S3 = seen(Name),
    ok = file:write(F, <<"12345">>),
    S4 = seen(Name),
    P = file:position(F, cur),
    S5 = seen(Name),
    ok = file:write(F, [<<"x">>, "yz"]),
    S6 = seen(Name),
    ok = file:write(F, binary:copy(<<"d">>, 200)),
    S7 = seen(Name),
    ok = file:close(F),
    S8 = seen(Name),
    {ok, All} = file:read_file(Name),
    io:format("delayed ~p: ~p ~p~n", [Raw, [S1, S2, S3, S4, P, S5, S6, S7, S8], erlang:md5(All)]).

delay(Name) ->
    {ok, F} = file:open(Name, [write, raw, {delayed_write, 1000, 50}]),
    ok = file:write(F, <<"abc">>),
    S1 = seen(Name),
    timer:sleep(400),
    S2 = seen(Name),
    ok = file:write(F, <<"def">>),
    S3 = seen(Name),
    ok = file:close(F),
    io:format("delay: ~p~n", [[S1, S2, S3, seen(Name)]]).

ahead(Name, Raw) ->
    ok = file:write_file(Name, [[integer_to_list(I), " line\n"] || I <- lists:seq(1, 50)]),
    {ok, F} = file:open(Name, [read, binary, {read_ahead, 16} | Raw]),
    R1 = file:read(F, 3),
    P1 = file:position(F, cur),
    L1 = file:read_line(F),
    L2 = file:read_line(F),
    R2 = file:read(F, 40),
    P2 = file:position(F, cur),
    R3 = file:pread(F, 0, 4),
    R4 = file:read(F, 5),
    P3 = file:position(F, {cur, -2}),
    R5 = file:read(F, 4),
    P4 = file:position(F, bof),
    R6 = file:read(F, 2),
    {ok, _} = file:position(F, {eof, -6}),
    R7 = file:read(F, 100),
    R8 = file:read(F, 1),
    ok = file:close(F),
    io:format("ahead ~p: ~p~n", [Raw, [R1, P1, L1, L2, R2, P2, R3, R4, P3, R5, P4, R6, R7, R8]]).

mixed(Name) ->
    ok = file:write_file(Name, <<"0123456789">>),
    {ok, F} = file:open(Name, [read, write, binary, raw, read_ahead, delayed_write]),
    R1 = file:read(F, 2),
    ok = file:write(F, <<"XY">>),
    S1 = file:read_file(Name),
    R2 = file:read(F, 2),
    S2 = file:read_file(Name),
    ok = file:write(F, <<"Z">>),
    R3 = file:pread(F, 0, 10),
    ok = file:close(F),
    io:format("mixed: ~p~n", [[R1, S1, R2, S2, R3, file:read_file(Name)]]).

%% pread and pwrite move the position of a non-raw file (OTP's
%% file_io_server), not of a raw one.
positioned(Name) ->
    ok = file:write_file(Name, <<"0123456789">>),
    {ok, F} = file:open(Name, [read, binary]),
    io:format("~p~n", [[file:read(F, 2), file:pread(F, 5, 2), file:read(F, 2), file:position(F, cur)]]),
    ok = file:close(F),
    {ok, G} = file:open(Name, [read, write, binary]),
    io:format("~p~n", [[file:read(G, 2), file:pwrite(G, 5, <<"ab">>), file:read(G, 2), file:position(G, cur)]]),
    ok = file:close(G),
    {ok, H} = file:open(Name, [read, write, binary, raw]),
    io:format("~p~n", [[file:read(H, 2), file:pwrite(H, 5, <<"cd">>), file:pread(H, 0, 3), file:read(H, 2),
                        file:position(H, cur)]]),
    ok = file:close(H),
    io:format("~p~n", [file:read_file(Name)]).
