-module(pretty_strings).
-export([main/1]).

%% Printable lists under ~p: io_lib:printable_latin1_list decides which
%% lists are strings (both for ~p and, with erl's default printable range,
%% for ~tp); long strings stay on one line.  Characters 128..255 are
%% checked through io_lib:format and ~w so the output stays ASCII.

chars(F, Args) -> lists:flatten(io_lib:format(F, Args)).

main(_) ->
    io:format("~p~n", ["hello world"]),
    io:format("~p~n", ["tab\there, newline\nthere, return\r, vt\v, bs\b, ff\f, esc\e"]),
    io:format("~p~n", ["quote \" and backslash \\ and apostrophe '"]),
    io:format("~p~n", [[$a, 0, $b]]),
    io:format("~p~n", [[$a, 7, $b]]),
    io:format("~p~n", [[$a, 127, $b]]),
    io:format("~p~n", [[$a, 128, $b]]),
    io:format("~p~n", [[$a, 159, $b]]),
    io:format("~p~n", [[$a, 256, $b]]),
    io:format("~p~n", [[$a, -1, $b]]),
    io:format("~p~n", [[$a, $b | $c]]),
    io:format("~p~n", [[$a, [$b], $c]]),
    io:format("~p~n", [["abc", "def"]]),
    io:format("~p~n", [[[]]]),
    io:format("~p ~p~n", [" ", [$\s, $\s]]),
    %% Long strings are never split.
    Long = lists:flatten(lists:duplicate(12, "the quick brown fox ")),
    io:format("~p~n", [Long]),
    io:format("~30p~n", [Long]),
    io:format("long: ~p~n", [[Long, short]]),
    io:format("~p~n", [{text, Long}]),
    io:format("~p~n", [[{line, I, lists:sublist(Long, I * 7)} || I <- lists:seq(1, 8)]]),
    io:format("~p~n", [lists:duplicate(8, "twenty chars string")]),
    %% The l modifier prints lists as lists.
    io:format("~lp~n", ["abc"]),
    io:format("~lp~n", [["abc", {"def", <<"ghi">>}]]),
    io:format("~40lp~n", [Long]),
    %% Strings and depth: a string counts as one element; at depth 1 it is
    %% a list.
    io:format("~P~n", ["abcdef", 1]),
    io:format("~P~n", ["abcdef", 2]),
    io:format("~P~n", [["abc", "def", "ghi"], 2]),
    io:format("~P~n", [["abc", "def", "ghi"], 3]),
    io:format("~P~n", [[{k, "value"}, {k2, "value2"}], 3]),
    io:format("~P~n", [[{k, "value"}, {k2, "value2"}], 2]),
    %% ~tp: characters above 255 make a list of integers.
    io:format("~tp~n", [[1000, 1001, 1002]]),
    io:format("~tp~n", [[$a, 8364, $b]]),
    io:format("~p~n", [[$a, 8364, $b]]),
    io:format("~tp~n", [{"plain", [955, 945, 956, 946, 948, 945]}]),
    io:format("~tp~n", [lists:duplicate(10, [1046, 1047, 1048, 1049])]),
    %% Latin-1 characters, seen as character codes.
    io:format("~w~n", [chars("~p", [[233, 232, 224]])]),
    io:format("~w~n", [chars("~tp", [[233, 232, 224]])]),
    io:format("~w~n", [chars("~p", [[160, 255, $x]])]),
    io:format("~w~n", [chars("~tp", [[$a, 1000, 233]])]),
    io:format("~w~n", [chars("~p", [[233 | "abc"]])]),
    io:format("~w~n", [chars("~15p", [[[233, 233, 233, 233], [233, 233, 233, 233], [233]]])]),
    ok.
