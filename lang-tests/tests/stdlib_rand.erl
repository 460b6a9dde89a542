%% The rand module: explicitly seeded states of every algorithm draw OTP's
%% numbers (uniform floats, integers in small and huge ranges, real
%% floats, normal deviates, bytes, jumps), the process dictionary state
%% under rand_seed, exported states, the helper functions, and error
%% cases. States hold funs, so only exported states are printed.
-module(stdlib_rand).
-export([main/1]).

-include("lib/show.hrl").

id(X) -> X.

-define(ALGS, [exsss, exro928ss, exrop, exs1024s, exsp, exs64, exsplus, exs1024, dummy]).

main(_) ->
    seeds(),
    draws(),
    process(),
    jumps(),
    helpers(),
    errors(),
    ok.

seeds() ->
    [io:format("~w ~w~n  ~w~n", [Alg, Seed, rand:export_seed_s(rand:seed_s(Alg, Seed))])
     || Alg <- ?ALGS,
        Seed <- [{1, 2, 3}, 42, list_seed(Alg), {-5, 123456789012345678901234567890, 0}]],
    ?T(rand:export_seed_s(rand:seed_s(default, {1, 2, 3}))),
    S = rand:seed_s(exsss, 17),
    ?T(rand:export_seed_s(rand:seed_s(rand:export_seed_s(S)))),
    ?T(rand:export_seed_s(rand:seed_s(S)) =:= rand:export_seed_s(S)),
    ?T(element(1, rand:export_seed_s(rand:seed_s(exrop)))),
    ?T(rand:export_seed_s(rand:seed_s(exsss, [0, 5]))),
    ?T(rand:export_seed_s(rand:seed_s(exs1024s, [1]))),
    ?T(rand:export_seed_s(rand:seed_s(exs64, 1 bsl 70))).

list_seed(Alg) when Alg =:= exs64; Alg =:= dummy -> [7];
list_seed(_) -> [7, 8].

%% N draws with F from a state, the state threaded through.
draw(_, S, 0) -> {[], S};
draw(F, S0, N) ->
    {X, S1} = F(S0),
    {Xs, S} = draw(F, S1, N - 1),
    {[X | Xs], S}.

draws() ->
    [begin
         S0 = rand:seed_s(Alg, {11, 22, 33}),
         {Fs, S1} = draw(fun rand:uniform_s/1, S0, 8),
         {Is, S2} = draw(fun(S) -> rand:uniform_s(10, S) end, S1, 12),
         {Bs, S3} = draw(fun(S) -> rand:uniform_s(1000000007, S) end, S2, 5),
         {Hs, S4} = draw(fun(S) -> rand:uniform_s(1 bsl 100, S) end, S3, 3),
         {Ks, S5} = draw(fun(S) -> rand:uniform_s(3 bsl 70 + 1, S) end, S4, 3),
         {Rs, S6} = draw(fun rand:uniform_real_s/1, S5, 6),
         {Ns, S7} = draw(fun rand:normal_s/1, S6, 10),
         {Ms, S8} = draw(fun(S) -> rand:normal_s(10, 4, S) end, S7, 3),
         {Ys, S9} = draw(fun(S) -> rand:bytes_s(13, S) end, S8, 2),
         {Ps, S10} = draw(fun(S) -> rand:uniform_s(1 bsl 58, S) end, S9, 2),
         {Qs, S11} = draw(fun(S) -> rand:uniform_s(1 bsl 58 + 1, S) end, S10, 2),
         io:format("~w~n floats ~w~n ints ~w~n big ~w~n huge ~w~n odd ~w~n"
                   " real ~w~n normal ~w~n normal(10,4) ~w~n bytes ~w~n p58 ~w ~w~n"
                   " state ~w~n",
                   [Alg, Fs, Is, Bs, Hs, Ks, Rs, Ns, Ms, Ys, Ps, Qs,
                    rand:export_seed_s(S11)])
     end
     || Alg <- ?ALGS],
    %% Many draws: sums and extremes of long runs.
    [begin
         S0 = rand:seed_s(Alg, 2024),
         {Us, S1} = draw(fun rand:uniform_s/1, S0, 2000),
         {Ns, S2} = draw(fun rand:normal_s/1, S1, 3000),
         {Is, S3} = draw(fun(S) -> rand:uniform_s(6, S) end, S2, 2000),
         {Rs, S4} = draw(fun rand:uniform_real_s/1, S3, 1000),
         io:format("~w ~w ~w ~w ~w ~w ~w ~w~n  ~w~n",
                   [Alg, lists:sum(Us), lists:min(Ns), lists:max(Ns), lists:sum(Ns),
                    [length([I || I <- Is, I =:= K]) || K <- lists:seq(1, 6)],
                    lists:min(Rs), lists:sum(Rs), rand:export_seed_s(S4)])
     end
     || Alg <- ?ALGS],
    %% Byte strings of every length up to a few words.
    S = rand:seed_s(exs1024s, 5),
    [io:format("~w ~w~n", [N, element(1, rand:bytes_s(N, S))]) || N <- lists:seq(0, 33)],
    [io:format("~w ~w~n", [Alg, element(1, rand:bytes_s(20, rand:seed_s(Alg, 5)))])
     || Alg <- ?ALGS].

