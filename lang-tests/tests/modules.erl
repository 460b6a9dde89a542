-module(modules).
-export([main/1, local/1]).
%% Modules: remote, dynamic and apply calls; a module loaded on demand from
%% a -pa directory (tests/lib); module_info; function_exported; undef.

local(X) -> {local, X}.
id(X) -> X.

main(_) ->
    io:format("~p~n", [lt_helper:double(21)]),
    M = id(lt_helper), F = id(sum),
    io:format("~p~n", [M:F(1, 2)]),
    io:format("~p~n", [apply(lt_helper, double, [4])]),
    io:format("~p~n", [apply(fun lt_helper:double/1, [5])]),
    io:format("~p~n", [apply(fun(A, B) -> A - B end, [10, 3])]),
    io:format("~p~n", [erlang:apply(?MODULE, local, [x])]),
    io:format("~p~n", [lt_helper:apply_twice(fun lt_helper:double/1, 3)]),
    io:format("~p~n", [lt_helper:hidden_caller()]),
    Fun = fun lt_helper:sum/2,
    io:format("~p ~p~n", [Fun(5, 6), erlang:fun_info(Fun, arity)]),
    io:format("~w~n", [lists:sort(lt_helper:module_info(exports))]),
    io:format("~p~n", [lt_helper:module_info(module)]),
    io:format("~p~n", [[K || {K, _} <- lt_helper:module_info()]]),
    io:format("~p~n", [lists:sort(?MODULE:module_info(exports))]),
    io:format("~p~n", [[erlang:function_exported(lt_helper, double, 1),
                        erlang:function_exported(lt_helper, hidden, 1),
                        erlang:function_exported(lt_helper, double, 2),
                        erlang:function_exported(modules, main, 1),
                        erlang:function_exported(never_loaded_module, f, 0)]]),
    Undef = fun(G) -> try G() catch error:undef:St -> {undef, hd(St)} end end,
    io:format("~p~n", [Undef(fun() -> no_such_module:f(1) end)]),
    io:format("~p~n", [Undef(fun() -> lt_helper:no_such_fun(1, 2) end)]),
    io:format("~p~n", [Undef(fun() -> apply(lt_helper, double, [1, 2]) end)]),
    io:format("~p~n", [Undef(fun() -> (id(lt_helper)):hidden(1) end)]),
    Badarg = fun(G) -> try G() catch error:R:St -> {R, hd(St)} end end,
    io:format("~w~n", [Badarg(fun() -> apply(id(1), f, []) end)]),
    io:format("~w~n", [Badarg(fun() -> apply(lt_helper, id("double"), [1]) end)]),
    ok.
