%% Binaries built by appending in a loop (appended in place, sharing one
%% block): every way of reading them afterwards, appends that branch from
%% an older value, appends by other processes to a binary they were sent,
%% and bitstring appends.
-module(bin_append).
-export([main/1]).

main(_) ->
    B = build(<<>>, 0, 3000),
    io:format("~p ~p ~p~n", [byte_size(B), erlang:crc32(B), binary:referenced_byte_size(B) >= byte_size(B)]),
    %% Reading it: unaligned matches, floats, UTF-8, parts and splits.
    <<_:3, X:13, _/bitstring>> = B,
    <<_:(byte_size(B))/binary, F/float>> = <<B/binary, 1.25/float>>,
    <<_:(byte_size(B))/binary, C/utf8>> = <<B/binary, "é"/utf8>>,
    io:format("~p ~p ~p~n", [X, F, C]),
    io:format("~p~n", [binary_part(B, byte_size(B) - 6, 6)]),
    {H, T} = split_binary(B, 11997),
    io:format("~p ~p~n", [byte_size(H), T]),
    <<_:5, Odd/bitstring>> = B,
    io:format("~p ~p~n", [bit_size(Odd), erlang:md5(<<Odd/bitstring, 0:5>>)]),
    %% Branching: two appends to the same value.
    A1 = <<B/binary, "one">>,
    A2 = <<B/binary, "two">>,
    io:format("~w ~w ~p~n", [binary_to_list(binary_part(A1, byte_size(A1), -5)), binary_to_list(binary_part(A2, byte_size(A2), -5)), B =:= binary_part(A1, 0, byte_size(B))]),
    %% Other processes append to the binary they were sent, at once.
    Self = self(),
    [spawn(fun() -> Self ! {I, build(B, I * 10000, I * 10000 + 500)} end) || I <- [1, 2, 3]],
    Rs = [receive {I, R} -> R end || I <- [1, 2, 3]],
    io:format("~p~n", [[{byte_size(R), erlang:crc32(R), binary_part(R, 0, byte_size(B)) =:= B} || R <- Rs]]),
    io:format("~p~n", [byte_size(B)]),
    %% Stored, encoded, compared, hashed.
    T2 = ets:new(t, []),
    ets:insert(T2, {k, A1}),
    [{k, Stored}] = ets:lookup(T2, k),
    io:format("~p ~p ~p ~p~n", [Stored =:= A1, binary_to_term(term_to_binary(A1)) =:= A1, A1 < A2, erlang:phash2(A1) =:= erlang:phash2(binary:copy(A1))]),
    %% Bitstring appends.
    Bits = lists:foldl(fun(I, Acc) -> <<Acc/bitstring, I:3>> end, <<>>, lists:seq(1, 200)),
    io:format("~p ~p~n", [bit_size(Bits), erlang:md5(<<Bits/bitstring, 0:(8 - bit_size(Bits) rem 8)>>)]),
    %% Integer tails of every shape: little, native, signed, negative,
    %% 24 bits, sizes from variables with a unit, zero sizes, 64 bits.
    B0 = binary:copy(<<"x">>, 100),
    R3 = lists:foldl(fun(I, Acc) ->
        S = I rem 5,
        <<Acc/binary, (I - 50):16/little, (-I):24, I:0, (I * 1000):S/unit:8, 255:8/native, (I bsl 40):64/signed>>
    end, B0, lists:seq(1, 100)),
    io:format("~p ~p~n", [byte_size(R3), erlang:md5(R3)]),
    R4 = <<B0/binary, 300:8, -1:32, 16#123456789:40/little>>,
    io:format("~w~n", [binary_part(R4, 100, byte_size(R4) - 100)]),
    %% A loop that keeps every intermediate value.
    All = keep(<<>>, 0, 200, []),
    io:format("~p ~p~n", [length(All), [byte_size(V) || V <- lists:sublist(All, 5)]]),
    erlang:garbage_collect(),
    io:format("~p~n", [lists:sum([erlang:crc32(V) rem 1000 || V <- All])]),
    ok.

build(Acc, N, N) -> Acc;
build(Acc, I, N) -> build(<<Acc/binary, I:32>>, I + 1, N).

keep(_, N, N, Out) -> Out;
keep(Acc, I, N, Out) ->
    Next = <<Acc/binary, I, (I * 7)>>,
    keep(Next, I + 1, N, [Next | Out]).
