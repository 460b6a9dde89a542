%% Maps: construction, `=>` (insert or update) and `:=` (update existing)
%% updates, pattern matching in function heads, case and `=`, keys of many
%% types (integers, floats, atoms, tuples, lists, binaries, maps, 1 vs 1.0
%% as distinct keys), map_size/1, is_map_key/2, map_get/2, is_map/1,
%% printing with ~p and ~w (key order is decided by OTP), large maps with
%% more than 32 keys, and equality / ordering of maps.
%% Only map syntax and erlang BIFs are used (no maps module).
-module(map_ops).
-export([main/1]).

id(X) -> X.

main(_Args) ->
    construction(),
    updates(),
    matching(),
    keys(),
    bifs(),
    printing(),
    large(),
    compare(),
    misc(),
    ok.

construction() ->
    io:format("== construction~n"),
    io:format("~p~n", [#{}]),
    io:format("~p~n", [#{a => 1}]),
    io:format("~p~n", [#{a => 1, b => 2, c => 3}]),
    io:format("~p~n", [#{c => 3, b => 2, a => 1}]),
    %% duplicate keys in a literal: the last one wins
    io:format("~p~n", [#{a => 1, a => 2}]),
    K = id(key),
    V = id(value),
    io:format("~p~n", [#{K => V}]),
    io:format("~p~n", [#{K => V, id(k2) => [V]}]),
    io:format("~p~n", [#{K => 1, key => 2}]),
    io:format("~p~n", [#{{a, b} => [1, 2], "str" => <<"bin">>, 1 => one}]),
    io:format("~p~n", [#{nested => #{inner => #{deep => true}}}]),
    io:format("~p ~p~n", [is_map(#{}), is_map([])]).

updates() ->
    io:format("== updates~n"),
    M0 = id(#{a => 1, b => 2}),
    M1 = M0#{c => 3},
    M2 = M1#{a := 10},
    M3 = M2#{b => 20, d => 4},
    M4 = M3#{a := 100, b := 200},
    io:format("~p~n~p~n~p~n~p~n~p~n", [M0, M1, M2, M3, M4]),
    %% => on an existing key updates
    io:format("~p~n", [M0#{a => changed}]),
    %% update of an empty map
    io:format("~p~n", [(id(#{}))#{x => 1}]),
    %% := on missing key raises badkey
    io:format("~p~n", [try M0#{zz := 1} catch C:R -> {C, R} end]),
    %% chained updates
    io:format("~p~n", [((M0#{a := 0})#{b := 0})#{c => 0}]),
    %% update with the same value keeps equality
    io:format("~p~n", [M0#{a := 1} =:= M0]),
    %% update changing the value type
    io:format("~p~n", [M0#{a := [list], b := {tuple}}]),
    %% 1 and 1.0 are different keys
    io:format("~p~n", [(id(#{1 => int}))#{1.0 => float}]),
    io:format("~p~n", [try (id(#{1 => int}))#{1.0 := float} catch C2:R2 -> {C2, R2} end]),
    %% build incrementally
    Sq = lists:foldl(fun(I, Acc) -> Acc#{I => I * I} end, #{}, lists:seq(1, 10)),
    io:format("~w~n", [Sq]).

area(#{shape := circle, r := R}) -> {circle, 3 * R * R};
area(#{shape := rect, w := W, h := H}) -> {rect, W * H};
area(#{shape := S}) -> {unknown_shape, S};
area(#{}) -> no_shape;
area(_) -> not_a_map.

matching() ->
    io:format("== matching~n"),
    [io:format("~p -> ~p~n", [M, area(M)])
     || M <- id([#{shape => circle, r => 2}, #{shape => rect, w => 3, h => 4, extra => x},
                 #{shape => rect, w => 3}, #{shape => tri}, #{}, #{other => 1}, [], {}])],
    #{a := A, b := B} = id(#{a => 1, b => 2, c => 3}),
    io:format("~p ~p~n", [A, B]),
    %% the empty map pattern matches any map
    #{} = id(#{x => 1}),
    %% bound variable as key
    K = id(c),
    #{K := CV} = id(#{a => 1, b => 2, c => 3}),
    io:format("~p~n", [CV]),
    %% value pattern
    io:format("~p~n", [case id(#{status => ok, val => 5}) of
                           #{status := error} -> error;
                           #{status := ok, val := V} when V > 3 -> {big, V};
                           #{status := ok} -> small
                       end]),
    %% nested map patterns
    #{outer := #{inner := Deep}} = id(#{outer => #{inner => found, x => y}}),
    io:format("~p~n", [Deep]),
    %% same variable in key and value positions
    io:format("~p~n", [case id(#{a => a, b => c}) of
                           #{a := X, b := X} -> same;
                           #{a := X} -> {a_is, X}
                       end]),
    %% matching literal keys of many types
    io:format("~p~n", [lit(id(#{1 => x}))]),
    io:format("~p~n", [lit(id(#{1.0 => x}))]),
    io:format("~p~n", [lit(id(#{"k" => x}))]),
    io:format("~p~n", [lit(id(#{{t, 1} => x}))]),
    io:format("~p~n", [lit(id(#{<<"b">> => x}))]),
    io:format("~p~n", [lit(id(#{[] => x}))]),
    %% map in a function head together with other args
    io:format("~p~n", [lookup(b, id(#{a => 1, b => 2}))]),
    io:format("~p~n", [lookup(z, id(#{a => 1, b => 2}))]),
    io:format("~p~n", [try #{a := _} = id(#{b => 1}) catch C:R -> {C, R} end]).

lit(#{1 := V}) -> {int_key, V};
lit(#{1.0 := V}) -> {float_key, V};
lit(#{"k" := V}) -> {string_key, V};
lit(#{{t, 1} := V}) -> {tuple_key, V};
lit(#{<<"b">> := V}) -> {binary_key, V};
lit(#{[] := V}) -> {nil_key, V};
lit(_) -> none.

lookup(K, M) when is_map_key(K, M) -> {found, map_get(K, M)};
lookup(_, _) -> missing.

keys() ->
    io:format("== keys of various types~n"),
    Keys = [0, 1, 1.0, -1, 2.5, 12345678901234567890, a, b, 'Z', "str", [], [1, 2],
            {}, {1}, {1, 2}, <<>>, <<"b">>, #{}, #{k => v}],
    M = lists:foldl(fun(K, Acc) -> Acc#{K => {val, K}} end, #{}, Keys),
    io:format("~p~n", [map_size(M)]),
    [io:format("~p -> ~p~n", [K, map_get(K, M)]) || K <- Keys],
    io:format("~p~n", [[is_map_key(K, M) || K <- id([2, 2.0, c, "other", {2}, #{x => 1}])]]),
    %% 1 and 1.0 are distinct keys, but equal as numbers
    M2 = #{1 => a, 1.0 => b},
    io:format("~p ~p~n", [map_size(M2), M2]),
    io:format("~p ~p~n", [map_get(1, M2), map_get(1.0, M2)]).

bifs() ->
    io:format("== map_size is_map_key map_get~n"),
    M = id(#{a => 1, b => [2], c => {3}}),
    io:format("~p~n", [map_size(M)]),
    io:format("~p~n", [map_size(#{})]),
    io:format("~p ~p~n", [is_map_key(a, M), is_map_key(z, M)]),
    io:format("~p ~p ~p~n", [map_get(a, M), map_get(b, M), map_get(c, M)]),
    io:format("~p~n", [try map_get(z, M) catch C:R -> {C, R} end]),
    io:format("~p~n", [try map_size(id(x)) catch C2:R2 -> {C2, R2} end]),
    io:format("~p~n", [try is_map_key(a, id(x)) catch C3:R3 -> {C3, R3} end]),
    %% in guards
    G = fun(X) when map_size(X) > 2 -> big;
           (X) when is_map(X), map_size(X) =:= 0 -> empty;
           (X) when is_map_key(k, X), map_get(k, X) =:= 1 -> k_is_1;
           (_) -> other
        end,
    io:format("~p~n", [[G(X) || X <- id([M, #{}, #{k => 1}, #{k => 2}, notamap])]]).

printing() ->
    io:format("== printing~n"),
    Ms = [#{b => 1, a => 2},
          #{3 => c, 1 => a, 2 => b},
          #{z => 1, 1 => z, "s" => s, {t} => t, [l] => l, 2.0 => f},
          #{1 => int, 1.0 => float},
          #{<<"x">> => 1, x => 2},
          #{m => #{n => #{}}},
          #{[] => nil, {} => tuple, #{} => map}],
    [io:format("~p~n~w~n", [M, M]) || M <- id(Ms)],
    io:format("~p~n", [[#{a => 1}, #{b => 2}]]),
    io:format("~p~n", [{#{}, #{k => [1, 2, 3]}}]).

large() ->
    io:format("== large maps~n"),
    Big = lists:foldl(fun(I, Acc) -> Acc#{I => I * 10} end, #{}, lists:seq(1, 100)),
    io:format("~p~n", [map_size(Big)]),
    io:format("~p ~p ~p~n", [map_get(1, Big), map_get(33, Big), map_get(100, Big)]),
    io:format("~p~n", [is_map_key(101, Big)]),
    io:format("~p~n", [lists:sum([map_get(I, Big) || I <- lists:seq(1, 100)])]),
    %% around the 32-key threshold
    [begin
         M = lists:foldl(fun(I, Acc) -> Acc#{{k, I} => I} end, #{}, lists:seq(1, N)),
         io:format("~p: ~p ~p ~p~n",
                   [N, map_size(M), map_get({k, N}, M), is_map_key({k, N + 1}, M)])
     end || N <- [31, 32, 33, 34, 64, 65]],
    %% update all values of a large map and check them
    Big2 = lists:foldl(fun(I, Acc) -> Acc#{I := map_get(I, Acc) + 1} end, Big, lists:seq(1, 100)),
    io:format("~p~n", [[map_get(I, Big2) || I <- [1, 32, 33, 64, 100]]]),
    %% shrink back: build a new small map from a large one
    Small = #{1 => map_get(1, Big2), 2 => map_get(2, Big2)},
    io:format("~p~n", [Small]),
    %% matching on a large map
    #{50 := V50, 99 := V99} = Big,
    io:format("~p ~p~n", [V50, V99]),
    %% insertion order does not matter for equality
    Rev = lists:foldl(fun(I, Acc) -> Acc#{I => I * 10} end, #{}, lists:reverse(lists:seq(1, 100))),
    io:format("~p~n", [Rev =:= Big]),
    io:format("~p~n", [Rev == Big]),
    io:format("~p~n", [erlang:phash2(Rev) =:= erlang:phash2(Big)]),
    %% large map with atom keys. Never print a map with more than 32 keys:
    %% its printed order is OTP's internal hash order.
    Letters = lists:foldl(fun(C, Acc) -> Acc#{list_to_atom([C]) => C} end, #{},
                          lists:seq($a, $z) ++ lists:seq($A, $J)),
    io:format("~p~n", [map_size(Letters)]),
    io:format("~p ~p~n", [map_get(a, Letters), map_get('J', Letters)]),
    io:format("~p~n", [[is_map_key(list_to_atom([C]), Letters) || C <- "azAJK"]]).

compare() ->
    io:format("== equality and ordering~n"),
    io:format("~p~n", [#{a => 1, b => 2} =:= #{b => 2, a => 1}]),
    io:format("~p~n", [#{a => 1} == #{a => 1.0}]),
    io:format("~p~n", [#{a => 1} =:= #{a => 1.0}]),
    io:format("~p~n", [#{1 => a} == #{1.0 => a}]),
    %% smaller maps sort first
    io:format("~p~n", [#{z => 1} < #{a => 1, b => 1}]),
    %% same size: compare keys, then values
    io:format("~p~n", [#{a => 2} < #{b => 1}]),
    io:format("~p~n", [#{a => 1} < #{a => 2}]),
    io:format("~p~n", [#{1 => a} < #{a => 1}]),
    io:format("~w~n", [lists:sort(id([#{b => 1}, #{a => 1, b => 2}, #{a => 2}, #{}, #{a => 1},
                                      #{1 => x}, #{1.0 => x}]))]),
    %% maps vs other types: tuple < map < list
    io:format("~p~n", [lists:sort(id([[a], #{a => 1}, {a}, a, 1]))]),
    io:format("~p ~p~n", [#{} > {1, 2, 3}, #{} < []]).

misc() ->
    io:format("== misc~n"),
    %% maps in comprehensions (as values)
    Ms = [#{id => I, sq => I * I} || I <- lists:seq(1, 4)],
    io:format("~p~n", [[map_get(sq, M) || M <- Ms]]),
    io:format("~p~n", [[I || #{id := I, sq := S} <- Ms, S > 4]]),
    %% counting words with a map
    Words = id([the, cat, the, dog, the, cat]),
    Counts = lists:foldl(fun(W, Acc) ->
                                 case Acc of
                                     #{W := N} -> Acc#{W := N + 1};
                                     _ -> Acc#{W => 1}
                                 end
                         end, #{}, Words),
    io:format("~p~n", [Counts]),
    %% maps as records
    P = #{name => "X", age => 1},
    P2 = P#{age := map_get(age, P) + 1},
    io:format("~p~n", [P2]),
    %% phash2 of maps is independent of construction order
    io:format("~p~n", [erlang:phash2(#{a => 1, b => 2}) =:= erlang:phash2(#{b => 2, a => 1})]),
    ok.
