%% <<Acc/binary, V:N>> in loops, the shape the loader gives a fast path:
%% every whole-byte size from 8 to 64 bits, big and little endian, signed
%% and negative values, bignums, accumulators that start small (heap
%% binaries) and ones shared by two appenders.
-module(bin_append_ints).
-export([main/1]).

main(_) ->
    [io:format("~p big ~p little ~p~n", [Bits, digest(build_big(Bits)), digest(build_little(Bits))])
     || Bits <- [8, 16, 24, 32, 40, 48, 56, 64]],
    io:format("signed ~p~n", [digest(signed(<<>>, -300, 300))]),
    io:format("bignum ~p~n", [digest(bignums(<<>>, 0))]),
    %% Two appends to one accumulator: the second must not see the first.
    Base = build_big(32),
    A = <<Base/binary, 1:32>>,
    B = <<Base/binary, 2:32>>,
    io:format("shared ~p ~p ~p~n", [byte_size(A), binary:last(A), binary:last(B)]),
    %% A sub-binary of a large binary as the accumulator.
    <<_:100/binary, Tail/binary>> = Base,
    C = grow(Tail, 0, 50),
    io:format("tail ~p ~p~n", [byte_size(C), erlang:crc32(C)]).

build_big(Bits) -> big(<<>>, 0, 300, Bits).
build_little(Bits) -> little(<<>>, 0, 300, Bits).

big(Acc, N, N, _) -> Acc;
big(Acc, I, N, Bits) -> big(<<Acc/binary, (I * 7919):Bits>>, I + 1, N, Bits).

little(Acc, N, N, _) -> Acc;
little(Acc, I, N, Bits) -> little(<<Acc/binary, (I * 7919):Bits/little>>, I + 1, N, Bits).

signed(Acc, N, N) -> Acc;
signed(Acc, I, N) -> signed(<<Acc/binary, I:16/signed>>, I + 1, N).

bignums(Acc, 40) -> Acc;
bignums(Acc, I) -> bignums(<<Acc/binary, (1 bsl (I + 40) + I):64>>, I + 1).

grow(Acc, N, N) -> Acc;
grow(Acc, I, N) -> grow(<<Acc/binary, I:24>>, I + 1, N).

digest(B) -> {byte_size(B), erlang:crc32(B)}.
