-module(pretty_columns).
-export([main/1]).

%% ~p starts at the current column: the text before it on the line
%% (tabs stop every 8 columns), or the precision (~W.Cp); the field width
%% is the line length.

main(_) ->
    T = {config, [{name, "server"}, {port, 8080}, {hosts, [alpha, beta, gamma, delta]},
                  {limits, #{max => 100, min => 1}}]},
    L = lists:seq(1, 30),
    [io:format("~s~p~n", [lists:duplicate(C, $-), L]) || C <- [0, 1, 5, 10, 20, 40, 60, 75, 79, 80, 90]],
    [io:format("~s~p~n", [lists:duplicate(C, $.), T]) || C <- [0, 3, 17, 33, 50, 70]],
    [io:format("~s~40p~n", [lists:duplicate(C, $.), T]) || C <- [0, 10, 30, 45]],
    %% Tabs.
    io:format("\t~p~n", [L]),
    io:format("ab\tc~p~n", [L]),
    io:format("\t\t\t~p~n", [T]),
    io:format("1234567\t~p~n", [L]),
    io:format("12345678\t~p~n", [L]),
    %% The precision gives the column.
    io:format("~.1p~n", [L]),
    io:format("~.10p~n", [L]),
    io:format("~.40p~n", [T]),
    io:format("~50.20p~n", [T]),
    io:format("xyz~.1p~n", [L]),
    io:format("~.0p~n", [L]),
    %% Width 0 prints on one line; tiny widths break everything.
    io:format("~0p~n", [T]),
    io:format("~1p~n", [T]),
    io:format("~5p~n", [{a, [b, c], "de"}]),
    io:format("~*p~n", [25, T]),
    io:format("~*.*p~n", [50, 10, T]),
    %% Several terms on one line, and text with newlines before a term.
    io:format("~p ~p~n", [L, L]),
    io:format("first ~p~nsecond ~p~n", [L, T]),
    io:format("~s~p~n", ["line one\nline two: ", L]),
    io:format("~s~p~n", [["nested", [" io", "list"], ": "], L]),
    io:format("~c~c~c~p~n", [$a, $b, $c, L]),
    io:format("~w ~p~n", [{a, b, c}, L]),
    io:format("~10s|~p~n", ["abc", L]),
    io:format("~-10s|~p~n", ["abc", L]),
    io:format("~8b ~p~n", [255, L]),
    io:format("~e ~p~n", [1.5, L]),
    io:format("~~~p~n", [L]),
    %% Left adjustment is an error for ~p.
    io:format("~p~n", [try io:format("~-10p~n", [x]) catch C:R -> {C, R} end]),
    ok.
