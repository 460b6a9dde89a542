%% The parts of file written in Erlang, for Beryl; the rest are natives
%% (vm/src/bif/file.rs).
-module(file).
-export([read_file_info/1, read_file_info/2, read_link_info/1,
         read_link_info/2, copy/2, copy/3, del_dir_r/1, pread/2, pwrite/2,
         native_name_encoding/0, format_error/1, '$await'/1]).

read_file_info(Name) ->
    read_file_info(Name, []).

read_file_info(Name, Opts) when is_list(Opts) ->
    file:'$file_info'(Name, local(Opts), true).

read_link_info(Name) ->
    read_link_info(Name, []).

read_link_info(Name, Opts) when is_list(Opts) ->
    file:'$file_info'(Name, local(Opts), false).

local(Opts) ->
    case lists:keyfind(time, 1, Opts) of
        {time, universal} -> false;
        {time, posix} -> posix;
        _ -> true
    end.

%% Copies between named files only (OTP also takes open files).
copy(Source, Dest) ->
    copy(Source, Dest, infinity).

copy(Source, Dest, Length) ->
    case file:read_file(name(Source)) of
        {ok, Bin} ->
            Part = case Length of
                       infinity -> Bin;
                       N when is_integer(N), N < byte_size(Bin) -> binary:part(Bin, 0, N);
                       _ -> Bin
                   end,
            case file:write_file(name(Dest), Part) of
                ok -> {ok, byte_size(Part)};
                Error -> Error
            end;
        Error -> Error
    end.

name({Name, _Modes}) -> Name;
name(Name) -> Name.

del_dir_r(Dir) ->
    case file:read_link_info(Dir) of
        {ok, Info} when element(3, Info) =:= directory ->
            case file:list_dir_all(Dir) of
                {ok, Names} ->
                    lists:foreach(fun(N) -> del_dir_r(filename:join(Dir, N)) end, Names),
                    file:del_dir(Dir);
                Error -> Error
            end;
        {ok, _} -> file:delete(Dir);
        Error -> Error
    end.

pread(Fd, LocNums) ->
    pread_list(Fd, LocNums, []).

pread_list(_, [], Acc) -> {ok, lists:reverse(Acc)};
pread_list(Fd, [{Pos, N} | T], Acc) ->
    case file:pread(Fd, Pos, N) of
        {ok, D} -> pread_list(Fd, T, [D | Acc]);
        eof -> pread_list(Fd, T, [eof | Acc]);
        Error -> Error
    end.

pwrite(Fd, LocBytes) ->
    pwrite_list(Fd, LocBytes, 0).

pwrite_list(_, [], _) -> ok;
pwrite_list(Fd, [{Pos, B} | T], I) ->
    case file:pwrite(Fd, Pos, B) of
        ok -> pwrite_list(Fd, T, I + 1);
        {error, R} -> {error, {I, R}}
    end.

native_name_encoding() -> utf8.

%% A file BIF handed its work to an I/O thread (vm/src/iopool.rs) and
%% trapped here: wait for the result, as any receive waits.
'$await'(Ref) ->
    receive
        {'$beryl_io', Ref, Result} -> Result
    end.

format_error({Line, Mod, Reason}) when is_integer(Line), is_atom(Mod) ->
    io_lib:format("~w: ~ts", [Line, Mod:format_error(Reason)]);
format_error(badarg) -> "bad argument";
format_error(system_limit) -> "a system limit was hit, probably not enough ports";
format_error(terminated) -> "the file server process is terminated";
format_error(ErrorId) -> erl_posix_msg(ErrorId).

erl_posix_msg(enoent) -> "no such file or directory";
erl_posix_msg(eacces) -> "permission denied";
erl_posix_msg(eexist) -> "file already exists";
erl_posix_msg(enotdir) -> "not a directory";
erl_posix_msg(eisdir) -> "illegal operation on a directory";
erl_posix_msg(ebadf) -> "bad file number";
erl_posix_msg(einval) -> "invalid argument";
erl_posix_msg(eperm) -> "not owner";
erl_posix_msg(enospc) -> "no space left on device";
erl_posix_msg(Other) -> "unknown POSIX error: " ++ atom_to_list(Other).
