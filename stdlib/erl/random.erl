%% The random module, written for Beryl (OTP 25's API and sequences).
%%
%% Wichmann-Hill (1982): three multiplicative congruential generators
%% whose fractions are summed. The state lives in the process dictionary
%% under random_seed, as in OTP.
-module(random).

-deprecated({'_', '_', "use the 'rand' module instead"}).

-export([seed/0, seed/1, seed/3, uniform/0, uniform/1, uniform_s/1, uniform_s/2, seed0/0]).

-define(P1, 30269).
-define(P2, 30307).
-define(P3, 30323).

seed0() -> {3172, 9814, 20125}.

%% The previous seed, or the default one when there was none.
seed() ->
    case put(random_seed, seed0()) of
        undefined -> seed0();
        {_, _, _} = Old -> Old
    end.

seed(Int) when is_integer(Int) ->
    A2 = Int band 16#ffffff,
    seed((Int bsr 16) band 16#fffffff, A2, (Int bsr 36) bor (A2 bsr 16));
seed({A1, A2, A3}) -> seed(A1, A2, A3).

%% Each part is brought into 1..P-1, so that it never divides its prime.
seed(A1, A2, A3) ->
    put(random_seed, {abs(A1) rem (?P1 - 1) + 1, abs(A2) rem (?P2 - 1) + 1,
                      abs(A3) rem (?P3 - 1) + 1}).

uniform() ->
    {A1, A2, A3} = case get(random_seed) of
                       undefined -> seed0();
                       S -> S
                   end,
    {F, Next} = uniform_s({A1, A2, A3}),
    put(random_seed, Next),
    F.

uniform(N) when is_integer(N), N >= 1 -> trunc(uniform() * N) + 1.

uniform_s({A1, A2, A3}) ->
    B1 = A1 * 171 rem ?P1,
    B2 = A2 * 172 rem ?P2,
    B3 = A3 * 170 rem ?P3,
    R = B1 / ?P1 + B2 / ?P2 + B3 / ?P3,
    {R - trunc(R), {B1, B2, B3}}.

uniform_s(N, State) when is_integer(N), N >= 1 ->
    {F, Next} = uniform_s(State),
    {trunc(F * N) + 1, Next}.
