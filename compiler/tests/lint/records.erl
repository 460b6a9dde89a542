-module(records).
-export([f/1, g/0, h/1]).
-record(r, {a, b = 2}).
-record(r, {c}).
-record(s, {x, x}).

f(R) -> R#r.nope.
g() -> #t{}.
h(R) -> {#r{a = 1, zz = 2}, R#s.x, #r.q}.
