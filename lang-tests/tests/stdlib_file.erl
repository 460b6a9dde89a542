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
    t("info posix", fun() -> {ok, I} = file:read_file_info(F, [{time, posix}]),
                             {is_integer(I#file_info.mtime), I#file_info.mtime > 1600000000} end),
    t("info posix = universal", fun() ->
        {ok, P} = file:read_file_info(F, [{time, posix}]),
        {ok, U} = file:read_file_info(F, [{time, universal}]),
        calendar_like(U#file_info.mtime) =:= P#file_info.mtime end),
    %% consult
    C = filename:join(Dir, "terms.txt"),
    ok = file:write_file(C, "{a, 1}.\n[1, 2.5, \"str\"]. %% comment\n#{k => <<\"v\">>}.\n-3. 'quoted atom'.\n"),
    t("consult", fun() -> file:consult(C) end),
    t("consult missing", fun() -> file:consult(filename:join(Dir, "nope")) end),
    %% links, modes, copies, vector reads and writes, errors
    L = filename:join(Dir, "link"),
    t("make_symlink", fun() -> file:make_symlink("a.txt", L) end),
    t("read_link", fun() -> file:read_link(L) end),
    t("read_link not link", fun() -> file:read_link(F) end),
    t("read_link_info", fun() -> {ok, I} = file:read_link_info(L), I#file_info.type end),
    t("read_file_info follows", fun() -> {ok, I} = file:read_file_info(L), I#file_info.type end),
    t("make_link", fun() -> file:make_link(F, filename:join(Dir, "hard")) end),
    t("links count", fun() -> {ok, I} = file:read_file_info(F), I#file_info.links end),
    t("change_mode", fun() -> file:change_mode(F, 8#640) end),
    t("mode", fun() -> {ok, I} = file:read_file_info(F), I#file_info.mode band 8#777 end),
    t("copy", fun() -> file:copy(F, filename:join(Dir, "copy")) end),
    t("copy part", fun() -> file:copy(F, filename:join(Dir, "copy2"), 3) end),
    t("copied", fun() -> file:read_file(filename:join(Dir, "copy2")) end),
    t("copy missing", fun() -> file:copy(filename:join(Dir, "nope"), filename:join(Dir, "x")) end),
    t("list_dir_all", fun() -> {ok, Ns} = file:list_dir_all(Dir), length(Ns) end),
    {ok, V} = file:open(filename:join(Dir, "vec"), [read, write, binary]),
    t("pwrite/2", fun() -> file:pwrite(V, [{0, <<"abcdef">>}, {10, <<"xyz">>}]) end),
    t("pread/2", fun() -> file:pread(V, [{0, 2}, {4, 3}, {100, 1}]) end),
    ok = file:close(V),
    Deep = filename:join([Dir, "d1", "d2"]),
    ok = file:make_dir(filename:join(Dir, "d1")),
    ok = file:make_dir(Deep),
    ok = file:write_file(filename:join(Deep, "f"), "f"),
    t("del_dir_r", fun() -> file:del_dir_r(filename:join(Dir, "d1")) end),
    t("del_dir_r gone", fun() -> file:read_file_info(filename:join(Dir, "d1")) end),
    t("del_dir_r missing", fun() -> file:del_dir_r(filename:join(Dir, "d1")) end),
    t("format_error", fun() -> [file:format_error(E) || E <- [enoent, eacces, eisdir, badarg]] end),
    t("native_name_encoding", fun() -> file:native_name_encoding() end),
    %% a file is closed when the process that opened it exits
    [begin
         Parent = self(),
         {Pid, Ref} = spawn_monitor(fun() -> {ok, Fd} = file:open(F, Modes), Parent ! {fd, Fd} end),
         Fd = receive {fd, X} -> X end,
         receive {'DOWN', Ref, process, Pid, _} -> ok end,
         t("owner gone " ++ atom_to_list(lists:last(Modes)),
           fun() -> {file:read(Fd, 1), file:close(Fd)} end)
     end || Modes <- [[read]]],
    {ok, Raw} = file:open(F, [read, raw]),
    Self = self(),
    spawn(fun() -> Self ! {other, try file:read(Raw, 1) catch Cl:Er -> {Cl, Er} end} end),
    t("raw from another process", fun() -> receive {other, O} -> O end end),
    t("raw close", fun() -> file:close(Raw) end),
    t("raw close again", fun() -> file:close(Raw) end),
    t("raw read closed", fun() -> file:read(Raw, 1) end),
    {ok, NonRaw} = file:open(F, [read]),
    t("close", fun() -> file:close(NonRaw) end),
    t("close again", fun() -> file:close(NonRaw) end),
    t("read closed", fun() -> file:read(NonRaw, 1) end),
    %% cwd
    t("get_cwd", fun() -> {ok, Cwd} = file:get_cwd(), hd(Cwd) end),
    t("bad name", fun() -> file:read_file(id({x})) end),
    ok.

%% Seconds since 1970 of a universal date-time (no calendar module needed).
calendar_like({{Y, Mo, D}, {H, Mi, S}}) ->
    Days = days_from_civil(Y, Mo, D),
    ((Days * 24 + H) * 60 + Mi) * 60 + S.

days_from_civil(Y0, M, D) ->
    Y = if M =< 2 -> Y0 - 1; true -> Y0 end,
    Era = (if Y >= 0 -> Y; true -> Y - 399 end) div 400,
    Yoe = Y - Era * 400,
    Mp = (M + 9) rem 12,
    Doy = (153 * Mp + 2) div 5 + D - 1,
    Doe = Yoe * 365 + Yoe div 4 - Yoe div 100 + Doy,
    Era * 146097 + Doe - 719468.
