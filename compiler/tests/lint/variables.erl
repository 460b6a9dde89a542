-module(variables).
-export([unbound/0, unsafe_case/1, unsafe_try/1, unsafe_receive/0, shadow/1,
         unused/1, exported/1, stacktrace/1, pattern_unsafe/1, catch_unsafe/1]).

unbound() -> X + 1.

unsafe_case(A) ->
    case A of
        1 -> B = 1;
        _ -> ok
    end,
    B.

unsafe_try(A) ->
    try A of
        V -> V
    catch
        C:R -> {C, R}
    end,
    {V, C, R}.

unsafe_receive() ->
    receive
        {M, N} -> M
    end,
    N.

shadow(X) ->
    F = fun(X) -> X end,
    [X || X <- [1, 2]],
    F(X).

unused(A) ->
    B = A,
    {C, _D, _} = A,
    ok.

exported(A) ->
    if A > 0 -> P = 1; true -> P = 2 end,
    P.

stacktrace(X) ->
    St = 1,
    try X catch _:_:St -> St end.

pattern_unsafe(A) ->
    case A of
        1 -> Q = 1;
        _ -> ok
    end,
    case A of
        Q -> Q;
        _ -> Q
    end.

catch_unsafe(X) ->
    try X catch C:R:S -> ok end,
    try X catch C:R:S -> {C, R, S} end.
