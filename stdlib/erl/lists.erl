%% The lists module, written for Beryl (OTP 25's API and error behaviour).
%% reverse/1,2, member/2, keyfind/3, keymember/3 and keysearch/3 are
%% native (BIFs in OTP too).
-module(lists).
-export([append/1, append/2, seq/2, seq/3, map/2, foldl/3, foldr/3,
         sort/1, sort/2, nth/2, nthtail/2, filter/2, zip/2, zip3/3, unzip/1,
         unzip3/1, sum/1, max/1, min/1, flatten/1, flatten/2, flatlength/1,
         duplicate/2, last/1, delete/2, foreach/2, mapfoldl/3, mapfoldr/3,
         any/2, all/2, filtermap/2, flatmap/2, split/2, splitwith/2,
         partition/2, takewhile/2, dropwhile/2, dropwhile/2, sublist/2,
         sublist/3, subtract/2, concat/1, usort/1, usort/2, merge/1,
         merge/2, merge/3, umerge/1, umerge/2, umerge/3, merge3/3,
         umerge3/3, keysort/2, ukeysort/2, keydelete/3, keyreplace/4,
         keystore/4, keytake/3, keymap/3, keymerge/3, ukeymerge/3,
         prefix/2, suffix/2, droplast/1, zipwith/3, zipwith3/4, search/2,
         enumerate/1, enumerate/2, join/2, uniq/1, uniq/2, rmerge/2,
         rmerge/3, rumerge/2, rumerge/3, rkeymerge/3, rukeymerge/3]).

append([L]) -> L;
append([H | T]) -> H ++ append(T);
append([]) -> [].

append(L1, L2) -> L1 ++ L2.

concat(List) -> flatmap(fun thing_to_list/1, List).

thing_to_list(X) when is_integer(X) -> integer_to_list(X);
thing_to_list(X) when is_float(X) -> float_to_list(X);
thing_to_list(X) when is_atom(X) -> atom_to_list(X);
thing_to_list(X) when is_list(X) -> X.

seq(First, Last) when is_integer(First), is_integer(Last), First - 1 =< Last ->
    seq_loop(Last - First + 1, Last, []).

seq_loop(N, X, L) when N >= 4 ->
    seq_loop(N - 4, X - 4, [X - 3, X - 2, X - 1, X | L]);
seq_loop(N, X, L) when N >= 2 ->
    seq_loop(N - 2, X - 2, [X - 1, X | L]);
seq_loop(1, X, L) -> [X | L];
seq_loop(0, _, L) -> L.

seq(First, Last, Inc) when is_integer(First), is_integer(Last), is_integer(Inc),
                           Inc > 0, First - Inc =< Last;
                           is_integer(First), is_integer(Last), is_integer(Inc),
                           Inc < 0, First - Inc >= Last ->
    N = (Last - First + Inc) div Inc,
    seq_inc(N, First + (N - 1) * Inc, Inc, []);
seq(Same, Same, 0) when is_integer(Same) ->
    [Same].

seq_inc(0, _, _, L) -> L;
seq_inc(N, X, Inc, L) -> seq_inc(N - 1, X - Inc, Inc, [X | L]).

map(F, [H | T]) -> [F(H) | map(F, T)];
map(F, []) when is_function(F, 1) -> [].

foldl(F, Acc, [H | T]) -> foldl(F, F(H, Acc), T);
foldl(F, Acc, []) when is_function(F, 2) -> Acc.

foldr(F, Acc, [H | T]) -> F(H, foldr(F, Acc, T));
foldr(F, Acc, []) when is_function(F, 2) -> Acc.

foreach(F, [H | T]) -> F(H), foreach(F, T);
foreach(F, []) when is_function(F, 1) -> ok.

mapfoldl(F, Acc0, [H | T]) ->
    {R, Acc1} = F(H, Acc0),
    {Rs, Acc2} = mapfoldl(F, Acc1, T),
    {[R | Rs], Acc2};
mapfoldl(F, Acc, []) when is_function(F, 2) -> {[], Acc}.

mapfoldr(F, Acc0, [H | T]) ->
    {Rs, Acc1} = mapfoldr(F, Acc0, T),
    {R, Acc2} = F(H, Acc1),
    {[R | Rs], Acc2};
mapfoldr(F, Acc, []) when is_function(F, 2) -> {[], Acc}.

filter(Pred, List) when is_function(Pred, 1) -> [E || E <- List, Pred(E)].

filtermap(F, [H | T]) ->
    case F(H) of
        false -> filtermap(F, T);
        true -> [H | filtermap(F, T)];
        {true, V} -> [V | filtermap(F, T)]
    end;
filtermap(F, []) when is_function(F, 1) -> [].

flatmap(F, [H | T]) -> F(H) ++ flatmap(F, T);
flatmap(F, []) when is_function(F, 1) -> [].

any(Pred, [H | T]) ->
    case Pred(H) of
        true -> true;
        false -> any(Pred, T)
    end;
any(Pred, []) when is_function(Pred, 1) -> false.

all(Pred, [H | T]) ->
    case Pred(H) of
        true -> all(Pred, T);
        false -> false
    end;
all(Pred, []) when is_function(Pred, 1) -> true.

partition(Pred, L) -> partition(Pred, L, [], []).

partition(Pred, [H | T], As, Bs) ->
    case Pred(H) of
        true -> partition(Pred, T, [H | As], Bs);
        false -> partition(Pred, T, As, [H | Bs])
    end;
partition(Pred, [], As, Bs) when is_function(Pred, 1) ->
    {reverse(As), reverse(Bs)}.

takewhile(Pred, [H | T]) ->
    case Pred(H) of
        true -> [H | takewhile(Pred, T)];
        false -> []
    end;
takewhile(Pred, []) when is_function(Pred, 1) -> [].

dropwhile(Pred, [H | T] = Rest) ->
    case Pred(H) of
        true -> dropwhile(Pred, T);
        false -> Rest
    end;
dropwhile(Pred, []) when is_function(Pred, 1) -> [].

splitwith(Pred, List) when is_function(Pred, 1) -> splitwith(Pred, List, []).

splitwith(Pred, [H | T], Taken) ->
    case Pred(H) of
        true -> splitwith(Pred, T, [H | Taken]);
        false -> {reverse(Taken), [H | T]}
    end;
splitwith(_, [], Taken) -> {reverse(Taken), []}.

split(N, List) when is_integer(N), N >= 0, is_list(List) ->
    case split(N, List, []) of
        {_, _} = Result -> Result;
        Fault when is_atom(Fault) -> erlang:error(Fault, [N, List])
    end;
split(N, List) -> erlang:error(badarg, [N, List]).

split(0, L, R) -> {reverse(R, []), L};
split(N, [H | T], R) -> split(N - 1, T, [H | R]);
split(_, [], _) -> badarg.

nth(1, [H | _]) -> H;
nth(N, [_ | T]) when N > 1 -> nth(N - 1, T).

nthtail(1, [_ | T]) -> T;
nthtail(N, [_ | T]) when N > 1 -> nthtail(N - 1, T);
nthtail(0, L) when is_list(L) -> L.

last([E | Es]) -> last(E, Es).
last(_, [E | Es]) -> last(E, Es);
last(E, []) -> E.

droplast([_]) -> [];
droplast([H | T]) -> [H | droplast(T)].

sublist(List, L) when is_integer(L), is_list(List) -> sublist_2(List, L).
sublist_2([H | T], L) when L > 0 -> [H | sublist_2(T, L - 1)];
sublist_2(_, 0) -> [];
sublist_2(List, L) when is_list(List), L > 0 -> [].

sublist(List, 1, L) when is_list(List), is_integer(L), L >= 0 -> sublist(List, L);
sublist([_ | T], S, L) when is_integer(S), S >= 2 -> sublist(T, S - 1, L);
sublist(List, S, L) when is_list(List), is_integer(S), is_integer(L), L >= 0 ->
    sublist(nthtail(S - 1, List), L).

delete(Item, [Item | Rest]) -> Rest;
delete(Item, [H | Rest]) -> [H | delete(Item, Rest)];
delete(_, []) -> [].

subtract(L1, L2) -> L1 -- L2.

zip([X | Xs], [Y | Ys]) -> [{X, Y} | zip(Xs, Ys)];
zip([], []) -> [].

zip3([X | Xs], [Y | Ys], [Z | Zs]) -> [{X, Y, Z} | zip3(Xs, Ys, Zs)];
zip3([], [], []) -> [].

unzip(Ts) -> unzip(Ts, [], []).
unzip([{X, Y} | Ts], Xs, Ys) -> unzip(Ts, [X | Xs], [Y | Ys]);
unzip([], Xs, Ys) -> {reverse(Xs), reverse(Ys)}.

unzip3(Ts) -> unzip3(Ts, [], [], []).
unzip3([{X, Y, Z} | Ts], Xs, Ys, Zs) -> unzip3(Ts, [X | Xs], [Y | Ys], [Z | Zs]);
unzip3([], Xs, Ys, Zs) -> {reverse(Xs), reverse(Ys), reverse(Zs)}.

zipwith(F, [X | Xs], [Y | Ys]) -> [F(X, Y) | zipwith(F, Xs, Ys)];
zipwith(F, [], []) when is_function(F, 2) -> [].

zipwith3(F, [X | Xs], [Y | Ys], [Z | Zs]) -> [F(X, Y, Z) | zipwith3(F, Xs, Ys, Zs)];
zipwith3(F, [], [], []) when is_function(F, 3) -> [].

sum(L) -> sum(L, 0).
sum([H | T], Sum) -> sum(T, Sum + H);
sum([], Sum) -> Sum.

max([H | T]) -> max(T, H).
max([H | T], Max) when H > Max -> max(T, H);
max([_ | T], Max) -> max(T, Max);
max([], Max) -> Max.

min([H | T]) -> min(T, H).
min([H | T], Min) when H < Min -> min(T, H);
min([_ | T], Min) -> min(T, Min);
min([], Min) -> Min.

duplicate(N, X) when is_integer(N), N >= 0 -> duplicate(N, X, []).
duplicate(0, _, L) -> L;
duplicate(N, X, L) -> duplicate(N - 1, X, [X | L]).

flatten(List) when is_list(List) -> do_flatten(List, []).

flatten(List, Tail) when is_list(List), is_list(Tail) -> do_flatten(List, Tail).

do_flatten([H | T], Tail) when is_list(H) -> do_flatten(H, do_flatten(T, Tail));
do_flatten([H | T], Tail) -> [H | do_flatten(T, Tail)];
do_flatten([], Tail) -> Tail.

flatlength(List) -> flatlength(List, 0).
flatlength([H | T], L) when is_list(H) -> flatlength(H, flatlength(T, L));
flatlength([_ | T], L) -> flatlength(T, L + 1);
flatlength([], L) -> L.

prefix([X | PreTail], [X | Tail]) -> prefix(PreTail, Tail);
prefix([], List) when is_list(List) -> true;
prefix([_ | _], List) when is_list(List) -> false.

suffix(Suffix, List) ->
    Delta = length(List) - length(Suffix),
    Delta >= 0 andalso nthtail(Delta, List) =:= Suffix.

search(Pred, [H | T]) ->
    case Pred(H) of
        true -> {value, H};
        false -> search(Pred, T)
    end;
search(Pred, []) when is_function(Pred, 1) -> false.

enumerate(List) -> enumerate(1, List).
enumerate(Index, List) when is_integer(Index), is_list(List) -> enumerate_1(Index, List).
enumerate_1(Index, [H | T]) -> [{Index, H} | enumerate_1(Index + 1, T)];
enumerate_1(_, []) -> [].

join(_Sep, []) -> [];
join(Sep, [H | T]) -> [H | join_prepend(Sep, T)].
join_prepend(_Sep, []) -> [];
join_prepend(Sep, [H | T]) -> [Sep, H | join_prepend(Sep, T)].

uniq(L) -> uniq_1(L, #{}).
uniq_1([X | Xs], M) ->
    case is_map_key(X, M) of
        true -> uniq_1(Xs, M);
        false -> [X | uniq_1(Xs, M#{X => true})]
    end;
uniq_1([], _) -> [].

uniq(F, L) when is_function(F, 1) -> uniq_2(L, F, #{}).
uniq_2([X | Xs], F, M) ->
    Key = F(X),
    case is_map_key(Key, M) of
        true -> uniq_2(Xs, F, M);
        false -> [X | uniq_2(Xs, F, M#{Key => true})]
    end;
uniq_2([], _, _) -> [].

reverse(L) -> lists:reverse(L).
reverse(L, T) -> lists:reverse(L, T).

%% Sorting: a stable merge sort. Equal elements keep their order, so the
%% result equals OTP's for the orderings OTP defines.

sort(L) -> sort(fun(A, B) -> A =< B end, L).

sort(Fun, L) when is_function(Fun, 2), is_list(L) ->
    mergesort(Fun, L, length(L)).

mergesort(_, L, N) when N < 2 -> L;
mergesort(Fun, L, N) ->
    H = N div 2,
    {A, B} = split_at(H, L, []),
    merge_by(Fun, mergesort(Fun, A, H), mergesort(Fun, B, N - H)).

split_at(0, L, Acc) -> {reverse(Acc), L};
split_at(N, [X | Xs], Acc) -> split_at(N - 1, Xs, [X | Acc]).

merge_by(Fun, [A | As] = L1, [B | Bs] = L2) ->
    case Fun(A, B) of
        true -> [A | merge_by(Fun, As, L2)];
        false -> [B | merge_by(Fun, L1, Bs)]
    end;
merge_by(_, [], L2) -> L2;
merge_by(_, L1, []) -> L1.

usort(L) -> usort(fun(A, B) -> A =< B end, L).

usort(Fun, L) -> dedup(Fun, sort(Fun, L)).

dedup(Fun, [A, B | T]) ->
    case Fun(A, B) andalso Fun(B, A) of
        true -> dedup(Fun, [A | T]);
        false -> [A | dedup(Fun, [B | T])]
    end;
dedup(_, L) -> L.

merge(Lists) -> foldl(fun(L, Acc) -> merge(Acc, L) end, [], Lists).
merge(L1, L2) -> merge(fun(A, B) -> A =< B end, L1, L2).
merge(Fun, L1, L2) -> merge_by(Fun, L1, L2).
merge3(L1, L2, L3) -> merge(merge(L1, L2), L3).

umerge(Lists) -> foldl(fun(L, Acc) -> umerge(Acc, L) end, [], Lists).
umerge(L1, L2) -> umerge(fun(A, B) -> A =< B end, L1, L2).
umerge(Fun, L1, L2) -> dedup(Fun, merge_by(Fun, L1, L2)).
umerge3(L1, L2, L3) -> umerge(umerge(L1, L2), L3).

rmerge(L1, L2) -> merge(fun(A, B) -> A >= B end, L1, L2).
rmerge(Fun, L1, L2) -> merge(fun(A, B) -> Fun(B, A) end, L1, L2).
rumerge(L1, L2) -> umerge(fun(A, B) -> A >= B end, L1, L2).
rumerge(Fun, L1, L2) -> umerge(fun(A, B) -> Fun(B, A) end, L1, L2).

keysort(N, L) when is_integer(N), N > 0 ->
    sort(fun(A, B) -> element(N, A) =< element(N, B) end, L).

ukeysort(N, L) when is_integer(N), N > 0 ->
    ukey_dedup(N, keysort(N, L)).

ukey_dedup(N, [A, B | T]) ->
    case element(N, A) == element(N, B) of
        true -> ukey_dedup(N, [A | T]);
        false -> [A | ukey_dedup(N, [B | T])]
    end;
ukey_dedup(_, L) -> L.

keymerge(N, L1, L2) -> merge(fun(A, B) -> element(N, A) =< element(N, B) end, L1, L2).
ukeymerge(N, L1, L2) -> ukey_dedup(N, keymerge(N, L1, L2)).
rkeymerge(N, L1, L2) -> merge(fun(A, B) -> element(N, A) >= element(N, B) end, L1, L2).
rukeymerge(N, L1, L2) -> ukey_dedup(N, rkeymerge(N, L1, L2)).

keydelete(K, N, L) when is_integer(N), N > 0 -> keydelete3(K, N, L).
keydelete3(Key, N, [H | T]) when element(N, H) == Key -> T;
keydelete3(Key, N, [H | T]) -> [H | keydelete3(Key, N, T)];
keydelete3(_, _, []) -> [].

keyreplace(K, N, L, New) when is_integer(N), N > 0, is_tuple(New) -> keyreplace3(K, N, L, New).
keyreplace3(Key, Pos, [Tup | Tail], New) when element(Pos, Tup) == Key -> [New | Tail];
keyreplace3(Key, Pos, [H | T], New) -> [H | keyreplace3(Key, Pos, T, New)];
keyreplace3(_, _, [], _) -> [].

keystore(K, N, L, New) when is_integer(N), N > 0, is_tuple(New) -> keystore2(K, N, L, New).
keystore2(Key, N, [H | T], New) when element(N, H) == Key -> [New | T];
keystore2(Key, N, [H | T], New) -> [H | keystore2(Key, N, T, New)];
keystore2(_, _, [], New) -> [New].

keytake(Key, N, L) when is_integer(N), N > 0 -> keytake(Key, N, L, []).
keytake(Key, N, [H | T], L) when element(N, H) == Key -> {value, H, reverse(L, T)};
keytake(Key, N, [H | T], L) -> keytake(Key, N, T, [H | L]);
keytake(_K, _N, [], _L) -> false.

keymap(Fun, Index, [Tup | Tail]) ->
    [setelement(Index, Tup, Fun(element(Index, Tup))) | keymap(Fun, Index, Tail)];
keymap(Fun, Index, []) when is_integer(Index), Index >= 1, is_function(Fun, 1) -> [].
