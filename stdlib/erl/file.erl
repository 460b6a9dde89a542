%% The parts of file written in Erlang, for Beryl; the rest are natives
%% (vm/src/bif/file.rs).
-module(file).
-export([read_file_info/1, read_file_info/2]).

read_file_info(Name) ->
    read_file_info(Name, []).

read_file_info(Name, Opts) when is_list(Opts) ->
    Local = case lists:keyfind(time, 1, Opts) of
                {time, universal} -> false;
                _ -> true
            end,
    file:'$file_info'(Name, Local).

