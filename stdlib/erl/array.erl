%% The array module, written for Beryl (OTP 25's API, results and error
%% behaviour).
%%
%% An array is {array, Size, Max, Default, Elements}; Max is 0 for a fixed
%% array, else the capacity of the tree. The tree shows when an array is
%% printed, so it has OTP's shape:
%%   - a leaf is a tuple of 10 values;
%%   - a node is a tuple of 10 subtrees and, last, the capacity S of each;
%%   - an integer S stands for a subtree of capacity S never written to
%%     (every entry the default), expanded on the first write.
%% Capacities are powers of ten; a tree only grows at the root.
-module(array).

-export([new/0, new/1, new/2, is_array/1, set/3, get/2, size/1, sparse_size/1,
         default/1, reset/2, to_list/1, sparse_to_list/1, from_list/1, from_list/2,
         to_orddict/1, sparse_to_orddict/1, from_orddict/1, from_orddict/2, map/2,
         sparse_map/2, foldl/3, foldr/3, sparse_foldl/3, sparse_foldr/3, fix/1,
         relax/1, is_fix/1, resize/1, resize/2]).

-define(LEAF, 10).

-record(array, {size, max, default, elements}).

%% ------------------------------------------------------------ creation

new() -> new([]).

new(Opts) -> options(Opts, 0, false).

new(Size, Opts) when is_integer(Size), Size >= 0 -> options(Opts, Size, true);
new(_, _) -> erlang:error(badarg).

options(Opts, Size, Fixed) when is_list(Opts) -> options(Opts, Size, Fixed, undefined);
options(Opt, Size, Fixed) -> options([Opt], Size, Fixed, undefined).

options([fixed | Os], Size, _, D) -> options(Os, Size, true, D);
options([{fixed, F} | Os], Size, _, D) when is_boolean(F) -> options(Os, Size, F, D);
options([{default, D} | Os], Size, Fixed, _) -> options(Os, Size, Fixed, D);
options([{size, N} | Os], _, _, D) when is_integer(N), N >= 0 -> options(Os, N, true, D);
options([N | Os], _, _, D) when is_integer(N), N >= 0 -> options(Os, N, true, D);
options([], Size, Fixed, D) ->
    Cap = capacity(Size - 1, ?LEAF),
    Max = case Fixed of
              true -> 0;
              false -> Cap
          end,
    #array{size = Size, max = Max, default = D, elements = Cap};
options(_, _, _, _) -> erlang:error(badarg).

%% The smallest capacity (a power of ten, at least C) above index I.
capacity(I, C) when I >= C -> capacity(I, C * 10);
capacity(_, C) -> C.

