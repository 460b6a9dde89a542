-module(stdlib_file).
-export([main/1]).
-include_lib("kernel/include/file.hrl").

id(X) -> X.

t(Name, F) -> lt_show:t(Name, F).

main(_) ->
    Dir = "/tmp/stdlib_file_" ++ os:getpid(),
    ok = file:make_dir(Dir),
    try run(Dir) after cleanup(Dir) end,
    t("dir gone", fun() -> file:list_dir(Dir) end),
    ok.

cleanup(Dir) ->
    {ok, Names} = file:list_dir(Dir),
    [begin
         P = filename:join(Dir, N),
         case file:read_file_info(P) of
             {ok, #file_info{type = directory}} -> cleanup(P);
             _ -> file:delete(P)
         end
     end || N <- Names],
    file:del_dir(Dir).

run(Dir) ->
    F = filename:join(Dir, "a.txt"),
    t("make_dir again", fun() -> file:make_dir(Dir) end),
    t("read_file missing", fun() -> file:read_file(F) end),
    t("write_file", fun() -> file:write_file(F, ["hello", $\s, <<"world">>, "\n"]) end),
    t("read_file", fun() -> file:read_file(F) end),
    t("write_file append", fun() -> file:write_file(F, <<"line2\nline3">>, [append]) end),
    t("read_file 2", fun() -> file:read_file(F) end),
    t("write_file bin name", fun() -> file:write_file(list_to_binary(F), "x") end),
    t("read_file bin name", fun() -> file:read_file(list_to_binary(F)) end),
    t("read_file dir", fun() -> file:read_file(Dir) end),
    ok = file:write_file(F, "one\ntwo\r\nthree"),
    %% open, read, read_line
    {ok, R} = file:open(F, [read]),
    t("read 2", fun() -> file:read(R, 2) end),
    t("read_line", fun() -> file:read_line(R) end),
    t("read_line crlf", fun() -> file:read_line(R) end),
    t("read_line last", fun() -> file:read_line(R) end),
    t("read_line eof", fun() -> file:read_line(R) end),
    t("read eof", fun() -> file:read(R, 5) end),
    t("position bof", fun() -> file:position(R, bof) end),
    t("read 100", fun() -> file:read(R, 100) end),
    t("position 4", fun() -> file:position(R, 4) end),
    t("read 3", fun() -> file:read(R, 3) end),
    t("position cur", fun() -> file:position(R, {cur, -2}) end),
    t("position eof", fun() -> file:position(R, {eof, -5}) end),
    t("read after eof pos", fun() -> file:read(R, 10) end),
    t("position neg", fun() -> file:position(R, {bof, -1}) end),
    t("pread", fun() -> file:pread(R, 4, 3) end),
    t("pread past end", fun() -> file:pread(R, 1000, 3) end),
    t("write to read-only", fun() -> file:write(R, "x") end),
    t("close", fun() -> file:close(R) end),
    %% binary mode, raw
    {ok, B} = file:open(F, [read, binary, raw, read_ahead]),
    t("bin read", fun() -> file:read(B, 3) end),
    t("bin read_line", fun() -> file:read_line(B) end),
    t("bin pread", fun() -> file:pread(B, 0, 3) end),
    t("bin close", fun() -> file:close(B) end),
    %% write mode truncates
    G = filename:join(Dir, "b.bin"),
    {ok, W} = file:open(G, [write, binary, delayed_write]),
    t("write", fun() -> file:write(W, <<"0123456789">>) end),
    t("write list", fun() -> file:write(W, ["ab", [$c]]) end),
    t("pwrite", fun() -> file:pwrite(W, 2, <<"XY">>) end),
    t("sync", fun() -> file:sync(W) end),
    t("read from write-only", fun() -> file:read(W, 1) end),
    t("close w", fun() -> file:close(W) end),
    t("after pwrite", fun() -> file:read_file(G) end),
    {ok, A} = file:open(G, [append]),
    t("append write", fun() -> file:write(A, "END") end),
    ok = file:close(A),
    t("after append", fun() -> file:read_file(G) end),
    {ok, RW} = file:open(G, [read, write]),
    t("rw read", fun() -> file:read(RW, 4) end),
    t("rw write", fun() -> file:write(RW, "!!") end),
    t("rw position", fun() -> file:position(RW, cur) end),
    ok = file:close(RW),
    t("after rw", fun() -> file:read_file(G) end),
    t("open missing", fun() -> file:open(filename:join(Dir, "nope"), [read]) end),
    t("open in missing dir", fun() -> file:open(filename:join([Dir, "no", "x"]), [write]) end),
    %% directories
    Sub = filename:join(Dir, "sub"),
    t("make_dir sub", fun() -> file:make_dir(Sub) end),
    t("make_dir nested missing", fun() -> file:make_dir(filename:join([Dir, "x", "y"])) end),
    t("list_dir", fun() -> {ok, L} = file:list_dir(Dir), {ok, lists:sort(L)} end),
    t("list_dir missing", fun() -> file:list_dir(filename:join(Dir, "nope")) end),
    t("list_dir file", fun() -> file:list_dir(F) end),
    ok = file:write_file(filename:join(Sub, "c"), "c"),
    t("del_dir not empty", fun() -> file:del_dir(Sub) end),
    t("delete dir", fun() -> file:delete(Sub) end),
    t("rename", fun() -> file:rename(filename:join(Sub, "c"), filename:join(Dir, "c")) end),
    t("rename missing", fun() -> file:rename(filename:join(Sub, "c"), filename:join(Dir, "d")) end),
    t("del_dir", fun() -> file:del_dir(Sub) end),
    t("del_dir missing", fun() -> file:del_dir(Sub) end),
    t("delete", fun() -> file:delete(filename:join(Dir, "c")) end),
    t("delete missing", fun() -> file:delete(filename:join(Dir, "c")) end),
    %% file info
    t("info size/type", fun() ->
        {ok, I} = file:read_file_info(F),
        {I#file_info.size, I#file_info.type, I#file_info.access,
         I#file_info.mode band 8#777 =/= 0, I#file_info.links,
         is_tuple(I#file_info.mtime)}
    end),
    t("info dir", fun() -> {ok, I} = file:read_file_info(Dir), I#file_info.type end),
    t("info record", fun() -> {ok, I} = file:read_file_info(F), {element(1, I), tuple_size(I)} end),
    t("info missing", fun() -> file:read_file_info(filename:join(Dir, "nope")) end),
    t("info universal", fun() -> {ok, I} = file:read_file_info(F, [{time, universal}]),
                                 {{Y, _, _}, _} = I#file_info.mtime, Y > 2000 end),
    %% io functions on an open file
    H = filename:join(Dir, "io.txt"),
    {ok, IoW} = file:open(H, [write]),
    t("io:format to file", fun() -> io:format(IoW, "~p.~n~s~n", [{x, [1, 2]}, "text"]) end),
    t("io:put_chars to file", fun() -> io:put_chars(IoW, [<<"pc">>, "\n"]) end),
    t("io:write to file", fun() -> io:write(IoW, {w, 1}) end),
    t("io:nl to file", fun() -> io:nl(IoW) end),
    ok = file:close(IoW),
    t("io file contents", fun() -> file:read_file(H) end),
    t("consult io file", fun() -> {ok, [T | _]} = file:consult(H), T end),
    {ok, IoR} = file:open(H, [read]),
    t("io:get_line file", fun() -> io:get_line(IoR, '') end),
    t("io:get_line file 2", fun() -> io:get_line(IoR, "prompt") end),
    ok = file:close(IoR),
    {ok, IoRB} = file:open(H, [read, binary]),
    t("io:get_line binary file", fun() -> io:get_line(IoRB, '') end),
    ok = file:close(IoRB),
    %% consult
    C = filename:join(Dir, "terms.txt"),
    ok = file:write_file(C, "{a, 1}.\n[1, 2.5, \"str\"]. %% comment\n#{k => <<\"v\">>}.\n-3. 'quoted atom'.\n"),
    t("consult", fun() -> file:consult(C) end),
    t("consult missing", fun() -> file:consult(filename:join(Dir, "nope")) end),
    %% cwd
    t("get_cwd", fun() -> {ok, Cwd} = file:get_cwd(), hd(Cwd) end),
    t("bad name", fun() -> file:read_file(id({x})) end),
    ok.
