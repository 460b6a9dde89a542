%% The dict module: every exported function, the representation (it shows
%% when a dict is printed) as the table grows and shrinks, keys that are
%% equal but distinct (dict matches keys exactly: 1 and 1.0 are two keys),
%% and error cases.
-module(stdlib_dict).
-export([main/1]).

-define(T(E), show(??E, fun() -> E end)).

id(X) -> X.

show(Text, F) ->
    R = try F() catch C:Reason -> {C, clean(Reason)} end,
    io:format("~s => ~w~n", [Text, R]).

clean({badarity, _}) -> badarity;
clean({badfun, _}) -> badfun;
clean(R) -> R.

main(_) ->
    basics(),
    updates(),
    whole(),
    growth(),
    ok.

basics() ->
    D = dict:from_list([{b, 2}, {a, 1}, {1, int}, {c, 3}, {1.0, float}, {b, 20}]),
    ?T(D),
    io:format("~p~n", [D]),
    ?T(dict:new()),
    io:format("~p~n", [dict:new()]),
    ?T(dict:from_list([])),
    ?T(dict:from_list(id([{a, 1}, b]))),
    ?T(dict:from_list(id([{a, 1} | c]))),
    ?T(dict:from_list(id(x))),
    ?T(lists:sort(dict:to_list(D))),
    ?T(dict:to_list(D)),
    ?T(dict:to_list(dict:new())),
    ?T(dict:to_list(id(x))),
    ?T(dict:size(D)),
    ?T(dict:size(dict:new())),
    ?T(dict:size(id(x))),
    ?T(dict:is_empty(dict:new())),
    ?T(dict:is_empty(D)),
    ?T(dict:is_empty(id(x))),
    ?T(dict:is_key(1.0, D)),
    ?T(dict:is_key(1, D)),
    ?T(dict:is_key(z, D)),
    ?T(dict:is_key(z, id(x))),
    ?T(dict:fetch(1.0, D)),
    ?T(dict:fetch(1, D)),
    ?T(dict:fetch(b, D)),
    ?T(dict:fetch(z, D)),
    ?T(dict:fetch(z, dict:new())),
    ?T(dict:fetch(z, id(x))),
    ?T(dict:find(1.0, D)),
    ?T(dict:find(c, D)),
    ?T(dict:find(z, D)),
    ?T(dict:find(z, id({x}))),
    ?T(dict:fetch_keys(D)),
    ?T(dict:fetch_keys(dict:new())),
    ?T(dict:fetch_keys(id(x))),
    ?T(dict:erase(1.0, D)),
    ?T(dict:erase(z, D)),
    ?T(dict:erase(z, dict:new())),
    ?T(dict:erase(z, id(x))),
    ?T(dict:take(1, D)),
    ?T(dict:take(c, D)),
    ?T(dict:take(z, D)),
    ?T(dict:take(z, id(x))).

updates() ->
    D = dict:from_list([{a, [1]}, {b, 10}, {1, 100}]),
    ?T(dict:store(a, new, D)),
    ?T(dict:store(1.0, new, D)),
    ?T(dict:store(z, new, dict:new())),
    ?T(dict:store(z, new, id(x))),
    ?T(dict:append(a, 2, D)),
    ?T(dict:append(z, 2, D)),
    ?T(dict:append(b, 2, D)),
    ?T(dict:append(z, 2, id(x))),
    ?T(dict:append_list(a, [2, 3], D)),
    ?T(dict:append_list(z, [2, 3], D)),
    ?T(dict:append_list(z, notalist, D)),
    ?T(dict:append_list(b, [2], D)),
    Inc = fun(V) -> V + 1 end,
    ?T(dict:update(b, Inc, D)),
    ?T(dict:update(1, Inc, D)),
    ?T(dict:update(1.0, Inc, D)),
    ?T(dict:update(z, Inc, D)),
    ?T(dict:update(b, id(x), D)),
    ?T(dict:update(b, fun(_) -> throw(badarg) end, D)),
    ?T(dict:update(a, Inc, D)),
    ?T(dict:update(z, Inc, D)),
    ?T(dict:update(b, Inc, 0, D)),
    ?T(dict:update(z, Inc, 0, D)),
    ?T(dict:update(z, id(x), 0, D)),
    ?T(dict:update(b, id(x), 0, D)),
    ?T(dict:update(z, Inc, 0, id(x))),
    ?T(dict:update_counter(b, 5, D)),
    ?T(dict:update_counter(z, 5, D)),
    ?T(dict:update_counter(b, 0.5, D)),
    ?T(dict:update_counter(b, x, D)),
    ?T(dict:update_counter(a, 1, D)),
    ?T(dict:update_counter(z, 1, id(x))).

