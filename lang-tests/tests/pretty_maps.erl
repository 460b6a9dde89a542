-module(pretty_maps).
-export([main/1]).

%% ~p layout of maps: associations `K => V` on one line when they fit,
%% else the value on its own line indented by 4; small maps print their
%% keys in term order.

from_list(L) -> lists:foldl(fun({K, V}, M) -> M#{K => V} end, #{}, L).

main(_) ->
    Small = #{a => 1, b => 2, c => 3},
    io:format("~p~n", [Small]),
    M1 = from_list([{I, I * I} || I <- lists:seq(1, 30)]),
    io:format("~p~n", [M1]),
    io:format("~40p~n", [M1]),
    io:format("~120p~n", [M1]),
    io:format("map: ~p~n", [M1]),
    M2 = #{name => "Joe", age => 42, languages => [erlang, prolog, smalltalk, c, lisp],
           address => #{street => "Main Street", number => 12, city => "Stockholm",
                        country => "Sweden", zip => "12345"},
           empty => #{}, tags => {a, b, c}},
    io:format("~p~n", [M2]),
    io:format("~50p~n", [M2]),
    io:format("~30p~n", [M2]),
    io:format("nested: ~p~n", [#{level1 => #{level2 => #{level3 => #{level4 => M2}}}}]),
    %% Long keys and long values: `K =>` then the value on the next line.
    io:format("~p~n", [#{lists:seq(1, 30) => lists:seq(31, 60)}]),
    io:format("~p~n", [#{{a, long, tuple, key, with, many, elements, in, it} =>
                             {and_a, long, tuple, value, with, many, more, elements, too}}]),
    io:format("~p~n", [#{"a string key" => "a string value",
                         "another key that is long" => lists:seq(1, 25)}]),
    io:format("~p~n", [#{key => lists:seq(1, 40), other => lists:seq(1, 5)}]),
    io:format("~p~n", [#{{tag, lists:seq(1, 25)} => value, small => 1}]),
    %% Maps inside lists and tuples.
    io:format("~p~n", [[#{id => I, name => "item", value => I * 1000} || I <- lists:seq(1, 6)]]),
    io:format("~p~n", [{state, #{count => 10, items => lists:seq(1, 20), owner => nobody}}]),
    io:format("~p~n", [{a_much_longer_tag_name_here, #{count => 10, items => lists:seq(1, 20)}}]),
    %% Key order: numbers, atoms, tuples, lists, binaries.
    Mixed = #{<<"bin">> => 1, "list" => 2, {tuple} => 3, atom => 4, 42 => 5,
              [] => 6, -7 => 7, 'Quoted' => 8, {} => 9, <<>> => 10},
    io:format("~p~n", [Mixed]),
    io:format("~20p~n", [Mixed]),
    %% Maps whose keys and values are themselves maps.
    io:format("~p~n", [#{#{a => 1} => #{b => 2}, #{} => [], #{c => #{d => #{}}} => x}]),
    io:format("~p~n", [#{k1 => #{k2 => #{k3 => #{k4 => #{k5 => #{k6 => lists:seq(1, 20)}}}}}}]),
    %% A map of 32 keys (still printed in key order).
    Big = from_list([{list_to_atom([$k | integer_to_list(I)]), I} || I <- lists:seq(1, 32)]),
    io:format("~p~n", [Big]),
    ok.
