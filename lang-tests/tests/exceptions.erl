%% Exceptions: throw/error/exit caught by try/catch with class patterns
%% (throw:_, error:_, exit:_, _:_, Class:Reason, guards on reasons),
%% try ... of ... catch ... after, the order of side effects (after always
%% runs, also when the exception propagates), `catch Expr` for all three
%% classes, nested try, rethrowing with erlang:raise/3, try_clause,
%% exceptions raised inside of/catch/after clauses, the stacktrace
%% variable (only its shape and top frame are printed), and error/2.
-module(exceptions).
-export([main/1]).

id(X) -> X.

main(_Args) ->
    classes(),
    after_order(),
    catch_expr(),
    nested(),
    of_clauses(),
    raise(),
    stacktraces(),
    misc(),
    ok.

raiser(throw, R) -> throw(R);
raiser(error, R) -> error(R);
raiser(exit, R) -> exit(R);
raiser(value, V) -> V.

classify(F) ->
    try F() of
        V -> {returned, V}
    catch
        throw:T -> {caught_throw, T};
        error:E -> {caught_error, E};
        exit:X -> {caught_exit, X}
    end.

classes() ->
    io:format("== classes~n"),
    [io:format("~p ~p -> ~p~n", [C, R, classify(fun() -> raiser(C, R) end)])
     || {C, R} <- id([{throw, a}, {error, b}, {exit, c}, {value, d},
                      {throw, {complex, [1, 2]}}, {error, {badmatch, 3}},
                      {exit, normal}, {throw, 42}])],
    %% catch-all patterns
    All = fun(F) -> try F() catch Class:Reason -> {Class, Reason} end end,
    io:format("~p~n", [[All(fun() -> raiser(C, x) end) || C <- [throw, error, exit, value]]]),
    Any = fun(F) -> try F() catch _:_ -> caught end end,
    io:format("~p~n", [[Any(fun() -> raiser(C, x) end) || C <- [throw, error, exit, value]]]),
    %% a pattern without class means throw
    OnlyThrow = fun(F) -> try F() catch R -> {thrown, R} end end,
    io:format("~p~n", [OnlyThrow(fun() -> throw(t) end)]),
    io:format("~p~n", [try OnlyThrow(fun() -> error(e) end) catch error:E -> {outer, E} end]),
    %% patterns and guards on the reason select the clause
    Sel = fun(F) ->
                  try F()
                  catch
                      throw:{tag, N} when N > 10 -> {big_tag, N};
                      throw:{tag, N} -> {small_tag, N};
                      error:{badmatch, V} -> {badmatch_of, V};
                      error:R when is_atom(R) -> {atom_error, R};
                      Class:_ when Class =:= exit -> some_exit
                  end
          end,
    io:format("~p~n", [Sel(fun() -> throw({tag, 5}) end)]),
    io:format("~p~n", [Sel(fun() -> throw({tag, 50}) end)]),
    io:format("~p~n", [Sel(fun() -> {a} = id({b}) end)]),
    io:format("~p~n", [Sel(fun() -> error(oops) end)]),
    io:format("~p~n", [Sel(fun() -> exit(whatever) end)]),
    %% no clause matches: the exception propagates unchanged
    io:format("~p~n", [try Sel(fun() -> throw(other) end) catch C:R -> {outer, C, R} end]),
    io:format("~p~n", [try Sel(fun() -> error("str") end) catch C2:R2 -> {outer, C2, R2} end]).

