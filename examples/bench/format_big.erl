%% io_lib:format("~p") of a large nested term (pretty printing, line
%% breaking), 20 times.
-module(format_big).
-export([main/1]).

main(_) ->
    Term = [{I, integer_to_list(I), #{k => I, l => [I, I * 2]}, {a, b, <<"bin">>}} || I <- lists:seq(1, 2000)],
    T0 = erlang:monotonic_time(microsecond),
    Len = lists:sum([iolist_size(io_lib:format("~p", [Term])) || _ <- lists:seq(1, 20)]),
    T1 = erlang:monotonic_time(microsecond),
    io:format("result ~p~ntime_us ~p~n", [Len, T1 - T0]).
