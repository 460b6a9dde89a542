-module(export_all).
-compile([export_all, nowarn_shadow_vars]).

a() -> b().
b() -> ok.
c(X) -> [X || X <- [1]].
