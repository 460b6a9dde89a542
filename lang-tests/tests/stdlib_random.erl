%% The legacy random module: OTP's Wichmann-Hill sequences from the
%% default seed and from explicit seeds (tuples, integers, three
%% integers, negative and huge ones), the state in the process dictionary
%% under random_seed, the functional interface, and error cases.
-module(stdlib_random).
-export([main/1]).

-compile({nowarn_deprecated_function,
          [{random, seed, 0}, {random, seed, 1}, {random, seed, 3}, {random, seed0, 0},
           {random, uniform, 0}, {random, uniform, 1}, {random, uniform_s, 1},
           {random, uniform_s, 2}]}).

-define(T(E), show(??E, fun() -> E end)).

id(X) -> X.

show(Text, F) ->
    R = try F() catch C:Reason -> {C, Reason} end,
    io:format("~s => ~w~n", [Text, R]).

main(_) ->
    ?T(random:seed0()),
    ?T(get(random_seed)),
    ?T([random:uniform() || _ <- lists:seq(1, 5)]),
    ?T(get(random_seed)),
    ?T(random:seed()),
    ?T(random:seed()),
    ?T([random:uniform(10) || _ <- lists:seq(1, 20)]),
    erase(random_seed),
    ?T(random:seed()),
    ?T(random:seed(1, 2, 3)),
    ?T(get(random_seed)),
    ?T([random:uniform() || _ <- lists:seq(1, 5)]),
    ?T(random:seed({-7, 30268, 123456789})),
    ?T(get(random_seed)),
    ?T([random:uniform(1000000) || _ <- lists:seq(1, 8)]),
    ?T(random:seed(123456789012345)),
    ?T(get(random_seed)),
    ?T(random:seed(-99)),
    ?T(get(random_seed)),
    ?T(random:seed(0)),
    ?T(get(random_seed)),
    ?T(random:seed(1 bsl 100)),
    ?T(get(random_seed)),
    ?T([random:uniform(1 bsl 70) || _ <- lists:seq(1, 3)]),
    S0 = {5, 6, 7},
    {F1, S1} = random:uniform_s(S0),
    {I2, S2} = random:uniform_s(6, S1),
    ?T({F1, S1, I2, S2}),
    ?T(walk(random:seed0(), 10)),
    ?T(walk({30268, 30306, 30322}, 5)),
    %% A long run: the sum of the floats and counts of each die face.
    put(random_seed, {99, 98, 97}),
    Fs = [random:uniform() || _ <- lists:seq(1, 5000)],
    ?T(lists:sum(Fs)),
    ?T({lists:min(Fs), lists:max(Fs)}),
    Dice = [random:uniform(6) || _ <- lists:seq(1, 6000)],
    ?T([length([D || D <- Dice, D =:= K]) || K <- lists:seq(1, 6)]),
    ?T(get(random_seed)),
    ?T(random:uniform(0)),
    ?T(random:uniform(2.5)),
    ?T(random:uniform_s(0, S0)),
    ?T(random:uniform_s(id(x))),
    ?T(random:uniform_s(id({a, b, c}))),
    ?T(random:seed(id(x))),
    ?T(random:seed(a, b, c)),
    put(random_seed, id(bad)),
    ?T(random:uniform()),
    put(random_seed, id({a, b, c})),
    ?T(random:uniform()),
    ?T(random:seed()),
    ok.

walk(_, 0) -> [];
walk(S, N) ->
    {F, S1} = random:uniform_s(S),
    [{F, S1} | walk(S1, N - 1)].
