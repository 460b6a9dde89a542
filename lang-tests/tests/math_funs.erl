-module(math_funs).
-export([main/1]).
%% The math module: values (printed exactly), integer and float arguments,
%% and the error reasons (badarg for non-numbers, badarith for results that
%% are not finite floats).

t(F) -> try F() of V -> V catch C:R -> {C, R} end.
id(X) -> X.

main(_) ->
    Unary = [sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, asinh, acosh, atanh,
             exp, log, log2, log10, sqrt, ceil, floor, erf, erfc],
    [io:format("~w ~w~n", [F, [t(fun() -> math:F(id(X)) end) || X <- [0, 0.5, 1, -1, 2.5, 100, 1 bsl 70, a]]])
     || F <- Unary],
    io:format("~w~n", [math:pi()]),
    [io:format("~w ~w~n", [F, [t(fun() -> math:F(id(X), id(Y)) end)
                               || {X, Y} <- [{2, 10}, {2.0, 0.5}, {-8, 1/3}, {10, 400}, {1, 0}, {-7.5, 2}, {0, 0}, {a, 1}]]])
     || F <- [pow, atan2, fmod]],
    io:format("~w~n", [t(fun() -> math:sqrt(id(1 bsl 2000)) end)]),
    ok.