process() ->
    ?T(rand:export_seed()),
    ?T(rand:seed(exsss, {1, 2, 3}) =:= get(rand_seed)),
    ?T(rand:export_seed()),
    ?T([rand:uniform() || _ <- lists:seq(1, 5)]),
    ?T([rand:uniform(100) || _ <- lists:seq(1, 20)]),
    ?T([rand:uniform(1 bsl 80) || _ <- lists:seq(1, 3)]),
    ?T([rand:uniform_real() || _ <- lists:seq(1, 3)]),
    ?T([rand:normal() || _ <- lists:seq(1, 5)]),
    ?T([rand:normal(100, 25) || _ <- lists:seq(1, 3)]),
    ?T(rand:bytes(10)),
    ?T(rand:export_seed()),
    ?T(element(2, rand:seed(exro928ss, 77)) =:= element(2, get(rand_seed))),
    ?T([rand:uniform(6) || _ <- lists:seq(1, 20)]),
    ?T(rand:export_seed()),
    ?T(rand:export_seed_s(rand:seed({exsplus, [1 | 2]}))),
    ?T([rand:uniform() || _ <- lists:seq(1, 3)]),
    ?T(rand:export_seed_s(rand:seed(rand:seed_s(exs64, 9)))),
    ?T([rand:uniform(10) || _ <- lists:seq(1, 5)]),
    ?T(rand:export_seed_s(rand:seed(default, 3))),
    ?T(rand:uniform()),
    erase(rand_seed),
    ?T(rand:export_seed()),
    ?T(is_float(rand:uniform())),
    ?T(element(1, rand:export_seed())),
    erase(rand_seed),
    ?T(is_integer(rand:uniform(10))),
    ?T(element(1, rand:export_seed())),
    ?T(is_tuple(rand:seed(exsplus))),
    ?T(element(1, rand:export_seed())),
    ?T(is_tuple(rand:seed(default))),
    ?T(element(1, rand:export_seed())).

