-module(binary_patterns).
-export([f/1, g/1, h/1]).

f(<<A:8, Rest/binary, 0:3>>) -> {A, Rest}.

g(<<A/bits, B:8>>) -> {A, B};
g(<<_/binary>>) -> ok.

h(<<S:8, B:S/binary, R/bits>>) -> {B, R}.
