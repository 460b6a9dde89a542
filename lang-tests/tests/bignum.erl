%% Integers of arbitrary size: values around the small/big boundaries
%% (2^27, 2^31, 2^59, 2^60, 2^63, 2^64, negative ones), factorials,
%% powers, div/rem with negative operands, bitwise operators (band, bor,
%% bxor, bnot, bsl, bsr) on big and negative numbers, integer_to_list/2
%% and list_to_integer/2 in several bases, comparisons of bignums with
%% floats, abs, and erlang:phash2 of big integers.
-module(bignum).
-export([main/1]).

id(X) -> X.

%% Run F and return {value, V} or {Class, Reason} (never the stacktrace).
err(F) ->
    try F() of
        V -> {value, V}
    catch
        C:R -> {C, R}
    end.

main(_Args) ->
    boundaries(),
    factorials(),
    powers(),
    divrem(),
    bitwise(),
    shifts(),
    bases(),
    float_compare(),
    misc(),
    ok.

pow(_, 0) -> 1;
pow(B, E) -> B * pow(B, E - 1).

fact(0) -> 1;
fact(N) -> N * fact(N - 1).

boundaries() ->
    io:format("== boundaries~n"),
    Es = [27, 28, 31, 32, 58, 59, 60, 61, 62, 63, 64, 65, 127, 128],
    [begin
         P = pow(id(2), E),
         io:format("2^~p = ~p; -1: ~p; +1: ~p; neg: ~p~n", [E, P, P - 1, P + 1, -P])
     end || E <- Es],
    %% crossing the boundary back and forth
    Big = pow(id(2), 64),
    Small = Big - (Big - 5),
    io:format("~p ~p~n", [Small, is_integer(Small)]),
    io:format("~p~n", [(Big * Big) div Big =:= Big]),
    io:format("~p~n", [Big - Big]),
    io:format("~p~n", [(Big + 1) - Big]),
    Max60 = pow(id(2), 59) - 1,
    io:format("~p ~p~n", [Max60 + 1, -Max60 - 2]),
    io:format("~w~n", [[X * 2 || X <- id([576460752303423487, -576460752303423488,
                                           4611686018427387903, 9223372036854775807])]]),
    io:format("~p~n", [id(18446744073709551615) + 1]),
    io:format("~p~n", [id(-18446744073709551616) - 1]).

factorials() ->
    io:format("== factorials~n"),
    [io:format("~p! = ~p~n", [N, fact(N)]) || N <- id([0, 1, 5, 10, 20, 21, 25, 30])],
    F100 = fact(id(100)),
    io:format("~p~n", [F100]),
    io:format("digits: ~p~n", [length(integer_to_list(F100))]),
    io:format("~p~n", [F100 div fact(id(98))]),
    io:format("~p~n", [F100 rem 1000000007]),
    io:format("~p~n", [fact(id(30)) - fact(id(29)) * 30]).

powers() ->
    io:format("== powers~n"),
    [io:format("3^~p = ~p~n", [E, pow(id(3), E)]) || E <- id([10, 39, 40, 41, 80, 100])],
    [io:format("(-7)^~p = ~p~n", [E, pow(id(-7), E)]) || E <- id([21, 22, 23, 45])],
    io:format("~p~n", [pow(id(10), 50)]),
    io:format("~p~n", [pow(id(10), 50) * pow(id(10), 50) =:= pow(id(10), 100)]),
    io:format("~p~n", [pow(id(2), 200) div pow(id(2), 190)]),
    io:format("~p~n", [pow(id(12345678901), 5)]),
    io:format("~p~n", [pow(id(-12345678901), 5) + pow(id(12345678901), 5)]).