after_order() ->
    io:format("== after~n"),
    R1 = try
             io:format("body~n"),
             body_value
         after
             io:format("after 1~n")
         end,
    io:format("result ~p~n", [R1]),
    R2 = try
             io:format("body~n"),
             throw(boom)
         catch
             throw:X ->
                 io:format("catch ~p~n", [X]),
                 caught_value
         after
             io:format("after 2~n"),
             after_value_is_ignored
         end,
    io:format("result ~p~n", [R2]),
    %% after runs when the exception is not caught here
    R3 = try
             try
                 io:format("inner body~n"),
                 error(inner_error)
             after
                 io:format("inner after~n")
             end
         catch
             error:E ->
                 io:format("outer catch ~p~n", [E]),
                 outer
         after
             io:format("outer after~n")
         end,
    io:format("result ~p~n", [R3]),
    %% after runs after the of-clause
    R4 = try id(5) of
             N ->
                 io:format("of clause ~p~n", [N]),
                 N * 2
         catch
             _:_ -> no
         after
             io:format("after 4~n")
         end,
    io:format("result ~p~n", [R4]),
    %% exception in catch clause: after still runs, new exception escapes
    R5 = try
             try
                 throw(first)
             catch
                 throw:first ->
                     io:format("handling first~n"),
                     error(second)
             after
                 io:format("after 5~n")
             end
         catch
             C:R -> {C, R}
         end,
    io:format("result ~p~n", [R5]),
    %% exception in the after clause replaces the original one
    R6 = try
             try
                 throw(original)
             after
                 io:format("after 6 raising~n"),
                 throw(from_after)
             end
         catch
             C6:R6a -> {C6, R6a}
         end,
    io:format("result ~p~n", [R6]),
    %% after in a loop
    [try io:format("iter ~p~n", [I]), I div (I - 2)
     catch error:badarith -> io:format("div by zero at ~p~n", [I])
     after io:format("after iter ~p~n", [I])
     end || I <- [1, 2, 3]],
    ok.

catch_expr() ->
    io:format("== catch Expr~n"),
    io:format("~p~n", [catch id(plain)]),
    io:format("~p~n", [catch throw(x)]),
    io:format("~p~n", [catch throw({'EXIT', fake})]),
    {'EXIT', {Reason, St}} = catch error(y),
    io:format("~p ~p~n", [Reason, is_list(St)]),
    io:format("~p~n", [catch exit(z)]),
    io:format("~p~n", [catch exit({shutdown, 1})]),
    {'EXIT', {Reason2, _}} = catch (1 = id(2)),
    io:format("~p~n", [Reason2]),
    {'EXIT', {Reason3, _}} = catch (id(1) + id(a)),
    io:format("~p~n", [Reason3]),
    %% catch binds weaker than arithmetic and function calls
    X = catch 1 + 2,
    io:format("~p~n", [X]),
    Y = (catch throw(3)) + 1,
    io:format("~p~n", [Y]),
    %% catch in a list / tuple
    io:format("~p~n", [[catch throw(a), catch id(b), catch exit(c)]]),
    %% nested catch
    io:format("~p~n", [catch (catch throw(inner))]),
    io:format("~p~n", [catch begin catch throw(a), throw(b) end]),
    Z = catch_tag(id(3)),
    io:format("~p~n", [Z]).

catch_tag(N) ->
    element(1, catch error({deep, N})).

nested() ->
    io:format("== nested try~n"),
    F = fun(Inner) ->
                try
                    try Inner()
                    catch throw:T -> {inner_caught, T}
                    end
                catch
                    error:E -> {outer_caught, E}
                end
        end,
    io:format("~p~n", [F(fun() -> throw(t) end)]),
    io:format("~p~n", [F(fun() -> error(e) end)]),
    io:format("~p~n", [F(fun() -> ok end)]),
    io:format("~p~n", [try F(fun() -> exit(x) end) catch exit:X -> {escaped, X} end]),
    %% deep nesting through function calls
    io:format("~p~n", [deep(id(10))]),
    io:format("~p~n", [try deep_throw(id(100)) catch throw:{bottom, N} -> {caught_at_top, N} end]),
    %% rethrowing a modified exception
    G = fun() ->
                try throw(level1)
                catch throw:L1 ->
                        try throw({L1, level2})
                        catch throw:L2 -> throw({L2, level3})
                        end
                end
        end,
    io:format("~p~n", [catch G()]).

deep(0) -> throw(bottom);
deep(N) ->
    try deep(N - 1)
    catch throw:bottom when N =:= 5 -> {caught_at, N}
    end.

deep_throw(0) -> throw({bottom, 0});
deep_throw(N) -> [deep_throw(N - 1)].

of_clauses() ->
    io:format("== try ... of~n"),
    F = fun(V) ->
                try id(V) of
                    {ok, X} -> {matched_ok, X};
                    N when is_integer(N), N > 0 -> positive
                catch
                    error:R -> {error_in_body, R}
                end
        end,
    io:format("~p~n", [F({ok, 1})]),
    io:format("~p~n", [F(5)]),
    io:format("~p~n", [try F(-5) catch C:R -> {C, R} end]),
    io:format("~p~n", [try F({error, x}) catch C2:R2 -> {C2, R2} end]),
    %% exceptions in the of-clause body are NOT caught by the same try
    G = fun() ->
                try id(1) of
                    1 -> error(in_of_clause)
                catch
                    error:_ -> caught_by_same_try
                end
        end,
    io:format("~p~n", [try G() catch C3:R3 -> {outer, C3, R3} end]),
    %% of-clause with throw in the body
    H = fun(V) ->
                try
                    case V of 0 -> throw(zero); _ -> V end
                of
                    1 -> one;
                    Other -> {other, Other}
                catch
                    throw:zero -> was_zero
                end
        end,
    io:format("~p ~p ~p~n", [H(0), H(1), H(2)]).

