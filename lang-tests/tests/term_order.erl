%% The standard term order:
%%   number < atom < reference < fun < port < pid < tuple < map < nil < list < bitstring
%% lists:sort/1 on mixed lists (references and funs are replaced by a
%% type tag after sorting, never printed), tuples compared by size then
%% elements, lists lexicographically, integers vs floats (== vs =:=, sort
%% stability of equal numbers), atoms alphabetically, maps by size then
%% keys then values, binaries, ==/=:= on nested structures containing
%% floats, and min/max on mixed types.
-module(term_order).
-export([main/1]).

id(X) -> X.

main(_Args) ->
    types(),
    numbers(),
    atoms(),
    tuples(),
    lists_(),
    binaries(),
    maps_(),
    equality(),
    minmax(),
    sorting(),
    ok.

tag(X) when is_integer(X) -> {int, X};
tag(X) when is_float(X) -> {float, X};
tag(X) when is_atom(X) -> {atom, X};
tag(X) when is_reference(X) -> reference;
tag(X) when is_function(X) -> 'fun';
tag(X) when is_port(X) -> port;
tag(X) when is_pid(X) -> pid;
tag(X) when is_tuple(X) -> {tuple, X};
tag(X) when is_map(X) -> {map, X};
tag([]) -> nil;
tag(X) when is_list(X) -> {list, X};
tag(X) when is_binary(X) -> {binary, X}.

