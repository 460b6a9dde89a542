-module(memory_info).
-export([main/1]).

%% erlang:memory/0,1 and process_info memory: the items OTP lists, all
%% non-negative integers, and process memory that grows with processes.
main(_) ->
    M = erlang:memory(),
    io:format("~p~n", [[K || {K, _} <- M]]),
    io:format("~p~n", [lists:all(fun({_, V}) -> is_integer(V) andalso V >= 0 end, M)]),
    io:format("~p~n", [[is_integer(erlang:memory(K)) || K <- [total, processes, system, atom, code]]]),
    io:format("~p~n", [length(erlang:memory([total, atom]))]),
    io:format("~p~n", [try erlang:memory(no_such_item) catch C:R -> {C, R} end]),
    P0 = erlang:memory(processes),
    Ps = [spawn(fun() -> receive stop -> ok end end) || _ <- lists:seq(1, 1000)],
    P1 = erlang:memory(processes),
    io:format("grows: ~p~n", [P1 > P0]),
    {memory, Mine} = process_info(self(), memory),
    io:format("~p~n", [is_integer(Mine) andalso Mine > 0]),
    [P ! stop || P <- Ps],
    ok.
