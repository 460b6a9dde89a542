%% bsl, bsr and bxor on small integers near the small/bignum boundary, with
%% shift counts of every size and sign (small operands take a fast path;
%% results that do not fit go to the bignum code).
-module(shifts).
-export([main/1]).
main(_) ->
    Xs = [0, 1, -1, 5, -5, 16#7fffffff, -16#80000000, 1 bsl 58, -(1 bsl 58), (1 bsl 59) - 1, -(1 bsl 59), 1 bsl 70, -(1 bsl 70)],
    Ss = [0, 1, 3, 8, 31, 32, 58, 59, 60, 62, 63, 64, 65, 100, -1, -3, -63, -64, -100],
    R = [{X bsl S, X bsr S, X bxor S} || X <- Xs, S <- Ss],
    io:format("~p~n", [erlang:phash2(R)]),
    [io:format("~p~n", [T]) || T <- R].
