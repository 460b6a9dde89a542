%% Integer operators (band, bor, bxor, div, rem, bsl, bsr) on operands the
%% compiler cannot see, around the small/bignum boundary and with zero
%% divisors; the same operators in guards; and arithmetic on constants,
%% which is computed at compile time unless it would fail.
-module(int_ops).
-export([main/1]).

-define(KEYS, 1000000).
-define(LIMIT, 10).

main(_) ->
    Xs = [0, 1, -1, 7, -7, 1000, -1000, 16#ffffffff, (1 bsl 59) - 1, -(1 bsl 59), 1 bsl 59, 1 bsl 64, -(1 bsl 64)],
    Ys = [1, -1, 2, -2, 3, 7, -7, 1000, 16#ffffffff, (1 bsl 59) - 1, -(1 bsl 59), 1 bsl 64, 0],
    R = [{X band Y, X bor Y, X bxor Y, safe(fun() -> X div Y end), safe(fun() -> X rem Y end)} || X <- Xs, Y <- Ys],
    io:format("~p~n", [erlang:phash2(R)]),
    [io:format("~p~n", [T]) || T <- R],
    %% In guards: a failing operation fails the guard.
    io:format("~p~n", [[classify(X, Y) || X <- Xs, Y <- Ys]]),
    %% A loop in the shape of a random-number generator.
    io:format("~p~n", [lcg(100000, 1, 0)]),
    %% Constants.
    io:format("~p~n", [{2 * ?KEYS, ?LIMIT div 2, ?LIMIT rem 3, 16#ff band 16#0f, 1 bsl 62, -1 bsr 1,
                        (1 bsl 59) * 4, 0.5 * 3, 1 + 2.5, 7 - 10, (3 + 4) * (5 - 6)}]),
    io:format("~p~n", [small_ok(?LIMIT div 2)]),
    io:format("~p~n", [safe(fun() -> 1 div zero() end)]),
    {'EXIT', {badarith, [{erlang, 'div', [1, 0], _} | _]}} = (catch 1 div 0),
    {'EXIT', {badarith, [{erlang, 'rem', [5, 0], _} | _]}} = (catch 5 rem 0),
    {'EXIT', {badarith, _}} = (catch 1.0e308 * 10.0),
    {'EXIT', {system_limit, _}} = (catch 1 bsl (1 bsl 70)),
    io:format("constant failures fail at run time~n").

classify(X, Y) when X rem Y =:= 0 -> {multiple, X div Y};
classify(X, Y) when X band Y > 0 -> 'band';
classify(_, _) -> other.

lcg(0, X, Acc) -> {X, Acc};
lcg(N, X, Acc) ->
    X1 = (X * 69069 + 1) band 16#ffffffff,
    case (X1 bsr 8) rem 1000 of
        R when R < ?LIMIT div 2 -> lcg(N - 1, X1, Acc + 1);
        R when R < ?LIMIT -> lcg(N - 1, X1, Acc + 2);
        _ -> lcg(N - 1, X1, Acc)
    end.

small_ok(5) -> five;
small_ok(_) -> other.

zero() -> 0.

safe(F) ->
    try F() catch error:R -> {error, R} end.
