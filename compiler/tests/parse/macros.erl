%% epp's macro language.
-module(macros).
-export([f/0, g/2, h/1, cond_tests/0, line_tests/0]).

-define(ZERO, 0).
-define(ADD(A, B), (A) + (B)).
-define(ADD(A), A + 1).
-define(ADD, add).
-define(STR(X), ??X).
-define(NESTED(X), ?ADD(X, ?ZERO)).
-define(Var, "variable macro name").
-define(COMMAS(L), [L]).
-define(BODY(E), begin E end).
-define(pair(K, V), {K, V}).

f() ->
    {?ZERO, ?ADD(1, 2), ?ADD(3), ?ADD, ?STR(foo(1, "s", $c) -> [x]),
     ?NESTED(4), ?Var, ?COMMAS({a, b}), ?BODY(case x of _ -> y end),
     ?pair(k, fun(X) -> X end), ?pair({1, 2}, <<1, 2>>)}.

g(A, B) -> {?FUNCTION_NAME, ?FUNCTION_ARITY, ?MODULE, ?MODULE_STRING, A, B}.

h(<<>>) -> ?FUNCTION_ARITY;
h([{_, _} | _]) -> {?FUNCTION_NAME, ?MACHINE, ?OTP_RELEASE}.

-ifdef(ZERO).
cond_tests() -> zero_defined.
-else.
cond_tests() -> zero_undefined.
-endif.

-undef(ZERO).
-ifndef(ZERO).
-define(ZERO_GONE, true).
-endif.

-ifdef(NOT_DEFINED).
this is not parsed at all -> at all.
-ifdef(NESTED_SKIPPED).
-else.
-endif.
-endif.

-if(?OTP_RELEASE >= 21 andalso defined(ZERO_GONE)).
-define(IF_TAKEN, yes).
-elif(true).
-define(ELIF_TAKEN, yes).
-else.
-define(ELSE_TAKEN, yes).
-endif.

-if(false).
-elif(?FEATURE_AVAILABLE(maybe_expr)).
-define(FEATURE, available).
-endif.

-if(is_atom(?MODULE) and (length([1, 2]) == 2)).
-define(GUARD_BIF, ok).
-endif.

line_tests() ->
    {?LINE,
     ?LINE, ?ADD(?LINE,
                 ?LINE),
     ?IF_TAKEN, ?FEATURE, ?GUARD_BIF, ?FILE}.
