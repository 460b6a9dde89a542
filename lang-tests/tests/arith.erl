%% Integer arithmetic: + - * div rem with all sign combinations, `/`
%% always returning a float, operator precedence and associativity
%% (unary ops, bnot, bsl vs +, comparison vs arithmetic, andalso/orelse
%% vs comparison), unary + and -, abs/min/max, overflow of small integers
%% into bignums and back, and ~b ~B ~i ~w ~p formatting of integers.
-module(arith).
-export([main/1]).

id(X) -> X.

main(_Args) ->
    basic(),
    divrem(),
    division(),
    precedence(),
    unary(),
    absminmax(),
    overflow(),
    bits(),
    formatting(),
    ok.

basic() ->
    io:format("== + - *~n"),
    Ns = [0, 1, -1, 7, -7, 100, 1000000],
    [io:format("~p ~p: ~p ~p ~p~n", [A, B, A + B, A - B, A * B])
     || A <- id([7, -7, 0]), B <- id(Ns)],
    io:format("~p~n", [id(2) + id(3) * id(4)]),
    io:format("~p~n", [(id(2) + id(3)) * id(4)]),
    io:format("~p~n", [lists:foldl(fun(X, Acc) -> Acc * X end, 1, lists:seq(1, 20))]),
    io:format("~p~n", [lists:sum(lists:seq(-50, 50))]),
    io:format("~p~n", [id(1) + 1.0]),
    io:format("~p~n", [id(3) * 1.5]),
    io:format("~p~n", [id(10) - 0.5]).

divrem() ->
    io:format("== div rem~n"),
    Pairs = [{7, 2}, {-7, 2}, {7, -2}, {-7, -2}, {6, 3}, {-6, 3}, {1, 5}, {-1, 5},
             {0, 3}, {0, -3}, {5, 1}, {5, -1}, {123456, 789}],
    [io:format("~p div ~p = ~p, ~p rem ~p = ~p~n", [A, B, A div B, A, B, A rem B])
     || {A, B} <- id(Pairs)],
    io:format("~p~n", [[A =:= B * (A div B) + A rem B || {A, B} <- id(Pairs)]]),
    %% rem takes the sign of the dividend
    io:format("~p ~p ~p ~p~n", [id(13) rem 4, id(-13) rem 4, id(13) rem -4, id(-13) rem -4]),
    %% div truncates toward zero
    io:format("~p ~p ~p ~p~n", [id(13) div 4, id(-13) div 4, id(13) div -4, id(-13) div -4]),
    %% floor-division and modulo built from div/rem
    io:format("~p~n", [[{floor_div(A, B), mod(A, B)} || {A, B} <- id([{7, 2}, {-7, 2}, {7, -2}, {-7, -2}])]]),
    io:format("~p~n", [try id(1) div id(0) catch C:R -> {C, R} end]),
    io:format("~p~n", [try id(1) rem id(0) catch C2:R2 -> {C2, R2} end]).

floor_div(A, B) ->
    Q = A div B,
    if
        (A rem B =/= 0) andalso ((A < 0) =/= (B < 0)) -> Q - 1;
        true -> Q
    end.

mod(A, B) -> A - B * floor_div(A, B).

division() ->
    io:format("== / always returns a float~n"),
    [io:format("~p / ~p = ~p~n", [A, B, A / B])
     || {A, B} <- id([{6, 3}, {7, 2}, {1, 3}, {-1, 3}, {0, 5}, {10, 4}, {1, 1},
                      {100000000000000000000, 10}, {3, 0.5}, {1.0, 4}])],
    io:format("~p~n", [is_float(id(4) / id(2))]),
    io:format("~p~n", [id(4) / id(2) == 2]),
    io:format("~p~n", [id(4) / id(2) =:= 2]),
    io:format("~p~n", [try id(1) / id(0) catch C:R -> {C, R} end]).

precedence() ->
    io:format("== precedence and associativity~n"),
    io:format("~p~n", [-2 * 3 + 4]),
    io:format("~p~n", [-(2 * 3) + 4]),
    io:format("~p~n", [2 - 3 - 4]),
    io:format("~p~n", [2 - (3 - 4)]),
    io:format("~p~n", [100 div 10 div 2]),
    io:format("~p~n", [100 div (10 div 2)]),
    io:format("~p~n", [2 * 3 rem 4]),
    io:format("~p~n", [2 * (3 rem 4)]),
    io:format("~p~n", [17 rem 5 * 3]),
    io:format("~p~n", [bnot 1 band 3]),
    io:format("~p~n", [bnot (1 band 3)]),
    io:format("~p~n", [1 bsl 2 + 1]),
    io:format("~p~n", [1 bsl (2 + 1)]),
    io:format("~p~n", [(1 bsl 2) + 1]),
    io:format("~p~n", [1 + 2 bsl 3]),
    io:format("~p~n", [6 band 3 + 1]),
    io:format("~p~n", [6 bor 1 * 2]),
    io:format("~p~n", [16 bsr 2 bsr 1]),
    io:format("~p~n", [1 bsl 3 bsl 2]),
    io:format("~p~n", [5 bxor 3 band 1]),
    io:format("~p~n", [2 * 3 band 7]),
    io:format("~p~n", [- - 5]),
    io:format("~p~n", [- (-5)]),
    io:format("~p~n", [-5 rem 3]),
    io:format("~p~n", [-5 div 3]),
    io:format("~p~n", [1 + 2 == 3]),
    io:format("~p~n", [1 < 2 andalso 2 < 3]),
    io:format("~p~n", [1 > 2 orelse 3 > 2]),
    io:format("~p~n", [not id(true) =:= false]),
    io:format("~p~n", [not (1 > 2)]),
    io:format("~p~n", [true and false or true]),
    io:format("~p~n", [true or false and false]),
    io:format("~p~n", [false andalso true orelse true]),
    io:format("~p~n", [[1] ++ [2] ++ [3]]),
    io:format("~p~n", [[1, 2, 3] -- [1] -- [1]]),
    io:format("~p~n", [[1, 2, 3] -- ([1] -- [1])]),
    io:format("~p~n", [[1] ++ [2, 3] -- [2]]),
    X = 2,
    io:format("~p~n", [X * X + X]),
    io:format("~p~n", [-X * -X]),
    io:format("~p~n", [10 - -X]),
    io:format("~p~n", [id(2) * id(3) + id(4) * id(5) - id(6) div id(2)]).

