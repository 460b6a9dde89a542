%% Parsing a 10 MB binary with bit syntax: length-prefixed records
%% (a 1-byte tag, a 16-bit length, the payload), summing tags and bytes.
-module(bin_match).
-export([main/1]).

main(_) ->
    Rec = fun(I) -> P = binary:copy(<<(I rem 251)>>, I rem 40), <<(I rem 7), (byte_size(P)):16, P/binary>> end,
    Data = iolist_to_binary([Rec(I) || I <- lists:seq(1, 480000)]),
    T0 = erlang:monotonic_time(microsecond),
    R = [parse(Data, 0, 0) || _ <- lists:seq(1, 5)],
    T1 = erlang:monotonic_time(microsecond),
    io:format("result ~p~ntime_us ~p~n", [{byte_size(Data), hd(R)}, T1 - T0]).

parse(<<Tag, Len:16, Payload:Len/binary, Rest/binary>>, Tags, Bytes) ->
    parse(Rest, Tags + Tag, Bytes + byte_size(Payload));
parse(<<>>, Tags, Bytes) ->
    {Tags, Bytes}.
