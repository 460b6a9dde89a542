-module(pretty_binaries).
-export([main/1]).

%% ~p of binaries and bitstrings: printable ones as <<"...">>, others as
%% bytes filling the lines; with a depth, 4 characters or 1 byte per
%% level; ~tp shows UTF-8 text as <<"..."/utf8>>.  Output with characters
%% 128..255 is shown as character codes through io_lib:format and ~w.

chars(F, Args) -> lists:flatten(io_lib:format(F, Args)).

bytes(N) -> list_to_binary([(I * 37) rem 256 || I <- lists:seq(1, N)]).

main(_) ->
    io:format("~p~n", [<<"hello">>]),
    io:format("~p~n", [<<"line\nbreak\ttab \"quoted\" back\\slash">>]),
    io:format("~p~n", [list_to_binary(lists:duplicate(15, "0123456789"))]),
    io:format("~p~n", [<<1, 2, 3>>]),
    io:format("~p~n", [<<"abc", 0>>]),
    io:format("~p~n", [<<"abc", 127>>]),
    io:format("~p~n", [<<"abc", 128>>]),
    io:format("~p~n", [<<1:1>>]),
    io:format("~p~n", [<<5:3>>]),
    io:format("~p~n", [<<"abc", 3:2>>]),
    io:format("~p~n", [<<1, 2, 3, 4:5>>]),
    B100 = bytes(100),
    io:format("~p~n", [B100]),
    io:format("~40p~n", [B100]),
    io:format("~10p~n", [bytes(30)]),
    io:format("~1p~n", [bytes(12)]),
    io:format("bin: ~p~n", [B100]),
    io:format("a rather long prefix before the binary ~p~n", [B100]),
    io:format("~p~n", [{data, B100}]),
    io:format("~p~n", [{data, B100, more}]),
    io:format("~p~n", [[B100, B100]]),
    io:format("~p~n", [#{payload => B100, size => 100}]),
    io:format("~p~n", [{a_much_longer_tag_name_here, bytes(60)}]),
    B80 = bytes(80),
    io:format("~p~n", [<<B80/binary, 1:4>>]),
    io:format("~p~n", [[<<>>, <<"a">>, <<0>>, <<"">>, <<7:3>>]]),
    io:format("~p~n", [lists:duplicate(8, <<"binary text">>)]),
    %% The l modifier: bytes.
    io:format("~lp~n", [<<"abc">>]),
    io:format("~lp~n", [{<<"text">>, "text"}]),
    %% Depth.
    Text = <<"abcdefghijklmnopqrstuvwxyz0123456789">>,
    [io:format("~w: ~P~n", [D, Text, D]) || D <- [1, 2, 3, 4, 5, 9, 10, 11, 12]],
    [io:format("~w: ~P~n", [D, B100, D]) || D <- [1, 2, 3, 5, 10]],
    [io:format("~w: ~P~n", [D, <<"abcd", 0, "efgh">>, D]) || D <- [2, 3, 4]],
    [io:format("~w: ~P~n", [D, <<"abcdefgh", 1, "ijkl">>, D]) || D <- [2, 3, 4]],
    [io:format("~w: ~P~n", [D, <<1, 2, 3:5>>, D]) || D <- [1, 2, 3, 4]],
    io:format("~P~n", [{Text, [Text, B100]}, 4]),
    io:format("~P~n", [[<<"ab">>, <<"abcdefghij">>], 3]),
    %% Long printable binaries (more than 20 characters).
    Long = list_to_binary(lists:duplicate(30, "xy")),
    io:format("~p~n", [Long]),
    io:format("~P~n", [Long, 20]),
    io:format("~P~n", [list_to_binary([Long, 1]), 20]),
    io:format("~P~n", [list_to_binary([Long, 1]), 50]),
    io:format("~P~n", [list_to_binary(["abcdefghijklmnopqrstuvwxyz", 1]), 5]),
    io:format("~P~n", [list_to_binary(["abcdefghijklmnopqrstuvwxyz", 1]), 7]),
    io:format("~P~n", [list_to_binary(["abcdefghijklmnopqrstuvwxyz", 1]), 8]),
    %% UTF-8 text.
    Utf8 = <<"caf", 195, 169, " cr", 195, 168, "me">>,
    io:format("~w~n", [chars("~p", [Utf8])]),
    io:format("~w~n", [chars("~tp", [Utf8])]),
    io:format("~w~n", [chars("~tP", [Utf8, 2])]),
    io:format("~w~n", [chars("~tP", [Utf8, 3])]),
    io:format("~w~n", [chars("~tp", [<<"plain ascii">>])]),
    io:format("~w~n", [chars("~tp", [<<233>>])]),
    io:format("~w~n", [chars("~tp", [<<226, 130, 172>>])]),
    io:format("~w~n", [chars("~tp", [<<"ab", 195, 169, 0>>])]),
    io:format("~w~n", [chars("~tP", [<<"abcdef", 195, 169, 0>>, 2])]),
    io:format("~w~n", [chars("~tP", [<<195, 169, 195, 169, 195, 169, 0>>, 2])]),
    io:format("~tp~n", [<<226, 130, 172, 226, 130, 172>>]),
    ok.