jumps() ->
    [begin
         S = rand:seed_s(Alg, {3, 4, 5}),
         J = rand:jump(S),
         {Xs, _} = draw(fun(S0) -> rand:uniform_s(1000, S0) end, J, 5),
         io:format("~w ~w~n  ~w~n", [Alg, Xs, rand:export_seed_s(J)])
     end
     || Alg <- [exsss, exro928ss, exrop, exs1024s, exsp, exsplus, exs1024]],
    %% A jump after some draws (exs1024's ring is then rotated).
    {_, S1} = draw(fun rand:uniform_s/1, rand:seed_s(exs1024s, 1), 21),
    ?T(rand:export_seed_s(rand:jump(S1))),
    {_, S2} = draw(fun rand:uniform_s/1, rand:seed_s(exro928ss, 1), 21),
    ?T(rand:export_seed_s(rand:jump(S2))),
    ?T(rand:jump(rand:seed_s(exs64, 1))),
    ?T(rand:jump(rand:seed_s(dummy, 1))),
    rand:seed(exsp, 8),
    ?T(rand:export_seed_s(rand:jump())),
    ?T(rand:export_seed()).

helpers() ->
    ?T(rand:splitmix64_next(0)),
    ?T(rand:splitmix64_next(1 bsl 64 - 1)),
    ?T(rand:exsp_next([1 | 2])),
    ?T(rand:exsp_jump([1 | 2])),
    ?T(rand:seed58(4, 99)),
    ?T(rand:exro928_seed({1, 2, 3})),
    ?T(rand:exro928_seed(5)),
    ?T(rand:exro928_seed([1, 2])),
    R = rand:exro928_seed(7),
    ?T(rand:exro928_next(R)),
    ?T(rand:exro928_next_state(R)),
    ?T(rand:exro928_jump_2pow20(R)),
    ?T(rand:exro928_jump_2pow512(R)),
    {_, R1} = lists:foldl(fun(_, {_, A}) -> rand:exro928_next(A) end, {x, R}, lists:seq(1, 16)),
    ?T(R1),
    ?T(rand:exro928_next_state(R1)),
    ?T(rand:exro928_next(R1)),
    M = rand:mwc59_seed(123),
    ?T(M),
    ?T(rand:mwc59(M)),
    ?T(rand:mwc59_value32(rand:mwc59(M))),
    ?T(rand:mwc59_value(rand:mwc59(M))),
    ?T(rand:mwc59_float(rand:mwc59(M))),
    ?T(lists:foldl(fun(_, X) -> rand:mwc59(X) end, M, lists:seq(1, 1000))),
    ?T(is_integer(rand:mwc59_seed())),
    ?T(rand:mwc59_seed(-1)),
    ?T(rand:mwc59_seed(1 bsl 58)),
    ?T(rand:make_float(0, 1023, 0)),
    ?T(rand:make_float(1, 1000, 12345)),
    ?T(rand:make_float(0, 0, 1)),
    ?T(rand:float2str(1.5)),
    ?T(rand:float2str(-0.1)),
    ?T(rand:float2str(3)),
    ?T(rand:float2str(5.0e-324)),
    ?T(rand:bc64(0)),
    ?T(rand:bc64(1)),
    ?T(rand:bc64(1 bsl 40 + 7)),
    ?T(rand:bc64(1 bsl 64 - 1)),
    rand:format_jumpconst58("0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b"),
    rand:format_jumpconst58(<<"{ 0x180ec6d33cfd0aba, 0xd5a61266f0c9392c }">>).

errors() ->
    S = rand:seed_s(exsss, 1),
    ?T(rand:seed_s(nope, 1)),
    ?T(rand:seed_s(exsss, [])),
    ?T(rand:seed_s(exsss, [0, 0])),
    ?T(rand:seed_s(exsss, [1, 2, 3])),
    ?T(rand:seed_s(exsss, [1, a])),
    ?T(rand:seed_s(exsss, [a])),
    ?T(rand:seed_s(exsss, {a, b, c})),
    ?T(rand:seed_s(exsss, 1.5)),
    ?T(rand:seed_s(dummy, [])),
    ?T(rand:seed_s(dummy, [1, 2])),
    ?T(rand:seed_s(dummy, [a])),
    ?T(rand:seed_s(exs1024s, lists:seq(1, 17))),
    ?T(rand:seed(nope)),
    ?T(rand:uniform_s(0, S)),
    ?T(rand:uniform_s(-3, S)),
    ?T(rand:uniform_s(1.5, S)),
    ?T(rand:uniform_s(id(x))),
    ?T(rand:uniform_s(3, id(x))),
    ?T(element(1, rand:uniform_s(1, S))),
    ?T(rand:normal_s(0, 0, S)),
    ?T(rand:normal_s(0, -1, S)),
    ?T(rand:bytes_s(-1, S)),
    ?T(rand:bytes_s(a, S)),
    ?T(rand:export_seed_s(id(x))),
    ?T(rand:jump(id(x))),
    rand:seed(exsss, 1),
    ?T(rand:uniform(0)),
    ?T(rand:normal(0, -1)),
    ?T(rand:make_float(0, 2047, 0)),
    ?T(rand:mwc59_seed(x)).
