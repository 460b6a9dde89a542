%% Guards: guard sequences (`,` and `;`), type tests, guard BIFs,
%% andalso/orelse/not/xor in guards, exceptions inside a guard making the
%% guard fail (not raising), comparisons of mixed types, guards in
%% function heads, if, case, funs and comprehension filters.
-module(guards).
-export([main/1]).

-record(r, {f}).
-record(s, {f}).


id(X) -> X.

main(_Args) ->
    type_tests(),
    sequences(),
    guard_bifs(),
    bool_ops(),
    guard_exceptions(),
    mixed_compare(),
    in_if(),
    in_case(),
    in_funs(),
    ok.

values() ->
    [0, 42, -5, 123456789012345678901234567890, 1.5, -0.25, foo, true, [],
     [1, 2], "str", {}, {a, b}, <<"bin">>, #{}, #{k => v}, fun id/1,
     make_ref()].

type_of(X) when is_integer(X) -> integer;
type_of(X) when is_float(X) -> float;
type_of(X) when is_boolean(X) -> boolean;
type_of(X) when is_atom(X) -> atom;
type_of(X) when is_list(X) -> list;
type_of(X) when is_tuple(X) -> tuple;
type_of(X) when is_binary(X) -> binary;
type_of(X) when is_map(X) -> map;
type_of(X) when is_function(X) -> function;
type_of(X) when is_reference(X) -> reference;
type_of(_) -> unknown.

type_tests() ->
    io:format("== type tests~n"),
    Vs = values(),
    io:format("~w~n", [[type_of(V) || V <- Vs]]),
    Tests = [{is_integer, fun(X) when is_integer(X) -> true; (_) -> false end},
             {is_float, fun(X) when is_float(X) -> true; (_) -> false end},
             {is_number, fun(X) when is_number(X) -> true; (_) -> false end},
             {is_atom, fun(X) when is_atom(X) -> true; (_) -> false end},
             {is_boolean, fun(X) when is_boolean(X) -> true; (_) -> false end},
             {is_list, fun(X) when is_list(X) -> true; (_) -> false end},
             {is_tuple, fun(X) when is_tuple(X) -> true; (_) -> false end},
             {is_binary, fun(X) when is_binary(X) -> true; (_) -> false end},
             {is_bitstring, fun(X) when is_bitstring(X) -> true; (_) -> false end},
             {is_map, fun(X) when is_map(X) -> true; (_) -> false end},
             {is_function, fun(X) when is_function(X) -> true; (_) -> false end},
             {is_function1, fun(X) when is_function(X, 1) -> true; (_) -> false end},
             {is_function2, fun(X) when is_function(X, 2) -> true; (_) -> false end},
             {is_reference, fun(X) when is_reference(X) -> true; (_) -> false end},
             {is_pid, fun(X) when is_pid(X) -> true; (_) -> false end},
             {is_port, fun(X) when is_port(X) -> true; (_) -> false end}],
    [io:format("~s ~w~n", [atom_to_list(Name), [bit(F(V)) || V <- Vs]])
     || {Name, F} <- Tests],
    %% the same tests as plain expressions (not guards)
    io:format("~p~n", [[bit(is_number(V)) || V <- Vs]]),
    io:format("~p~n", [[bit(is_atom(V)) || V <- Vs]]),
    io:format("~p~n", [{is_record(id({r, 1}), r), is_record(id({r, 1}), r, 2),
                        is_record(id({r, 1}), r, 3), is_record(id({s, 1}), r),
                        is_record(id({s, 1}), s)}]).

bit(true) -> 1;
bit(false) -> 0.

%% `,` is and, `;` is or
seq(X) when is_integer(X), X > 10, X < 100 -> medium;
seq(X) when is_integer(X), X >= 100; is_float(X), X > 100.0 -> big;
seq(X) when X =:= a; X =:= b; X =:= c -> abc;
seq(_) -> other.

sequences() ->
    io:format("== guard sequences~n"),
    [io:format("~p -> ~p~n", [V, seq(V)])
     || V <- id([5, 11, 99, 100, 1000, 50.0, 150.0, a, b, c, d])].

