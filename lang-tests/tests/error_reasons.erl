%% The exact error reasons of the runtime: badmatch, function_clause,
%% case_clause, if_clause, try_clause, badarith, badarg (from many BIFs),
%% undef, badfun, badarity (only the tag is printed: the reason contains
%% a fun), badkey, badmap, badrecord, bad_generator, bad_filter and
%% system_limit. Each is printed as {Class, Reason}, both from try/catch
%% and from `catch Expr` (as {'EXIT', Reason}).
-module(error_reasons).
-export([main/1, exported/1]).

-record(rec, {field = 1, other}).
-record(other_rec, {a, b}).

id(X) -> X.

exported(X) -> X.

%% Run F and return {value, V} or {Class, Reason} (never the stacktrace).
err(F) ->
    try F() of
        V -> {value, V}
    catch
        C:R -> {C, R}
    end.

%% Like err/1 but keeps only element 1 of a tuple reason (for reasons
%% containing funs).
err_tag(F) ->
    try F() of
        V -> {value, V}
    catch
        C:R when is_tuple(R) -> {C, element(1, R)};
        C:R -> {C, R}
    end.

%% The reason from a `catch Expr`.
caught(F) ->
    case catch F() of
        {'EXIT', {Reason, St}} when is_list(St) -> {'EXIT', Reason};
        Other -> {no_exit, Other}
    end.

show(Label, Result) ->
    io:format("~s: ~p~n", [Label, Result]).

main(_Args) ->
    badmatch(),
    function_clause(),
    case_clause(),
    if_clause(),
    try_clause(),
    badarith(),
    badarg(),
    undef(),
    badfun(),
    badarity(),
    maps_(),
    badrecord(),
    comprehensions(),
    system_limit(),
    explicit(),
    ok.

