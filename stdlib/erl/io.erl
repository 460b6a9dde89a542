%% The io module: its I/O functions are native (vm/src/bif/io.rs; a native
%% registered for M:F/A takes precedence over the stubs below, which give
%% the module OTP's export list and module_info/0,1). The rest describe the
%% standard I/O of a non-interactive node, as `erl -noshell` and escript
%% report it.
-module(io).
-export([format/1, format/2, format/3, fwrite/1, fwrite/2, fwrite/3, get_line/1, get_line/2,
         nl/0, nl/1, put_chars/1, put_chars/2, read/1, read/2, write/1, write/2, columns/0,
         columns/1, rows/0, rows/1, getopts/0, getopts/1, printable_range/0]).

format(A1) -> io:format(A1).
format(A1, A2) -> io:format(A1, A2).
format(A1, A2, A3) -> io:format(A1, A2, A3).
fwrite(A1) -> io:fwrite(A1).
fwrite(A1, A2) -> io:fwrite(A1, A2).
fwrite(A1, A2, A3) -> io:fwrite(A1, A2, A3).
get_line(A1) -> io:get_line(A1).
get_line(A1, A2) -> io:get_line(A1, A2).
nl() -> io:nl().
nl(A1) -> io:nl(A1).
put_chars(A1) -> io:put_chars(A1).
put_chars(A1, A2) -> io:put_chars(A1, A2).
read(A1) -> io:read(A1).
read(A1, A2) -> io:read(A1, A2).
write(A1) -> io:write(A1).
write(A1, A2) -> io:write(A1, A2).

%% Standard I/O is not a terminal here: no size to report.
columns() -> {error, enotsup}.
columns(_Device) -> {error, enotsup}.
rows() -> {error, enotsup}.
rows(_Device) -> {error, enotsup}.

getopts() -> [{binary, false}, {encoding, latin1}].
getopts(_Device) -> [{binary, false}, {encoding, latin1}].

%% The +pc default.
printable_range() -> latin1.