is_array(#array{size = N, max = M}) when is_integer(N), is_integer(M) -> true;
is_array(_) -> false.

size(#array{size = N}) -> N;
size(_) -> erlang:error(badarg).

default(#array{default = D}) -> D;
default(_) -> erlang:error(badarg).

fix(#array{} = A) -> A#array{max = 0}.

is_fix(#array{max = 0}) -> true;
is_fix(#array{}) -> false.

relax(#array{size = N} = A) -> A#array{max = capacity(N - 1, ?LEAF)}.

%% Shrinking only lowers the size: the entries stay in the tree.
resize(Size, #array{size = N, max = M, elements = E} = A) when is_integer(Size), Size >= 0 ->
    if
        Size > N ->
            M0 = if M > 0 -> M; true -> capacity(N - 1, ?LEAF) end,
            {E1, M1} = grow(Size - 1, E, M0),
            A#array{size = Size, max = if M > 0 -> M1; true -> M end, elements = E1};
        Size < N -> A#array{size = Size};
        true -> A
    end;
resize(_, _) -> erlang:error(badarg).

resize(A) -> resize(sparse_size(A), A).

%% ------------------------------------------------------------ access

set(I, X, #array{size = N, max = M, default = D, elements = E} = A)
  when is_integer(I), I >= 0 ->
    if
        I < N -> A#array{elements = set_1(I, E, X, D)};
        I < M -> A#array{size = I + 1, elements = set_1(I, E, X, D)};
        M > 0 ->
            {E1, M1} = grow(I, E, M),
            A#array{size = I + 1, max = M1, elements = set_1(I, E1, X, D)};
        true -> erlang:error(badarg)
    end;
set(_, _, _) -> erlang:error(badarg).

set_1(I, E, X, D) when tuple_size(E) =:= ?LEAF + 1 ->
    S = element(?LEAF + 1, E),
    C = I div S + 1,
    setelement(C, E, set_1(I rem S, element(C, E), X, D));
set_1(I, S, X, D) when is_integer(S) -> set_1(I, unfold(S, D), X, D);
set_1(I, E, X, _) -> setelement(I + 1, E, X).

%% An unwritten subtree made real, one level down.
unfold(S, _) when S > ?LEAF -> erlang:make_tuple(?LEAF + 1, S div 10);
unfold(_, D) -> erlang:make_tuple(?LEAF, D).

%% A tree too small for index I gets new roots, the old tree as their
%% first subtree.
grow(I, E, _) when is_integer(E) ->
    C = capacity(I, E),
    {C, C};
grow(I, E, M) when I >= M -> grow(I, setelement(1, erlang:make_tuple(?LEAF + 1, M), E), M * 10);
grow(_, E, M) -> {E, M}.

get(I, #array{size = N, max = M, elements = E, default = D}) when is_integer(I), I >= 0 ->
    if
        I < N -> get_1(I, E, D);
        M > 0 -> D;
        true -> erlang:error(badarg)
    end;
get(_, _) -> erlang:error(badarg).

get_1(I, E, D) when tuple_size(E) =:= ?LEAF + 1 ->
    S = element(?LEAF + 1, E),
    get_1(I rem S, element(I div S + 1, E), D);
get_1(_, E, D) when is_integer(E) -> D;
get_1(I, E, _) -> element(I + 1, E).

%% An entry already at the default leaves the array as it is.
reset(I, #array{size = N, max = M, default = D, elements = E} = A) when is_integer(I), I >= 0 ->
    if
        I < N ->
            try A#array{elements = reset_1(I, E, D)}
            catch throw:unchanged -> A
            end;
        M > 0 -> A;
        true -> erlang:error(badarg)
    end;
reset(_, _) -> erlang:error(badarg).

reset_1(I, E, D) when tuple_size(E) =:= ?LEAF + 1 ->
    S = element(?LEAF + 1, E),
    C = I div S + 1,
    setelement(C, E, reset_1(I rem S, element(C, E), D));
reset_1(_, E, _) when is_integer(E) -> throw(unchanged);
reset_1(I, E, D) ->
    case element(I + 1, E) of
        D -> throw(unchanged);
        _ -> setelement(I + 1, E, D)
    end.

%% ------------------------------------------------------------ lists

to_list(#array{size = 0}) -> [];
to_list(#array{} = A) -> fold_r(fun(_, V, L) -> [V | L] end, [], A, false);
to_list(_) -> erlang:error(badarg).

sparse_to_list(#array{size = 0}) -> [];
sparse_to_list(#array{} = A) -> fold_r(fun(_, V, L) -> [V | L] end, [], A, true);
sparse_to_list(_) -> erlang:error(badarg).

to_orddict(#array{size = 0}) -> [];
to_orddict(#array{} = A) -> fold_r(fun(I, V, L) -> [{I, V} | L] end, [], A, false);
to_orddict(_) -> erlang:error(badarg).

sparse_to_orddict(#array{size = 0}) -> [];
sparse_to_orddict(#array{} = A) -> fold_r(fun(I, V, L) -> [{I, V} | L] end, [], A, true);
sparse_to_orddict(_) -> erlang:error(badarg).

from_list(L) -> from_list(L, undefined).

from_list([], D) -> new({default, D});
from_list(L, D) when is_list(L) ->
    {Leaves, N} = chunk(L, D, 0, []),
    tree(Leaves, N, D);
from_list(_, _) -> erlang:error(badarg).

%% Leaves of 10 (the last padded with the default), numbered from 0.
chunk([], _, N, Acc) -> {lists:reverse(Acc), N};
chunk(L, D, N, Acc) when is_list(L) ->
    {Vs, Rest, K} = take_leaf(L, D, ?LEAF, [], 0),
    chunk(Rest, D, N + K, [{N div ?LEAF, list_to_tuple(Vs)} | Acc]);
chunk(_, _, _, _) -> erlang:error(badarg).

take_leaf(L, _, 0, Acc, K) -> {lists:reverse(Acc), L, K};
take_leaf([X | L], D, I, Acc, K) -> take_leaf(L, D, I - 1, [X | Acc], K + 1);
take_leaf(L, D, I, Acc, K) -> take_leaf(L, D, I - 1, [D | Acc], K).

from_orddict(L) -> from_orddict(L, undefined).

from_orddict([], D) -> new({default, D});
from_orddict(L, D) when is_list(L) ->
    {Leaves, N} = scan(L, 0, D, [], 0),
    tree(Leaves, N, D);
from_orddict(_, _) -> erlang:error(badarg).

%% Ix is where the next leaf starts. A key more than a leaf beyond it
%% skips to its own leaf; otherwise the leaf at Ix is made, even if it
%% holds no key (OTP does so for a key at exactly Ix + 10).
scan([], _, _, Leaves, N) -> {lists:reverse(Leaves), N};
scan([{K, _} | _] = L, Ix, D, Leaves, N) when K > Ix + ?LEAF, is_integer(K) ->
    scan(L, K - (K - Ix) rem ?LEAF, D, Leaves, N);
scan([{_, _} | _] = L, Ix, D, Leaves, N0) ->
    {Vs, Rest, N} = fill(Ix, Ix + ?LEAF, L, N0, D, []),
    scan(Rest, Ix + ?LEAF, D, [{Ix div ?LEAF, list_to_tuple(Vs)} | Leaves], N);
scan(L, _, _, _, _) -> erlang:error({badarg, L}).

fill(End, End, L, N, _, Acc) -> {lists:reverse(Acc), L, N};
fill(Ix, End, L, N, D, Acc) ->
    case L of
        [{Ix, V} | L1] -> fill(Ix + 1, End, L1, Ix + 1, D, [V | Acc]);
        [{K, _} | _] when is_integer(K), K > Ix -> fill(Ix + 1, End, L, Ix + 1, D, [D | Acc]);
        [_ | _] -> erlang:error({badarg, L});
        _ -> fill(Ix + 1, End, L, N, D, [D | Acc])
    end.

%% The array of size N whose only written leaves are Leaves ({Number,
%% Leaf}, in order): every subtree without one of them is an integer.
tree(Leaves, N, D) ->
    Cap = capacity(N - 1, ?LEAF),
    {E, []} = subtree(Cap, 0, Leaves),
    #array{size = N, max = Cap, default = D, elements = E}.

subtree(?LEAF, No, [{No, Leaf} | Rest]) -> {Leaf, Rest};
subtree(Cap, No, [{LNo, _} | _] = Leaves) when LNo < No + Cap div ?LEAF ->
    S = Cap div ?LEAF,
    {Kids, Rest} = subtrees(S, No, ?LEAF, Leaves, []),
    {list_to_tuple(Kids ++ [S]), Rest};
subtree(Cap, _, Leaves) -> {Cap, Leaves}.

subtrees(_, _, 0, Leaves, Acc) -> {lists:reverse(Acc), Leaves};
subtrees(S, No, K, Leaves, Acc) ->
    {T, Rest} = subtree(S, No, Leaves),
    subtrees(S, No + S div ?LEAF, K - 1, Rest, [T | Acc]).

%% ------------------------------------------------------------ map

%% Every entry below the size goes through F, in index order (unwritten
%% subtrees are made real for that); entries past the size in a leaf
%% that is mapped become the default; subtrees past the size are kept.
map(F, #array{size = N, elements = E, default = D} = A) when is_function(F, 2) ->
    if
        N > 0 -> A#array{elements = map_1(E, 0, N, F, D)};
        true -> A
    end;
map(_, _) -> erlang:error(badarg).

map_1(E, Base, Cnt, F, D) when tuple_size(E) =:= ?LEAF + 1 ->
    list_to_tuple(map_kids(E, 1, element(?LEAF + 1, E), Base, Cnt, fun(T, B, C) -> map_1(T, B, C, F, D) end));
map_1(S, Base, Cnt, F, D) when is_integer(S) -> map_1(unfold(S, D), Base, Cnt, F, D);
map_1(E, Base, Cnt, F, D) -> list_to_tuple(map_leaf(E, 1, Base, Cnt, F, D)).

map_leaf(_, J, _, _, _, _) when J > ?LEAF -> [];
map_leaf(E, J, Base, Cnt, F, D) when J =< Cnt ->
    V = F(Base + J - 1, element(J, E)),
    [V | map_leaf(E, J + 1, Base, Cnt, F, D)];
map_leaf(E, J, Base, Cnt, F, D) -> [D | map_leaf(E, J + 1, Base, Cnt, F, D)].

%% The children of a node holding entries below Cnt go through Sub; the
%% others, and the capacity at the end, are kept.
map_kids(E, C, _, _, _, _) when C > ?LEAF -> [element(C, E)];
map_kids(E, C, S, Base, Cnt, Sub) when Cnt > 0 ->
    T = Sub(element(C, E), Base, min(S, Cnt)),
    [T | map_kids(E, C + 1, S, Base + S, Cnt - S, Sub)];
map_kids(E, C, S, Base, Cnt, Sub) -> [element(C, E) | map_kids(E, C + 1, S, Base + S, Cnt, Sub)].

%% Only written entries go through F, in every mapped leaf whole (even
%% past the size, as in OTP); unwritten subtrees stay as they are.
sparse_map(F, #array{size = N, elements = E, default = D} = A) when is_function(F, 2) ->
    if
        N > 0 -> A#array{elements = sparse_map_1(E, 0, N, F, D)};
        true -> A
    end;
sparse_map(_, _) -> erlang:error(badarg).

sparse_map_1(E, Base, Cnt, F, D) when tuple_size(E) =:= ?LEAF + 1 ->
    list_to_tuple(map_kids(E, 1, element(?LEAF + 1, E), Base, Cnt,
                           fun(T, B, C) -> sparse_map_1(T, B, C, F, D) end));
sparse_map_1(S, _, _, _, _) when is_integer(S) -> S;
sparse_map_1(E, Base, _, F, D) -> list_to_tuple(sparse_leaf(E, 1, Base, F, D)).

sparse_leaf(_, J, _, _, _) when J > ?LEAF -> [];
sparse_leaf(E, J, Base, F, D) ->
    V = case element(J, E) of
            D -> D;
            X -> F(Base + J - 1, X)
        end,
    [V | sparse_leaf(E, J + 1, Base, F, D)].

%% ------------------------------------------------------------ folds

foldl(F, Acc, #array{} = A) when is_function(F, 3) -> fold_l(F, Acc, A, false);
foldl(_, _, _) -> erlang:error(badarg).

sparse_foldl(F, Acc, #array{} = A) when is_function(F, 3) -> fold_l(F, Acc, A, true);
sparse_foldl(_, _, _) -> erlang:error(badarg).

foldr(F, Acc, #array{} = A) when is_function(F, 3) -> fold_r(F, Acc, A, false);
foldr(_, _, _) -> erlang:error(badarg).

sparse_foldr(F, Acc, #array{} = A) when is_function(F, 3) -> fold_r(F, Acc, A, true);
sparse_foldr(_, _, _) -> erlang:error(badarg).

%% The entries below the size, by index up (fold_l) or down (fold_r);
%% Sparse skips those equal to the default and unwritten subtrees.
fold_l(_, Acc, #array{size = 0}, _) -> Acc;
fold_l(F, Acc, #array{size = N, elements = E, default = D}, Sparse) ->
    walk_l(E, 0, N, F, Acc, D, Sparse).

walk_l(E, Base, Cnt, F, Acc, D, Sparse) when tuple_size(E) =:= ?LEAF + 1 ->
    kids_l(E, 1, element(?LEAF + 1, E), Base, Cnt, F, Acc, D, Sparse);
walk_l(S, _, _, _, Acc, _, true) when is_integer(S) -> Acc;
walk_l(S, Base, Cnt, F, Acc, D, false) when is_integer(S) -> defaults_l(Base, Base + Cnt, F, Acc, D);
walk_l(E, Base, Cnt, F, Acc, D, Sparse) -> leaf_l(E, 1, min(Cnt, ?LEAF), Base, F, Acc, D, Sparse).

kids_l(E, C, S, Base, Cnt, F, Acc, D, Sparse) when C =< ?LEAF, Cnt > 0 ->
    Acc1 = walk_l(element(C, E), Base, min(S, Cnt), F, Acc, D, Sparse),
    kids_l(E, C + 1, S, Base + S, Cnt - S, F, Acc1, D, Sparse);
kids_l(_, _, _, _, _, _, Acc, _, _) -> Acc.

defaults_l(I, End, F, Acc, D) when I < End -> defaults_l(I + 1, End, F, F(I, D, Acc), D);
defaults_l(_, _, _, Acc, _) -> Acc.

leaf_l(E, J, K, Base, F, Acc, D, Sparse) when J =< K ->
    Acc1 = case element(J, E) of
               D when Sparse -> Acc;
               V -> F(Base + J - 1, V, Acc)
           end,
    leaf_l(E, J + 1, K, Base, F, Acc1, D, Sparse);
leaf_l(_, _, _, _, _, Acc, _, _) -> Acc.

fold_r(_, Acc, #array{size = 0}, _) -> Acc;
fold_r(F, Acc, #array{size = N, elements = E, default = D}, Sparse) ->
    walk_r(E, 0, N, F, Acc, D, Sparse).

walk_r(E, Base, Cnt, F, Acc, D, Sparse) when tuple_size(E) =:= ?LEAF + 1 ->
    S = element(?LEAF + 1, E),
    C = (Cnt - 1) div S + 1,
    kids_r(E, C, S, Base, Cnt - (C - 1) * S, F, Acc, D, Sparse);
walk_r(S, _, _, _, Acc, _, true) when is_integer(S) -> Acc;
walk_r(S, Base, Cnt, F, Acc, D, false) when is_integer(S) -> defaults_r(Base + Cnt - 1, Base, F, Acc, D);
walk_r(E, Base, Cnt, F, Acc, D, Sparse) -> leaf_r(E, min(Cnt, ?LEAF), Base, F, Acc, D, Sparse).

%% The last child holds Last entries, those before it S each.
kids_r(E, C, S, Base, Last, F, Acc, D, Sparse) when C >= 1 ->
    Acc1 = walk_r(element(C, E), Base + (C - 1) * S, Last, F, Acc, D, Sparse),
    kids_r(E, C - 1, S, Base, S, F, Acc1, D, Sparse);
kids_r(_, _, _, _, _, _, Acc, _, _) -> Acc.

defaults_r(I, Low, F, Acc, D) when I >= Low -> defaults_r(I - 1, Low, F, F(I, D, Acc), D);
defaults_r(_, _, _, Acc, _) -> Acc.

leaf_r(E, J, Base, F, Acc, D, Sparse) when J >= 1 ->
    Acc1 = case element(J, E) of
               D when Sparse -> Acc;
               V -> F(Base + J - 1, V, Acc)
           end,
    leaf_r(E, J - 1, Base, F, Acc1, D, Sparse);
leaf_r(_, _, _, _, Acc, _, _) -> Acc.

%% One past the last entry that is not the default.
sparse_size(A) ->
    try sparse_foldr(fun(I, _, _) -> throw({last, I}) end, [], A) of
        [] -> 0
    catch
        throw:{last, I} -> I + 1
    end.
