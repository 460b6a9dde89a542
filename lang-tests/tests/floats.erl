%% Floats: arithmetic and printing. ~p/~w use the shortest representation
%% that reads back to the same float; float_to_list/1,2 with decimals,
%% scientific, compact and short; list_to_float; trunc/round/floor/ceil on
%% negative and .5 values; float/1; mixed integer/float comparison;
%% ~e ~f ~g with precisions and widths; badarith on overflow and on
%% division by zero.
-module(floats).
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
    printing(),
    arithmetic(),
    to_list(),
    from_list(),
    rounding(),
    compare(),
    format(),
    errors(),
    ok.

samples() ->
    [0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 0.1 + 0.2, 2.5, 1.0e10, 1.0e15, 1.0e16,
     1.0e17, 1.0e21, 1.0e22, 1.0e23, 1.0e-5, 1.0e-4, 0.001, 123456789.123,
     1.0e300, -1.0e300, 1.7976931348623157e308, 2.2250738585072014e-308,
     5.0e-324, 1 / 3, 2 / 3, 10 / 3, 100.0, 1234567.0, 0.5e-7, 3.14159, 9007199254740993.0,
     4503599627370496.5, 123.456e5, 1.5e-10, 6.02214076e23].

printing() ->
    io:format("== ~~p and ~~w~n"),
    [io:format("~p ~w~n", [F, F]) || F <- id(samples())],
    io:format("~p~n", [[1.5, -2.25, 1.0e-9]]),
    io:format("~w~n", [{0.5, [1.0e100]}]).

arithmetic() ->
    io:format("== arithmetic~n"),
    A = id(7.5),
    B = id(2.0),
    io:format("~p ~p ~p ~p~n", [A + B, A - B, A * B, A / B]),
    io:format("~p ~p ~p~n", [id(7) / id(2), id(6) / id(3), id(1) / id(3)]),
    io:format("~p ~p~n", [A + 1, 1 - A]),
    io:format("~p ~p~n", [-A, +A]),
    io:format("~p~n", [0.1 + 0.2 =:= 0.3]),
    io:format("~p~n", [lists:foldl(fun(X, S) -> S + X end, 0.0, lists:duplicate(10, 0.1))]),
    io:format("~p~n", [lists:sum([0.5, 0.25, 0.125, 1])]),
    io:format("~p~n", [id(1.0e-320) / 10]),
    io:format("~p~n", [id(5.0e-324) / 2]),
    io:format("~p~n", [id(-0.0) * 1]),
    io:format("~p~n", [id(0.0) * -1]),
    io:format("~p~n", [id(-0.0) + 0.0]),
    io:format("~p~n", [abs(id(-0.0))]),
    io:format("~p ~p~n", [abs(id(-3.5)), abs(id(3.5))]),
    io:format("~p~n", [float(id(3))]),
    io:format("~p~n", [float(id(-12345678901234567890))]),
    io:format("~p~n", [float(id(2.5))]),
    io:format("~p~n", [id(1.0e16) + 1.0]),
    io:format("~p~n", [id(9007199254740992) + 1.0]),
    io:format("~p~n", [id(3.0) * 1.0e-320]).

to_list() ->
    io:format("== float_to_list~n"),
    Fs = [0.0, 1.0, -1.5, 0.1, 3.14159, 1.0e10, 123456.789, 1.0e-10, 2.5e100, 1 / 3],
    [io:format("~s~n", [float_to_list(F)]) || F <- id(Fs)],
    [io:format("~p: ~s ~s ~s~n",
               [F, float_to_list(F, [{decimals, 0}]), float_to_list(F, [{decimals, 3}]),
                float_to_list(F, [{decimals, 10}])])
     || F <- id([0.0, 1.0, -1.5, 0.1, 3.14159, 123456.789, 2.5, 0.5, 1.5, -0.5, 0.125, 1.0e-10])],
    [io:format("~p: ~s ~s~n",
               [F, float_to_list(F, [{decimals, 4}, compact]),
                float_to_list(F, [{decimals, 10}, compact])])
     || F <- id([0.0, 1.0, -1.5, 0.1, 3.14159, 123456.789, 1.0e-10, 100.0])],
    [io:format("~p: ~s ~s ~s~n",
               [F, float_to_list(F, [{scientific, 0}]), float_to_list(F, [{scientific, 3}]),
                float_to_list(F, [{scientific, 12}])])
     || F <- id([0.0, 1.0, -1.5, 0.1, 3.14159, 123456.789, 1.0e-10, 1.0e300])],
    [io:format("~p: ~s~n", [F, float_to_list(F, [short])])
     || F <- id([0.0, 1.0, -1.5, 0.1, 1.0e10, 1.0e-10, 1 / 3, 5.0e-324, 1.0e22, 1.0e23])],
    io:format("~s~n", [float_to_list(id(1.0e20), [{decimals, 2}])]).