guard_bifs() ->
    io:format("== guard BIFs~n"),
    Vs = id([[], [1], [1, 2, 3], {}, {x}, {x, y, z}, -3, 3, 2.7, -2.7, <<"ab">>,
             #{a => 1}, abc]),
    [io:format("~p -> ~p~n", [V, gb(V)]) || V <- Vs],
    io:format("~p~n", [[sz(V) || V <- Vs]]),
    io:format("~p~n", [[num(V) || V <- id([-3, 3, 2.7, -2.7, 7, 8])]]).

gb(L) when length(L) > 2 -> long_list;
gb(L) when length(L) =:= 1, hd(L) =:= 1, tl(L) =:= [] -> singleton_one;
gb(L) when length(L) == 0 -> empty_list;
gb(T) when tuple_size(T) =:= 3, element(1, T) =:= x -> x_triple;
gb(T) when size(T) == 1 -> one_tuple;
gb(T) when is_tuple(T) -> {tuple, tuple_size(T)};
gb(N) when abs(N) =:= 3 -> abs_three;
gb(N) when trunc(N) =:= 2; round(N) =:= -3 -> trunc_or_round;
gb(B) when byte_size(B) =:= 2 -> two_bytes;
gb(M) when map_size(M) =:= 1, map_get(a, M) =:= 1, is_map_key(a, M) -> map_a1;
gb(_) -> other.

sz(X) when is_list(X) -> length(X);
sz(X) when is_tuple(X) -> tuple_size(X);
sz(X) when is_binary(X) -> byte_size(X);
sz(X) when is_map(X) -> map_size(X);
sz(_) -> none.

num(X) when X rem 2 =:= 0, is_integer(X) -> even;
num(X) when is_integer(X), X rem 2 =:= 1; is_integer(X), X rem 2 =:= -1 -> odd;
num(X) when float(X) > 0 -> pos_float;
num(X) when -X > 0 -> neg_float.

bool_ops() ->
    io:format("== andalso / orelse / not / xor~n"),
    [io:format("~p -> ~p ~p ~p ~p ~p~n",
               [V, bo1(V), bo2(V), bo3(V), bo4(V), bo5(V)])
     || V <- id([0, 5, 15, 25, -1, a, 7.5])].

bo1(X) when is_integer(X) andalso X > 10 -> yes;
bo1(_) -> no.

bo2(X) when X < 0 orelse X > 20 -> yes;
bo2(_) -> no.

bo3(X) when not is_integer(X) -> yes;
bo3(_) -> no.

bo4(X) when (X > 3) xor (X > 10) -> yes;
bo4(_) -> no.

bo5(X) when is_number(X) andalso (X == 0 orelse not (X > 10)) -> yes;
bo5(_) -> no.

guard_exceptions() ->
    io:format("== exceptions in guards fail the guard~n"),
    Vs = id([[], [5], [0], {}, a, 3, "abc", {1, 2}]),
    [io:format("~p -> ~p ~p ~p ~p~n", [V, ge1(V), ge2(V), ge3(V), ge4(V)])
     || V <- Vs],
    %% exceptions in one alternative of ';' make only that alternative fail
    io:format("~p ~p ~p~n", [ge5(id([])), ge5(id(7)), ge5(id(3))]),
    %% inside andalso/orelse
    io:format("~p ~p ~p ~p~n", [ge6(id(x)), ge6(id([2])), ge6(id([0])), ge6(id(5))]),
    %% in if
    X = id([]),
    io:format("~p~n", [if hd(X) > 1 -> head_big; true -> fallback end]),
    io:format("~p~n", [if 1 / X > 0 -> pos; true -> div_failed end]),
    %% but the same expressions outside a guard raise
    io:format("~p~n", [try hd(X) catch C:R -> {C, R} end]).

ge1(X) when hd(X) > 1 -> head_gt_1;
ge1(_) -> no.

ge2(X) when element(1, X) =:= 1 -> first_is_1;
ge2(_) -> no.

ge3(X) when X + 1 > 3 -> plus;
ge3(_) -> no.

ge4(X) when length(X) > 2 -> long;
ge4(_) -> no.

ge5(X) when hd(X) > 0; X > 5 -> matched;
ge5(_) -> no.

ge6(X) when is_atom(X) orelse hd(X) > 1 -> matched;
ge6(_) -> no.

mixed_compare() ->
    io:format("== comparisons of mixed types in guards~n"),
    Vs = id([1, 1.0, a, {}, [], "a", <<>>, #{}]),
    [io:format("~p: ~p~n", [V, mc(V)]) || V <- Vs],
    io:format("~p~n", [[eq(A, B) || A <- id([1, 1.0]), B <- id([1, 1.0, 2])]]).

mc(X) when X < a -> less_than_atom;
mc(X) when X < {} -> atom;
mc(X) when X < [] -> tuple_or_map;
mc(X) when X > [] -> list_or_binary;
mc(_) -> nil.

eq(A, B) when A =:= B -> exact;
eq(A, B) when A == B -> equal;
eq(A, B) when A /= B, A =/= B -> different.

in_if() ->
    io:format("== if~n"),
    [io:format("~p -> ~p~n", [N, sign(N)]) || N <- id([-3, 0, 8, 0.0, -1.5])],
    [io:format("~p ~p -> ~p~n", [A, B, cmp(A, B)])
     || {A, B} <- id([{1, 2}, {2, 1}, {2, 2}, {1, 1.0}])].

sign(N) ->
    if
        N > 0 -> positive;
        N < 0 -> negative;
        true -> zero
    end.

cmp(A, B) ->
    if
        A < B -> lt;
        A > B; A == B, A =/= B -> gt_or_numeq;
        true -> eq
    end.

in_case() ->
    io:format("== case~n"),
    F = fun(V) ->
                case V of
                    {N, L} when is_integer(N), is_list(L), length(L) =:= N -> right_len;
                    {N, L} when is_list(L) andalso N > length(L) -> too_short;
                    {_, L} when is_list(L) -> too_long;
                    X when is_tuple(X); is_list(X) -> container;
                    _ -> other
                end
        end,
    [io:format("~p -> ~p~n", [V, F(V)])
     || V <- id([{2, [a, b]}, {3, [a]}, {1, [a, b]}, {a, b}, [x], 9])].

in_funs() ->
    io:format("== funs and comprehensions~n"),
    Abs = fun(X) when X < 0 -> -X; (X) -> X end,
    io:format("~p~n", [lists:map(Abs, id([-2, -1, 0, 1, 2]))]),
    Kind = fun(X) when is_atom(X), X =/= true, X =/= false -> atom;
              (X) when X =:= true; X =:= false -> bool;
              (_) -> other
           end,
    io:format("~p~n", [lists:map(Kind, id([a, true, false, 1]))]),
    io:format("~p~n", [[X || X <- id([1, a, 2.0, b, 3]), is_number(X)]]),
    io:format("~p~n", [[X || X <- id([1, 2, 3, 4, 5, 6]), X rem 2 =:= 0, X > 2]]),
    io:format("~p~n", [[X || X <- id([[1], [], [2, 3], x]), hd(X) > 0]]).
