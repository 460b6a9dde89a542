%% Tail calls and deep recursion: a 10,000,000-iteration loop with
%% accumulators (must run in constant stack space), mutual tail recursion,
%% tail calls through funs, apply/2,3 and remote calls, tail calls in
%% case/if/try-of clause bodies, and non-tail recursion 100,000 and
%% 1,000,000 deep (body-recursive length, map, sum and list building).
-module(tail_calls).
-export([main/1, remote_loop/2, dyn_step/4]).

id(X) -> X.

main(_Args) ->
    loops(),
    mutual(),
    through_funs(),
    in_clauses(),
    exporting_clauses(),
    deep(),
    ok.

%% Every clause of the case binds E (so the case exports it), but nothing
%% uses it afterwards: the calls in the clauses are still tail calls.
exporting_clauses() ->
    {Kept, Stack} = exporting(1, lists:duplicate(1000000, {1}), [], 0),
    io:format("exporting clauses: ~p ~p~n", [length(Kept), Stack < 100]).

exporting(_, [], Acc, _) ->
    {stack_size, S} = process_info(self(), stack_size),
    {Acc, S};
exporting(I, [H | T], Acc, N) ->
    case element(I, H) of
        E when E > 0 -> exporting(I, T, [H | Acc], N + 1);
        E -> exporting(I, T, Acc, N)
    end.

loop(0, Acc) -> Acc;
loop(N, Acc) -> loop(N - 1, Acc + 1).

sum_loop(0, Acc) -> Acc;
sum_loop(N, Acc) -> sum_loop(N - 1, Acc + N).

%% accumulator that grows into a bignum
big_loop(0, Acc) -> Acc;
big_loop(N, Acc) -> big_loop(N - 1, Acc * 3 + 1).

%% several accumulators of different types
multi(0, I, F, L) -> {I, F, length(L)};
multi(N, I, F, L) when N rem 1000 =:= 0 -> multi(N - 1, I + 1, F * 1.0, [N | L]);
multi(N, I, F, L) -> multi(N - 1, I + 1, F + 0.5, L).

loops() ->
    io:format("== long loops~n"),
    io:format("~p~n", [loop(id(10000000), 0)]),
    io:format("~p~n", [sum_loop(id(10000000), 0)]),
    R = big_loop(id(1000), 0),
    io:format("~p~n", [length(integer_to_list(R))]),
    io:format("~p~n", [R rem 1000000007]),
    io:format("~p~n", [multi(id(1000000), 0, 0.0, [])]),
    io:format("~p~n", [countdown(id(3000000))]).

countdown(N) when N > 0 -> countdown(N - 1);
countdown(0) -> done.

is_even(0) -> true;
is_even(N) -> is_odd(N - 1).

is_odd(0) -> false;
is_odd(N) -> is_even(N - 1).

%% three-way mutual recursion with a state machine
state_a(0, Acc) -> {a, Acc};
state_a(N, Acc) -> state_b(N - 1, [a | Acc]).
state_b(0, Acc) -> {b, Acc};
state_b(N, Acc) -> state_c(N - 1, Acc).
state_c(0, Acc) -> {c, Acc};
state_c(N, Acc) -> state_a(N - 1, Acc).

mutual() ->
    io:format("== mutual recursion~n"),
    io:format("~p ~p~n", [is_even(id(1000001)), is_odd(id(1000001))]),
    io:format("~p ~p~n", [is_even(id(5000000)), is_odd(id(5000000))]),
    {Final, Acc} = state_a(id(3000001), []),
    io:format("~p ~p~n", [Final, length(Acc)]).

remote_loop(0, Acc) -> Acc;
remote_loop(N, Acc) -> ?MODULE:remote_loop(N - 1, Acc + 2).

apply_loop(0, Acc) -> Acc;
apply_loop(N, Acc) -> apply(fun apply_loop/2, [N - 1, Acc + 1]).

apply3_loop(0, Acc) -> Acc;
apply3_loop(N, Acc) -> apply(?MODULE, remote_loop, [N - 1, Acc + 2]).

%% remote call with variable module and function names
dyn_step(_M, _F, 0, Acc) -> Acc;
dyn_step(M, F, N, Acc) -> M:F(M, F, N - 1, Acc + 1).