from_list() ->
    io:format("== list_to_float~n"),
    Strs = ["1.0", "-1.5", "0.1", "1.0e10", "1.0E10", "1.5e-3", "+2.5", "123.456",
            "1.0e+5", "0.0", "-0.0", "1.7976931348623157e308", "5.0e-324",
            "1", "1.", ".5", "1e5", "abc", "1.0x", "", "1.0e400", " 1.0"],
    [io:format("~p -> ~p~n", [S, err(fun() -> list_to_float(S) end)]) || S <- id(Strs)],
    io:format("~p~n", [list_to_float(float_to_list(id(1 / 3))) =:= 1 / 3]).

rounding() ->
    io:format("== trunc round floor ceil~n"),
    Vs = [0.0, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999999999999994, 1.4, 1.6, -1.4,
          -1.6, 3.0, -3.0, 1.0e20, -1.0e20, 4503599627370497.0, 7, -7],
    [io:format("~p: ~p ~p ~p ~p~n", [V, trunc(V), round(V), floor(V), ceil(V)])
     || V <- id(Vs)].

compare() ->
    io:format("== integer/float comparison~n"),
    io:format("~p ~p ~p ~p~n", [1 == id(1.0), 1 =:= id(1.0), 1 /= id(1.0), 1 =/= id(1.0)]),
    io:format("~p ~p ~p ~p~n", [1 < id(1.5), 2 > id(1.5), 1 < id(1.0), 1 > id(1.0)]),
    io:format("~p ~p~n", [1 =< id(1.0), 1 >= id(1.0)]),
    io:format("~p ~p~n", [0.0 == id(-0.0), 0.0 =:= id(-0.0)]),
    io:format("~p~n", [lists:sort(id([3, 2.5, 1, 1.5, -0.5, 2, 0.0, -1]))]),
    io:format("~p ~p~n", [lists:sort(id([1.0, 1])), lists:sort(id([1, 1.0]))]),
    io:format("~p ~p~n", [max(id(1), id(1.0)), max(id(1.0), id(1))]),
    io:format("~p ~p~n", [min(id(1), id(1.0)), min(id(1.0), id(1))]),
    io:format("~p ~p~n", [max(id(2), id(1.5)), min(id(2), id(1.5))]),
    io:format("~p~n", [9007199254740993 == id(9007199254740992.0)]),
    io:format("~p~n", [9007199254740993 > id(9007199254740992.0)]),
    io:format("~p~n", [9007199254740992 == id(9007199254740992.0)]).

format() ->
    io:format("== ~~e ~~f ~~g~n"),
    Fs = [0.0, 1.0, -1.5, 0.1, 3.14159, 123456.789, 1.0e-10, 1.0e10, 2.5, 0.125, 1 / 3],
    [io:format("~f ~e ~g~n", [F, F, F]) || F <- id(Fs)],
    [io:format("~.2f ~.3e ~.3g ~.1f ~.2e ~.1g~n", [F, F, F, F, F, F]) || F <- id(Fs)],
    [io:format("[~10.3f] [~12.4e] [~8.2f]~n", [F, F, F]) || F <- id([1.0, -1.5, 3.14159, 0.0])],
    io:format("~.5f~n", [id(2.0e20)]),
    io:format("~.2f ~.2f ~.2f ~.2f~n", [id(0.125), id(0.375), id(2.675), id(1.005)]),
    io:format("~.1f ~.1f ~.1f ~.1f~n", [id(0.25), id(0.35), id(0.05), id(-0.25)]),
    io:format("~f~n", [id(1.0e300) / 1.0e290]).

errors() ->
    io:format("== errors~n"),
    io:format("~p~n", [err(fun() -> id(1.0e308) * 10.0 end)]),
    io:format("~p~n", [err(fun() -> id(1.0e308) + id(1.0e308) end)]),
    io:format("~p~n", [err(fun() -> -id(1.0e308) * 10 end)]),
    io:format("~p~n", [err(fun() -> id(1.0) / 0 end)]),
    io:format("~p~n", [err(fun() -> id(1.0) / 0.0 end)]),
    io:format("~p~n", [err(fun() -> id(0.0) / 0.0 end)]),
    io:format("~p~n", [err(fun() -> id(1) / id(0) end)]),
    io:format("~p~n", [err(fun() -> id(1.5) div 1 end)]),
    io:format("~p~n", [err(fun() -> id(1.5) rem 1 end)]),
    io:format("~p~n", [err(fun() -> id(1.5) band 1 end)]),
    io:format("~p~n", [err(fun() -> bnot id(1.5) end)]),
    io:format("~p~n", [err(fun() -> id(1.5) bsl 1 end)]),
    io:format("~p~n", [err(fun() -> id(1.5) + id(a) end)]),
    io:format("~p~n", [err(fun() -> float(id(a)) end)]),
    io:format("~p~n", [err(fun() -> trunc(id(a)) end)]),
    io:format("~p~n", [err(fun() -> round(id("1.5")) end)]),
    io:format("~p~n", [err(fun() -> float_to_list(id(1)) end)]),
    io:format("~p~n", [err(fun() -> float_to_list(id(1.0), [{decimals, 254}]) end)]),
    io:format("~p~n", [err(fun() -> float_to_list(id(1.0), [{decimals, 300}]) end)]),
    io:format("~p~n", [err(fun() -> float_to_list(id(1.0), [bogus]) end)]).