divrem() ->
    io:format("== div and rem~n"),
    Big = pow(id(10), 25) + 7,
    Ds = [3, -3, 7, -7, 1000000007, -1000000007, pow(id(2), 70) + 1, -(pow(id(2), 70) + 1)],
    [io:format("~p: ~p ~p | ~p ~p~n",
               [D, Big div D, Big rem D, (-Big) div D, (-Big) rem D])
     || D <- id(Ds)],
    %% identity: A = B * (A div B) + A rem B
    Pairs = [{A, B} || A <- [Big, -Big, 17, -17, pow(id(2), 64)],
                       B <- [5, -5, Big - 3, pow(id(2), 63)]],
    io:format("~p~n", [lists:foldl(fun({A, B}, Acc) -> Acc andalso A =:= B * (A div B) + A rem B end,
                             true, Pairs)]),
    io:format("~p~n", [[{A rem B, A div B} || {A, B} <- id([{7, 2}, {-7, 2}, {7, -2}, {-7, -2}])]]),
    io:format("~p~n", [err(fun() -> id(Big) div id(0) end)]),
    io:format("~p~n", [err(fun() -> id(Big) rem id(0) end)]).

bitwise() ->
    io:format("== band bor bxor bnot~n"),
    A = pow(id(2), 100) + 12345,
    B = pow(id(2), 70) - 1,
    N = -pow(id(2), 80) - 3,
    Vals = [{a, A}, {b, B}, {n, N}, {m1, -1}, {small, 255}, {negsmall, -256}],
    [io:format("~p ~p: band ~p bor ~p bxor ~p~n",
               [X, Y, VX band VY, VX bor VY, VX bxor VY])
     || {X, VX} <- Vals, {Y, VY} <- Vals, X < Y],
    [io:format("bnot ~p = ~p~n", [X, bnot VX]) || {X, VX} <- Vals],
    io:format("~p~n", [bnot bnot A =:= A]),
    io:format("~p~n", [(A bxor B) bxor B =:= A]),
    io:format("~p~n", [id(-1) band pow(id(2), 64)]),
    io:format("~p~n", [pow(id(2), 64) - 1 band id(-pow(2, 32))]).

shifts() ->
    io:format("== bsl bsr~n"),
    [io:format("1 bsl ~p = ~p~n", [S, id(1) bsl S]) || S <- id([0, 1, 27, 28, 59, 60, 63, 64, 100])],
    [io:format("-1 bsl ~p = ~p~n", [S, id(-1) bsl S]) || S <- id([1, 59, 60, 64])],
    Big = pow(id(2), 100) + 1,
    [io:format("big bsr ~p = ~p~n", [S, Big bsr S]) || S <- id([1, 36, 40, 41, 99, 100, 101, 200])],
    NBig = -Big,
    [io:format("-big bsr ~p = ~p~n", [S, NBig bsr S]) || S <- id([1, 40, 100, 101, 200])],
    io:format("~p~n", [id(-7) bsr 1]),
    io:format("~p~n", [id(-7) bsr 100]),
    io:format("~p~n", [id(7) bsr 100]),
    io:format("~p~n", [id(5) bsl -1]),
    io:format("~p~n", [id(5) bsr -2]),
    io:format("~p~n", [Big bsl -50]),
    io:format("~p~n", [(Big bsl 64) bsr 64 =:= Big]).

