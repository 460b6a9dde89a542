%% The queue module: every exported function, the exact representation
%% after each operation (it shows when a queue is printed), empty queues,
%% items that are equal but distinct (1 and 1.0: member and delete match
%% exactly), and error cases.
-module(stdlib_queue).
-export([main/1]).

-include("lib/show.hrl").

id(X) -> X.

main(_) ->
    basics(),
    ends(),
    whole(),
    okasaki(),
    sequences(),
    ok.

basics() ->
    Q = queue:from_list([1, 2, 3, 4, 5]),
    ?T(Q),
    ?T(queue:new()),
    ?T(queue:from_list([])),
    ?T(queue:from_list([a])),
    ?T(queue:from_list([a, b])),
    ?T(queue:from_list([a, b, c])),
    ?T(queue:from_list(id(x))),
    ?T(queue:from_list(id([a | b]))),
    ?T(queue:is_queue(Q)),
    ?T(queue:is_queue({[], []})),
    ?T(queue:is_queue({a, []})),
    ?T(queue:is_queue(x)),
    ?T(queue:is_empty(Q)),
    ?T(queue:is_empty(queue:new())),
    ?T(queue:is_empty(id(x))),
    ?T(queue:len(Q)),
    ?T(queue:len(queue:new())),
    ?T(queue:len(id(x))),
    ?T(queue:to_list(Q)),
    ?T(queue:to_list({[5, 4], [1, 2, 3]})),
    ?T(queue:to_list(id(x))),
    ?T(queue:member(1, queue:from_list([1.0, 2]))),
    ?T(queue:member(1.0, queue:from_list([1.0, 2]))),
    ?T(queue:member(5, {[5, 4], [1]})),
    ?T(queue:member(1, queue:new())),
    ?T(queue:member(1, id(x))).

ends() ->
    Q = queue:from_list([1, 2, 3, 4, 5]),
    ?T(queue:in(6, Q)),
    ?T(queue:in(a, queue:new())),
    ?T(queue:in(b, queue:in(a, queue:new()))),
    ?T(queue:in(c, queue:in(b, queue:in(a, queue:new())))),
    ?T(queue:in(a, id(x))),
    ?T(queue:in_r(0, Q)),
    ?T(queue:in_r(a, queue:new())),
    ?T(queue:in_r(b, queue:in_r(a, queue:new()))),
    ?T(queue:in_r(a, id(x))),
    ?T(queue:out(Q)),
    ?T(queue:out(queue:new())),
    ?T(queue:out({[3, 2, 1], []})),
    ?T(queue:out({[1], []})),
    ?T(queue:out({[3, 2], [1]})),
    ?T(queue:out(id(x))),
    ?T(queue:out_r(Q)),
    ?T(queue:out_r(queue:new())),
    ?T(queue:out_r({[], [1, 2, 3]})),
    ?T(queue:out_r({[], [1]})),
    ?T(queue:out_r({[3], [1, 2]})),
    ?T(queue:out_r(id(x))),
    ?T(queue:get(Q)),
    ?T(queue:get({[3, 2, 1], []})),
    ?T(queue:get({[1], []})),
    ?T(queue:get(queue:new())),
    ?T(queue:get(id(x))),
    ?T(queue:get_r(Q)),
    ?T(queue:get_r({[], [1, 2, 3]})),
    ?T(queue:get_r({[], [1]})),
    ?T(queue:get_r(queue:new())),
    ?T(queue:get_r(id(x))),
    ?T(queue:peek(Q)),
    ?T(queue:peek({[3, 2, 1], []})),
    ?T(queue:peek({[1], []})),
    ?T(queue:peek(queue:new())),
    ?T(queue:peek(id(x))),
    ?T(queue:peek_r(Q)),
    ?T(queue:peek_r({[], [1, 2, 3]})),
    ?T(queue:peek_r({[], [1]})),
    ?T(queue:peek_r(queue:new())),
    ?T(queue:peek_r(id(x))),
    ?T(queue:drop(Q)),
    ?T(queue:drop({[3, 2, 1], []})),
    ?T(queue:drop({[1], []})),
    ?T(queue:drop({[4, 3], [2]})),
    ?T(queue:drop(queue:new())),
    ?T(queue:drop(id(x))),
    ?T(queue:drop_r(Q)),
    ?T(queue:drop_r({[], [1, 2, 3]})),
    ?T(queue:drop_r({[], [1]})),
    ?T(queue:drop_r({[4], [1, 2, 3]})),
    ?T(queue:drop_r(queue:new())),
    ?T(queue:drop_r(id(x))).

