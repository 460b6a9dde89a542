%% -file renumbers the lines that follow it.
-module(file_attr).
-export([f/0]).
-file("generated.yrl", 100).
f() ->
    ?LINE.
-file("file_attr.erl", 8).
g() -> ?LINE.