raise() ->
    io:format("== erlang:raise/3~n"),
    Rethrow = fun(F) ->
                      try F()
                      catch Class:Reason:St ->
                              io:format("rethrowing ~p:~p~n", [Class, Reason]),
                              erlang:raise(Class, Reason, St)
                      end
              end,
    io:format("~p~n", [try Rethrow(fun() -> throw(t) end) catch C:R -> {C, R} end]),
    io:format("~p~n", [try Rethrow(fun() -> error(e) end) catch C1:R1 -> {C1, R1} end]),
    io:format("~p~n", [try Rethrow(fun() -> exit(x) end) catch C2:R2 -> {C2, R2} end]),
    %% raise with an explicit stacktrace
    io:format("~p~n", [try erlang:raise(error, made_up, [{m, f, 1, []}])
                       catch error:R3:St3 -> {R3, St3}
                       end]),
    io:format("~p~n", [try erlang:raise(throw, t2, []) catch C4:R4 -> {C4, R4} end]),
    %% invalid class: raise/3 returns badarg instead of raising
    io:format("~p~n", [erlang:raise(id(bogus), r, [])]),
    io:format("~p~n", [erlang:raise(error, r, id(not_a_list))]).

f_error(X) -> [error({f_error, X})].
f_throw(X) -> [throw({f_throw, X})].
f_hd(X) -> [hd(X)].
f_add(X) -> [X + 1].
f_undef(X) -> [nonexistent_mod:some_fun(X)].
f_error2(X, Y) -> [error(with_args, [X, Y])].

top(St) ->
    case St of
        [{M, F, A, _} | _] when is_list(A) -> {M, F, args, A};
        [{M, F, A, _} | _] when is_integer(A) -> {M, F, arity, A};
        _ -> no_frame
    end.

stacktraces() ->
    io:format("== stacktraces~n"),
    Cases = [fun() -> f_error(id(1)) end,
             fun() -> f_throw(id(2)) end,
             fun() -> f_hd(id([])) end,
             fun() -> f_add(id(a)) end,
             fun() -> f_undef(id(3)) end,
             fun() -> f_error2(id(4), id(5)) end],
    [io:format("~p~n", [try C() catch Class:Reason:St -> {Class, Reason, is_list(St), top(St)} end])
     || C <- Cases],
    %% the stacktrace is a list of {M, F, ArityOrArgs, Location}
    try f_error(id(x))
    catch error:_:St ->
            io:format("~p~n", [lists:sum([1 || {M, F, A, L} <- St, is_atom(M), is_atom(F),
                                               is_integer(A) orelse is_list(A),
                                               is_list(L)]) =:= length(St)])
    end.

misc() ->
    io:format("== misc~n"),
    %% error/2 keeps the reason; args appear in the top frame
    io:format("~p~n", [try error(reason, [a, b]) catch error:R -> R end]),
    %% exit/1 with arbitrary terms
    io:format("~p~n", [try exit({a, [b], "c"}) catch exit:R1 -> R1 end]),
    %% throw of every kind of term
    [io:format("~p~n", [try throw(T) catch throw:T2 -> T2 end])
     || T <- id([1, 2.5, atom, "string", <<"bin">>, {}, [], #{a => 1}, {nested, [{x}]}])],
    %% try as an expression inside other expressions
    io:format("~p~n", [1 + try throw(41) catch throw:N -> N end]),
    io:format("~p~n", [[try X catch _:_ -> never end || X <- [1, 2]]]),
    %% variables bound in the catch clause
    V = try error(vv) catch error:Val -> Val end,
    io:format("~p~n", [V]),
    %% exception from a BIF called through apply
    io:format("~p~n", [try apply(erlang, hd, [id([])]) catch C3:R3 -> {C3, R3} end]),
    io:format("~p~n", [try apply(erlang, atom_to_list, [id(1)]) catch C4:R4 -> {C4, R4} end]),
    ok.
