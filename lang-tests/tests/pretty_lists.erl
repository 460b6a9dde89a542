-module(pretty_lists).
-export([main/1]).

%% ~p layout of lists: line breaking at various widths and columns,
%% nested lists, improper lists, lists of pairs.

id(X) -> X.

main(_) ->
    Seq = lists:seq(1, 40),
    io:format("~p~n", [Seq]),
    io:format("~30p~n", [Seq]),
    io:format("~100p~n", [Seq]),
    io:format("~10p~n", [lists:seq(1, 12)]),
    io:format("key: ~p~n", [Seq]),
    io:format("a much longer prefix before the term: ~p~n", [Seq]),
    io:format("~p~n", [lists:seq(1000, 1030)]),
    io:format("~p~n", [[-1, -22, -333, -4444, -55555, -666666, -7777777, -88888888,
                        -999999999, -1234567890, -12345678901, -123456789012]]),
    io:format("~p~n", [[123456789012345678901234567890, 98765432109876543210987654321098765,
                        -11111111111111111111111111111111111111111, 7]]),
    io:format("~p~n", [[1.5, 2.25, -3.125, 1.0e10, 1.0e-10, 0.1, 123456.789, 3.0e100,
                        -0.0, 2.5e-5, 6.02214076e23, 1.7976931348623157e308]]),
    %% Nested lists.
    Nested = [lists:seq(1, N) || N <- lists:seq(1, 12)],
    io:format("~p~n", [Nested]),
    io:format("~40p~n", [Nested]),
    io:format("nested: ~p~n", [[Nested, [Nested]]]),
    io:format("~p~n", [[[[[[[[[[[deep]]]]]]]]]]]),
    io:format("~p~n", [[[[[[[[[[lists:seq(1, 30)]]]]]]]]]]),
    io:format("~20p~n", [[[a, b], [c, [d, [e, [f, [g, [h]]]]]]]]),
    %% Empty containers.
    io:format("~p~n", [[[], {}, #{}, <<>>, "", [[]], [{}]]]),
    io:format("~p ~p ~p ~p~n", [[], {}, #{}, <<>>]),
    io:format("~5p~n", [[[], [], [], [], [], [], []]]),
    %% Improper lists.
    io:format("~p~n", [[a | b]]),
    io:format("~p~n", [[1, 2, 3 | 4]]),
    io:format("~p~n", [lists:seq(1, 30) ++ id(tail_atom)]),
    io:format("~p~n", [lists:seq(1, 25) ++ id({a, tuple, as, the, tail, 'of', the, list})]),
    io:format("~p~n", [[{a, 1}, {b, 2} | lists:seq(100000, 100020)]]),
    io:format("~30p~n", [[a, b | {long_tail_tuple, with, several, elements, in, it}]]),
    io:format("~p~n", [[x | [[y | z] | [[1, 2 | 3]]]]]),
    io:format("~p ~p~n", [["abc" | "def"], ["abc" | def]]),
    %% Lists of {Key, Value} pairs.
    Pairs = [{name, "Joe"}, {age, 42}, {languages, [erlang, prolog, smalltalk]},
             {address, {street, "Main Street", 12}}, {tags, [a, b, c, d, e, f, g]},
             {empty, []}, {score, 99.5}],
    io:format("~p~n", [Pairs]),
    io:format("~40p~n", [Pairs]),
    io:format("config: ~p~n", [Pairs]),
    io:format("~p~n", [[{K, lists:seq(1, K)} || K <- lists:seq(1, 15)]]),
    io:format("~p~n", [[{lists:seq(1, K), K} || K <- lists:seq(1, 15)]]),
    %% Lists of strings and mixed lists.
    Words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
             "iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi", "rho"],
    io:format("~p~n", [Words]),
    io:format("~50p~n", [Words]),
    io:format("~p~n", [[1, "two", three, {four}, [5], <<"six">>, 7.0, "eight", nine,
                        {ten, 10}, [[eleven]], <<12>>, "thirteen"]]),
    io:format("~p~n", [lists:duplicate(10, {point, 1, 2})]),
    io:format("~p~n", [lists:duplicate(6, lists:duplicate(6, abc))]),
    io:format("~p~n", [[fun lists:map/2, fun erlang:length/1, fun id/1 =:= fun id/1]]),
    io:format("~60p~n", [lists:duplicate(5, [fun lists:reverse/1, fun lists:seq/2])]),
    %% A long list is printed iteratively.
    L = lists:seq(1, 5000),
    io:format("~p~n", [length(L)]),
    io:format("~p~n", [lists:nthtail(4980, L)]),
    ok.
