%% Building a binary by appending in a loop: 2,000,000 appends of 4 bytes
%% (an 8 MB binary), then its CRC.
-module(bin_build).
-export([main/1]).

main(_) ->
    T0 = erlang:monotonic_time(microsecond),
    B = build(<<>>, 0, 2000000),
    R = {byte_size(B), erlang:crc32(B)},
    T1 = erlang:monotonic_time(microsecond),
    io:format("result ~p~ntime_us ~p~n", [R, T1 - T0]).

build(Acc, N, N) -> Acc;
build(Acc, I, N) -> build(<<Acc/binary, I:32>>, I + 1, N).