through_funs() ->
    io:format("== tail calls through funs and apply~n"),
    Loop = fun L(0, Acc) -> Acc; L(N, Acc) -> L(N - 1, Acc + 1) end,
    io:format("~p~n", [Loop(id(2000000), 0)]),
    %% fun that tail-calls a fun passed as argument
    Tramp = fun T(F, 0, Acc) -> F(Acc); T(F, N, Acc) -> T(F, N - 1, Acc + 1) end,
    io:format("~p~n", [Tramp(fun(X) -> {result, X} end, id(1000000), 0)]),
    %% funs calling each other via a shared argument
    Ping = fun(Self, Other, N) when N > 0 -> Other(Other, Self, N - 1);
              (_, _, 0) -> ping_done
           end,
    Pong = fun(Self, Other, N) when N > 0 -> Other(Other, Self, N - 1);
              (_, _, 0) -> pong_done
           end,
    io:format("~p~n", [Ping(Ping, Pong, id(1000000))]),
    io:format("~p~n", [Ping(Ping, Pong, id(1000001))]),
    io:format("~p~n", [remote_loop(id(1000000), 0)]),
    io:format("~p~n", [apply_loop(id(1000000), 0)]),
    io:format("~p~n", [apply3_loop(id(1000000), 0)]),
    io:format("~p~n", [(fun ?MODULE:remote_loop/2)(id(500000), 1)]),
    io:format("~p~n", [dyn_loop_entry(id(1000000))]).

dyn_loop_entry(N) ->
    dyn_step(id(?MODULE), id(dyn_step), N, 0).

in_case(0, Acc) -> Acc;
in_case(N, Acc) ->
    case N rem 3 of
        0 -> in_case(N - 1, Acc + 3);
        1 -> in_case(N - 1, Acc + 1);
        _ -> in_if(N - 1, Acc)
    end.

in_if(N, Acc) ->
    if
        N =:= 0 -> Acc;
        N rem 2 =:= 0 -> in_case(N - 1, Acc);
        true -> in_try_of(N - 1, Acc + 1)
    end.

%% a call in the `of` section of a try is a tail call (the body is not)
in_try_of(N, Acc) ->
    try id(N) of
        0 -> Acc;
        M -> in_case(M - 1, Acc)
    catch
        _:_ -> error
    end.

in_andalso(0) -> true;
in_andalso(N) -> is_integer(N) andalso in_andalso(N - 1).

in_orelse(0) -> false;
in_orelse(N) -> N < 0 orelse in_orelse(N - 1).

in_clauses() ->
    io:format("== tail calls in case/if/try-of/andalso/orelse~n"),
    io:format("~p~n", [in_case(id(3000000), 0)]),
    io:format("~p~n", [in_andalso(id(2000000))]),
    io:format("~p~n", [in_orelse(id(2000000))]),
    %% a recursive call inside begin ... end in tail position
    io:format("~p~n", [blk(id(1000000))]).

blk(0) -> finished;
blk(N) -> begin _ = N, blk(N - 1) end.

len([]) -> 0;
len([_ | T]) -> 1 + len(T).

my_map(_, []) -> [];
my_map(F, [H | T]) -> [F(H) | my_map(F, T)].

sum([]) -> 0;
sum([H | T]) -> H + sum(T).

build(0) -> [];
build(N) -> [N | build(N - 1)].

app([], L) -> L;
app([H | T], L) -> [H | app(T, L)].

depth(0) -> 0;
depth(N) ->
    D = depth(N - 1),
    D + 1.

%% non-tail recursion through a try (each level has a handler)
try_depth(0) -> 0;
try_depth(N) ->
    try 1 + try_depth(N - 1)
    catch throw:x -> never
    end.

deep() ->
    io:format("== deep non-tail recursion~n"),
    L = lists:seq(1, 100000),
    io:format("~p~n", [len(L)]),
    io:format("~p~n", [sum(L)]),
    io:format("~p~n", [sum(my_map(fun(X) -> X * 2 end, L))]),
    io:format("~p~n", [length(build(id(100000)))]),
    io:format("~p~n", [hd(build(id(100000)))]),
    io:format("~p~n", [length(app(L, L))]),
    io:format("~p~n", [depth(id(100000))]),
    io:format("~p~n", [try_depth(id(100000))]),
    %% one million deep
    Big = build(id(1000000)),
    io:format("~p~n", [len(Big)]),
    io:format("~p~n", [sum(Big)]),
    io:format("~p~n", [depth(id(1000000))]),
    %% deep recursion inside a catch
    io:format("~p~n", [catch depth_then_throw(id(200000))]).

depth_then_throw(0) -> throw(bottom_reached);
depth_then_throw(N) -> 1 + depth_then_throw(N - 1).
