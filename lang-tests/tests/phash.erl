%% erlang:phash2/1,2 and erlang:phash/2: the exact values OTP returns for
%% integers (small, around 2^27/2^28/2^32/2^59/2^64, big, negative),
%% floats (0.0 and -0.0 alike), atoms (latin-1 and other Unicode text,
%% long names), strings and other lists (proper, improper, nested),
%% tuples, maps (flat, large, nested; independent of construction order),
%% binaries and bitstrings, external funs; phash2/2 and phash/2 with
%% ranges 1, 7, 2^32-1 and 2^32 and badarg for bad ranges; and a few
%% hundred pseudo-random nested terms. No pids, references or local funs
%% (their numbering is the VM's own).
-module(phash).
-export([main/1]).
-compile({nowarn_deprecated_function, [{erlang, phash, 2}]}).

id(X) -> X.

%% Run F and return {value, V} or {Class, Reason} (never the stacktrace).
err(F) ->
    try F() of
        V -> {value, V}
    catch
        C:R -> {C, R}
    end.

pow(_, 0) -> 1;
pow(B, N) -> B * pow(B, N - 1).

main(_Args) ->
    integers(),
    floats(),
    atoms(),
    lists_(),
    tuples(),
    maps_(),
    binaries(),
    funs(),
    ranges(),
    random_terms(),
    ok.

show(Name, Terms) ->
    io:format("== ~s~n", [Name]),
    lists:foreach(
      fun(T) ->
              io:format("~w ~w ~w~n",
                        [erlang:phash2(T), erlang:phash2(T, 1 bsl 32), erlang:phash(T, 1 bsl 32)])
      end, id(Terms)).

integers() ->
    P = fun(N) -> pow(id(2), N) end,
    show("integers",
         [0, 1, -1, 2, 42, 255, 256, -255, -256, 1000, -1000, 65535, 65536,
          P(27) - 1, P(27), P(27) + 1, -P(27), -P(27) - 1, P(28) - 1, P(28), -P(28),
          P(31) - 1, P(31), -P(31), P(32) - 1, P(32), P(32) + 1, -P(32),
          P(59) - 1, P(59), -P(59), -P(59) - 1, P(60), P(63) - 1, P(63), -P(63),
          P(64) - 1, P(64), -P(64), P(64) + 1, P(96), P(100), -P(100), P(128) - 1,
          pow(id(3), 200), -pow(id(3), 200), pow(id(7), 77) + 12345]).

floats() ->
    show("floats",
         [0.0, id(-0.0), 1.0, -1.0, 1.5, 0.1, 2.0, 3.141592653589793, -1.0e300,
          1.0e300, 1.0e-320, 5.0e-324, 123456789.0, float(pow(id(2), 60))]),
    io:format("~w~n", [erlang:phash2(0.0) =:= erlang:phash2(id(-0.0))]),
    io:format("~w~n", [erlang:phash2(1) =:= erlang:phash2(1.0)]).

atoms() ->
    show("atoms",
         ['', a, ok, true, false, undefined, hello_world, 'Hello World', 'ä', 'ÿ',
          'é1', 'aé', 'Zürich', list_to_atom([160]), list_to_atom([937]),
          list_to_atom([8364, $x]), list_to_atom([12371, 12435, 12395, 12385, 12399]),
          list_to_atom(lists:duplicate(255, $x)), list_to_atom(lists:seq($a, $z)),
          list_to_atom(lists:duplicate(100, 255))]).

lists_() ->
    show("lists",
         [[], "a", "ab", "abc", "abcd", "abcde", "abcdefghi", [0], [255], [256], [-1],
          [1, 2, 3], [1000, 2], [1, 1000, 2, 3, 4, 5], [a, b, c], [1.0], [[]], [[1]],
          [a | b], [1 | 2], [1, 2 | 3], "ab" ++ c, [$a, $b | <<"c">>],
          [[1, [2, [3, []]]], "xy", [a | "bc"]], lists:seq(1, 300),
          lists:duplicate(50, "x"), [{}, #{}, <<>>], "hello world, this is a longer string"]).

tuples() ->
    show("tuples",
         [{}, {a}, {1, 2}, {a, {b, {c}}}, {[], []}, {1.5, <<>>, "s", -5},
          {{}, {{}}}, list_to_tuple(lists:seq(1, 100)), {ok, "value", [1 | 2]}]).

maps_() ->
    Big = lists:foldl(fun(K, M) -> M#{K => K + 1} end, #{}, lists:seq(1, 40)),
    Big2 = lists:foldl(fun(K, M) -> M#{K => K + 1} end, #{}, lists:reverse(lists:seq(1, 40))),
    Huge = lists:foldl(fun(K, M) -> M#{{k, K} => [K]} end, #{}, lists:seq(1, 200)),
    show("maps",
         [#{}, #{a => 1}, #{1 => a}, #{a => 1, b => 2}, #{b => 2, a => 1},
          #{a => 1, b => 2, c => 3, 1 => x, "k" => {v}}, #{[] => []},
          #{1 => 1, 1.0 => 2}, Big, Huge,
          #{m => #{n => #{}}, l => [#{1 => 2}]}, {x, #{a => b}, y},
          [#{a => 1}, #{a => 1}]]),
    io:format("~w~n", [erlang:phash2(Big) =:= erlang:phash2(Big2)]),
    io:format("~w~n", [erlang:phash2(put_one(Big)) =:= erlang:phash2(Big)]).

put_one(M) ->
    M#{41 => 42}.

binaries() ->
    show("binaries",
         [<<>>, <<1, 2, 3>>, <<"hello">>, <<"abcdefghijk">>, <<"abcdefghijkl">>,
          <<"abcdefghijklm">>, <<"abcdefghijklmnopqrstuvwx">>,
          list_to_binary(lists:seq(1, 100)), list_to_binary(lists:seq(0, 255)),
          list_to_binary([195, 164, 226, 130, 172]), <<1:3>>, <<255, 1:1>>, <<1, 2, 3, 5:4>>, <<127:7>>,
          [<<"a">>, <<"b">>]]).

funs() ->
    show("funs",
         [fun erlang:abs/1, fun lists:map/2, fun foo:bar/0, fun 'mödule':'fün'/3,
          {fun erlang:phash2/2, [fun lists:reverse/1]}]).

ranges() ->
    io:format("== ranges~n"),
    Terms = id([0, -1, a, "abc", {1, 2}, #{a => 1}, <<1, 2, 3>>, 1.5, pow(id(2), 70)]),
    Ranges = id([1, 2, 7, 1000, 65536, (1 bsl 27), (1 bsl 32) - 1, 1 bsl 32]),
    lists:foreach(
      fun(T) ->
              io:format("~w~n", [[erlang:phash2(T, R) || R <- Ranges]]),
              io:format("~w~n", [[erlang:phash(T, R) || R <- Ranges]])
      end, Terms),
    Bad = id([0, -1, (1 bsl 32) + 1, 1 bsl 64, 7.0, a]),
    io:format("~w~n", [[err(fun() -> erlang:phash2(x, R) end) || R <- Bad]]),
    io:format("~w~n", [[err(fun() -> erlang:phash(x, R) end) || R <- Bad]]).

%% A deterministic pseudo-random generator of nested terms.
next(S) -> (S * 1103515245 + 12345) band 16#7fffffff.

gen(S, 0) -> leaf(next(S));
gen(S0, D) ->
    S = next(S0),
    case S rem 6 of
        0 -> gen_list(next(S), D - 1, S rem 5, []);
        1 -> {T, S1} = gen_list(next(S), D - 1, S rem 4, []), {list_to_tuple(T), S1};
        2 -> gen_map(next(S), D - 1, S rem 4, #{});
        3 -> {H, S1} = gen(S, D - 1), {T, S2} = gen(S1, D - 1), {[H | T], S2};
        _ -> leaf(S)
    end.

gen_list(S, _, 0, Acc) -> {Acc, S};
gen_list(S, D, N, Acc) ->
    {T, S1} = gen(S, D),
    gen_list(S1, D, N - 1, [T | Acc]).

gen_map(S, _, 0, Acc) -> {Acc, S};
gen_map(S, D, N, Acc) ->
    {K, S1} = gen(S, D),
    {V, S2} = gen(S1, D),
    gen_map(S2, D, N - 1, Acc#{K => V}).

leaf(S0) ->
    S = next(S0),
    V = S rem 1000,
    T = case S rem 11 of
            0 -> V;
            1 -> -V * 1000003;
            2 -> V * pow(3, V rem 50);
            3 -> V / 7;
            4 -> list_to_atom([$a + V rem 26 | integer_to_list(V)]);
            5 -> integer_to_list(V * 7919);
            6 -> list_to_binary(integer_to_list(V * 104729));
            7 -> [];
            8 -> {};
            9 -> -V * pow(2, V rem 70);
            _ -> [V rem 300 | V]
        end,
    {T, S}.

random_terms() ->
    io:format("== random~n"),
    random_terms(id(42), 300, []).

random_terms(_, 0, Acc) ->
    Hs = lists:reverse(Acc),
    io:format("~w~n", [lists:sum(Hs)]),
    print_chunks(Hs);
random_terms(S, N, Acc) ->
    {T, S1} = gen(S, N rem 5),
    H = erlang:phash2(T, 1 bsl 32) bxor (erlang:phash(T, 1 bsl 32) bsl 32),
    random_terms(next(S1), N - 1, [H | Acc]).

print_chunks([]) -> ok;
print_chunks(L) when length(L) =< 6 -> io:format("~w~n", [L]);
print_chunks([A, B, C, D, E, F | T]) ->
    io:format("~w~n", [[A, B, C, D, E, F]]),
    print_chunks(T).
