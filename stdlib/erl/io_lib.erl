%% io_lib: formatting to character lists. format/2 and fwrite/2 are native
%% (vm/src/bif/format.rs; a native registered for M:F/A takes precedence
%% over the code below); the rest is written here on top of them, with
%% OTP's results: write/print of terms, quoting of atoms, strings and
%% characters, and the character-list predicates.
-module(io_lib).
-export([format/2, fwrite/2, format/3, fwrite/3, write/1, write/2, write/3, print/1, nl/0,
         write_atom/1, write_atom_as_latin1/1, quote_atom/2,
         write_string/1, write_string/2, write_string_as_latin1/1, write_string_as_latin1/2,
         write_latin1_string/1, write_latin1_string/2, write_unicode_string/1,
         write_char/1, write_char_as_latin1/1, write_latin1_char/1, write_unicode_char/1,
         char_list/1, deep_char_list/1, latin1_char_list/1, deep_latin1_char_list/1,
         deep_unicode_char_list/1,
         printable_list/1, printable_latin1_list/1, printable_unicode_list/1,
         chars_length/1, indentation/2]).

format(Format, Args) -> io_lib:format(Format, Args).
fwrite(Format, Args) -> io_lib:format(Format, Args).

%% Options other than chars_limit are ignored, as on OTP; a chars_limit
%% (truncated output) is not supported yet.
format(Format, Args, Options) when is_list(Options) ->
    case proplists:get_value(chars_limit, Options, -1) of
        -1 -> io_lib:format(Format, Args);
        _ -> erlang:error(notsup, [Format, Args, Options])
    end.
fwrite(Format, Args, Options) -> format(Format, Args, Options).

write(Term) -> io_lib:format("~w", [Term]).

write(Term, Depth) when is_integer(Depth) ->
    io_lib:format("~W", [Term, Depth]);
write(Term, Options) when is_list(Options) ->
    Depth = proplists:get_value(depth, Options, -1),
    case proplists:get_value(encoding, Options, latin1) of
        unicode -> io_lib:format("~tW", [Term, Depth]);
        _ -> io_lib:format("~W", [Term, Depth])
    end.

write(Term, Depth, true) -> io_lib:format("~P", [Term, Depth]);
write(Term, Depth, false) -> write(Term, Depth).

print(Term) -> io_lib:format("~p", [Term]).

nl() -> "\n".

%% ------------------------------------------------------------ quoting

write_atom(A) when is_atom(A) -> io_lib:format("~tw", [A]).
write_atom_as_latin1(A) when is_atom(A) ->
    Chars = atom_to_list(A),
    case lists:all(fun(C) -> C =< 255 end, Chars) of
        true -> io_lib:format("~w", [A]);
        false -> [$' | quoted(as_latin1, Chars, $')]
    end.

%% Whether an atom needs quotes when written.
quote_atom(Atom, Chars) when is_atom(Atom) ->
    case Chars of
        [C | Cs] when C >= $a, C =< $z ->
            not (lists:all(fun name_char/1, Cs) andalso not reserved(Atom));
        [C | Cs] when C >= $ß, C =< $ÿ, C =/= $÷ ->
            not (lists:all(fun name_char/1, Cs) andalso not reserved(Atom));
        _ ->
            true
    end.

name_char(C) when C >= $a, C =< $z -> true;
name_char(C) when C >= $ß, C =< $ÿ, C =/= $÷ -> true;
name_char(C) when C >= $A, C =< $Z -> true;
name_char(C) when C >= $À, C =< $Þ, C =/= $× -> true;
name_char(C) when C >= $0, C =< $9 -> true;
name_char($_) -> true;
name_char($@) -> true;
name_char(_) -> false.

reserved(A) ->
    lists:member(A, ['after', 'and', 'andalso', 'band', 'begin', 'bnot', 'bor', 'bsl',
                     'bsr', 'bxor', 'case', 'catch', 'cond', 'div', 'end', 'fun', 'if',
                     'let', 'not', 'of', 'or', 'orelse', 'receive', 'rem', 'try', 'when',
                     'xor', 'maybe', 'else']).

