-module(pretty_atoms_numbers).
-export([main/1]).

%% Atoms, integers and floats inside ~p layouts: atoms quoted where
%% needed (and characters above 255 escaped by ~p but not by ~tp, which
%% changes the layout), big and negative integers, floats.

chars(F, Args) -> lists:flatten(io_lib:format(F, Args)).

main(_) ->
    Atoms = [ok, 'OK', 'hello world', '', 'end', 'after', 'of', 'when', 'maybe', 'else',
             'a-b', 'a.b', a@b, a_b, 'A_b', '_x', 'x1', '1x', 'it\'s', 'back\\slash',
             'tab\there', 'new\nline', '\e', 'é', 'ß', 'ÿ', 'À', '×', 'a×', 'aé'],
    [io:format("~w~n", [chars("~p", [A])]) || A <- ['é', 'ß', 'ÿ', 'À', '×', 'a×', 'aé']],
    io:format("~w~n", [chars("~p", [Atoms])]),
    io:format("~p~n", [lists:sublist(Atoms, 23)]),
    io:format("~30p~n", [lists:sublist(Atoms, 23)]),
    U1 = list_to_atom([1000, $a]),
    U2 = list_to_atom("name_" ++ [20320, 22909]),
    io:format("~p ~tp~n", [U1, U1]),
    io:format("~p ~tp~n", [U2, U2]),
    io:format("~p~n", [[U1, U2, U1, U2, U1, U2, U1, U2, U1, U2]]),
    io:format("~tp~n", [[U1, U2, U1, U2, U1, U2, U1, U2, U1, U2]]),
    io:format("~p~n", [{U2, lists:seq(1, 24)}]),
    io:format("~tp~n", [{U2, lists:seq(1, 24)}]),
    io:format("~p~n", [#{U1 => U2, U2 => [U1, U1, U1, U1, U1, U1]}]),
    io:format("~tp~n", [#{U1 => U2, U2 => [U1, U1, U1, U1, U1, U1]}]),
    %% Integers.
    Ints = [0, 1, -1, 255, -256, 65535, 4294967296, -4294967296, 576460752303423487,
            576460752303423488, -576460752303423488, -576460752303423489,
            123456789012345678901234567890123456789012345678901234567890],
    io:format("~p~n", [Ints]),
    io:format("~40p~n", [Ints]),
    Fact = lists:foldl(fun(I, A) -> I * A end, 1, lists:seq(1, 60)),
    io:format("~p~n", [Fact]),
    io:format("~p~n", [{factorial, 60, Fact}]),
    io:format("~p~n", [[Fact, -Fact]]),
    io:format("~20p~n", [{Fact}]),
    %% Floats.
    Floats = [0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 0.2, 0.30000000000000004, 1.0e15, 1.0e16,
              1.0e-4, 1.0e-5, 123.456, -9.87654321e-12, 1.7976931348623157e308,
              5.0e-324, 2.2250738585072014e-308, 3.141592653589793, 2.718281828459045],
    io:format("~p~n", [Floats]),
    io:format("~50p~n", [list_to_tuple(Floats)]),
    io:format("~p~n", [{point, 1.5, -2.25, 1000000.0}]),
    io:format("~p~n", [[{X, X / 3} || X <- lists:seq(1, 10)]]),
    ok.
