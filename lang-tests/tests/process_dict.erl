%% The process dictionary: put/2 returning the previous value (or
%% undefined), get/1 of present and missing keys, get/0 (sorted before
%% printing: its order is unspecified), erase/1 returning the old value,
%% erase/0 returning everything, get_keys/0 (sorted) and get_keys/1,
%% keys and values of any type, and using the dictionary as mutable state
%% across function calls.
-module(process_dict).
-export([main/1]).

id(X) -> X.

main(_Args) ->
    %% start from a clean dictionary (the shell/runtime may have entries)
    _ = erase(),
    basics(),
    all(),
    erasing(),
    keys(),
    complex(),
    state(),
    ok.

basics() ->
    io:format("== put / get~n"),
    io:format("~p~n", [get(a)]),
    io:format("~p~n", [put(a, 1)]),
    io:format("~p~n", [get(a)]),
    io:format("~p~n", [put(a, 2)]),
    io:format("~p~n", [put(a, 3)]),
    io:format("~p~n", [get(a)]),
    io:format("~p~n", [put(b, undefined)]),
    io:format("~p~n", [get(b)]),
    io:format("~p~n", [put(b, defined)]),
    io:format("~p~n", [get(missing)]),
    %% put with the same value
    io:format("~p ~p~n", [put(c, same), put(c, same)]),
    _ = erase().

all() ->
    io:format("== get/0~n"),
    io:format("~p~n", [get()]),
    put(x, 1),
    put(y, 2),
    put(z, 3),
    put(y, 20),
    io:format("~p~n", [lists:sort(get())]),
    io:format("~p~n", [length(get())]),
    _ = erase().

erasing() ->
    io:format("== erase~n"),
    put(k1, v1),
    put(k2, v2),
    put(k3, v3),
    io:format("~p~n", [erase(k1)]),
    io:format("~p~n", [erase(k1)]),
    io:format("~p~n", [get(k1)]),
    io:format("~p~n", [erase(never_there)]),
    io:format("~p~n", [lists:sort(get())]),
    io:format("~p~n", [lists:sort(erase())]),
    io:format("~p~n", [get()]),
    io:format("~p~n", [erase()]),
    io:format("~p~n", [get(k2)]),
    %% put after erase starts fresh
    io:format("~p~n", [put(k2, again)]),
    io:format("~p~n", [get(k2)]),
    _ = erase().

keys() ->
    io:format("== get_keys~n"),
    io:format("~p~n", [get_keys()]),
    put(one, 1),
    put(uno, 1),
    put(two, 2),
    put(eins, 1),
    put(three, 3),
    io:format("~p~n", [lists:sort(get_keys())]),
    io:format("~p~n", [lists:sort(get_keys(1))]),
    io:format("~p~n", [get_keys(2)]),
    io:format("~p~n", [get_keys(4)]),
    put(two, 1),
    io:format("~p~n", [lists:sort(get_keys(1))]),
    io:format("~p~n", [get_keys(2)]),
    %% values are compared exactly
    put(f, 1.0),
    io:format("~p~n", [lists:sort(get_keys(1.0))]),
    _ = erase().

complex() ->
    io:format("== complex keys and values~n"),
    Keys = [{tuple, key}, [list, key], "string key", <<"bin">>, 42, 4.2, -1,
            12345678901234567890, #{map => key}, {}, []],
    [put(K, {value_of, K}) || K <- id(Keys)],
    [io:format("~p => ~p~n", [K, get(K)]) || K <- Keys],
    io:format("~p~n", [length(get_keys())]),
    %% 1 and 1.0 are different keys
    put(1, int),
    put(1.0, float),
    io:format("~p ~p~n", [get(1), get(1.0)]),
    %% values can be large
    put(big, lists:seq(1, 1000)),
    io:format("~p~n", [lists:sum(get(big))]),
    put(fun_value, fun(X) -> X * 3 end),
    F = get(fun_value),
    io:format("~p~n", [F(14)]),
    _ = erase().

next(Counter) ->
    N = case get(Counter) of
            undefined -> 0;
            V -> V
        end,
    put(Counter, N + 1),
    N.

memo_fib(N) when N < 2 -> N;
memo_fib(N) ->
    case get({fib, N}) of
        undefined ->
            V = memo_fib(N - 1) + memo_fib(N - 2),
            put({fib, N}, V),
            V;
        V -> V
    end.

state() ->
    io:format("== dictionary as mutable state~n"),
    io:format("~p~n", [[next(c1) || _ <- lists:seq(1, 5)]]),
    io:format("~p~n", [[next(c2) || _ <- lists:seq(1, 3)]]),
    io:format("~p ~p~n", [get(c1), get(c2)]),
    io:format("~p~n", [memo_fib(id(90))]),
    io:format("~p~n", [length([K || {fib, _} = K <- get_keys()])]),
    %% state survives exceptions
    catch begin put(during, yes), throw(oops) end,
    io:format("~p~n", [get(during)]),
    %% accumulate with put in a loop
    [put(sum, case get(sum) of undefined -> X; S -> S + X end) || X <- lists:seq(1, 100)],
    io:format("~p~n", [get(sum)]),
    _ = erase().
