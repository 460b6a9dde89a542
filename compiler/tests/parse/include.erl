%% -include, nested includes and ?FILE inside a header.
-module(include).
-include("include/header.hrl").
-export([f/0]).
f() -> {?FROM_HEADER, ?NESTED, header_fun()}.
