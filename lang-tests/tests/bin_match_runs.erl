%% Clause heads that match several segments (the loader runs a head's
%% segment matches as one instruction): failure at each segment falls
%% through to the next clause with nothing half-done, sizes taken from
%% earlier segments of the same head, skipped segments, unit tests, values
%% kept across calls, and small slices of a big binary that outlive it.
-module(bin_match_runs).
-export([main/1]).

main(_) ->
    %% Each input fails at a different segment of the first clause.
    Inputs = [not_a_binary, <<>>, <<1>>, <<1, 0>>, <<1, 0, 3, 9, 9>>,
              <<1, 0, 2, 9, 9>>, <<1, 0, 2, 9, 9, 7>>, <<1, 0, 2, 9, 9, 7, 5>>,
              <<1, 0, 2, 9, 9, 7, 5:4>>, <<2, 0, 0, 8>>],
    [io:format("~p -> ~p~n", [I, head(I)]) || I <- Inputs],
    %% Sizes from earlier segments, in bits and in units.
    io:format("~p~n", [sized(<<3, 5:3, 1:5, 2:16, 9:16, 65>>)]),
    io:format("~p~n", [sized(<<3, 5:3, 1:5, 2:16, 9:16>>)]),
    %% Signed, little-endian, floats and UTF-8 in one head.
    io:format("~p~n", [mixed(<<-2:16/signed, 513:16/little, 1.5/float, "é"/utf8, "rest">>)]),
    io:format("~p~n", [mixed(<<-2:16/signed, 513:16/little, 1.5/float, 255, "rest">>)]),
    %% Values matched in a head used after a call (kept in the frame).
    io:format("~p~n", [after_call(<<7, 0, 3, "abc", "tail">>)]),
    %% Records parsed out of a big binary: small slices that outlive it.
    Big = << <<(I rem 256), (I rem 30), (binary:copy(<<(I rem 251)>>, I rem 30))/binary>> || I <- lists:seq(1, 2000) >>,
    Recs = records(Big, []),
    erlang:garbage_collect(),
    io:format("~p ~p~n", [length(Recs), lists:sum([byte_size(P) || {_, P} <- Recs])]),
    io:format("~p~n", [lists:sublist(Recs, 5)]),
    %% Slices sent to another process, compared and stored in ETS.
    Self = self(),
    Pid = spawn(fun() -> receive L -> Self ! {back, lists:reverse(L)} end end),
    Pid ! [P || {_, P} <- lists:sublist(Recs, 10)],
    Back = receive {back, B} -> B end,
    io:format("~p~n", [Back =:= lists:reverse([P || {_, P} <- lists:sublist(Recs, 10)])]),
    T = ets:new(t, [set]),
    ets:insert(T, [{K, P} || {K, P} <- lists:sublist(Recs, 20)]),
    io:format("~p~n", [lists:sort(ets:tab2list(T)) =:= lists:sort(maps:to_list(maps:from_list(lists:sublist(Recs, 20))))]),
    io:format("~p~n", [[binary:referenced_byte_size(P) >= byte_size(P) || {_, P} <- lists:sublist(Recs, 3)]]),
    %% A head that fails after its context was passed on by a self call.
    io:format("~p~n", [pairs(<<1, 2, 3, 4, 5>>, [])]),
    %% function_clause shows the whole argument.
    io:format("~p~n", [try strict(<<1, 0, 5, 1, 2>>) catch error:R:S -> [{M, F, A, _} | _] = S, {R, M, F, A} end]),
    ok.

head(<<T, L:16, P:L/binary, _:8, R/binary>>) when byte_size(R) > 0 -> {first, T, P, R};
head(<<T, _/binary>>) -> {second, T};
head(X) -> {third, X}.

sized(<<N, A:N, B:(8 - N), L:16, V:L/unit:8, Rest/binary>>) -> {A, B, V, Rest};
sized(_) -> nomatch.

mixed(<<A:16/signed, B:16/little, F/float, C/utf8, R/binary>>) -> {A, B, F, C, R};
mixed(<<A:16/signed, _/binary>>) -> {only, A}.

after_call(<<T, L:16, P:L/binary, R/binary>>) ->
    X = lists:reverse(binary_to_list(R)),
    {T, P, X, R}.

records(<<K, L, P:L/binary, Rest/binary>>, Acc) -> records(Rest, [{K, P} | Acc]);
records(<<>>, Acc) -> lists:reverse(Acc).

pairs(<<A, B, R/binary>>, Acc) -> pairs(R, [{A, B} | Acc]);
pairs(<<A>>, Acc) -> {lists:reverse(Acc), last, A};
pairs(<<>>, Acc) -> lists:reverse(Acc).

strict(<<T, L:16, P:L/binary>>) -> {T, P}.