write_string(S) -> write_string(S, $").
write_string(S, Q) -> [Q | quoted(unicode, S, Q)].

write_unicode_string(S) -> write_string(S).

write_latin1_string(S) -> write_latin1_string(S, $").
write_latin1_string(S, Q) -> [Q | quoted(latin1, S, Q)].

write_string_as_latin1(S) -> write_string_as_latin1(S, $").
write_string_as_latin1(S, Q) -> [Q | quoted(as_latin1, S, Q)].

quoted(_, [], Q) -> [Q];
quoted(Enc, [C | Cs], Q) -> escaped(Enc, C, Q) ++ quoted(Enc, Cs, Q).

%% One character inside quotes Q: the quote and backslash escaped,
%% printable characters as they are, the named control characters by
%% name, other control characters in octal.
escaped(_, Q, Q) -> [$\\, Q];
escaped(_, $\\, _) -> "\\\\";
escaped(_, C, _) when C >= $\s, C =< $~ -> [C];
escaped(latin1, C, _) when C >= 16#A0, C =< 16#FF -> [C];
escaped(unicode, C, _) when C >= 16#A0 -> [C];
escaped(as_latin1, C, _) when C >= 16#A0, C =< 16#FF -> [C];
escaped(as_latin1, C, _) when C > 16#FF -> "\\x{" ++ integer_to_list(C, 16) ++ "}";
escaped(_, $\n, _) -> "\\n";
escaped(_, $\r, _) -> "\\r";
escaped(_, $\t, _) -> "\\t";
escaped(_, $\v, _) -> "\\v";
escaped(_, $\b, _) -> "\\b";
escaped(_, $\f, _) -> "\\f";
escaped(_, $\e, _) -> "\\e";
escaped(_, $\d, _) -> "\\d";
escaped(_, C, _) when C < 16#A0 ->
    [$\\, (C bsr 6) + $0, ((C bsr 3) band 7) + $0, (C band 7) + $0].

write_char($\s) -> "$\\s";
write_char(C) when is_integer(C), C >= 0 -> [$$ | escaped(unicode, C, no_quote)].

write_unicode_char(C) -> write_char(C).

write_latin1_char(C) when is_integer(C), C >= 0, C =< 255 -> [$$ | escaped(latin1, C, no_quote)].

write_char_as_latin1(C) when is_integer(C), C >= 0 -> [$$ | escaped(as_latin1, C, no_quote)].

%% --------------------------------------------------------- predicates

char_list([C | Cs]) when is_integer(C), C >= 0, C < 16#D800;
                         is_integer(C), C > 16#DFFF, C < 16#FFFE;
                         is_integer(C), C > 16#FFFF, C =< 16#10FFFF ->
    char_list(Cs);
char_list([]) -> true;
char_list(_) -> false.

deep_char_list(Cs) -> deep(fun char_list/1, Cs).
deep_unicode_char_list(Cs) -> deep(fun char_list/1, Cs).

latin1_char_list([C | Cs]) when is_integer(C), C >= 0, C =< 255 -> latin1_char_list(Cs);
latin1_char_list([]) -> true;
latin1_char_list(_) -> false.

deep_latin1_char_list(Cs) -> deep(fun latin1_char_list/1, Cs).

%% A deep list whose leaves (as flat lists) satisfy Pred.
deep(Pred, L) ->
    try Pred(flatten_chars(L, []))
    catch throw:not_list -> false
    end.

flatten_chars([H | T], Acc) when is_list(H) -> flatten_chars(H, flatten_chars(T, Acc));
flatten_chars([H | T], Acc) -> [H | flatten_chars(T, Acc)];
flatten_chars([], Acc) -> Acc;
flatten_chars(_, _) -> throw(not_list).

%% Printable in the default (latin1) range, as OTP's +pc latin1.
printable_list(L) -> printable_latin1_list(L).

printable_latin1_list([C | Cs]) when is_integer(C), C >= $\s, C =< $~ ->
    printable_latin1_list(Cs);
printable_latin1_list([C | Cs]) when is_integer(C), C >= 16#A0, C =< 16#FF ->
    printable_latin1_list(Cs);
printable_latin1_list([C | Cs]) when C =:= $\n; C =:= $\r; C =:= $\t; C =:= $\v;
                                     C =:= $\b; C =:= $\f; C =:= $\e ->
    printable_latin1_list(Cs);
printable_latin1_list([]) -> true;
printable_latin1_list(_) -> false.

printable_unicode_list([C | Cs]) when is_integer(C), C >= $\s, C =< $~ ->
    printable_unicode_list(Cs);
printable_unicode_list([C | Cs]) when is_integer(C), C >= 16#A0, C < 16#D800;
                                      is_integer(C), C > 16#DFFF, C < 16#FFFE;
                                      is_integer(C), C > 16#FFFF, C =< 16#10FFFF ->
    printable_unicode_list(Cs);
printable_unicode_list([C | Cs]) when C =:= $\n; C =:= $\r; C =:= $\t; C =:= $\v;
                                      C =:= $\b; C =:= $\f; C =:= $\e ->
    printable_unicode_list(Cs);
printable_unicode_list([]) -> true;
printable_unicode_list(_) -> false.

%% Characters in a deep list of characters and binaries.
chars_length(S) ->
    try iolist_size(S)
    catch _:_ -> string:length(S)
    end.

%% The column after printing Chars starting at column Indent (tabs to the
%% next multiple of 8).
indentation([$\n | Cs], _I) -> indentation(Cs, 0);
indentation([$\t | Cs], I) -> indentation(Cs, ((I + 8) div 8) * 8);
indentation([C | Cs], I) when is_integer(C) -> indentation(Cs, I + 1);
indentation([C | Cs], I) -> indentation(Cs, indentation(C, I));
indentation([], I) -> I.
