%% A message (or a part of it) that stays live across a call in the
%% receive clause's body, in a function whose frame already exists when the
%% receive starts: the value must be saved in the frame, not left in x0.
-module(receive_frames).
-export([main/1]).

flush() -> receive M -> [M | flush()] after 0 -> [] end.

parts() ->
    receive
        {pair, A, B} -> [{A, B} | parts()];
        {one, A} -> [A | parts()]
    after 0 -> []
    end.

nested(N) ->
    receive
        {outer, X} ->
            Inner = receive {inner, Y} -> [Y | flush()] after 0 -> none end,
            {X, N, Inner, length(flush())}
    after 0 -> empty
    end.

main(_) ->
    [self() ! I || I <- [first, {second, 2}, "third", 4.0]],
    io:format("~p~n", [flush()]),
    [self() ! M || M <- [{pair, 1, 2}, {one, x}, {pair, [a], <<"b">>}]],
    io:format("~p~n", [parts()]),
    [self() ! M || M <- [{outer, o}, {inner, i}, extra]],
    io:format("~p~n", [nested(7)]),
    io:format("~p~n", [nested(8)]).
