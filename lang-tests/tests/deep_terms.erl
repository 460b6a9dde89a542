-module(deep_terms).
-export([main/1]).

%% Terms nested hundreds of thousands deep: comparing, hashing, copying
%% between processes, encoding, decoding and matching them must not exhaust
%% the native stack.
main(_) ->
    N = 300000,
    A = nest(N, x),
    B = nest(N, y),
    L = lists:foldl(fun(I, Acc) -> [Acc, I] end, [], lists:seq(1, N)),
    io:format("compare ~p ~p ~p ~p~n", [A < B, A == B, A =:= nest(N, x), L == L]),
    io:format("phash2 ~p~n", [erlang:phash2(A) =:= erlang:phash2(nest(N, x))]),
    Self = self(),
    spawn(fun() -> Self ! {back, A} end),
    A2 = receive {back, T} -> T end,
    io:format("message ~p~n", [A2 =:= A]),
    Bin = term_to_binary(A),
    io:format("etf ~p ~p~n", [byte_size(Bin), binary_to_term(Bin) =:= A]),
    io:format("depth ~p~n", [depth(A, 0)]),
    io:format("max ~p~n", [max(A, B) =:= B]),
    io:format("sort ~p~n", [lists:sort([B, A]) =:= [A, B]]),
    ok.

nest(0, X) -> X;
nest(K, X) -> nest(K - 1, {X}).

depth({X}, D) -> depth(X, D + 1);
depth(_, D) -> D.
