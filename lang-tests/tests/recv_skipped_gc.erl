%% Messages a selective receive skips stay in the mailbox while the
%% process allocates and collects; they come out intact and in order.
-module(recv_skipped_gc).
-export([main/1]).

main(_) ->
    Self = self(),
    [Self ! {skip, N, [N, {N, <<N:32>>}], float(N)} || N <- lists:seq(1, 50)],
    Self ! {wanted, "first"},
    {wanted, S} = receive {wanted, _} = W -> W end,
    io:format("~s~n", [S]),
    %% Garbage and collections while the skipped messages wait.
    Junk = churn(20000, []),
    erlang:garbage_collect(),
    io:format("junk ~p~n", [length(Junk)]),
    %% A second selective pass past all of them.
    Self ! {wanted, "second"},
    receive {wanted, S2} -> io:format("~s~n", [S2]) end,
    _ = churn(20000, []),
    Got = [receive {skip, N, L, F} -> {N, L, F} end || N <- lists:seq(1, 50)],
    io:format("~p~n", [lists:sublist(Got, 3)]),
    io:format("~p~n", [lists:sum([N + length(L) + trunc(F) || {N, L, F} <- Got])]),
    %% A large message (absorbed, not copied) among small ones.
    Big = lists:seq(1, 1000),
    Self ! {small, 1}, Self ! {big, Big}, Self ! {small, 2},
    receive {small, 2} -> ok end,
    _ = churn(5000, []),
    receive {big, B} -> io:format("big ~p~n", [lists:sum(B)]) end,
    receive {small, X} -> io:format("small ~p~n", [X]) end,
    %% Messages between processes, skipped and collected in the receiver.
    P = spawn(fun() -> relay(Self) end),
    [P ! {n, I} || I <- lists:seq(1, 200)],
    P ! go,
    receive {sum, Sum} -> io:format("sum ~p~n", [Sum]) end.

relay(Parent) ->
    receive go -> ok end,
    _ = churn(10000, []),
    Parent ! {sum, lists:sum([receive {n, I} -> I end || _ <- lists:seq(1, 200)])}.

churn(0, Acc) -> Acc;
churn(N, Acc) when N rem 100 =:= 0 -> churn(N - 1, [{N, [N]} | tl(Acc ++ [x])]);
churn(N, Acc) -> churn(N - 1, [{N, [N]} | Acc]).
