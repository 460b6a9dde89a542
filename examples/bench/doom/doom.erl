%% The "Template of Doom": an iolist that references one binary a million
%% times, written to standard output (a file) in one call. Zero-copy output
%% needs memory for the list, not for the 300 MB it stands for.
%% Arguments: binary size in bytes, repetitions.
-module(doom).
-export([main/1]).

main([Size, Count]) ->
    Bin = binary:copy(<<"x">>, list_to_integer(Size)),
    Io = lists:duplicate(list_to_integer(Count), Bin),
    T0 = erlang:monotonic_time(microsecond),
    ok = io:put_chars(Io),
    T1 = erlang:monotonic_time(microsecond),
    io:format(standard_error, "time_us ~p~n", [T1 - T0]).
