%% io_lib beyond format/2: write and print of terms (with depth), quoting
%% of atoms, strings and characters in each encoding, the character-list
%% predicates, chars_length and indentation, and their errors.
-module(stdlib_io_lib).
-export([main/1]).

-include("lib/show.hrl").

id(X) -> X.

main(_) ->
    F = fun lists:flatten/1,
    ?T(F(io_lib:write({a, "b", [1, 2.5], <<"c">>, #{k => v}}))),
    ?T(F(io_lib:write([1, [2, [3, [4, [5]]]]], 3))),
    ?T(F(io_lib:write([1, [2, [3, [4, [5]]]]], [{depth, 4}]))),
    ?T(F(io_lib:write([1, [2, [3]]], 2, true))),
    ?T(F(io_lib:write([a, b, c, d, e], 3, false))),
    ?T(F(io_lib:print(lists:seq(1, 40)))),
    ?T(F(io_lib:print("text"))),
    ?T(io_lib:nl()),
    ?T(F(io_lib:format("~p ~s", [x, "y"], []))),
    ?T(F(io_lib:format("~p", [x], [{chars_limit, -1}]))),
    ?T(F(io_lib:fwrite("~w", [z]))),
    ?T(F(io_lib:format("~p", [x], [{bad, option}]))),
    [?T(F(io_lib:write_atom(A))) || A <- [abc, 'Abc', 'a b', 'é', 'if', '', aB_1@x, 'x-y']],
    [?T(F(io_lib:write_atom_as_latin1(A))) || A <- [abc, 'Ab', 'ü', 'ок']],
    [?T(io_lib:quote_atom(A, atom_to_list(A))) || A <- [abc, 'Abc', 'case', 'a.b', 'ñu', 'ß']],
    Strings = ["plain", "q\"uote", "back\\slash", "nl\nt\tr\r", [0, 7, 27, 127, 128, 159],
               "é ü", [16#3b1, 16#3b2], "'single'", ""],
    [?T(F(io_lib:write_string(S))) || S <- Strings],
    [?T(F(io_lib:write_string(S, $'))) || S <- Strings],
    [?T(F(io_lib:write_string_as_latin1(S))) || S <- Strings],
    [?T(F(io_lib:write_latin1_string(S))) || S <- Strings, lists:all(fun(C) -> C < 256 end, S)],
    [?T(F(io_lib:write_unicode_string(S))) || S <- Strings],
    Chars = [$a, $\s, $\n, $\\, $", $', 0, 127, 200, 16#3b1],
    [?T(F(io_lib:write_char(C))) || C <- Chars],
    [?T(F(io_lib:write_char_as_latin1(C))) || C <- Chars],
    [?T(F(io_lib:write_unicode_char(C))) || C <- Chars],
    [?T(F(io_lib:write_latin1_char(C))) || C <- Chars, C < 256],
    ?T(io_lib:write_latin1_char(id(300))),
    ?T(io_lib:write_char(id(-1))),
    Lists = ["abc", "a\nb", [1, 2], [200], [16#3b1], [16#D800], [a], [$a | b], [], [-1],
             ["ab", [$c]], ["ab", <<"c">>], [[16#3b1]], [16#10FFFF], [16#110000]],
    [?T({io_lib:char_list(L), io_lib:deep_char_list(L), io_lib:latin1_char_list(L),
         io_lib:deep_latin1_char_list(L), io_lib:deep_unicode_char_list(L)}) || L <- Lists],
    [?T({io_lib:printable_list(L), io_lib:printable_latin1_list(L),
         io_lib:printable_unicode_list(L)}) || L <- Lists],
    ?T(io_lib:chars_length("abc")),
    ?T(io_lib:chars_length(["ab", <<"cd">>, $e])),
    ?T(io_lib:chars_length([16#3b1, "x"])),
    ?T(io_lib:indentation("abc", 0)),
    ?T(io_lib:indentation("ab\ncd", 4)),
    ?T(io_lib:indentation("a\tb", 0)),
    ?T(io_lib:indentation(["ab", ["c\t"]], 3)),
    ok.
