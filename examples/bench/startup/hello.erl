%% The start-up benchmark's program: escript runs it as it is (the
%% -module line is optional for escript), beryl with `beryl run`.
-module(hello).
-export([main/1]).

main(_) ->
    io:format("Hello, ~s!~n", [lists:flatten(["wor", "ld"])]).