types() ->
    io:format("== order of types~n"),
    Ref = make_ref(),
    Fun = fun(X) -> X end,
    Mixed = [<<"bin">>, [1], [], #{a => 1}, {t}, Fun, Ref, atom, 1.5, 1],
    Sorted = lists:sort(id(Mixed)),
    [io:format("~p~n", [tag(X)]) || X <- Sorted],
    io:format("~p~n", [lists:sort(id(lists:reverse(Mixed))) =:= Sorted]),
    %% pairwise comparisons between representatives of each type
    Reps = [1, atom, Ref, Fun, {}, #{}, [], [x], <<>>],
    Names = [number, atom, reference, 'fun', tuple, map, nil, list, bitstring],
    Indexed = lists:zip(Names, Reps),
    Bad = [{NA, NB} || {NA, A} <- Indexed, {NB, B} <- Indexed,
                       index(NA, Names) < index(NB, Names), not (A < B)],
    io:format("violations: ~p~n", [Bad]),
    io:format("~p~n", [[A < B || {_, A} <- Indexed, {_, B} <- Indexed] =:=
                           [index(NA, Names) < index(NB, Names)
                            || {NA, _} <- Indexed, {NB, _} <- Indexed]]),
    %% numbers are smaller than everything else, including huge ones
    io:format("~p~n", [[id(12345678901234567890123) < X || X <- [a, {}, #{}, [], "", <<>>]]]),
    io:format("~p~n", [[id(1.0e300) < X || X <- [a, {}, #{}, [], "", <<>>]]]),
    %% the empty atom is still an atom
    io:format("~p ~p~n", [id('') > 1.0e300, id('') < {}]),
    io:format("~p~n", [lists:sort(id([[], {}, '', 0, <<>>, #{}, [[]]]))]).

index(X, L) -> index(X, L, 1).
index(X, [X | _], N) -> N;
index(X, [_ | T], N) -> index(X, T, N + 1).

numbers() ->
    io:format("== numbers~n"),
    io:format("~p ~p ~p ~p~n", [1 < id(1.0), 1 > id(1.0), 1 == id(1.0), 1 =:= id(1.0)]),
    io:format("~p ~p~n", [1 =< id(1.0), 1 >= id(1.0)]),
    io:format("~p ~p~n", [1 /= id(1.0), 1 =/= id(1.0)]),
    io:format("~p~n", [lists:sort(id([3, 2.5, 1, 2, 1.5, 3.5, 0.5, -1, -1.5]))]),
    %% two elements that compare equal keep their order. (lists:sort/1 is
    %% NOT stable in general: for longer lists the order of compare-equal
    %% elements like 1 and 1.0 depends on OTP's merge sort, so tests
    %% avoid it.)
    io:format("~p~n", [lists:sort(id([1.0, 1]))]),
    io:format("~p~n", [lists:sort(id([1, 1.0]))]),
    io:format("~w~n", [[{A, B, A < B, A == B}
                        || {A, B} <- id([{0.1, 0}, {-1, -0.5}, {100000000000000000000, 1.0e20},
                                         {100000000000000000001, 1.0e20},
                                         {99999999999999999999, 1.0e20}])]]),
    io:format("~p~n", [lists:sort(id([1.0e20, 100000000000000000001, 1.0e19,
                                       99999999999999999999]))]).

atoms() ->
    io:format("== atoms~n"),
    io:format("~p~n", [lists:sort(id([b, a, 'B', 'A', aa, ab, 'a b', '', z, 'Z', '_', zz]))]),
    io:format("~p ~p ~p~n", [id(a) < id(b), id(abc) < id(abd), id(ab) < id(abc)]),
    io:format("~p ~p~n", [id(true) > id(false), id(undefined) < id(zero)]),
    %% atoms compare by their text, not by creation order
    N1 = list_to_atom(id("zzz_created_first")),
    N2 = list_to_atom(id("aaa_created_second")),
    io:format("~p~n", [N2 < N1]),
    io:format("~p~n", [lists:sort([N1, N2, mmm])]).

tuples() ->
    io:format("== tuples~n"),
    %% size first, then element by element
    io:format("~p~n", [{z} < {a, a}]),
    io:format("~p~n", [{1, 2} < {1, 3}]),
    io:format("~p~n", [{2, 1} > {1, 9}]),
    io:format("~p~n", [{a, [1]} < {a, {1}}]),
    io:format("~p~n", [{1, 1.0} == {1.0, 1}]),
    io:format("~p~n", [{1, 1.0} =:= {1.0, 1}]),
    io:format("~p~n", [lists:sort(id([{b}, {a, b, c}, {}, {a, b}, {a}, {b, a}, {a, a, a}]))]),
    io:format("~p~n", [lists:sort(id([{1, b}, {1, a}, {0, z}, {1.0, c}, {1, a}]))]),
    io:format("~p~n", [{} < {{}}]),
    io:format("~p~n", [{[]} > {a}]).

lists_() ->
    io:format("== lists~n"),
    io:format("~p~n", [[] < [a]]),
    io:format("~p~n", [[1, 2, 3] < [1, 2, 4]]),
    io:format("~p~n", [[1, 2] < [1, 2, 3]]),
    io:format("~p~n", [[2] > [1, 2, 3]]),
    io:format("~p~n", [[a | b] < [a | c]]),
    io:format("~p~n", [[a | b] < [a, b]]),
    io:format("~p~n", ["abc" < "abd"]),
    io:format("~p~n", ["Z" < "a"]),
    io:format("~p~n", ["" < "a"]),
    io:format("~p~n", [lists:sort(id(["banana", "apple", "cherry", "app", "", "Apple", "b"]))]),
    io:format("~p~n", [lists:sort(id([[2], [1, 2], [1], [], [1, 1], [0, 9, 9]]))]),
    io:format("~p~n", [[1, 2] == [1.0, 2.0]]),
    io:format("~p~n", [[1, 2] =:= [1.0, 2.0]]),
    %% a list is greater than any tuple, map or atom
    io:format("~p~n", [[[] > {}, [x] > {x}, [] > #{}, [] > zzz]]).

binaries() ->
    io:format("== binaries~n"),
    io:format("~p~n", [<<>> < <<0>>]),
    io:format("~p~n", [<<1, 2>> < <<1, 3>>]),
    io:format("~p~n", [<<1, 2>> < <<1, 2, 0>>]),
    io:format("~p~n", [<<2>> > <<1, 255>>]),
    io:format("~p~n", [<<"abc">> > "abc"]),
    io:format("~p~n", [lists:sort(id([<<"b">>, <<"a">>, <<"ab">>, <<>>, <<"B">>]))]),
    io:format("~p~n", [<<"abc">> == list_to_binary("abc")]).

maps_() ->
    io:format("== maps~n"),
    io:format("~p~n", [#{} < #{a => 1}]),
    io:format("~p~n", [#{z => z} < #{a => a, b => b}]),
    io:format("~p~n", [#{a => 2} < #{b => 1}]),
    io:format("~p~n", [#{a => 1} < #{a => 2}]),
    io:format("~p~n", [#{1 => a} < #{1.0 => a}]),
    io:format("~p~n", [#{1 => a} == #{1.0 => a}]),
    io:format("~p~n", [#{a => 1} == #{a => 1.0}]),
    io:format("~p~n", [#{a => 1} =:= #{a => 1.0}]),
    io:format("~p~n", [lists:sort(id([#{b => 1}, #{a => 2}, #{a => 1}, #{}, #{a => 1, b => 1},
                                       #{c => 0}]))]),
    io:format("~p~n", [#{} > {a, b, c, d, e}]),
    io:format("~p~n", [#{} < []]).

equality() ->
    io:format("== == versus =:= on nested terms~n"),
    Pairs = [{{1, [2, {3}]}, {1.0, [2, {3.0}]}},
             {[1, 2, 3], [1, 2, 3.0]},
             {#{k => [1]}, #{k => [1.0]}},
             {{a, 1}, {a, 1}},
             {"abc", [97, 98, 99]},
             {[97, 98, 99.0], "abc"},
             {{0.0}, {-0.0}},
             {{1, 2}, {1, 2, 3}},
             {<<"a">>, "a"},
             {12345678901234567890, 12345678901234567890.0},
             {{big, 18446744073709551616}, {big, 18446744073709551616.0}}],
    [io:format("~p ~p ~p ~p~n", [A == B, A =:= B, A /= B, A =/= B]) || {A, B} <- id(Pairs)].

minmax() ->
    io:format("== min/max on mixed types~n"),
    Pairs = [{1, a}, {a, {}}, {{}, []}, {[], [a]}, {[a], <<>>}, {1, 1.0}, {1.0, 1},
             {2, 1.5}, {#{}, {a, b}}, {"a", a}, {-1, -1.0}, {<<"a">>, "a"}],
    [io:format("~p ~p: min ~p max ~p~n", [A, B, min(A, B), max(A, B)]) || {A, B} <- id(Pairs)],
    io:format("~p~n", [lists:max(id([1, a, {x}, "s", <<"b">>, #{}]))]),
    io:format("~p~n", [lists:min(id([a, {x}, "s", <<"b">>, 99999999999999999999999]))]),
    io:format("~p ~p~n", [lists:max(id([1, 1.0])), lists:max(id([1.0, 1]))]),
    io:format("~p ~p~n", [lists:min(id([1, 1.0])), lists:min(id([1.0, 1]))]).

sorting() ->
    io:format("== sorting larger mixed lists~n"),
    Terms = [{b, 2}, "str", 3.0, 'atom', [1, 2], <<"bin">>, {a, 1}, 2, #{k => v}, [],
             {a, 0}, -5, 'Atom', [0], <<>>, 2.5, {}, #{}, "Str", 1.0e-3],
    S = lists:sort(id(Terms)),
    [io:format("~p~n", [X]) || X <- S],
    io:format("~p~n", [lists:sort(id(lists:reverse(Terms))) =:= S]),
    io:format("~p~n", [is_sorted(S)]).

is_sorted([A, B | T]) -> A =< B andalso is_sorted([B | T]);
is_sorted(_) -> true.