whole() ->
    D = dict:from_list([{K, K * K} || K <- lists:seq(1, 12)]),
    ?T(dict:fold(fun(K, V, A) -> [{K, V} | A] end, [], D)),
    ?T(dict:fold(fun(K, V, A) -> K + V + A end, 0, D)),
    ?T(dict:fold(fun(K, V, A) -> [{K, V} | A] end, acc, dict:new())),
    ?T(dict:fold(id(x), acc, dict:new())),
    ?T(dict:fold(id(x), acc, D)),
    ?T(dict:fold(fun(K, V) -> {K, V} end, acc, D)),
    ?T(dict:fold(fun(K, V, A) -> [{K, V} | A] end, acc, id(x))),
    ?T(dict:map(fun(K, V) -> K + V end, D)),
    ?T(dict:map(fun(K, V) -> K + V end, dict:new())),
    ?T(dict:map(id(x), dict:new())),
    ?T(dict:map(id(x), D)),
    ?T(dict:map(fun(K, V) -> K + V end, id(x))),
    ?T(dict:filter(fun(K, _) -> K rem 3 =:= 0 end, D)),
    ?T(dict:filter(fun(K, _) -> K rem 3 =:= 0 end, dict:new())),
    ?T(dict:filter(fun(_, _) -> maybe end, D)),
    ?T(dict:filter(id(x), dict:new())),
    ?T(dict:filter(id(x), D)),
    ?T(dict:filter(fun(_, _) -> true end, id(x))),
    M1 = dict:from_list([{1, a}, {2, b}, {4.0, d}]),
    M2 = dict:from_list([{1.0, x}, {2, y}, {4, z}, {5, w}]),
    Comb = fun(K, V1, V2) -> {K, V1, V2} end,
    ?T(dict:merge(Comb, M1, M2)),
    ?T(dict:merge(Comb, M2, M1)),
    ?T(dict:merge(Comb, dict:new(), M2)),
    ?T(dict:merge(Comb, M1, dict:new())),
    ?T(dict:merge(id(x), M1, M2)),
    ?T(dict:merge(Comb, id(x), M1)),
    ?T(dict:merge(Comb, M1, id(x))),
    %% The order in which map and fold visit the entries.
    Big = dict:from_list([{K, K} || K <- lists:seq(1, 40)]),
    dict:map(fun(K, V) -> io:format("~w ", [K]), V end, Big),
    io:format("~n"),
    dict:fold(fun(K, _, _) -> io:format("~w ", [K]) end, ok, Big),
    io:format("~n").

%% The table doubles its segments, splits buckets one at a time as it
%% grows, and merges them back as it shrinks.
growth() ->
    Keys = [{K, [K]} || K <- lists:seq(1, 100)] ++ [atom, "str", <<"bin">>, 2.5, {t, 1}],
    D = lists:foldl(fun(K, A) -> dict:store(K, v, A) end, dict:new(), Keys),
    ?T(dict:size(D)),
    io:format("~p~n", [D]),
    Stages = [dict:from_list([{K, K} || K <- lists:seq(1, N)]) || N <- [80, 81, 82, 160, 161, 400]],
    [io:format("~w ~w~n", [dict:size(S), element(2, S) + element(3, S) * 1000]) || S <- Stages],
    io:format("~w~n", [lists:nth(3, Stages)]),
    Big = dict:from_list([{K, K} || K <- lists:seq(1, 1000)]),
    Shrunk = lists:foldl(fun(K, A) -> dict:erase(K, A) end, Big, lists:seq(1, 990)),
    ?T(Shrunk),
    ?T(lists:sort(dict:to_list(Shrunk))),
    Taken = lists:foldl(fun(K, A) -> {_, A1} = dict:take(K, A), A1 end, Big, lists:seq(11, 1000)),
    ?T(Taken),
    Filtered = dict:filter(fun(K, _) -> K rem 50 =:= 0 end, Big),
    ?T(Filtered),
    ?T(dict:fetch(500, Big)),
    ?T(dict:find(1001, Big)),
    ?T(dict:size(dict:merge(fun(_, A, B) -> A + B end, Big, Filtered))),
    ?T(lists:sum(dict:fetch_keys(Big))),
    Counted = lists:foldl(fun(K, A) -> dict:update_counter(K rem 97, 1, A) end, dict:new(),
                          lists:seq(1, 5000)),
    ?T(lists:sort(dict:to_list(Counted))),
    Appended = lists:foldl(fun(K, A) -> dict:append(K rem 7, K, A) end, dict:new(),
                           lists:seq(1, 30)),
    ?T(Appended).
