-module(pretty_depth).
-export([main/1]).

%% ~P and ~tP: terms cut at a depth with `...` (`|...` in lists, `,...`
%% in tuples and maps), then laid out as ~p does; ~W for comparison.

terms() ->
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
     [a | b],
     [1, 2, 3 | tail],
     {1, 2, 3, 4, 5},
     {tag, [1, 2, 3], {x, y}},
     [[[[[[deep]]]]]],
     {{{{{{deep}}}}}},
     #{a => 1, b => #{c => 2, d => #{e => 3}}, f => [1, 2, 3]},
     #{k => v},
     [{key, "value"}, {other, <<"bin">>}, {third, [1, 2, 3]}],
     "just a string",
     <<"a binary">>,
     {[], {}, #{}, <<>>, ""},
     [#{x => [1, 2, {y, z}]}, {#{}, [#{a => b}]}]].

main(_) ->
    [begin
         [io:format("~w ~P~n", [D, T, D]) || D <- [1, 2, 3, 5, 10, -1]],
         [io:format("~w ~W~n", [D, T, D]) || D <- [1, 2, 3, 5]]
     end || T <- terms()],
    %% Cut terms laid out on several lines.
    Big = [{I, lists:seq(1, I), #{n => I, sq => I * I}} || I <- lists:seq(1, 12)],
    [io:format("depth ~w:~n~P~n", [D, Big, D]) || D <- [1, 2, 3, 4, 5, 8]],
    [io:format("~w: ~30P~n", [D, Big, D]) || D <- [3, 6]],
    [io:format("~w: ~tP~n", [D, {"text", [1000, 1001], 'atom', <<"bin">>}, D]) || D <- [1, 2, 3, 4]],
    Rec = {state, lists:seq(1, 50), {config, [{timeout, 1000}, {retries, 5}, {name, "server"}]},
           #{clients => [c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14]}},
    [io:format("~w: ~P~n", [D, Rec, D]) || D <- [2, 5, 10, 20, 30, 40]],
    io:format("prefix ~P suffix~n", [lists:seq(1, 100), 30]),
    io:format("~P~n", [lists:duplicate(30, {abc, def}), 25]),
    io:format("~P~n", [lists:seq(1, 30) ++ improper, 40]),
    io:format("~P~n", [lists:seq(1, 30) ++ improper, 31]),
    io:format("~P~n", [lists:seq(1, 30) ++ improper, 30]),
    io:format("~P ~P ~P~n", [atom, 0, 42, 0, [], 0]),
    io:format("~P ~P ~P ~P~n", [atom, 1, 42, 1, "str", 1, 12345678901234567890, 1]),
    ok.
