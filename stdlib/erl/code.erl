%% The parts of code written in Erlang, for Beryl; the rest are natives
%% (vm/src/bif/code.rs). Beryl never unloads a module: delete/purge
%% answer as OTP does for a module without old code.
-module(code).
-export([load_file/1, load_abs/1, delete/1, purge/1,
         soft_purge/1, is_sticky/1, get_mode/0, objfile_extension/0,
         add_paths/1, add_pathsa/1, add_pathsz/1, ensure_modules_loaded/1]).

%% Modules carried in the binary are in OTP's sticky directories.
load_file(Mod) when is_atom(Mod) ->
    case code:which(Mod) of
        non_existing -> {error, nofile};
        preloaded -> {error, sticky_directory};
        _ -> code:ensure_loaded(Mod)
    end.

load_abs(File) ->
    Mod = list_to_atom(filename:basename(filename:rootname(File))),
    true = code:add_patha(filename:dirname(File)),
    load_file(Mod).

delete(Mod) when is_atom(Mod) -> false.

purge(Mod) when is_atom(Mod) -> false.

soft_purge(Mod) when is_atom(Mod) -> true.

is_sticky(Mod) when is_atom(Mod) -> false.

get_mode() -> interactive.

objfile_extension() -> ".beam".

add_paths(Dirs) -> add_pathsz(Dirs).

add_pathsa(Dirs) -> lists:foreach(fun code:add_patha/1, lists:reverse(Dirs)).

add_pathsz(Dirs) -> lists:foreach(fun code:add_pathz/1, Dirs).

ensure_modules_loaded(Mods) ->
    Bad = [{M, nofile} || M <- Mods, code:ensure_loaded(M) =/= {module, M}],
    case Bad of
        [] -> ok;
        _ -> {error, Bad}
    end.
