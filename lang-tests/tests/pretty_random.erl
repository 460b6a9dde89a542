-module(pretty_random).
-export([main/1]).

%% Pseudo-random terms (a fixed linear congruential generator, so OTP and
%% Beryl see the same terms) printed with ~p at several widths, columns
%% and depths.  Map keys are integers, atoms, strings and small tuples;
%% text stays within ASCII, or above 255 where it is never printable.

next(S) -> (S * 1103515245 + 12345) rem 2147483648.

rnd(S, N) -> S1 = next(S), {(S1 div 65536) rem N, S1}.

atoms() ->
    [a, foo, 'Foo', 'hello world', ok, error, 'end', '', 'a-b', abc_def, 'x@y',
     longer_atom_name_here, 'it\'s', true, undefined, '\n'].

pick(L, S) -> {I, S1} = rnd(S, length(L)), {lists:nth(I + 1, L), S1}.

gen(S, 0) -> leaf(S);
gen(S0, D) ->
    {K, S} = rnd(S0, 14),
    case K of
        3 -> {N, S1} = rnd(S, 8), gen_list(S1, N, D - 1);
        4 -> {N, S1} = rnd(S, 6), {L, S2} = gen_list(S1, N, D - 1), {list_to_tuple(L), S2};
        5 -> {N, S1} = rnd(S, 5), {L, S2} = gen_list(S1, N, D - 1),
             {A, S3} = pick(atoms(), S2), {list_to_tuple([A | L]), S3};
        6 -> {N, S1} = rnd(S, 5), {L, S2} = gen_list(S1, N, D - 1), {Ks, S3} = keys(S2, N),
             {from_list(lists:zip(Ks, L)), S3};
        7 -> {N, S1} = rnd(S, 5), {L, S2} = gen_list(S1, N + 1, D - 1), {T, S3} = leaf(S2),
             {improper(L, T), S3};
        8 -> {N, S1} = rnd(S, 40), {str(S1, N), next(S1)};
        9 -> {N, S1} = rnd(S, 60), {list_to_binary(str(S1, N)), next(S1)};
        10 -> {N, S1} = rnd(S, 50), {bytes(S1, N), next(S1)};
        11 -> {N, S1} = rnd(S, 12), gen_list(S1, N, D - 1);
        12 -> {A, S1} = pick(atoms(), S), {B, S2} = gen(S1, D - 1), {{A, B}, S2};
        13 -> {N, S1} = rnd(S, 6), {L, S2} = gen_list(S1, N, D - 1),
              {A, S3} = pick(atoms(), S2), {[{A, X} || X <- L], S3};
        _ -> leaf(S)
    end.

from_list(L) -> lists:foldl(fun({K, V}, M) -> M#{K => V} end, #{}, L).

keys(S, 0) -> {[], S};
keys(S, N) ->
    {K, S1} = rnd(S, 4),
    X = case K of
            0 -> S1 rem 1000;
            1 -> lists:nth(1 + S1 rem 16, atoms());
            2 -> str(S1, S1 rem 9);
            3 -> {S1 rem 7, lists:nth(1 + S1 rem 16, atoms())}
        end,
    {Xs, S2} = keys(next(S1), N - 1),
    {[X | Xs], S2}.

improper([X], T) -> [X | T];
improper([X | Xs], T) -> [X | improper(Xs, T)].

str(S, N) -> [32 + ((S div (I + 1) + I * 7) rem 95) || I <- lists:seq(1, N)].

bytes(S, N) -> list_to_binary([(S div (I + 1) + I * 13) rem 160 || I <- lists:seq(1, N)]).

gen_list(S, 0, _D) -> {[], S};
gen_list(S, N, D) -> {X, S1} = gen(S, D), {Xs, S2} = gen_list(S1, N - 1, D), {[X | Xs], S2}.

leaf(S0) ->
    {K, S} = rnd(S0, 14),
    case K of
        0 -> rnd(S, 100);
        1 -> {N, S1} = rnd(S, 100000), {-N, S1};
        2 -> {N, S1} = rnd(S, 1000), {N * 123456789012345678901, S1};
        3 -> {N, S1} = rnd(S, 10000), {N / 7, S1};
        4 -> pick(atoms(), S);
        5 -> {N, S1} = rnd(S, 12), {str(S1, N), next(S1)};
        6 -> {[], S};
        7 -> {{}, S};
        8 -> {#{}, S};
        9 -> {<<>>, S};
        10 -> {N, S1} = rnd(S, 10), {list_to_binary(str(S1, N)), next(S1)};
        11 -> {N, S1} = rnd(S, 7), {<<N:3>>, S1};
        12 -> {N, S1} = rnd(S, 6), {[300 + (S1 + I) rem 900 || I <- lists:seq(0, N)], next(S1)};
        13 -> {N, S1} = rnd(S, 20), {str(S1, N) ++ "\n\t\"\\", next(S1)}
    end.

main(_) ->
    run(2024, 40),
    run2(99, 25).

run(_, 0) -> ok;
run(S0, N) ->
    {D, S1} = rnd(S0, 5),
    {T, S2} = gen(S1, D + 2),
    io:format("~p~n", [T]),
    io:format("~35p~n", [T]),
    io:format("~100p~n", [T]),
    io:format("key: ~p~n", [T]),
    io:format("~P~n", [T, 4]),
    io:format("~50P~n", [T, 9]),
    run(S2, N - 1).

run2(_, 0) -> ok;
run2(S0, N) ->
    {D, S1} = rnd(S0, 5),
    {T, S2} = gen(S1, D + 2),
    {W, S3} = rnd(S2, 60),
    {C, S4} = rnd(S3, 50),
    {Dp, S5} = rnd(S4, 8),
    Pre = lists:duplicate(C, $.),
    io:format("~s~*p~n", [Pre, W + 10, T]),
    io:format("~s~*tP~n", [Pre, W + 10, T, Dp + 1]),
    run2(S5, N - 1).