whole() ->
    Q = queue:from_list([1, 2, 3, 4, 5]),
    Q2 = queue:in(7, queue:in(6, Q)),
    ?T(Q2),
    ?T(queue:reverse(Q2)),
    ?T(queue:reverse(queue:new())),
    ?T(queue:reverse(id(x))),
    ?T(queue:join(Q, Q2)),
    ?T(queue:join(Q, queue:new())),
    ?T(queue:join(queue:new(), Q)),
    ?T(queue:join(id(x), Q)),
    ?T(queue:join(Q, id(x))),
    ?T([queue:split(N, Q2) || N <- lists:seq(0, 7)]),
    ?T(queue:split(8, Q2)),
    ?T(queue:split(id(-1), Q2)),
    ?T(queue:split(id(a), Q2)),
    ?T(queue:split(0, id(x))),
    ?T(queue:split(1, queue:new())),
    ?T(queue:split(0, queue:new())),
    Odd = fun(X) -> X rem 2 =:= 1 end,
    ?T(queue:filter(Odd, Q2)),
    ?T(queue:filter(fun(X) -> X > 5 end, Q2)),
    ?T(queue:filter(fun(X) -> X < 3 end, Q2)),
    ?T(queue:filter(fun(X) -> [X, X * 10] end, Q2)),
    ?T(queue:filter(fun(X) when X > 3 -> [{X}]; (_) -> [] end, Q2)),
    ?T(queue:filter(Odd, queue:new())),
    ?T(queue:filter(fun(_) -> maybe end, Q2)),
    ?T(queue:filter(id(x), Q2)),
    ?T(queue:filter(Odd, id(x))),
    FM = fun(X) when X > 4 -> {true, X * 100}; (X) -> X =:= 2 end,
    ?T(queue:filtermap(FM, Q2)),
    ?T(queue:filtermap(fun(X) -> X > 5 end, Q2)),
    ?T(queue:filtermap(FM, queue:new())),
    ?T(queue:filtermap(fun(_) -> maybe end, Q2)),
    ?T(queue:filtermap(id(x), Q2)),
    ?T(queue:fold(fun(X, A) -> [X | A] end, [], Q2)),
    ?T(queue:fold(fun(X, A) -> [X | A] end, acc, queue:new())),
    ?T(queue:fold(id(x), [], Q2)),
    ?T(queue:fold(fun(X, A) -> [X | A] end, [], id(x))),
    ?T(queue:any(fun(X) -> X > 6 end, Q2)),
    ?T(queue:any(fun(X) -> X > 9 end, Q2)),
    ?T(queue:any(fun(X) -> X > 9 end, queue:new())),
    ?T(queue:any(id(x), Q2)),
    ?T(queue:all(fun(X) -> X > 0 end, Q2)),
    ?T(queue:all(fun(X) -> X > 1 end, Q2)),
    ?T(queue:all(fun(X) -> X > 1 end, queue:new())),
    ?T(queue:all(fun(X) -> X end, id(x))),
    D = queue:from_list([1, 2.0, 2, 1.0, 3, 2, 1]),
    ?T(D),
    ?T(queue:delete(2, D)),
    ?T(queue:delete(1.0, D)),
    ?T(queue:delete(9, D)),
    ?T(queue:delete(1, queue:from_list([1]))),
    ?T(queue:delete(2, queue:from_list([1, 2]))),
    ?T(queue:delete(1, queue:new())),
    ?T(queue:delete(1, id(x))),
    ?T(queue:delete_r(2, D)),
    ?T(queue:delete_r(1.0, D)),
    ?T(queue:delete_r(9, D)),
    ?T(queue:delete_r(1, id(x))),
    Two = fun(X) -> X == 2 end,
    ?T(queue:delete_with(Two, D)),
    ?T(queue:delete_with(fun(X) -> X > 9 end, D)),
    ?T(queue:delete_with(Two, queue:new())),
    ?T(queue:delete_with(fun(_) -> maybe end, D)),
    ?T(queue:delete_with(id(x), D)),
    ?T(queue:delete_with_r(Two, D)),
    ?T(queue:delete_with_r(fun(X) -> X > 9 end, D)),
    ?T(queue:delete_with_r(id(x), D)).

okasaki() ->
    Q = queue:from_list([1, 2, 3, 4, 5]),
    ?T(queue:cons(0, Q)),
    ?T(queue:cons(0, id(x))),
    ?T(queue:head(Q)),
    ?T(queue:head({[3, 2], []})),
    ?T(queue:head(queue:new())),
    ?T(queue:head(id(x))),
    ?T(queue:tail(Q)),
    ?T(queue:tail(queue:new())),
    ?T(queue:snoc(Q, 6)),
    ?T(queue:snoc(id(x), 6)),
    ?T(queue:daeh(Q)),
    ?T(queue:daeh(queue:new())),
    ?T(queue:last(Q)),
    ?T(queue:last(id(x))),
    ?T(queue:liat(Q)),
    ?T(queue:liat(queue:new())),
    ?T(queue:lait(Q)),
    ?T(queue:init(Q)),
    ?T(queue:init(id(x))).

%% A long deterministic sequence of operations, printing the queue (its
%% representation) every few steps.
sequences() ->
    seq(queue:new(), 1, 7, 400).

seq(Q, _, _, 0) ->
    io:format("final ~w ~w~n", [queue:len(Q), Q]);
seq(Q, N, S, K) ->
    S1 = (S * 1103515245 + 12345) band 16#7fffffff,
    Q1 = case (S1 bsr 8) rem 10 of
             0 -> queue:in(N, Q);
             1 -> queue:in(N, Q);
             2 -> queue:in_r(N, Q);
             3 -> element(2, queue:out(Q));
             4 -> element(2, queue:out_r(Q));
             5 -> queue:join(Q, queue:from_list([N, N + 1]));
             6 -> queue:filter(fun(X) -> trunc(X) rem 5 =/= 0 end, Q);
             7 -> queue:in(float(N), Q);
             8 -> queue:delete(N - 3, Q);
             9 -> queue:delete_r(float(N - 4), Q)
         end,
    case K rem 20 of
        0 -> io:format("~w: ~w~n", [K, Q1]);
        _ -> ok
    end,
    seq(Q1, N + 1, S1, K - 1).
