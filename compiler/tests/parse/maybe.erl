%% The maybe expression, behind OTP 25's feature flag.
-module(maybe).
-feature(maybe_expr, enable).
-export([f/1]).

f(X) ->
    maybe
        {ok, A} ?= X,
        B = A + 1,
        {ok, C} ?= {ok, B * 2},
        C
    else
        error -> none;
        {error, R} -> R
    end,
    maybe ok end,
    'maybe'.
