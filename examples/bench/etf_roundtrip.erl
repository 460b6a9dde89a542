%% term_to_binary and binary_to_term of a large mixed term (lists, tuples,
%% maps, binaries, floats, atoms, bignums), 20 times each way.
-module(etf_roundtrip).
-export([main/1]).

main(_) ->
    T = [{I, integer_to_list(I), #{k => I, f => I / 3}, <<I:64>>, [a, b | I], 1 bsl (I rem 90)}
         || I <- lists:seq(1, 20000)],
    T0 = erlang:monotonic_time(microsecond),
    Sizes = [byte_size(term_to_binary(T)) || _ <- lists:seq(1, 20)],
    B = term_to_binary(T),
    Same = lists:all(fun(_) -> binary_to_term(B) =:= T end, lists:seq(1, 20)),
    T1 = erlang:monotonic_time(microsecond),
    io:format("result ~p~ntime_us ~p~n", [{hd(Sizes), erlang:crc32(B), Same}, T1 - T0]).
