-module(bit_sizes).
-export([main/1]).

%% Segment sizes computed while matching: expressions over arguments and
%% over segments matched earlier in the same pattern, in heads, cases and
%% matches (the match context must survive the arithmetic).
main(_) ->
    B = <<1,2,3,4,5,6,7,8,9,10,11,12>>,
    io:format("~p~n", [f(B, 8)]),
    io:format("~p~n", [g(B, 2)]),
    io:format("~p~n", [g(B, 5)]),
    io:format("~p~n", [h(<<3, "abcdef">>)]),
    io:format("~p~n", [h(<<9, "abc">>)]),
    io:format("~p~n", [k(<<2:4, 3:4, 1,2,3,4,5,6,7,8,9,10>>, 1)]),
    io:format("~p~n", [[tlv(X) || X <- [<<1, 2, "hi", 7>>, <<2, 0>>, <<1, 9, "x">>]]]),
    ok.

f(B, N) ->
    <<X:N, Y:(96 - 2*N), Z/binary>> = B,
    {X, Y, Z}.

g(B, N) ->
    case B of
        <<X:(N*8), Rest:(N*4)/binary, T/binary>> -> {X, Rest, T};
        _ -> nomatch
    end.

h(<<L:8, S:(L - 1)/binary, _/binary>>) -> {L, S};
h(_) -> short.

k(B, M) ->
    <<A:4, C:4, D:(A * C + M)/binary, E:(M * 8), _/binary>> = B,
    {A, C, D, E}.

tlv(<<T:8, L:8, V:(L * 8)/bitstring, R/binary>>) when T =:= 1 -> {T, V, R};
tlv(<<T:8, L:8, _/binary>>) -> {other, T, L}.
