%% Off-heap binaries under pressure: processes pass large binaries and
%% sub-binaries around, append to them, match them and drop them; at the
%% end every off-heap byte has been freed (erlang:memory(binary) is back
%% where it started).
-module(refc).
-export([main/1]).

main(_) ->
    erlang:garbage_collect(),
    Start = erlang:memory(binary),
    Self = self(),
    Big = list_to_binary(lists:duplicate(100000, $x)),
    Pids = [spawn(fun() -> worker(Self, I) end) || I <- lists:seq(1, 50)],
    [P ! {bin, Big, binary:part(Big, 10, 500)} || P <- Pids],
    Sums = [receive {done, P, S} -> S end || P <- Pids],
    io:format("sums ~w~n", [lists:usort(Sums)]),
    %% appending in a loop
    B = build(<<>>, 0),
    io:format("built ~w ~w~n", [byte_size(B), erlang:crc32(B)]),
    %% parsing with sub-binaries
    io:format("parsed ~w~n", [parse(B, 0)]),
    io:format("shared ~w~n", [binary:referenced_byte_size(binary:part(B, 0, 100)) > 100]),
    Mid = erlang:memory(binary),
    io:format("some live ~w~n", [Mid > Start]),
    %% messages never received: freed with their process
    Sink = spawn(fun() -> receive stop -> ok end end),
    [Sink ! {unread, binary:copy(<<I>>, 1000 + I)} || I <- lists:seq(1, 20)],
    Sink ! stop,
    %% and sent to a process that is already gone
    [Sink ! {late, binary:copy(<<I>>, 2000)} || I <- lists:seq(1, 5)],
    %% stored in ETS: looked up, deleted one by one, the table deleted
    T = ets:new(t, [set, public]),
    [ets:insert(T, {I, binary:copy(<<I>>, 1000)}) || I <- lists:seq(1, 200)],
    [{_, Got}] = ets:lookup(T, 7),
    io:format("ets ~w~n", [byte_size(Got)]),
    [ets:delete(T, I) || I <- lists:seq(1, 100)],
    ets:delete(T),
    keep(Big, B),
    %% drop everything
    erlang:garbage_collect(),
    wait_freed(Start, 100).

keep(_, _) -> ok.

worker(Parent, I) ->
    receive
        {bin, Big, Part} ->
            Acc = lists:foldl(fun(K, A) -> <<A/binary, K:32>> end, Part, lists:seq(1, 2000 + I)),
            <<_:10/binary, Rest/binary>> = Acc,
            Me = self(),
            Child = spawn(fun() -> receive {R, From} -> From ! {echo, Me, byte_size(R)} end end),
            Child ! {Rest, self()},
            N = receive {echo, Me, Sz} -> Sz end,
            Parent ! {done, self(), byte_size(Big) + N - 8 * I}
    end.

build(Acc, 100000) -> Acc;
build(Acc, N) -> build(<<Acc/binary, N:32>>, N + 1).

parse(<<X:32, Rest/binary>>, S) -> parse(Rest, (S + X) rem 1000000007);
parse(<<>>, S) -> S.

wait_freed(Start, 0) ->
    io:format("freed false ~w ~w~n", [Start, erlang:memory(binary)]);
wait_freed(Start, N) ->
    erlang:garbage_collect(),
    case erlang:memory(binary) =< Start of
        true -> io:format("freed true~n");
        false -> receive after 10 -> wait_freed(Start, N - 1) end
    end.