badmatch() ->
    io:format("== badmatch~n"),
    show("int", err(fun() -> 1 = id(2) end)),
    show("tuple", err(fun() -> {a, _} = id({b, c}) end)),
    show("list", err(fun() -> [_] = id([1, 2]) end)),
    show("string", err(fun() -> "abc" = id("abd") end)),
    show("map", err(fun() -> #{a := _} = id(#{b => 1}) end)),
    show("map not map", err(fun() -> #{} = id(notamap) end)),
    show("binary", err(fun() -> <<"x">> = id(<<"y">>) end)),
    show("float", err(fun() -> 1.0 = id(1) end)),
    show("bound var", err(fun() -> X = id(1), X = id(2) end)),
    show("repeated var", err(fun() -> {Y, Y} = id({1, 2}) end)),
    show("catch", caught(fun() -> ok = id(not_ok) end)).

fc(0) -> zero;
fc(N) when is_integer(N), N > 0 -> pos.

fc2(a, b) -> ab.

function_clause() ->
    io:format("== function_clause~n"),
    show("local", err(fun() -> fc(id(-1)) end)),
    show("type", err(fun() -> fc(id(x)) end)),
    show("two args", err(fun() -> fc2(id(a), id(c)) end)),
    F = fun(ok) -> ok end,
    show("fun", err(fun() -> F(id(nok)) end)),
    G = fun(X) when X > 10 -> big end,
    show("fun guard", err(fun() -> G(id(1)) end)),
    show("catch", caught(fun() -> fc(id(-5)) end)).

case_clause() ->
    io:format("== case_clause~n"),
    Cc = fun(V) -> case V of a -> 1; b -> 2 end end,
    show("atom", err(fun() -> Cc(id(c)) end)),
    show("tuple", err(fun() -> Cc(id({x, [y]})) end)),
    show("int", err(fun() -> Cc(id(42)) end)),
    show("guard", err(fun() -> case id(5) of N when N > 10 -> big end end)),
    show("catch", caught(fun() -> Cc(id("s")) end)).

if_clause() ->
    io:format("== if_clause~n"),
    show("simple", err(fun() -> X = id(1), if X > 1 -> big; X < 1 -> small end end)),
    show("guard error", err(fun() -> X = id(a), if X + 1 > 0 -> yes end end)),
    show("catch", caught(fun() -> B = id(false), if B -> no end end)).

try_clause() ->
    io:format("== try_clause~n"),
    show("atom", err(fun() -> try id(c) of a -> 1; b -> 2 catch _:_ -> caught end end)),
    show("tuple", err(fun() -> try id({1, 2}) of {_} -> one catch _:_ -> caught end end)),
    show("catch", caught(fun() -> try id(1) of 2 -> two after ok end end)).

badarith() ->
    io:format("== badarith~n"),
    show("int + atom", err(fun() -> id(1) + id(a) end)),
    show("atom - int", err(fun() -> id(a) - id(1) end)),
    show("list * int", err(fun() -> id([1]) * id(2) end)),
    show("float / atom", err(fun() -> id(1.0) / id(b) end)),
    show("div by zero", err(fun() -> id(1) div id(0) end)),
    show("rem by zero", err(fun() -> id(1) rem id(0) end)),
    show("/ by zero", err(fun() -> id(1) / id(0) end)),
    show("/ by 0.0", err(fun() -> id(1) / id(0.0) end)),
    show("div float", err(fun() -> id(4.0) div id(2) end)),
    show("rem float", err(fun() -> id(4) rem id(2.0) end)),
    show("band float", err(fun() -> id(1.0) band id(1) end)),
    show("bor atom", err(fun() -> id(a) bor id(1) end)),
    show("bxor", err(fun() -> id(1) bxor id([]) end)),
    show("bsl float", err(fun() -> id(1) bsl id(1.0) end)),
    show("bsr atom", err(fun() -> id(a) bsr id(1) end)),
    show("bnot float", err(fun() -> bnot id(1.0) end)),
    show("unary minus", err(fun() -> -id(a) end)),
    show("unary plus", err(fun() -> +id(a) end)),
    show("float overflow", err(fun() -> id(1.0e308) * id(10.0) end)),
    show("catch", caught(fun() -> id(x) * 2 end)).

badarg() ->
    io:format("== badarg~n"),
    Cases =
        [{"atom_to_list(1)", fun() -> atom_to_list(id(1)) end},
         {"element(5, {a})", fun() -> element(id(5), id({a})) end},
         {"element(0, {a})", fun() -> element(id(0), id({a})) end},
         {"element(1, [a])", fun() -> element(id(1), id([a])) end},
         {"setelement(3, {a}, x)", fun() -> setelement(id(3), id({a}), x) end},
         {"list_to_integer(\"x\")", fun() -> list_to_integer(id("x")) end},
         {"list_to_integer(abc)", fun() -> list_to_integer(id(abc)) end},
         {"list_to_integer(\"1\", 37)", fun() -> list_to_integer(id("1"), id(37)) end},
         {"integer_to_list(1.0)", fun() -> integer_to_list(id(1.0)) end},
         {"integer_to_list(10, 1)", fun() -> integer_to_list(id(10), id(1)) end},
         {"list_to_float(\"1\")", fun() -> list_to_float(id("1")) end},
         {"hd([])", fun() -> hd(id([])) end},
         {"tl([])", fun() -> tl(id([])) end},
         {"hd(a)", fun() -> hd(id(a)) end},
         {"length([1|2])", fun() -> length(id([1 | 2])) end},
         {"length(a)", fun() -> length(id(a)) end},
         {"tuple_size([])", fun() -> tuple_size(id([])) end},
         {"tuple_to_list(a)", fun() -> tuple_to_list(id(a)) end},
         {"list_to_tuple(a)", fun() -> list_to_tuple(id(a)) end},
         {"list_to_tuple([a|b])", fun() -> list_to_tuple(id([a | b])) end},
         {"make_tuple(-1, x)", fun() -> erlang:make_tuple(id(-1), x) end},
         {"list_to_atom(a)", fun() -> list_to_atom(id(a)) end},
         {"list_to_atom([-1])", fun() -> list_to_atom(id([-1])) end},
         {"list_to_existing_atom", fun() -> list_to_existing_atom(id("no_such_atom_zq9x")) end},
         {"atom_to_binary(1)", fun() -> atom_to_binary(id(1)) end},
         {"binary_to_list(a)", fun() -> binary_to_list(id(a)) end},
         {"list_to_binary([256])", fun() -> list_to_binary(id([256])) end},
         {"list_to_binary(a)", fun() -> list_to_binary(id(a)) end},
         {"abs(a)", fun() -> abs(id(a)) end},
         {"trunc(a)", fun() -> trunc(id(a)) end},
         {"round(\"1\")", fun() -> round(id("1")) end},
         {"float(a)", fun() -> float(id(a)) end},
         {"float_to_list(1)", fun() -> float_to_list(id(1)) end},
         {"a ++ [1]", fun() -> id(a) ++ [1] end},
         {"[1|2] ++ [3]", fun() -> id([1 | 2]) ++ [3] end},
         {"[1] -- a", fun() -> [1] -- id(a) end},
         {"a -- [1]", fun() -> id(a) -- [1] end},
         {"apply(m, f, a)", fun() -> apply(id(m), f, id(a)) end},
         {"apply(1, f, [])", fun() -> apply(id(1), f, []) end},
         {"map_size(a)", fun() -> map_size(id(a)) end},
         {"not 1", fun() -> not id(1) end},
         {"1 and true", fun() -> id(1) and true end},
         {"true or 1", fun() -> true or id(1) end},
         {"a xor b", fun() -> id(a) xor id(b) end},
         {"get(nothing) is no error", fun() -> get(id(nothing)) end},
         {"error(badarg)", fun() -> error(badarg) end},
         {"catch hd([])", fun() -> caught(fun() -> hd(id([])) end) end}],
    [show(Label, err(F)) || {Label, F} <- Cases],
    %% andalso/orelse only check the type of their left operand
    show("1 andalso x", err(fun() -> id(1) andalso x end)),
    show("false orelse x", err(fun() -> id(false) orelse x end)),
    show("true andalso 1", err(fun() -> id(true) andalso 1 end)),
    ok.

undef() ->
    io:format("== undef~n"),
    show("missing module", err(fun() -> nonexistent_mod:f() end)),
    show("missing module, args", err(fun() -> nonexistent_mod:g(1, 2) end)),
    show("missing function", err(fun() -> (id(?MODULE)):no_such_function() end)),
    show("wrong arity", err(fun() -> (id(?MODULE)):exported(1, 2) end)),
    show("unexported", err(fun() -> (id(?MODULE)):id(1) end)),
    show("apply/3", err(fun() -> apply(id(nonexistent_mod), f, [1]) end)),
    show("fun M:F/A", err(fun() -> F = fun nonexistent_mod:f/0, F() end)),
    show("exported ok", err(fun() -> (id(?MODULE)):exported(ok) end)),
    show("function_exported", {erlang:function_exported(?MODULE, exported, 1),
                               erlang:function_exported(?MODULE, id, 1),
                               erlang:function_exported(nonexistent_mod, f, 0)}),
    show("catch", caught(fun() -> nonexistent_mod:f() end)).

badfun() ->
    io:format("== badfun~n"),
    show("atom", err(fun() -> (id(not_a_fun))() end)),
    show("integer", err(fun() -> (id(1))(2) end)),
    show("tuple", err(fun() -> (id({m, f}))() end)),
    show("list", err(fun() -> (id([]))(a, b) end)),
    show("apply/2", err(fun() -> apply(id(atom), []) end)),
    show("catch", caught(fun() -> (id(x))() end)).

badarity() ->
    io:format("== badarity~n"),
    F = fun(A) -> A end,
    show("too many", err_tag(fun() -> F(1, 2) end)),
    show("too few", err_tag(fun() -> F() end)),
    show("apply/2", err_tag(fun() -> apply(F, [1, 2, 3]) end)),
    show("ext fun", err_tag(fun() -> G = fun ?MODULE:exported/1, G() end)),
    show("args", try F(x, y) catch error:{badarity, {Fun, Args}} -> {is_function(Fun, 1), Args} end),
    show("catch", case catch F() of {'EXIT', {{badarity, _}, _}} -> badarity; O -> O end).

maps_() ->
    io:format("== badkey / badmap~n"),
    M = id(#{a => 1}),
    show("update :=", err(fun() -> M#{k := 1} end)),
    show("update := second key", err(fun() -> M#{a := 2, z := 3} end)),
    show("map_get", err(fun() -> map_get(k, M) end)),
    show("map_get ok", err(fun() -> map_get(a, M) end)),
    show("badmap =>", err(fun() -> (id(1))#{a => 1} end)),
    show("badmap :=", err(fun() -> (id([x]))#{a := 1} end)),
    show("map_get badmap", err(fun() -> map_get(a, id(1)) end)),
    show("is_map_key badmap", err(fun() -> is_map_key(a, id(not_map)) end)),
    show("map_size", err(fun() -> map_size(id([])) end)),
    show("match", err(fun() -> #{a := X} = id(#{b => 1}), X end)),
    show("match value", err(fun() -> #{a := 2} = M end)),
    show("catch", caught(fun() -> M#{missing := 0} end)).

badrecord() ->
    io:format("== badrecord~n"),
    show("access atom", err(fun() -> (id(foo))#rec.field end)),
    show("access other record", err(fun() -> (id(#other_rec{a = 1}))#rec.field end)),
    show("access short tuple", err(fun() -> (id({rec}))#rec.field end)),
    show("update", err(fun() -> (id(#other_rec{}))#rec{field = 2} end)),
    show("update tuple", err(fun() -> (id({a, b, c}))#rec{other = 2} end)),
    show("ok access", err(fun() -> (id(#rec{}))#rec.field end)),
    show("catch", caught(fun() -> (id(bar))#rec.other end)).

comprehensions() ->
    io:format("== comprehension errors~n"),
    show("bad_generator", err(fun() -> [X || X <- id(atom)] end)),
    show("bad_generator tail", err(fun() -> [X || X <- id([1 | improper])] end)),
    show("bad_filter", err(fun() -> [X || X <- id([1]), id(not_bool)] end)).

system_limit() ->
    io:format("== system_limit~n"),
    show("long atom", err(fun() -> list_to_atom(lists:duplicate(id(256), $a)) end)),
    show("255 chars ok", err(fun() -> length(atom_to_list(list_to_atom(lists:duplicate(id(255), $a)))) end)),
    show("make_tuple", err(fun() -> erlang:make_tuple(id(1 bsl 40), x) end)).

explicit() ->
    io:format("== explicit reasons~n"),
    show("error tuple", err(fun() -> error({my, reason}) end)),
    show("error/2", err(fun() -> error(my_reason, [a, b]) end)),
    show("exit", err(fun() -> exit(my_exit) end)),
    show("throw", err(fun() -> throw(my_throw) end)),
    show("error(function_clause)", err(fun() -> error(function_clause) end)),
    show("catch exit", case catch exit(x) of {'EXIT', R} -> {exit_reason, R} end),
    show("catch throw", catch throw(thrown_value)).
