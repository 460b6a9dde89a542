%% Loops that match the rest of a binary and call themselves with it
%% (the rest handed on as a match context): guards that fail after the
%% match, later clauses that match the same bytes again, a try in the
%% function, and a function_clause error's arguments.
-module(bin_tail_ctx).
-export([main/1]).

main(_) ->
    B = list_to_binary(lists:seq(1, 200)),
    io:format("~p~n", [plain(B, 0)]),
    io:format("~p~n", [guarded(B, 0, 0)]),
    io:format("~p~n", [records(<<3, "abc", 0, 2, "xy", 1, "z">>, [])]),
    io:format("~p~n", [words(<<"one two  three">>, <<>>, [])]),
    io:format("~p~n", [catching(<<1, 2, 3, 250, 4>>, 0)]),
    try strict(<<1, 2, 3, 4:4>>, 0) catch error:function_clause:St ->
        [{_, _, Args, _} | _] = St,
        io:format("function_clause ~p~n", [Args]) end,
    %% No clause matches after some turns: the error shows that turn's
    %% arguments.
    [try F(B2, 0) catch error:function_clause:St2 ->
        [{_, _, Args2, _} | _] = St2,
        io:format("function_clause ~p~n", [Args2]) end
     || F <- [fun ones/2, fun small/2], B2 <- [<<1, 1, 2, 3>>, <<1, 1, 1>>, <<9>>]].

ones(<<1, Rest/binary>>, N) -> ones(Rest, N + 1);
ones(<<>>, N) -> N.

small(<<X, Rest/binary>>, N) when X < 2 -> small(Rest, N + X);
small(<<>>, N) -> N.

plain(<<X, Rest/binary>>, Acc) -> plain(Rest, Acc + X);
plain(<<>>, Acc) -> Acc.

%% The first clause's guard fails after its match: the second clause must
%% match the same bytes again from their start.
guarded(<<X, Y, Rest/binary>>, Odd, Even) when X rem 2 =:= 1 -> guarded(<<Y, Rest/binary>>, Odd + X, Even);
guarded(<<X, Rest/binary>>, Odd, Even) -> guarded(Rest, Odd, Even + X);
guarded(<<>>, Odd, Even) -> {Odd, Even}.

records(<<Len, Data:Len/binary, Rest/binary>>, Acc) -> records(Rest, [Data | Acc]);
records(<<>>, Acc) -> lists:reverse(Acc).

words(<<$\s, Rest/binary>>, <<>>, Acc) -> words(Rest, <<>>, Acc);
words(<<$\s, Rest/binary>>, W, Acc) -> words(Rest, <<>>, [W | Acc]);
words(<<C, Rest/binary>>, W, Acc) -> words(Rest, <<W/binary, C>>, Acc);
words(<<>>, <<>>, Acc) -> lists:reverse(Acc);
words(<<>>, W, Acc) -> lists:reverse([W | Acc]).

%% A try in the function: the context is always copied.
catching(<<X, Rest/binary>>, Acc) ->
    A = try 1000 div (250 - X) catch error:badarith -> 0 end,
    catching(Rest, Acc + A);
catching(<<>>, Acc) -> Acc.

strict(<<X, Rest/binary>>, Acc) -> strict(Rest, Acc + X);
strict(<<>>, Acc) -> Acc.
