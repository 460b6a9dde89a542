%% Every expression form, with OTP's precedence and associativity.
-module(exprs).
-export([ops/2, data/1, control/1, funs/1, records/1, bits/1, comprehensions/1]).
-record(r, {a = 1 :: integer(), b, c = [] :: list()}).

ops(A, B) ->
    X = A + B * 2 - 3 div 4 rem 5,
    Y = -A - -B + (+A) - bnot B band 3 bor 4 bxor 5 bsl 1 bsr 2,
    Z = A == B, A /= B, A =< B, A < B, A >= B, A > B, A =:= B, A =/= B,
    W = not A and B or A xor B,
    V = A andalso B orelse A andalso not B,
    U = A ++ B ++ [] -- [x],
    T = catch A + B,
    S = A = B = catch 1 + catch 2,
    R = [catch X, A andalso catch B, 1 + catch 2 * 3],
    self() ! A ! B,
    P = A / B * 2 / 3,
    Q = - - A,
    {X, Y, Z, W, V, U, T, S, R, P, Q}.

data(M) ->
    L = [1, 2 | [3]],
    T = {},
    T2 = {a, {b, [c | d]}},
    M1 = #{a => 1, "b" => [2], {c} => #{}},
    M2 = M#{a := 2, b => 3},
    M3 = (M1#{x => y})#{z := w},
    M4 = M2#{}#{k => v},
    #{a := A, {c} := _} = M1,
    {L, T, T2, M1, M2, M3, M4, A, $a, "s", 'a b'}.

control(X) ->
    begin ok, X end,
    if X > 1, X < 10; X =:= 0 -> small; true -> other end,
    case X of
        {ok, V} when is_integer(V), V > 0; V =:= zero -> V;
        [H | _] when H -> H;
        _ -> none
    end,
    receive
        {msg, M} -> M;
        stop -> stop
    after 1000 -> timeout
    end,
    receive after 0 -> ok end,
    receive A -> A end,
    try X of
        1 -> one;
        N when N > 1 -> many
    catch
        throw:T -> T;
        error:R:St -> {R, St};
        C:E when C =:= exit -> E;
        Other -> Other
    after
        cleanup
    end,
    try risky() catch _ -> caught end,
    try risky() after done end,
    catch X.

funs(L) ->
    F1 = fun lists:map/2,
    F2 = fun local/1,
    F3 = fun M:F/A,
    F4 = fun(X) -> X; ({Y}) -> Y end,
    F5 = fun Fact(0) -> 1; Fact(N) -> N * Fact(N - 1) end,
    F6 = fun() -> ok end,
    F7 = fun(X) when X > 0 -> pos; (_) -> nonpos end,
    F1(F2, L), (F3)(1), F4(1), lists:map(F5, L), (fun() -> x end)(),
    M:F(A), M:f(), m:F(), ?MODULE:local(1), apply(M, F, []),
    {F6, F7}.

records(R) ->
    R1 = #r{},
    R2 = #r{a = 2, b = 3},
    R3 = R#r{c = [x]},
    R4 = (R#r.a)#r{},
    A = R#r.a,
    I = #r.b,
    #r{a = X, _ = '_'} = R,
    N = R#r.b#r.c,
    {R1, R2, R3, R4, A, I, X, N, R#r{a = 1}#r.b}.

bits(B) ->
    <<A:8, B2:16/little-signed-integer, C/binary>> = B,
    <<F:32/float, Rest/bitstring>> = C,
    <<U:8/unit:1, _/bytes>> = Rest,
    X = <<1, 2:4, 3:4, (A + 1):8, "str", "u"/utf8, $c/utf16-big, 1.5/float-little>>,
    Y = <<<<Z:3>> || <<Z:1>> <= B>>,
    W = <<-1:8/signed, (bnot 1)>>,
    Size = 8,
    <<V:Size/integer-unit:1>> = <<1>>,
    {A, B2, F, U, X, Y, W, V, <<>>}.

comprehensions(L) ->
    A = [X * 2 || X <- L, X > 1],
    B = [{X, Y} || X <- L, Y <- L, X < Y],
    C = [X || <<X>> <= <<1, 2, 3>>],
    D = << <<X>> || X <- L >>,
    E = [X || {X, _} <- L, is_atom(X), true],
    {A, B, C, D, E}.

local(X) -> X.
risky() -> ok.
