%% Functions that match the rest of a binary and call themselves with it
%% (Beryl passes the match context on instead of making a sub-binary):
%% the results, clause fall-through after a partial match, errors that show
%% the argument, and the cases where the rest is used as a value.
-module(bin_ctx_reuse).
-export([main/1]).

main(_) ->
    Data = << <<(I rem 7), (I rem 40):16, (binary:copy(<<I>>, I rem 40))/binary>> || I <- lists:seq(1, 300) >>,
    io:format("~p~n", [parse(Data, 0, 0)]),
    %% Clauses that match part of the argument and fall through to the next.
    io:format("~p~n", [tokens(<<"ab12cd345 e6">>, [])]),
    %% The rest passed in another position.
    io:format("~p~n", [swap(<<1, 2, 3, 4, 5>>, <<>>, 0)]),
    %% Bitstring rests.
    io:format("~p~n", [bits(<<5:3, 2:3, 7:3, 1:1>>, [])]),
    %% A function_clause error shows the rest as a binary.
    io:format("~p~n", [catch_error(fun() -> strict(<<1, 2, 3, 99, 4>>) end)]),
    io:format("~p~n", [catch_error(fun() -> strict(<<1, 2>>) end)]),
    %% The rest also used as a value: not passed on.
    io:format("~p~n", [keep(<<1, 2, 3>>, [])]),
    %% The parameter also used as a value: not passed on.
    io:format("~p~n", [whole(<<1, 2, 3>>, [])]),
    %% A guard on the rest.
    io:format("~p~n", [guarded(<<1, 2, 3, 4, 5, 6>>, 0)]),
    %% Deep recursion over a large binary (many matches of one context).
    Big = binary:copy(<<1, 2, 3, 4>>, 100000),
    io:format("~p~n", [sum(Big, 0)]),
    %% Called with sub-binaries and with binaries made by appending.
    <<_, Sub/binary>> = Big,
    io:format("~p~n", [sum(Sub, 0)]),
    Grown = lists:foldl(fun(I, Acc) -> <<Acc/binary, I>> end, <<>>, lists:seq(1, 200)),
    io:format("~p~n", [sum(Grown, 0)]),
    %% A fun that does the same.
    F = fun Loop(<<X, R/binary>>, A) -> Loop(R, A + X); Loop(<<>>, A) -> A end,
    io:format("~p~n", [F(<<10, 20, 30>>, 0)]).

parse(<<Tag, Len:16, Payload:Len/binary, Rest/binary>>, Tags, Bytes) ->
    parse(Rest, Tags + Tag, Bytes + byte_size(Payload));
parse(<<>>, Tags, Bytes) ->
    {Tags, Bytes}.

tokens(<<C, Rest/binary>>, Acc) when C >= $a, C =< $z -> tokens(Rest, [{letter, C} | Acc]);
tokens(<<D1, D2, Rest/binary>>, Acc) when D1 >= $0, D1 =< $9, D2 >= $0, D2 =< $9 ->
    tokens(Rest, [{digits, [D1, D2]} | Acc]);
tokens(<<D, Rest/binary>>, Acc) when D >= $0, D =< $9 -> tokens(Rest, [{digit, D} | Acc]);
tokens(<<_, Rest/binary>>, Acc) -> tokens(Rest, [other | Acc]);
tokens(<<>>, Acc) -> lists:reverse(Acc).

swap(<<X, R/binary>>, Other, N) -> swap(Other, R, N * 10 + X);
swap(<<>>, <<X, R/binary>>, N) -> swap(R, <<>>, N * 10 + X);
swap(<<>>, <<>>, N) -> N.

bits(<<X:3, R/bitstring>>, Acc) -> bits(R, [X | Acc]);
bits(R, Acc) -> {lists:reverse(Acc), R}.

strict(<<X, R/binary>>) when X < 10 -> strict(R);
strict(<<>>) -> done.

keep(<<X, R/binary>>, Acc) -> keep(R, [{X, R} | Acc]);
keep(<<>>, Acc) -> lists:reverse(Acc).

whole(<<X, R/binary>> = B, Acc) -> whole(R, [{X, byte_size(B)} | Acc]);
whole(<<>>, Acc) -> lists:reverse(Acc).

guarded(<<X, R/binary>>, A) when byte_size(R) > 2 -> guarded(R, A + X);
guarded(R, A) -> {A, R}.

sum(<<A, B, C, D, R/binary>>, S) -> sum(R, S + A + B * 2 + C * 3 + D * 4);
sum(<<A, R/binary>>, S) -> sum(R, S + A);
sum(<<>>, S) -> S.

catch_error(F) ->
    try F() catch error:R:St -> {M, Fn, Args, _} = hd(St), {R, {M, Fn, Args}} end.
