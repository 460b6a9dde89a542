%% The parts of os written in Erlang, for Beryl; the rest are natives
%% (vm/src/bif/os.rs).
-module(os).
-export([find_executable/1, find_executable/2, perf_counter/1, env/0]).

find_executable(Name) ->
    find_executable(Name, case os:getenv("PATH") of false -> ""; P -> P end).

find_executable(Name, Path) ->
    case lists:member($/, Name) of
        true -> executable(Name);
        false -> search(Name, string:split(Path, ":", all))
    end.

search(_, []) -> false;
search(Name, [Dir | Rest]) ->
    D = case Dir of "" -> "."; _ -> Dir end,
    case executable(filename:join(D, Name)) of
        false -> search(Name, Rest);
        Found -> Found
    end.

executable(File) ->
    case file:read_file_info(File) of
        {ok, Info} when element(3, Info) =:= regular, element(8, Info) band 8#111 =/= 0 ->
            filename:absname(File);
        _ -> false
    end.

perf_counter(Unit) -> erlang:convert_time_unit(os:perf_counter(), nanosecond, Unit).

env() ->
    [list_to_tuple(string:split(KV, "=")) || KV <- os:getenv()].
