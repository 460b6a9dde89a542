%% io's view of standard I/O when it is not an interactive terminal (as
%% under `erl -noshell` and escript): no columns or rows, the default
%% options and printable range; and io's export list.
-module(stdlib_io_opts).
-export([main/1]).

main(_) ->
    io:format("~p~n", [{io:columns(), io:rows(), io:columns(standard_io), io:rows(standard_io)}]),
    io:format("~p~n", [{io:getopts(), io:getopts(standard_io), io:printable_range()}]),
    Exports = io:module_info(exports),
    io:format("~p~n", [[lists:member(F, Exports) || F <- [{format, 2}, {put_chars, 1},
                                                          {columns, 0}, {getopts, 0}]]]).