unary() ->
    io:format("== unary + and -~n"),
    X = id(5),
    Y = id(-5),
    F = id(2.5),
    io:format("~p ~p ~p ~p~n", [+X, -X, +Y, -Y]),
    io:format("~p ~p~n", [+F, -F]),
    io:format("~p~n", [-id(0)]),
    io:format("~p~n", [-id(0.0)]),
    io:format("~p~n", [+id(-0.0)]),
    io:format("~p~n", [-(-(-X))]),
    io:format("~p~n", [bnot X]),
    io:format("~p~n", [bnot bnot X]),
    io:format("~p~n", [bnot Y]),
    io:format("~p~n", [-id(576460752303423488)]),
    io:format("~p~n", [-id(-576460752303423488)]).

absminmax() ->
    io:format("== abs min max~n"),
    io:format("~p~n", [[abs(X) || X <- id([0, 5, -5, 2.5, -2.5, -0.0, -576460752303423489])]]),
    io:format("~p~n", [[min(A, B) || {A, B} <- id([{1, 2}, {2, 1}, {-1, -2}, {1, 1.5}, {3, 2.5}])]]),
    io:format("~p~n", [[max(A, B) || {A, B} <- id([{1, 2}, {2, 1}, {-1, -2}, {1, 1.5}, {3, 2.5}])]]),
    io:format("~p ~p~n", [min(id(1), id(1.0)), max(id(1), id(1.0))]),
    io:format("~p ~p~n", [lists:min(id([4, -3, 9, 0])), lists:max(id([4, -3, 9, 0]))]),
    io:format("~p~n", [max(id(a), id(1))]),
    io:format("~p~n", [min(id(a), id(1))]).

overflow() ->
    io:format("== overflow into bignums and back~n"),
    Max = id(576460752303423487),
    Min = id(-576460752303423488),
    io:format("~p ~p~n", [Max + 1, Min - 1]),
    io:format("~p ~p~n", [Max + 1 - 1, Min - 1 + 1]),
    io:format("~p~n", [Max * 2]),
    io:format("~p~n", [Max * Max]),
    io:format("~p~n", [(Max * Max) div Max]),
    io:format("~p~n", [Min * -1]),
    io:format("~p~n", [Min div -1]),
    io:format("~p~n", [Min rem -1]),
    io:format("~p~n", [-Min]),
    io:format("~p~n", [abs(Min)]),
    I64 = id(9223372036854775807),
    io:format("~p ~p ~p~n", [I64 + 1, -I64 - 2, I64 * I64]),
    io:format("~p~n", [(I64 + 1) - 1 =:= I64]),
    U64 = id(18446744073709551615),
    io:format("~p ~p~n", [U64 + 1, U64 * 2]),
    %% a sum that overflows and comes back
    Sum = lists:foldl(fun(X, Acc) -> Acc + X end, 0, [Max, Max, Max, -Max, -Max, -Max]),
    io:format("~p~n", [Sum]),
    io:format("~p~n", [is_integer(Max + 1)]),
    %% multiply loop that crosses the boundary
    io:format("~p~n", [pow(id(2), 62) + pow(id(2), 62)]),
    io:format("~p~n", [(pow(id(2), 62) + pow(id(2), 62)) - pow(id(2), 63)]),
    io:format("~w~n", [[pow(id(-2), E) || E <- [58, 59, 60, 61, 63, 64]]]).

pow(_, 0) -> 1;
pow(B, E) -> B * pow(B, E - 1).

bits() ->
    io:format("== bit operations on small integers~n"),
    Vs = id([0, 1, 5, 12, -1, -6, 255]),
    [io:format("~p ~p: ~p ~p ~p~n", [A, B, A band B, A bor B, A bxor B])
     || A <- Vs, B <- [3, -3]],
    [io:format("~p: bsl1 ~p bsr1 ~p bnot ~p~n", [A, A bsl 1, A bsr 1, bnot A]) || A <- Vs].

formatting() ->
    io:format("== integer formatting~n"),
    N = id(255),
    io:format("~b ~B ~w ~p~n", [N, N, N, N]),
    io:format("~.2b ~.8b ~.16b ~.16B ~.36B~n", [N, N, N, N, N]),
    io:format("~.16b ~.16B~n", [-N, -N]),
    io:format("[~10b] [~5b]~n", [N, N]),
    io:format("[~10w] [~3w]~n", [N, -7]),
    io:format("~i|~p~n", [ignored, shown]),
    io:format("~b~n", [id(123456789012345678901234567890)]),
    io:format("~p~n", [-0]),
    io:format("~w~n", [[1, -2, 3000000000000]]),
    io:format("~p~n", [{16#FF, 8#777, 2#1010, 36#ZZ, $a}]),
    io:format("~p~n", [[1_000_000, 16#FF_FF, 2#1010_0101]]),
    io:format("~p~n", [{10#99, 1 + 16#a, 16#fF}]).
