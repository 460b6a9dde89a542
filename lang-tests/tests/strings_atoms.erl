%% Strings and atoms: string literals and escapes, adjacent literal
%% concatenation, $c character literals, strings as lists of integers,
%% atom_to_list/list_to_atom/list_to_existing_atom, quoted atoms (spaces,
%% capitals, punctuation, unicode) and how ~p/~w quote them, ~s of strings,
%% atoms, binaries and iolists, ~p of lists that are or are not printable
%% strings, ~c, field widths, and length/++/-- on strings.
-module(strings_atoms).
-export([main/1]).

id(X) -> X.

main(_Args) ->
    literals(),
    escapes(),
    chars(),
    atoms(),
    quoting(),
    format_s(),
    printable(),
    operations(),
    conversions(),
    ok.

literals() ->
    io:format("== literals~n"),
    S = "hello",
    io:format("~p~n", [S]),
    io:format("~w~n", [S]),
    io:format("~s~n", [S]),
    io:format("~p~n", [length(S)]),
    io:format("~p~n", [S =:= [$h, $e, $l, $l, $o]]),
    io:format("~p~n", [S =:= [104, 101, 108, 108, 111]]),
    io:format("~p~n", ["" =:= []]),
    %% adjacent string literals are concatenated at compile time
    io:format("~p~n", ["abc" "def" "ghi"]),
    io:format("~p~n", [hd("xyz")]),
    io:format("~p~n", [tl("xyz")]),
    io:format("~p~n", ["multi
line"]).

escapes() ->
    io:format("== escapes~n"),
    E = "\t\n\"\\",
    io:format("~p~n", [E]),
    io:format("~w~n", [E]),
    io:format("~p~n", [length(E)]),
    io:format("[~s]~n", [E]),
    All = "\b\d\e\f\n\r\s\t\v\'\"\\",
    io:format("~w~n", [All]),
    io:format("~p~n", [All]),
    io:format("~w~n", ["\101\102\103"]),
    io:format("~w~n", ["\x41\x42\x{43}\x{3b1}"]),
    io:format("~w~n", ["\^A\^Z\^a\^["]),
    io:format("~w~n", ["\7\07\007\0"]),
    io:format("~p~n", ["tab\there"]),
    io:format("~p~n", ["quote\"inside"]),
    io:format("~p~n", ["back\\slash"]),
    io:format("~p~n", ["single'quote"]),
    io:format("~p~n", ['atom\'quote']),
    io:format("~p~n", ['atom\nnewline']),
    io:format("~p~n", [<<"bin\t\"x\"">>]).

chars() ->
    io:format("== character literals~n"),
    io:format("~p~n", [[$a, $z, $A, $Z, $0, $9, $\s, $\n, $\t, $\\, $', $", $$]]),
    io:format("~p~n", [$a + 1]),
    io:format("~c~c~c~n", [$o, $k, $!]),
    io:format("~p~n", [[$\x41, $\101, $\^A]]),
    io:format("~p~n", [$a =:= 97]),
    io:format("~p~n", [[C + 1 || C <- "HAL"]]),
    io:format("~s~n", [[C + 1 || C <- "HAL"]]).

atoms() ->
    io:format("== atoms~n"),
    io:format("~p~n", [atom_to_list(hello)]),
    io:format("~p~n", [atom_to_list('Hello World')]),
    io:format("~p~n", [atom_to_list('')]),
    io:format("~p~n", [list_to_atom("dynamic_atom")]),
    io:format("~p~n", [list_to_atom("With Space")]),
    io:format("~p~n", [list_to_atom("")]),
    io:format("~p~n", [list_to_atom("hello") =:= hello]),
    io:format("~p~n", [list_to_existing_atom("hello")]),
    io:format("~p~n", [try list_to_existing_atom(id("surely_not_an_existing_atom_qq7"))
                       catch C:R -> {C, R} end]),
    io:format("~p~n", [atom_to_binary(hello)]),
    io:format("~p~n", [atom_to_binary('a b', utf8)]),
    io:format("~p~n", [length(atom_to_list(abcdefghij))]),
    io:format("~p~n", [is_atom('123')]),
    io:format("~p~n", [[is_atom(X) || X <- [true, false, undefined, 'true', "true"]]]),
    io:format("~p~n", ['true' =:= true]),
    %% atoms round-trip through lists
    As = [a, 'B', 'c d', '1', '_x', 'x@y', 'é', ok],
    io:format("~p~n", [[list_to_atom(atom_to_list(A)) =:= A || A <- As]]),
    %% unicode atoms (inspected as code points only)
    io:format("~w ~w~n", [atom_to_list('Ωmega é'), length(atom_to_list('Ωmega é'))]),
    io:format("~w~n", [list_to_atom([937, 109]) =:= 'Ωm']),
    io:format("~w~n", [binary_to_list(atom_to_binary('é'))]).

quoting() ->
    io:format("== quoting of atoms by ~~p and ~~w~n"),
    As = [hello, 'hello world', 'Capital', '_under', '123', 'a-b', 'a.b', 'a@b', a_1,
          'a1', '', ' ', '\'', '\\', 'tab\t', 'ok?', 'Hello',
          'true', 'fun', 'end', 'case', 'of', 'and', 'not', 'div', 'receive', 'when',
          'catch', 'maybe', 'else', [], '[]', '{}', '#', 'x.y.z', aBC, 'hello\nworld'],
    [io:format("~p ~w~n", [A, A]) || A <- As],
    io:format("~p~n", [{'hello world', 'ok', 'Ok'}]),
    io:format("~p~n", [['a b', c]]).

format_s() ->
    io:format("== ~~s~n"),
    io:format("~s~n", ["plain string"]),
    io:format("~s~n", [atom_as_string]),
    io:format("~s~n", ['Quoted Atom']),
    io:format("~s~n", [<<"binary string">>]),
    io:format("~s~n", [["io", $l, "ist", [" with", [" nested"]], <<" parts">>]]),
    io:format("~s~n", [[]]),
    io:format("~s|~s|~s~n", ["a", "", "c"]),
    io:format("[~10s]~n", ["right"]),
    io:format("[~-10s]~n", ["left"]),
    io:format("~s~s~n", ["con", "cat"]),
    io:format("~~ literal tilde and ~s~n", ["arg"]),
    io:format("no args~n"),
    io:format("no args, no newline"),
    io:format("~n"),
    io:format("~s~n", [[$a, [$b, [$c]], "d"]]),
    io:format("~p~n", [lists:flatten(["ab", [$c, "de"], []])]).

printable() ->
    io:format("== printable lists~n"),
    Ls = [[104, 105], [1, 2, 3], [], [65], [32], [126], [127], [128], [159], [256],
          [104, 105, 0], [104, 105, 1000], [10], [9, 10, 13], [7], [8], [11, 12], [27],
          [31], "abc\n", [$a | $b], [a, b], [[104, 105]], [-1], [955], [1000],
          [13], [0], [104, 105.0], [$a, $b, $c, $d, $e, $f]],
    [io:format("~w: ~p~n", [L, L]) || L <- Ls],
    io:format("~p~n", [{"str", [1], "ok"}]),
    io:format("~p~n", [["one", "two"]]),
    io:format("~p~n", [[[1, 2], "ab"]]),
    io:format("~w~n", ["str"]).

operations() ->
    io:format("== operations on strings~n"),
    S = id("hello world"),
    io:format("~p~n", [S ++ "!"]),
    io:format("~p~n", ["" ++ S]),
    io:format("~p~n", [S -- "lo"]),
    io:format("~p~n", [S -- "xyz"]),
    io:format("~p~n", ["aaa" -- "a"]),
    io:format("~p~n", [lists:reverse(S)]),
    io:format("~p~n", [length(S)]),
    io:format("~p~n", [lists:nth(7, S)]),
    io:format("~p~n", [lists:member($w, S)]),
    io:format("~p~n", [lists:append(["a", "b", "c"])]),
    io:format("~p~n", [lists:flatten(["a", ["b", ["c"]]])]),
    io:format("~p~n", [lists:duplicate(3, $x)]),
    io:format("~p~n", [lists:sort("hello")]),
    io:format("~p~n", [[C || C <- S, C =/= $o]]),
    io:format("~p~n", [to_upper(S)]),
    io:format("~p~n", [join(["a", "b", "c"], ", ")]),
    io:format("~p~n", [reverse_words(S)]),
    %% comparison of strings
    io:format("~p ~p ~p~n", ["abc" < "abd", "abc" < "ab", "B" < "a"]),
    %% unicode code points in strings
    U = "αβγ",
    io:format("~w ~p~n", [U, length(U)]).

to_upper(S) -> [if C >= $a, C =< $z -> C - 32; true -> C end || C <- S].

join([], _) -> [];
join([H], _) -> H;
join([H | T], Sep) -> H ++ Sep ++ join(T, Sep).

reverse_words(S) -> join(lists:reverse(words(S, [], [])), " ").

words([], [], Acc) -> lists:reverse(Acc);
words([], W, Acc) -> lists:reverse([lists:reverse(W) | Acc]);
words([$\s | T], W, Acc) -> words(T, [], [lists:reverse(W) | Acc]);
words([C | T], W, Acc) -> words(T, [C | W], Acc).

conversions() ->
    io:format("== conversions~n"),
    io:format("~p~n", [integer_to_list(12345)]),
    io:format("~p~n", [integer_to_list(-42)]),
    io:format("~p~n", [list_to_integer("-0042")]),
    io:format("~p~n", [float_to_list(1.5, [{decimals, 2}])]),
    io:format("~p~n", [list_to_float("2.5e3")]),
    io:format("~p~n", [list_to_binary(["ab", $c, <<"de">>])]),
    io:format("~p~n", [binary_to_list(<<"xyz">>)]),
    io:format("~p~n", [binary_to_list(<<1, 2, 3>>)]),
    io:format("~p~n", [list_to_binary([])]),
    io:format("~p~n", [tuple_to_list({a, "b", 3})]),
    io:format("~p~n", [list_to_tuple("abc")]),
    io:format("~p~n", [atom_to_list(list_to_atom(integer_to_list(99)))]),
    io:format("~p~n", [integer_to_binary(255)]),
    io:format("~p~n", [integer_to_binary(255, 16)]).