bases() ->
    io:format("== integer_to_list/list_to_integer with bases~n"),
    Ns = [0, 255, -255, 123456789, pow(id(2), 64), -pow(id(3), 50)],
    [io:format("~p: ~s ~s ~s ~s ~s~n",
               [N, integer_to_list(N, 2), integer_to_list(N, 8), integer_to_list(N, 16),
                integer_to_list(N, 36), integer_to_list(N)])
     || N <- Ns],
    io:format("~p~n", [integer_to_binary(pow(id(2), 70))]),
    io:format("~p~n", [integer_to_binary(-pow(id(2), 70), 16)]),
    Strs = [{"ff", 16}, {"FF", 16}, {"-ff", 16}, {"777", 8}, {"zz", 36}, {"ZZ", 36},
            {"101010", 2}, {"10000000000000000000000000000000000000000", 16},
            {"+42", 10}, {"-0", 10}, {"123456789012345678901234567890", 10}],
    [io:format("~p/~p -> ~p~n", [S, Base, list_to_integer(S, Base)]) || {S, Base} <- Strs],
    io:format("~p~n", [list_to_integer(id("-98765432109876543210"))]),
    io:format("~p~n", [list_to_integer(id("000123"))]),
    Bad = [{"12", 2}, {"g", 16}, {"", 10}, {"1.0", 10}, {" 1", 10}],
    [io:format("~p/~p -> ~p~n", [S, Base, err(fun() -> list_to_integer(S, Base) end)])
     || {S, Base} <- Bad],
    RoundTrip = [list_to_integer(integer_to_list(X, Bs), Bs) =:= X
                 || X <- [pow(id(7), 77), -pow(id(11), 31), 1, -1],
                    Bs <- [2, 3, 10, 16, 36]],
    io:format("~w~n", [RoundTrip]).

float_compare() ->
    io:format("== bignums vs floats~n"),
    B64 = pow(id(2), 64),
    F64 = 18446744073709551616.0,
    io:format("~p ~p ~p ~p~n", [B64 == F64, B64 =:= F64, B64 < F64, B64 > F64]),
    io:format("~p ~p~n", [B64 + 1 > F64, B64 - 1 < F64]),
    io:format("~p~n", [float(B64)]),
    io:format("~p~n", [float(B64 + 1) == F64]),
    io:format("~p~n", [float(pow(id(10), 30))]),
    io:format("~p~n", [B64 * 1.5]),
    io:format("~p~n", [B64 / 4]),
    io:format("~p~n", [pow(id(10), 400) > 1.0e308]),
    io:format("~p~n", [-pow(id(10), 400) < -1.0e308]),
    io:format("~p~n", [err(fun() -> float(pow(id(10), 400)) end)]),
    io:format("~p~n", [err(fun() -> pow(id(10), 400) / 2 end)]),
    io:format("~p~n", [trunc(1.0e20)]),
    io:format("~p~n", [round(-1.5e19)]),
    io:format("~w~n", [lists:sort([B64, 1.0e19, B64 - 1, 1.0e20, -B64, 5])]),
    io:format("~p~n", [max(B64, 1.0e19)]),
    io:format("~p~n", [min(B64, 1.9e19)]).

misc() ->
    io:format("== misc~n"),
    Big = pow(id(2), 90) + 17,
    io:format("~p ~p~n", [abs(-Big), abs(Big)]),
    io:format("~p~n", [abs(-pow(id(2), 59))]),
    io:format("~p~n", [-(-pow(id(2), 59))]),
    io:format("~p~n", [Big * -1]),
    io:format("~p~n", [[erlang:phash2(X) || X <- id([0, 1, pow(2, 59), pow(2, 60), pow(2, 64),
                                                  -pow(2, 64), Big, fact(30)])]]),
    io:format("~p~n", [[erlang:phash2(X, 1000) || X <- id([pow(2, 100), -pow(2, 100), 12345])]]),
    io:format("~p~n", [lists:sum([pow(id(2), E) || E <- lists:seq(0, 99)]) =:= pow(id(2), 100) - 1]),
    io:format("~p~n", [lists:max([Big, -Big, Big + 1, 0])]),
    io:format("~p~n", [lists:min([Big, -Big, Big + 1, 0])]),
    io:format("~p ~p~n", [Big rem 2, (Big + 1) rem 2]),
    io:format("~p~n", [Big =:= pow(id(2), 90) + 17]),
    io:format("~p~n", [Big == Big + 0.0]),
    io:format("~b ~.16B ~.36B~n", [Big, Big, -Big]),
    io:format("~w~n", [-Big]),
    io:format("~p~n", [{is_integer(Big), is_number(Big), is_float(Big)}]).
