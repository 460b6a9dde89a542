%% Every kind of token erl_scan produces.
-module(lexer).
-export([atoms/0, numbers/0, chars/0, strings/0]).

atoms() ->
    [foo, 'Foo', 'with space', 'tab\there', 'quote\'s', '\x{41}\101\^A\s\d',
     a@b, 'end', maybe, else, ñandú, 'ünïcödé', '', x_1@Y].

numbers() ->
    [0, 42, 1_000_000, 16#ff, 16#FF, 2#1010, 8#777, 36#zz, 3#1_2,
     123456789012345678901234567890, 16#123456789abcdef0123456789,
     1.5, 2.0e3, 1.0E-2, 10.25, 1_0.2_5, 6.02214076e23, 0.0,
     -1, - 2, +3, 5.0e-324, 1.7976931348623157e308].

chars() ->
    [$a, $\n, $\s, $\t, $\\, $\', $\", $\x{1F600}, $\^A, $\^z, $\101, $\7, $\x41,
     $ , $é, $\e, $\d, $\b, $\f, $\v, $\r, $\q].

strings() ->
    ["plain", "adjacent" " strings" "
 with newline", "esc\"aped\\", "\x{2603} snow", "oct\101\60\0", "",
     "ctrl\^G", 'atom' ++ "s"].
