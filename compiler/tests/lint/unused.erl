-module(unused).
-export([a/0]).
-on_load(init/0).

a() -> b(fun c/1).
b(F) -> F.
c(X) -> X.
d() -> e().
e() -> d().
init() -> helper().
helper() -> ok.
f(_X, Y) -> Y.
g(_) -> ok.
