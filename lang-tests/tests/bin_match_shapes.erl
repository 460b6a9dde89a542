%% Segment shapes the loader gives match steps of their own: whole-byte
%% big-endian integers of 1 to 7 bytes (signed and not, at byte and bit
%% offsets) and Size/binary segments (sizes from variables, too large,
%% negative, not integers), next to the shapes that stay generic.
-module(bin_match_shapes).
-export([main/1]).

main(_) ->
    B = <<255, 254, 253, 252, 251, 250, 249, 248, 1, 2, 3, 4, 5, 6, 7, 8>>,
    [io:format("u~p ~p~n", [N, int_u(N, B)]) || N <- lists:seq(1, 7)],
    [io:format("s~p ~p~n", [N, int_s(N, B)]) || N <- lists:seq(1, 7)],
    %% At a bit offset.
    <<_:3, Rest/bitstring>> = B,
    [io:format("off u~p ~p s~p ~p~n", [N, int_u(N, Rest), N, int_s(N, Rest)]) || N <- [1, 2, 3, 7]],
    %% Three-segment records, as a parser writes them.
    Recs = << <<(I rem 7), (I rem 5):16, (binary:copy(<<I>>, I rem 5))/binary>> || I <- lists:seq(1, 40) >>,
    io:format("~p~n", [parse(Recs, 0, [])]),
    <<_:5, Shifted/bitstring>> = <<0:5, Recs/binary, 0:3>>,
    io:format("~p~n", [parse(Shifted, 0, [])]),
    [io:format("size ~p: ~p~n", [S, take(S, <<1, 2, 3, 4>>)]) || S <- [0, 2, 4, 5, -1, foo, 1.0, 1 bsl 62]],
    %% Shapes that stay generic.
    <<L:16/little, F:32/float, W:64, Odd:12, Sixteen:2/binary-unit:16, _/bits>> =
        <<1, 2, 0, 0, 128, 63, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15>>,
    io:format("~w~n", [{L, F, W, Odd, Sixteen}]).

int_u(N, Bin) ->
    Bits = N * 8,
    <<V:Bits, _/bitstring>> = Bin,
    {V, fixed_u(N, Bin)}.

int_s(N, Bin) ->
    Bits = N * 8,
    <<V:Bits/signed, _/bitstring>> = Bin,
    {V, fixed_s(N, Bin)}.

fixed_u(1, <<V:8, _/bitstring>>) -> V;
fixed_u(2, <<V:16, _/bitstring>>) -> V;
fixed_u(3, <<V:24, _/bitstring>>) -> V;
fixed_u(4, <<V:4/unit:8, _/bitstring>>) -> V;
fixed_u(5, <<V:40, _/bitstring>>) -> V;
fixed_u(6, <<V:48, _/bitstring>>) -> V;
fixed_u(7, <<V:56, _/bitstring>>) -> V.

fixed_s(1, <<V:8/signed, _/bitstring>>) -> V;
fixed_s(2, <<V:16/signed, _/bitstring>>) -> V;
fixed_s(3, <<V:24/signed, _/bitstring>>) -> V;
fixed_s(4, <<V:32/signed, _/bitstring>>) -> V;
fixed_s(5, <<V:40/signed, _/bitstring>>) -> V;
fixed_s(6, <<V:48/signed, _/bitstring>>) -> V;
fixed_s(7, <<V:7/signed-unit:8, _/bitstring>>) -> V.

parse(<<Tag, Len:16, Payload:Len/binary, Rest/bitstring>>, Tags, Acc) ->
    parse(Rest, Tags + Tag, [byte_size(Payload) | Acc]);
parse(Rest, Tags, Acc) ->
    {bit_size(Rest), Tags, lists:sum(Acc), length(Acc)}.

take(S, Bin) ->
    case Bin of
        <<X:S/binary, R/binary>> -> {X, R};
        _ -> no_match
    end.
