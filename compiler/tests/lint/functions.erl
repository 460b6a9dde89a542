-module(functions).
-export([a/0, b/1, missing/2, c/0]).
-export([size/1]).
-compile({no_auto_import, [length/1]}).

a() -> undefined_local(1).
b(X) -> length(X).
length(X) -> X.
c() -> {size(c), is_map_key(a, b), fun nope/3}.
size(X) -> X.
is_map_key(A, B) -> {A, B}.
a() -> twice.
unused_fun() -> ok.
