%% A helper module for the lang-tests: loaded on demand from a -pa directory.
-module(lt_helper).
-export([double/1, apply_twice/2, sum/2]).
-export([hidden_caller/0]).

double(X) -> 2 * X.
apply_twice(F, X) -> F(F(X)).
sum(A, B) -> A + B.
hidden_caller() -> hidden(1).
hidden(X) -> {hidden, X}.
