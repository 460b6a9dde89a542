%% The lists module, written for Beryl: OTP 25's API, results and error
%% behaviour. reverse/1,2, member/2, keyfind/3, keymember/3 and
%% keysearch/3 are native (BIFs in OTP too); the definitions below only
%% make them appear in module_info(exports).
%%
%% Which exception a bad argument raises (function_clause, case_clause,
%% badarg...) is part of the behaviour, so the clause and guard structure
%% of each function follows OTP's. The sorting and merging functions
%% reproduce OTP's algorithms step by step (run detection, merge order,
%% which of two equal elements comes first or survives), because that is
%% observable when elements compare equal without being identical
%% (1 and 1.0), when a sort fun is not a total order, and when the merge
%% functions are given lists that are not sorted.
-module(lists).
-compile({no_auto_import, [max/2, min/2]}).

-export([keyfind/3, keymember/3, keysearch/3, member/2, reverse/1, reverse/2]).
-export([all/2, any/2, append/1, append/2, concat/1, delete/2, droplast/1,
         dropwhile/2, duplicate/2, enumerate/1, enumerate/2, filter/2,
         filtermap/2, flatlength/1, flatmap/2, flatten/1, flatten/2,
         foldl/3, foldr/3, foreach/2, join/2, last/1, map/2, mapfoldl/3,
         mapfoldr/3, max/1, min/1, nth/2, nthtail/2, partition/2, prefix/2,
         search/2, seq/2, seq/3, split/2, splitwith/2, sublist/2,
         sublist/3, subtract/2, suffix/2, sum/1, takewhile/2, uniq/1,
         uniq/2, unzip/1, unzip3/1, zf/2, zip/2, zip3/3, zipwith/3,
         zipwith3/4]).
-export([keydelete/3, keymap/3, keyreplace/4, keystore/4, keytake/3]).
-export([sort/1, sort/2, usort/1, usort/2, keysort/2, ukeysort/2]).
-export([merge/1, merge/2, merge/3, merge3/3, umerge/1, umerge/2, umerge/3,
         umerge3/3, keymerge/3, ukeymerge/3]).
-export([rmerge/2, rmerge/3, rmerge3/3, rumerge/2, rumerge/3, rumerge3/3,
         rkeymerge/3, rukeymerge/3]).

%% ------------------------------------------------------------ natives

keyfind(Key, N, List) -> lists:keyfind(Key, N, List).
keymember(Key, N, List) -> lists:keymember(Key, N, List).
keysearch(Key, N, List) -> lists:keysearch(Key, N, List).
member(Elem, List) -> lists:member(Elem, List).
reverse(List) -> lists:reverse(List).
reverse(List, Tail) -> lists:reverse(List, Tail).

%% ------------------------------------------------------------ basics

append(L1, L2) -> L1 ++ L2.

append([E]) -> E;
append([H | T]) -> H ++ append(T);
append([]) -> [].

subtract(L1, L2) -> L1 -- L2.

nth(1, [H | _]) -> H;
nth(N, [_ | T]) when N > 1 -> nth(N - 1, T).

nthtail(1, [_ | T]) -> T;
nthtail(N, [_ | T]) when N > 1 -> nthtail(N - 1, T);
nthtail(0, L) when is_list(L) -> L.

prefix([X | Pre], [X | Rest]) -> prefix(Pre, Rest);
prefix([], List) when is_list(List) -> true;
prefix([_ | _], List) when is_list(List) -> false.

suffix(Suffix, List) ->
    Delta = length(List) - length(Suffix),
    Delta >= 0 andalso nthtail(Delta, List) =:= Suffix.

droplast([_]) -> [];
droplast([H | T]) -> [H | droplast(T)].

last([E | Es]) -> last(E, Es).

last(_, [E | Es]) -> last(E, Es);
last(E, []) -> E.

seq(First, Last) when is_integer(First), is_integer(Last), First - 1 =< Last ->
    seq_down(Last - First + 1, Last, []).

%% Builds from the top, four elements per step.
seq_down(N, X, L) when N >= 4 -> seq_down(N - 4, X - 4, [X - 3, X - 2, X - 1, X | L]);
seq_down(N, X, L) when N >= 2 -> seq_down(N - 2, X - 2, [X - 1, X | L]);
seq_down(1, X, L) -> [X | L];
seq_down(0, _, L) -> L.

seq(First, Last, Inc)
  when is_integer(First), is_integer(Last), is_integer(Inc),
       (Inc > 0 andalso First - Inc =< Last) orelse
       (Inc < 0 andalso First - Inc >= Last) ->
    N = (Last - First + Inc) div Inc,
    seq_down(N, First + (N - 1) * Inc, Inc, []);
seq(Same, Same, 0) when is_integer(Same) ->
    [Same];
seq(First, Last, Inc) ->
    erlang:error(badarg, [First, Last, Inc]).

seq_down(N, X, D, L) when N >= 2 -> seq_down(N - 2, X - D - D, D, [X - D, X | L]);
seq_down(1, X, _, L) -> [X | L];
seq_down(0, _, _, L) -> L.

sum(L) -> sum(L, 0).

sum([H | T], Acc) -> sum(T, Acc + H);
sum([], Acc) -> Acc.

duplicate(N, X) when is_integer(N), N >= 0 -> duplicate(N, X, []).

duplicate(0, _, L) -> L;
duplicate(N, X, L) -> duplicate(N - 1, X, [X | L]).

min([H | T]) -> min(T, H).

min([H | T], Min) when H < Min -> min(T, H);
min([_ | T], Min) -> min(T, Min);
min([], Min) -> Min.

max([H | T]) -> max(T, H).

max([H | T], Max) when H > Max -> max(T, H);
max([_ | T], Max) -> max(T, Max);
max([], Max) -> Max.

sublist(List, 1, L) when is_list(List), is_integer(L), L >= 0 ->
    sublist(List, L);
sublist([], S, _L) when is_integer(S), S >= 2 ->
    [];
sublist([_ | T], S, L) when is_integer(S), S >= 2 ->
    sublist(T, S - 1, L).

sublist(List, L) when is_integer(L), is_list(List) -> take(List, L).

take([H | T], L) when L > 0 -> [H | take(T, L - 1)];
take(_, 0) -> [];
take(List, L) when is_list(List), L > 0 -> [].

delete(Item, [Item | Rest]) -> Rest;
delete(Item, [H | Rest]) -> [H | delete(Item, Rest)];
delete(_, []) -> [].

zip([X | Xs], [Y | Ys]) -> [{X, Y} | zip(Xs, Ys)];
zip([], []) -> [].

unzip(Ts) -> unzip(Ts, [], []).

unzip([{X, Y} | Ts], Xs, Ys) -> unzip(Ts, [X | Xs], [Y | Ys]);
unzip([], Xs, Ys) -> {lists:reverse(Xs), lists:reverse(Ys)}.

zip3([X | Xs], [Y | Ys], [Z | Zs]) -> [{X, Y, Z} | zip3(Xs, Ys, Zs)];
zip3([], [], []) -> [].

unzip3(Ts) -> unzip3(Ts, [], [], []).

unzip3([{X, Y, Z} | Ts], Xs, Ys, Zs) -> unzip3(Ts, [X | Xs], [Y | Ys], [Z | Zs]);
unzip3([], Xs, Ys, Zs) -> {lists:reverse(Xs), lists:reverse(Ys), lists:reverse(Zs)}.

zipwith(F, [X | Xs], [Y | Ys]) -> [F(X, Y) | zipwith(F, Xs, Ys)];
zipwith(F, [], []) when is_function(F, 2) -> [].

zipwith3(F, [X | Xs], [Y | Ys], [Z | Zs]) -> [F(X, Y, Z) | zipwith3(F, Xs, Ys, Zs)];
zipwith3(F, [], [], []) when is_function(F, 3) -> [].

concat(List) -> flatmap(fun thing_to_list/1, List).

thing_to_list(X) when is_integer(X) -> integer_to_list(X);
thing_to_list(X) when is_float(X) -> float_to_list(X);
thing_to_list(X) when is_atom(X) -> atom_to_list(X);
thing_to_list(X) when is_list(X) -> X.

flatten(List) when is_list(List) -> flatten_1(List, []).

flatten(List, Tail) when is_list(List), is_list(Tail) -> flatten_1(List, Tail).

flatten_1([H | T], Tail) when is_list(H) -> flatten_1(H, flatten_1(T, Tail));
flatten_1([H | T], Tail) -> [H | flatten_1(T, Tail)];
flatten_1([], Tail) -> Tail.

flatlength(List) -> flatlength(List, 0).

flatlength([H | T], L) when is_list(H) -> flatlength(H, flatlength(T, L));
flatlength([_ | T], L) -> flatlength(T, L + 1);
flatlength([], L) -> L.

join(_Sep, []) -> [];
join(Sep, [H | T]) -> [H | join_1(Sep, T)].

join_1(_Sep, []) -> [];
join_1(Sep, [H | T]) -> [Sep, H | join_1(Sep, T)].

enumerate(List) when is_list(List) -> enumerate_1(1, List).

enumerate(Index, List) when is_integer(Index), is_list(List) -> enumerate_1(Index, List).

enumerate_1(I, [H | T]) -> [{I, H} | enumerate_1(I + 1, T)];
enumerate_1(_, []) -> [].

%% Keeps the first of equal (=:=) elements: map keys are exact.
uniq(L) -> uniq_1(L, #{}).

uniq_1([X | Xs], Seen) ->
    case is_map_key(X, Seen) of
        true -> uniq_1(Xs, Seen);
        false -> [X | uniq_1(Xs, Seen#{X => true})]
    end;
uniq_1([], _) -> [].

uniq(F, L) when is_function(F, 1) -> uniq_2(L, F, #{}).

uniq_2([X | Xs], F, Seen) ->
    Key = F(X),
    case is_map_key(Key, Seen) of
        true -> uniq_2(Xs, F, Seen);
        false -> [X | uniq_2(Xs, F, Seen#{Key => true})]
    end;
uniq_2([], _, _) -> [].

%% ------------------------------------------------------------ keys

keydelete(K, N, L) when is_integer(N), N > 0 -> keydelete_1(K, N, L).

keydelete_1(Key, N, [H | T]) when element(N, H) == Key -> T;
keydelete_1(Key, N, [H | T]) -> [H | keydelete_1(Key, N, T)];
keydelete_1(_, _, []) -> [].

keyreplace(K, N, L, New) when is_integer(N), N > 0, is_tuple(New) ->
    keyreplace_1(K, N, L, New).

keyreplace_1(Key, N, [H | T], New) when element(N, H) == Key -> [New | T];
keyreplace_1(Key, N, [H | T], New) -> [H | keyreplace_1(Key, N, T, New)];
keyreplace_1(_, _, [], _) -> [].

keytake(Key, N, L) when is_integer(N), N > 0 -> keytake(Key, N, L, []).

keytake(Key, N, [H | T], Seen) when element(N, H) == Key ->
    {value, H, lists:reverse(Seen, T)};
keytake(Key, N, [H | T], Seen) -> keytake(Key, N, T, [H | Seen]);
keytake(_, _, [], _) -> false.

keystore(K, N, L, New) when is_integer(N), N > 0, is_tuple(New) ->
    keystore_1(K, N, L, New).

keystore_1(Key, N, [H | T], New) when element(N, H) == Key -> [New | T];
keystore_1(Key, N, [H | T], New) -> [H | keystore_1(Key, N, T, New)];
keystore_1(_, _, [], New) -> [New].

keymap(Fun, N, [Tup | Tail]) ->
    [setelement(N, Tup, Fun(element(N, Tup))) | keymap(Fun, N, Tail)];
keymap(Fun, N, []) when is_integer(N), N >= 1, is_function(Fun, 1) -> [].

%% ------------------------------------------------------------ higher order

all(Pred, List) when is_function(Pred, 1) ->
    case List of
        [H | T] ->
            case Pred(H) of
                true -> all_1(Pred, T);
                false -> false
            end;
        [] -> true
    end.

all_1(Pred, [H | T]) ->
    case Pred(H) of
        true -> all_1(Pred, T);
        false -> false
    end;
all_1(_, []) -> true.

any(Pred, List) when is_function(Pred, 1) ->
    case List of
        [H | T] ->
            case Pred(H) of
                true -> true;
                false -> any_1(Pred, T)
            end;
        [] -> false
    end.

any_1(Pred, [H | T]) ->
    case Pred(H) of
        true -> true;
        false -> any_1(Pred, T)
    end;
any_1(_, []) -> false.

map(F, List) when is_function(F, 1) ->
    case List of
        [H | T] -> [F(H) | map_1(F, T)];
        [] -> []
    end.

map_1(F, [H | T]) -> [F(H) | map_1(F, T)];
map_1(_, []) -> [].

flatmap(F, List) when is_function(F, 1) -> flatmap_1(F, List).

flatmap_1(F, [H | T]) -> F(H) ++ flatmap_1(F, T);
flatmap_1(_, []) -> [].

foldl(F, Acc, List) when is_function(F, 2) ->
    case List of
        [H | T] -> foldl_1(F, F(H, Acc), T);
        [] -> Acc
    end.

foldl_1(F, Acc, [H | T]) -> foldl_1(F, F(H, Acc), T);
foldl_1(_, Acc, []) -> Acc.

foldr(F, Acc, List) when is_function(F, 2) -> foldr_1(F, Acc, List).

foldr_1(F, Acc, [H | T]) -> F(H, foldr_1(F, Acc, T));
foldr_1(_, Acc, []) -> Acc.

filter(Pred, List) when is_function(Pred, 1) -> [E || E <- List, Pred(E)].

partition(Pred, L) when is_function(Pred, 1) -> partition_1(Pred, L, [], []).

partition_1(Pred, [H | T], Yes, No) ->
    case Pred(H) of
        true -> partition_1(Pred, T, [H | Yes], No);
        false -> partition_1(Pred, T, Yes, [H | No])
    end;
partition_1(_, [], Yes, No) -> {lists:reverse(Yes), lists:reverse(No)}.

filtermap(F, List) when is_function(F, 1) -> filtermap_1(F, List).

filtermap_1(F, [H | T]) ->
    case F(H) of
        true -> [H | filtermap_1(F, T)];
        {true, V} -> [V | filtermap_1(F, T)];
        false -> filtermap_1(F, T)
    end;
filtermap_1(_, []) -> [].

zf(F, L) -> filtermap(F, L).

foreach(F, List) when is_function(F, 1) -> foreach_1(F, List).

foreach_1(F, [H | T]) -> F(H), foreach_1(F, T);
foreach_1(_, []) -> ok.

mapfoldl(F, Acc, List) when is_function(F, 2) -> mapfoldl_1(F, Acc, List).

mapfoldl_1(F, Acc0, [H | T]) ->
    {R, Acc1} = F(H, Acc0),
    {Rs, Acc2} = mapfoldl_1(F, Acc1, T),
    {[R | Rs], Acc2};
mapfoldl_1(_, Acc, []) -> {[], Acc}.

mapfoldr(F, Acc, List) when is_function(F, 2) -> mapfoldr_1(F, Acc, List).

mapfoldr_1(F, Acc0, [H | T]) ->
    {Rs, Acc1} = mapfoldr_1(F, Acc0, T),
    {R, Acc2} = F(H, Acc1),
    {[R | Rs], Acc2};
mapfoldr_1(_, Acc, []) -> {[], Acc}.

takewhile(Pred, List) when is_function(Pred, 1) -> takewhile_1(Pred, List).

takewhile_1(Pred, [H | T]) ->
    case Pred(H) of
        true -> [H | takewhile_1(Pred, T)];
        false -> []
    end;
takewhile_1(_, []) -> [].

dropwhile(Pred, List) when is_function(Pred, 1) -> dropwhile_1(Pred, List).

dropwhile_1(Pred, [H | T] = Rest) ->
    case Pred(H) of
        true -> dropwhile_1(Pred, T);
        false -> Rest
    end;
dropwhile_1(_, []) -> [].

search(Pred, List) when is_function(Pred, 1) -> search_1(Pred, List).

search_1(Pred, [H | T]) ->
    case Pred(H) of
        true -> {value, H};
        false -> search_1(Pred, T)
    end;
search_1(_, []) -> false.

splitwith(Pred, List) when is_function(Pred, 1) -> splitwith_1(Pred, List, []).

splitwith_1(Pred, [H | T], Taken) ->
    case Pred(H) of
        true -> splitwith_1(Pred, T, [H | Taken]);
        false -> {lists:reverse(Taken), [H | T]}
    end;
splitwith_1(_, [], Taken) -> {lists:reverse(Taken), []}.

split(N, List) when is_integer(N), N >= 0, is_list(List) ->
    case split_1(N, List, []) of
        {_, _} = Result -> Result;
        Fault when is_atom(Fault) -> erlang:error(Fault, [N, List])
    end;
split(N, List) ->
    erlang:error(badarg, [N, List]).

split_1(0, L, R) -> {lists:reverse(R, []), L};
split_1(N, [H | T], R) -> split_1(N - 1, T, [H | R]);
split_1(_, [], _) -> badarg.

%% ================================================================ sorting
%%
%% Every sort first cuts its input into runs, then merges the runs.
%%
%% Runs. The first two elements choose a direction. Ascending: a run is
%% grown while each new element is >= the run's top, or fits between the
%% top two elements; while the run still has only two elements, an
%% element below both goes to its bottom. Otherwise the element is put
%% aside; the next element that fits nowhere is paired with it to start
%% the next run (the run being built keeps growing meanwhile). Descending
%% is the mirror image. Runs are kept top first, the latest run first.
%%
%% Merging. The run list is merged three (or two) lists at a time; each
%% pass reverses the direction of the lists, so the passes alternate
%% between merging ascending lists into descending results and back,
%% until one list remains. Which element comes first among equal ones
%% depends on the position of its list in these passes.

%% Where every arm of a case would bind the same variable, one arm uses
%% another name: the compiler keeps a variable bound in all arms alive
%% after the case, which would make the calls in the arms non-tail calls.

%% ---------------------------------------------------------------- sort/1

sort([X, Y | T] = L) when X =< Y ->
    case T of
        [] -> L;
        [Z] when Y =< Z -> L;
        [Z] when X =< Z -> [X, Z, Y];
        [Z] -> [Z, X, Y];
        _ when X == Y -> sort_equal(Y, T, [X]);
        _ -> up(X, Y, T, [], [])
    end;
sort([X, Y | T]) ->
    case T of
        [] -> [Y, X];
        [Z] when X =< Z -> [Y, X, Z];
        [Z] when Y =< Z -> [Y, Z, X];
        [Z] -> [Z, Y, X];
        _ -> down(X, Y, T, [], [])
    end;
sort([_] = L) -> L;
sort([] = L) -> L.

%% A prefix of equal elements: the first different one sets the direction.
sort_equal(X, [Y | L], R) when X == Y -> sort_equal(Y, L, [X | R]);
sort_equal(X, [Y | L], R) when X < Y -> up(X, Y, L, R, []);
sort_equal(X, [Y | L], R) -> down(X, Y, L, R, []);
sort_equal(X, [], R) -> lists:reverse(R, [X]).

%% Ascending runs: X =< Y are the two top elements, Run the rest (top
%% first), Runs the finished runs.
up(X, Y, [Z | L], Run, Runs) when Z >= Y -> up(Y, Z, L, [X | Run], Runs);
up(X, Y, [Z | L], Run, Runs) when Z >= X -> up(Z, Y, L, [X | Run], Runs);
up(X, Y, [Z | L], [], Runs) -> up(X, Y, L, [Z], Runs);
up(X, Y, [Z | L], Run, Runs) -> up_aside(X, Y, L, Run, Runs, Z);
up(X, Y, [], Run, Runs) -> merge_desc_lists([[Y, X | Run] | Runs], []).

%% S was put aside.
up_aside(X, Y, [Z | L], Run, Runs, S) when Z >= Y -> up_aside(Y, Z, L, [X | Run], Runs, S);
up_aside(X, Y, [Z | L], Run, Runs, S) when Z >= X -> up_aside(Z, Y, L, [X | Run], Runs, S);
up_aside(X, Y, [Z | L], Run, Runs, S) when S =< Z -> up(S, Z, L, [], [[Y, X | Run] | Runs]);
up_aside(X, Y, [Z | L], Run, Runs, S) -> up(Z, S, L, [], [[Y, X | Run] | Runs]);
up_aside(X, Y, [], Run, Runs, S) -> merge_desc_lists([[S], [Y, X | Run] | Runs], []).

%% Descending runs: X > Y (or equal after a prefix of equal elements);
%% runs are kept bottom first, i.e. as ascending lists.
down(X, Y, [Z | L], Run, Runs) when Z =< Y -> down(Y, Z, L, [X | Run], Runs);
down(X, Y, [Z | L], Run, Runs) when Z =< X -> down(Z, Y, L, [X | Run], Runs);
down(X, Y, [Z | L], [], Runs) -> down(X, Y, L, [Z], Runs);
down(X, Y, [Z | L], Run, Runs) -> down_aside(X, Y, L, Run, Runs, Z);
down(X, Y, [], Run, Runs) -> merge_asc_lists([[Y, X | Run] | Runs], []).

down_aside(X, Y, [Z | L], Run, Runs, S) when Z =< Y -> down_aside(Y, Z, L, [X | Run], Runs, S);
down_aside(X, Y, [Z | L], Run, Runs, S) when Z =< X -> down_aside(Z, Y, L, [X | Run], Runs, S);
down_aside(X, Y, [Z | L], Run, Runs, S) when S > Z -> down(S, Z, L, [], [[Y, X | Run] | Runs]);
down_aside(X, Y, [Z | L], Run, Runs, S) -> down(Z, S, L, [], [[Y, X | Run] | Runs]);
down_aside(X, Y, [], Run, Runs, S) -> merge_asc_lists([[S], [Y, X | Run] | Runs], []).

%% One pass over ascending lists; the merged (descending) lists are
%% collected in Acc for the next pass. Also merge/1.
merge_asc_lists([[] | L], Acc) ->
    merge_asc_lists(L, Acc);
merge_asc_lists([T1, [H2 | T2], [H3 | T3] | L], Acc) ->
    merge_asc_lists(L, [m3_next1(T1, H2, T2, H3, T3, []) | Acc]);
merge_asc_lists([T1, [H2 | T2]], Acc) ->
    merge_desc_lists([m2(T1, H2, T2, []) | Acc], []);
merge_asc_lists([L], []) ->
    L;
merge_asc_lists([L], Acc) ->
    merge_desc_lists([lists:reverse(L, []) | Acc], []);
merge_asc_lists([], []) ->
    [];
merge_asc_lists([], Acc) ->
    merge_desc_lists(Acc, []);
merge_asc_lists([A, [] | L], Acc) ->
    merge_asc_lists([A | L], Acc);
merge_asc_lists([A, B, [] | L], Acc) ->
    merge_asc_lists([A, B | L], Acc).

%% One pass over descending lists, latest first.
merge_desc_lists([[H3 | T3], [H2 | T2], T1 | L], Acc) ->
    merge_desc_lists(L, [rm3_next1(T1, H2, T2, H3, T3, []) | Acc]);
merge_desc_lists([[H2 | T2], T1], Acc) ->
    merge_asc_lists([rm2(T1, H2, T2, []) | Acc], []);
merge_desc_lists([L], Acc) ->
    merge_asc_lists([lists:reverse(L, []) | Acc], []);
merge_desc_lists([], Acc) ->
    merge_asc_lists(Acc, []).

%% Three ascending lists, heads held apart. The smallest head is taken;
%% among equal heads the earliest list wins. The result is accumulated
%% (so it comes out descending).
m3(H1, T1, H2, T2, H3, T3, M) when H1 =< H2, H1 =< H3 -> m3_next1(T1, H2, T2, H3, T3, [H1 | M]);
m3(H1, T1, H2, T2, H3, T3, M) when H1 =< H2 -> m3_next3(H1, T1, H2, T2, T3, [H3 | M]);
m3(H1, T1, H2, T2, H3, T3, M) when H2 =< H3 -> m3_next2(H1, T1, T2, H3, T3, [H2 | M]);
m3(H1, T1, H2, T2, H3, T3, M) -> m3_next3(H1, T1, H2, T2, T3, [H3 | M]).

m3_next1([H1 | T1], H2, T2, H3, T3, M) -> m3(H1, T1, H2, T2, H3, T3, M);
m3_next1([], H2, T2, H3, T3, M) -> m2_heads(H2, T2, H3, T3, M).

m3_next2(H1, T1, [H2 | T2], H3, T3, M) -> m3(H1, T1, H2, T2, H3, T3, M);
m3_next2(H1, T1, [], H3, T3, M) -> m2_heads(H1, T1, H3, T3, M).

m3_next3(H1, T1, H2, T2, [H3 | T3], M) -> m3(H1, T1, H2, T2, H3, T3, M);
m3_next3(H1, T1, H2, T2, [], M) -> m2_heads(H1, T1, H2, T2, M).

m2_heads(H1, T1, H2, T2, M) when H1 =< H2 -> m2(T1, H2, T2, [H1 | M]);
m2_heads(H1, T1, H2, T2, M) -> m2_held(T1, H1, T2, [H2 | M]).

%% Two ascending lists, the first one's elements first among equals.
%% H2 is the held head of the second list.
m2([H1 | T1], H2, T2, M) when H1 =< H2 -> m2(T1, H2, T2, [H1 | M]);
m2([H1 | T1], H2, T2, M) -> m2_held(T1, H1, T2, [H2 | M]);
m2([], H2, T2, M) -> lists:reverse(T2, [H2 | M]).

%% H1 is the held head of the first list.
m2_held(T1, H1, [H2 | T2], M) when H1 =< H2 -> m2(T1, H2, T2, [H1 | M]);
m2_held(T1, H1, [H2 | T2], M) -> m2_held(T1, H1, T2, [H2 | M]);
m2_held(T1, H1, [], M) -> lists:reverse(T1, [H1 | M]).

%% Three descending lists: the largest head is taken; among equal heads
%% the latest list wins (so that the earliest comes first once the
%% accumulated result is read as an ascending list).
rm3(H1, T1, H2, T2, H3, T3, M) when H1 =< H2, H2 =< H3 -> rm3_next3(H1, T1, H2, T2, T3, [H3 | M]);
rm3(H1, T1, H2, T2, H3, T3, M) when H1 =< H2 -> rm3_next2(H1, T1, T2, H3, T3, [H2 | M]);
rm3(H1, T1, H2, T2, H3, T3, M) when H1 =< H3 -> rm3_next3(H1, T1, H2, T2, T3, [H3 | M]);
rm3(H1, T1, H2, T2, H3, T3, M) -> rm3_next1(T1, H2, T2, H3, T3, [H1 | M]).

rm3_next1([H1 | T1], H2, T2, H3, T3, M) -> rm3(H1, T1, H2, T2, H3, T3, M);
rm3_next1([], H2, T2, H3, T3, M) -> rm2_heads(H2, T2, H3, T3, M).

rm3_next2(H1, T1, [H2 | T2], H3, T3, M) -> rm3(H1, T1, H2, T2, H3, T3, M);
rm3_next2(H1, T1, [], H3, T3, M) -> rm2_heads(H1, T1, H3, T3, M).

rm3_next3(H1, T1, H2, T2, [H3 | T3], M) -> rm3(H1, T1, H2, T2, H3, T3, M);
rm3_next3(H1, T1, H2, T2, [], M) -> rm2_heads(H1, T1, H2, T2, M).

rm2_heads(H1, T1, H2, T2, M) when H1 =< H2 -> rm2_held(T1, H1, T2, [H2 | M]);
rm2_heads(H1, T1, H2, T2, M) -> rm2(T1, H2, T2, [H1 | M]).

rm2([H1 | T1], H2, T2, M) when H1 =< H2 -> rm2_held(T1, H1, T2, [H2 | M]);
rm2([H1 | T1], H2, T2, M) -> rm2(T1, H2, T2, [H1 | M]);
rm2([], H2, T2, M) -> lists:reverse(T2, [H2 | M]).

rm2_held(T1, H1, [H2 | T2], M) when H1 =< H2 -> rm2_held(T1, H1, T2, [H2 | M]);
rm2_held(T1, H1, [H2 | T2], M) -> rm2(T1, H2, T2, [H1 | M]);
rm2_held(T1, H1, [], M) -> lists:reverse(T1, [H1 | M]).

merge(L) -> merge_asc_lists(L, []).

merge(T1, []) -> T1;
merge(T1, [H2 | T2]) -> lists:reverse(m2(T1, H2, T2, []), []).

rmerge(T1, []) -> T1;
rmerge(T1, [H2 | T2]) -> lists:reverse(rm2(T1, H2, T2, []), []).

merge3(L1, [], L3) -> merge(L1, L3);
merge3(L1, L2, []) -> merge(L1, L2);
merge3(L1, [H2 | T2], [H3 | T3]) -> lists:reverse(m3_next1(L1, H2, T2, H3, T3, []), []).

rmerge3(L1, [], L3) -> rmerge(L1, L3);
rmerge3(L1, L2, []) -> rmerge(L1, L2);
rmerge3(L1, [H2 | T2], [H3 | T3]) -> lists:reverse(rm3_next1(L1, H2, T2, H3, T3, []), []).

%% ---------------------------------------------------------------- usort/1
%%
%% As sort/1, but an element equal to one already in its run, or to the
%% element put aside, is dropped; merges drop the later of equal elements.

usort([X, Y | T] = L) when X < Y ->
    case T of
        [] -> L;
        [Z] when Y < Z -> L;
        [Z] when Y == Z -> [X, Y];
        [Z] when Z < X -> [Z, X, Y];
        [Z] when Z == X -> [X, Y];
        [Z] -> [X, Z, Y];
        _ -> uup(X, Y, T, [], [])
    end;
usort([X, Y | T]) when X > Y ->
    case T of
        [] -> [Y, X];
        [Z] when X < Z -> [Y, X, Z];
        [Z] when X == Z -> [Y, X];
        [Z] when Z < Y -> [Z, Y, X];
        [Z] when Z == Y -> [Y, X];
        [Z] -> [Y, Z, X];
        _ -> udown(X, Y, T, [], [])
    end;
usort([X, _ | T]) -> usort_equal(X, T);
usort([_] = L) -> L;
usort([]) -> [].

usort_equal(X, [Y | L]) when X == Y -> usort_equal(X, L);
usort_equal(X, [Y | L]) when X < Y -> uup(X, Y, L, [], []);
usort_equal(X, [Y | L]) -> udown(X, Y, L, [], []);
usort_equal(X, []) -> [X].

uup(X, Y, [Z | L], Run, Runs) when Z > Y -> uup(Y, Z, L, [X | Run], Runs);
uup(X, Y, [Z | L], Run, Runs) when Z == Y -> uup(X, Y, L, Run, Runs);
uup(X, Y, [Z | L], Run, Runs) when Z > X -> uup(Z, Y, L, [X | Run], Runs);
uup(X, Y, [Z | L], Run, Runs) when Z == X -> uup(X, Y, L, Run, Runs);
uup(X, Y, [Z | L], [], Runs) -> uup(X, Y, L, [Z], Runs);
uup(X, Y, [Z | L], Run, Runs) -> uup_aside(X, Y, L, Run, Runs, Z);
uup(X, Y, [], Run, Runs) -> umerge_desc_lists([[Y, X | Run] | Runs], [], asc).

uup_aside(X, Y, [Z | L], Run, Runs, S) when Z > Y -> uup_aside(Y, Z, L, [X | Run], Runs, S);
uup_aside(X, Y, [Z | L], Run, Runs, S) when Z == Y -> uup_aside(X, Y, L, Run, Runs, S);
uup_aside(X, Y, [Z | L], Run, Runs, S) when Z > X -> uup_aside(Z, Y, L, [X | Run], Runs, S);
uup_aside(X, Y, [Z | L], Run, Runs, S) when Z == X -> uup_aside(X, Y, L, Run, Runs, S);
uup_aside(X, Y, [Z | L], Run, Runs, S) when Z > S -> uup(S, Z, L, [], [[Y, X | Run] | Runs]);
uup_aside(X, Y, [Z | L], Run, Runs, S) when Z == S -> uup_aside(X, Y, L, Run, Runs, S);
uup_aside(X, Y, [Z | L], Run, Runs, S) -> uup(Z, S, L, [], [[Y, X | Run] | Runs]);
uup_aside(X, Y, [], Run, Runs, S) -> umerge_desc_lists([[S], [Y, X | Run] | Runs], [], asc).

udown(X, Y, [Z | L], Run, Runs) when Z < Y -> udown(Y, Z, L, [X | Run], Runs);
udown(X, Y, [Z | L], Run, Runs) when Z == Y -> udown(X, Y, L, Run, Runs);
udown(X, Y, [Z | L], Run, Runs) when Z < X -> udown(Z, Y, L, [X | Run], Runs);
udown(X, Y, [Z | L], Run, Runs) when Z == X -> udown(X, Y, L, Run, Runs);
udown(X, Y, [Z | L], [], Runs) -> udown(X, Y, L, [Z], Runs);
udown(X, Y, [Z | L], Run, Runs) -> udown_aside(X, Y, L, Run, Runs, Z);
udown(X, Y, [], Run, Runs) -> umerge_asc_lists([[Y, X | Run] | Runs], [], desc).

udown_aside(X, Y, [Z | L], Run, Runs, S) when Z < Y -> udown_aside(Y, Z, L, [X | Run], Runs, S);
udown_aside(X, Y, [Z | L], Run, Runs, S) when Z == Y -> udown_aside(X, Y, L, Run, Runs, S);
udown_aside(X, Y, [Z | L], Run, Runs, S) when Z < X -> udown_aside(Z, Y, L, [X | Run], Runs, S);
udown_aside(X, Y, [Z | L], Run, Runs, S) when Z == X -> udown_aside(X, Y, L, Run, Runs, S);
udown_aside(X, Y, [Z | L], Run, Runs, S) when Z < S -> udown(S, Z, L, [], [[Y, X | Run] | Runs]);
udown_aside(X, Y, [Z | L], Run, Runs, S) when Z == S -> udown_aside(X, Y, L, Run, Runs, S);
udown_aside(X, Y, [Z | L], Run, Runs, S) -> udown(Z, S, L, [], [[Y, X | Run] | Runs]);
udown_aside(X, Y, [], Run, Runs, S) -> umerge_asc_lists([[S], [Y, X | Run] | Runs], [], desc).

%% The passes of the unique merge. Order tells which way the runs were
%% built: for descending runs the lists are taken in the opposite order,
%% so that the earliest element always survives. [H2 | H3] is a
%% "last emitted" value that equals neither head.
umerge_asc_lists([[] | L], Acc, O) ->
    umerge_asc_lists(L, Acc, O);
umerge_asc_lists([T1, [H2 | T2], [H3 | T3] | L], Acc, asc) ->
    umerge_asc_lists(L, [um3_next1(T1, [H2 | H3], T2, H2, [], T3, H3) | Acc], asc);
umerge_asc_lists([[H3 | T3], [H2 | T2], T1 | L], Acc, desc) ->
    umerge_asc_lists(L, [um3_next1(T1, [H2 | H3], T2, H2, [], T3, H3) | Acc], desc);
umerge_asc_lists([A, [] | L], Acc, O) ->
    umerge_asc_lists([A | L], Acc, O);
umerge_asc_lists([A, B, [] | L], Acc, O) ->
    umerge_asc_lists([A, B | L], Acc, O);
umerge_asc_lists([[H1 | T1], T2 | L], Acc, asc) ->
    umerge_asc_lists(L, [um2_held1(T1, T2, [], H1) | Acc], asc);
umerge_asc_lists([T2, [H1 | T1] | L], Acc, desc) ->
    umerge_asc_lists(L, [um2_held1(T1, T2, [], H1) | Acc], desc);
umerge_asc_lists([L], [], _) ->
    L;
umerge_asc_lists([L], Acc, O) ->
    umerge_desc_lists([lists:reverse(L, []) | Acc], [], O);
umerge_asc_lists([], [], _) ->
    [];
umerge_asc_lists([], Acc, O) ->
    umerge_desc_lists(Acc, [], O).

umerge_desc_lists([[H3 | T3], [H2 | T2], T1 | L], Acc, asc) ->
    umerge_desc_lists(L, [rum3_next1(T1, T2, H2, [], T3, H3) | Acc], asc);
umerge_desc_lists([T1, [H2 | T2], [H3 | T3] | L], Acc, desc) ->
    umerge_desc_lists(L, [rum3_next1(T1, T2, H2, [], T3, H3) | Acc], desc);
umerge_desc_lists([[H2 | T2], T1 | L], Acc, asc) ->
    umerge_desc_lists(L, [rum2_held2(T1, T2, [], H2) | Acc], asc);
umerge_desc_lists([T1, [H2 | T2] | L], Acc, desc) ->
    umerge_desc_lists(L, [rum2_held2(T1, T2, [], H2) | Acc], desc);
umerge_desc_lists([L], Acc, O) ->
    umerge_asc_lists([lists:reverse(L, []) | Acc], [], O);
umerge_desc_lists([], Acc, O) ->
    umerge_asc_lists(Acc, [], O).

%% Unique merge of three ascending lists; heads H2 and H3 are held, Last
%% is the element emitted last. Equal elements: the earliest list's one
%% is kept. A later list's head equal to Last is dropped (it is checked
%% when it meets a new head of an earlier list).
um3_next1([H1 | T1], Last, T2, H2, M, T3, H3) when H1 =< H2 ->
    um3_12(T1, H1, T2, H2, M, T3, H3, Last);
um3_next1([H1 | T1], Last, T2, H2, M, T3, H3) when H2 == Last ->
    um3_next2(T1, H1, T2, H2, M, T3, H3);
um3_next1([H1 | T1], Last, T2, H2, M, T3, H3) ->
    um3_21(T1, H1, T2, H2, M, T3, H3, Last);
um3_next1([], Last, T2, H2, M, T3, H3) when H2 == Last ->
    um2_held2(T2, T3, M, Last, H3);
um3_next1([], _, T2, H2, M, T3, H3) when H2 =< H3 ->
    um2_held2(T2, T3, [H2 | M], H2, H3);
um3_next1([], Last, T2, H2, M, T3, H3) when H3 == Last ->
    um2_held1(T2, T3, M, H2);
um3_next1([], _, T2, H2, M, T3, H3) ->
    um2_held1(T2, T3, [H3 | M], H2).

%% H1 is held; take the next element of the second list.
um3_next2(T1, H1, [H2 | T2], Last, M, T3, H3) when H1 =< H2 ->
    um3_12(T1, H1, T2, H2, M, T3, H3, Last);
um3_next2(T1, H1, [H2 | T2], Last, M, T3, H3) ->
    um3_21(T1, H1, T2, H2, M, T3, H3, Last);
um3_next2(T1, H1, [], _, M, T3, H3) when H1 =< H3 ->
    um2_held2(T1, T3, [H1 | M], H1, H3);
um3_next2(T1, H1, [], Last, M, T3, H3) when H3 == Last ->
    um2_held1(T1, T3, M, H1);
um3_next2(T1, H1, [], _, M, T3, H3) ->
    um2_held1(T1, T3, [H3 | M], H1).

%% H1 =< H2.
um3_12(T1, H1, T2, H2, M, T3, H3, _) when H1 =< H3 ->
    um3_next1(T1, H1, T2, H2, [H1 | M], T3, H3);
um3_12(T1, H1, T2, H2, M, T3, H3, Last) when H3 == Last ->
    um3_12_next3(T1, H1, T2, H2, M, T3);
um3_12(T1, H1, T2, H2, M, T3, H3, _) ->
    um3_12_next3(T1, H1, T2, H2, [H3 | M], T3).

um3_12_next3(T1, H1, T2, H2, M, [H3 | T3]) when H1 =< H3 ->
    um3_next1(T1, H1, T2, H2, [H1 | M], T3, H3);
um3_12_next3(T1, H1, T2, H2, M, [H3 | T3]) ->
    um3_12_next3(T1, H1, T2, H2, [H3 | M], T3);
um3_12_next3(T1, H1, T2, H2, M, []) ->
    um2_held2(T1, T2, [H1 | M], H1, H2).

%% H1 > H2.
um3_21(T1, H1, T2, H2, M, T3, H3, _) when H2 =< H3 ->
    um3_next2(T1, H1, T2, H2, [H2 | M], T3, H3);
um3_21(T1, H1, T2, H2, M, T3, H3, Last) when H3 == Last ->
    um3_21_next3(T1, H1, T2, H2, M, T3);
um3_21(T1, H1, T2, H2, M, T3, H3, _) ->
    um3_21_next3(T1, H1, T2, H2, [H3 | M], T3).

um3_21_next3(T1, H1, T2, H2, M, [H3 | T3]) when H2 =< H3 ->
    um3_next2(T1, H1, T2, H2, [H2 | M], T3, H3);
um3_21_next3(T1, H1, T2, H2, M, [H3 | T3]) ->
    um3_21_next3(T1, H1, T2, H2, [H3 | M], T3);
um3_21_next3(T1, H1, T2, H2, M, []) ->
    um2_held1(T1, T2, [H2 | M], H1).

%% Unique merge of two ascending lists, the first list's elements kept.
%% um2_held1: H1 (first list) is held; um2_held2: H2 (second list) is
%% held and Last was emitted from the first list.
um2_held1(T1, [H2 | T2], M, H1) when H1 =< H2 -> um2_held2(T1, T2, [H1 | M], H1, H2);
um2_held1(T1, [H2 | T2], M, H1) -> um2_held1(T1, T2, [H2 | M], H1);
um2_held1(T1, [], M, H1) -> lists:reverse(T1, [H1 | M]).

um2_held2([H1 | T1], T2, M, _, H2) when H1 =< H2 -> um2_held2(T1, T2, [H1 | M], H1, H2);
um2_held2([H1 | T1], T2, M, Last, H2) when H2 == Last -> um2_held1(T1, T2, M, H1);
um2_held2([H1 | T1], T2, M, _, H2) -> um2_held1(T1, T2, [H2 | M], H1);
um2_held2([], T2, M, Last, H2) when H2 == Last -> lists:reverse(T2, M);
um2_held2([], T2, M, _, H2) -> lists:reverse(T2, [H2 | M]).

%% Unique merge of three descending lists. A head that is the largest
%% but may equal the next head of an earlier list is kept pending
%% (H2M, H3M) until that is known.
rum3_next1([H1 | T1], T2, H2, M, T3, H3) when H1 =< H2 ->
    rum3_12a(T1, H1, T2, H2, M, T3, H3);
rum3_next1([H1 | T1], T2, H2, M, T3, H3) when H1 =< H3 ->
    rum3_21_next3(T1, T2, H2, M, T3, H3, H1);
rum3_next1([H1 | T1], T2, H2, M, T3, H3) ->
    rum3_next1(T1, T2, H2, [H1 | M], T3, H3);
rum3_next1([], T2, H2, M, T3, H3) when H2 =< H3 ->
    rum2_held1(T2, T3, M, H3, H2);
rum3_next1([], T2, H2, M, T3, H3) ->
    rum2_held2(T2, T3, [H2 | M], H3).

rum3_12a(T1, H1, T2, H2, M, T3, H3) when H2 =< H3 ->
    rum3_12_next3(T1, T2, H2, M, T3, H3, H1);
rum3_12a(T1, H1, T2, H2, M, T3, H3) ->
    rum3_next2(T1, T2, H2, M, T3, H3, H1).

%% H2M (pending) > H3, H2M > next H2.
rum3_next2(T1, [H2 | T2], H2M, M, T3, H3, H1) when H1 =< H2 ->
    rum3_12b(T1, H1, T2, H2, M, T3, H3, H2M);
rum3_next2(T1, [H2 | T2], H2M, M, T3, H3, H1) when H1 == H2M ->
    rum3_next1(T1, T2, H2, [H1 | M], T3, H3);
rum3_next2(T1, [H2 | T2], H2M, M, T3, H3, H1) when H1 =< H3 ->
    rum3_21_next3(T1, T2, H2, [H2M | M], T3, H3, H1);
rum3_next2(T1, [H2 | T2], H2M, M, T3, H3, H1) ->
    rum3_next1(T1, T2, H2, [H1, H2M | M], T3, H3);
rum3_next2(T1, [], H2M, M, T3, H3, H1) when H1 == H2M ->
    rum2_held2(T1, T3, [H1 | M], H3);
rum3_next2(T1, [], H2M, M, T3, H3, H1) when H1 =< H3 ->
    rum2_held1(T1, T3, [H2M | M], H3, H1);
rum3_next2(T1, [], H2M, M, T3, H3, H1) ->
    rum2_held2(T1, T3, [H1, H2M | M], H3).

rum3_12b(T1, H1, T2, H2, M, T3, H3, H2M) when H2 =< H3 ->
    rum3_12_next3(T1, T2, H2, [H2M | M], T3, H3, H1);
rum3_12b(T1, H1, T2, H2, M, T3, H3, H2M) ->
    rum3_next2(T1, T2, H2, [H2M | M], T3, H3, H1).

%% H1 =< H2; H3M pending.
rum3_12_next3(T1, T2, H2, M, [H3 | T3], H3M, H1) when H2 =< H3 ->
    rum3_12_next3(T1, T2, H2, [H3M | M], T3, H3, H1);
rum3_12_next3(T1, T2, H2, M, [H3 | T3], H3M, H1) when H2 == H3M ->
    rum3_next2(T1, T2, H2, M, T3, H3, H1);
rum3_12_next3(T1, T2, H2, M, [H3 | T3], H3M, H1) ->
    rum3_next2(T1, T2, H2, [H3M | M], T3, H3, H1);
rum3_12_next3(T1, T2, H2, M, [], H3M, H1) when H2 == H3M ->
    rum2_held1(T1, T2, M, H2, H1);
rum3_12_next3(T1, T2, H2, M, [], H3M, H1) ->
    rum2_held1(T1, T2, [H3M | M], H2, H1).

%% H1 > H2; H3M pending.
rum3_21_next3(T1, T2, H2, M, [H3 | T3], H3M, H1) when H1 =< H3 ->
    rum3_21_next3(T1, T2, H2, [H3M | M], T3, H3, H1);
rum3_21_next3(T1, T2, H2, M, [H3 | T3], H3M, H1) when H1 == H3M ->
    rum3_next1(T1, T2, H2, [H1 | M], T3, H3);
rum3_21_next3(T1, T2, H2, M, [H3 | T3], H3M, H1) ->
    rum3_next1(T1, T2, H2, [H1, H3M | M], T3, H3);
rum3_21_next3(T1, T2, H2, M, [], H3M, H1) when H1 == H3M ->
    rum2_held2(T1, T2, [H1 | M], H2);
rum3_21_next3(T1, T2, H2, M, [], H3M, H1) ->
    rum2_held2(T1, T2, [H1, H3M | M], H2).

%% Unique merge of two descending lists, the first list's elements kept.
%% rum2_held2: H2 is held; rum2_held1: H1 is held, H2M is pending.
rum2_held2([H1 | T1], T2, M, H2) when H1 =< H2 -> rum2_held1(T1, T2, M, H2, H1);
rum2_held2([H1 | T1], T2, M, H2) -> rum2_held2(T1, T2, [H1 | M], H2);
rum2_held2([], T2, M, H2) -> lists:reverse(T2, [H2 | M]).

rum2_held1(T1, [H2 | T2], M, H2M, H1) when H1 =< H2 -> rum2_held1(T1, T2, [H2M | M], H2, H1);
rum2_held1(T1, [H2 | T2], M, H2M, H1) when H1 == H2M -> rum2_held2(T1, T2, [H1 | M], H2);
rum2_held1(T1, [H2 | T2], M, H2M, H1) -> rum2_held2(T1, T2, [H1, H2M | M], H2);
rum2_held1(T1, [], M, H2M, H1) when H1 == H2M -> lists:reverse(T1, [H1 | M]);
rum2_held1(T1, [], M, H2M, H1) -> lists:reverse(T1, [H1, H2M | M]).

umerge(L) -> umerge_asc_lists(L, [], asc).

umerge([], T2) -> T2;
umerge([H1 | T1], T2) -> lists:reverse(um2_held1(T1, T2, [], H1), []).

rumerge(T1, []) -> T1;
rumerge(T1, [H2 | T2]) -> lists:reverse(rum2_held2(T1, T2, [], H2), []).

umerge3(L1, [], L3) -> umerge(L1, L3);
umerge3(L1, L2, []) -> umerge(L1, L2);
umerge3(L1, [H2 | T2], [H3 | T3]) ->
    lists:reverse(um3_next1(L1, [H2 | H3], T2, H2, [], T3, H3), []).

rumerge3(L1, [], L3) -> rumerge(L1, L3);
rumerge3(L1, L2, []) -> rumerge(L1, L2);
rumerge3(L1, [H2 | T2], [H3 | T3]) ->
    lists:reverse(rum3_next1(L1, T2, H2, [], T3, H3), []).

%% ---------------------------------------------------------------- keysort/2
%%
%% Keys are compared, except that a prefix of whole tuples that are equal
%% (==) is gathered first, as sort/1 does. Runs of equal keys keep their
%% order in both directions, so the sort is stable.

keysort(I, L) when is_integer(I), I > 0 ->
    case L of
        [] -> L;
        [_] -> L;
        [X, Y | T] ->
            case {element(I, X), element(I, Y)} of
                {EX, EY} when EX =< EY ->
                    case T of
                        [] -> L;
                        [Z] ->
                            case element(I, Z) of
                                EZ when EY =< EZ -> L;
                                EZ when EX =< EZ -> [X, Z, Y];
                                _ -> [Z, X, Y]
                            end;
                        _ when X == Y -> keysort_equal(I, Y, EY, T, [X]);
                        _ -> kup(I, X, EX, Y, EY, T, [], [])
                    end;
                {EX1, EY1} ->
                    case T of
                        [] -> [Y, X];
                        [Z] ->
                            case element(I, Z) of
                                EZ when EX1 =< EZ -> [Y, X, Z];
                                EZ when EY1 =< EZ -> [Y, Z, X];
                                _ -> [Z, Y, X]
                            end;
                        _ -> kdown(I, X, EX1, Y, EY1, T, [], [])
                    end
            end
    end.

keysort_equal(I, X, EX, [Y | L], R) when X == Y ->
    keysort_equal(I, Y, EX, L, [X | R]);
keysort_equal(I, X, EX, [Y | L], R) ->
    case element(I, Y) of
        EY when EX =< EY -> kup(I, X, EX, Y, EY, L, R, []);
        EY1 -> kdown(I, X, EX, Y, EY1, L, R, [])
    end;
keysort_equal(_, X, _, [], R) ->
    lists:reverse(R, [X]).

kup(I, X, EX, Y, EY, [Z | L], Run, Runs) ->
    case element(I, Z) of
        EZ when EY =< EZ -> kup(I, Y, EY, Z, EZ, L, [X | Run], Runs);
        EZ when EX =< EZ -> kup(I, Z, EZ, Y, EY, L, [X | Run], Runs);
        _ when Run == [] -> kup(I, X, EX, Y, EY, L, [Z], Runs);
        EZ -> kup_aside(I, X, EX, Y, EY, EZ, Run, Runs, Z, L)
    end;
kup(I, X, _, Y, _, [], Run, Runs) ->
    kmerge_desc_lists(I, [[Y, X | Run] | Runs], [], asc).

kup_aside(I, X, EX, Y, EY, ES, Run, Runs, S, [Z | L]) ->
    case element(I, Z) of
        EZ when EY =< EZ -> kup_aside(I, Y, EY, Z, EZ, ES, [X | Run], Runs, S, L);
        EZ when EX =< EZ -> kup_aside(I, Z, EZ, Y, EY, ES, [X | Run], Runs, S, L);
        EZ when ES =< EZ -> kup(I, S, ES, Z, EZ, L, [], [[Y, X | Run] | Runs]);
        EZ1 -> kup(I, Z, EZ1, S, ES, L, [], [[Y, X | Run] | Runs])
    end;
kup_aside(I, X, _, Y, _, _, Run, Runs, S, []) ->
    kmerge_desc_lists(I, [[S], [Y, X | Run] | Runs], [], asc).

kdown(I, X, EX, Y, EY, [Z | L], Run, Runs) ->
    case element(I, Z) of
        EZ when EY > EZ -> kdown(I, Y, EY, Z, EZ, L, [X | Run], Runs);
        EZ when EX > EZ -> kdown(I, Z, EZ, Y, EY, L, [X | Run], Runs);
        _ when Run == [] -> kdown(I, X, EX, Y, EY, L, [Z], Runs);
        EZ -> kdown_aside(I, X, EX, Y, EY, EZ, Run, Runs, Z, L)
    end;
kdown(I, X, _, Y, _, [], Run, Runs) ->
    kmerge_asc_lists(I, [[Y, X | Run] | Runs], [], desc).

kdown_aside(I, X, EX, Y, EY, ES, Run, Runs, S, [Z | L]) ->
    case element(I, Z) of
        EZ when EY > EZ -> kdown_aside(I, Y, EY, Z, EZ, ES, [X | Run], Runs, S, L);
        EZ when EX > EZ -> kdown_aside(I, Z, EZ, Y, EY, ES, [X | Run], Runs, S, L);
        EZ when ES > EZ -> kdown(I, S, ES, Z, EZ, L, [], [[Y, X | Run] | Runs]);
        EZ1 -> kdown(I, Z, EZ1, S, ES, L, [], [[Y, X | Run] | Runs])
    end;
kdown_aside(I, X, _, Y, _, _, Run, Runs, S, []) ->
    kmerge_asc_lists(I, [[S], [Y, X | Run] | Runs], [], desc).

kmerge_asc_lists(I, [T1, [H2 | T2], [H3 | T3] | L], Acc, asc) ->
    kmerge_asc_lists(I, L, [km3_start(I, T1, H2, T2, H3, T3) | Acc], asc);
kmerge_asc_lists(I, [[H3 | T3], [H2 | T2], T1 | L], Acc, desc) ->
    kmerge_asc_lists(I, L, [km3_start(I, T1, H2, T2, H3, T3) | Acc], desc);
kmerge_asc_lists(I, [T1, [H2 | T2] | L], Acc, asc) ->
    kmerge_asc_lists(I, L, [km2(I, T1, element(I, H2), H2, T2, []) | Acc], asc);
kmerge_asc_lists(I, [[H2 | T2], T1 | L], Acc, desc) ->
    kmerge_asc_lists(I, L, [km2(I, T1, element(I, H2), H2, T2, []) | Acc], desc);
kmerge_asc_lists(_, [L], [], _) ->
    L;
kmerge_asc_lists(I, [L], Acc, O) ->
    kmerge_desc_lists(I, [lists:reverse(L, []) | Acc], [], O);
kmerge_asc_lists(I, [], Acc, O) ->
    kmerge_desc_lists(I, Acc, [], O).

kmerge_desc_lists(I, [[H3 | T3], [H2 | T2], T1 | L], Acc, asc) ->
    kmerge_desc_lists(I, L, [rkm3_start(I, T1, H2, T2, H3, T3) | Acc], asc);
kmerge_desc_lists(I, [T1, [H2 | T2], [H3 | T3] | L], Acc, desc) ->
    kmerge_desc_lists(I, L, [rkm3_start(I, T1, H2, T2, H3, T3) | Acc], desc);
kmerge_desc_lists(I, [[H2 | T2], T1 | L], Acc, asc) ->
    kmerge_desc_lists(I, L, [rkm2(I, T1, element(I, H2), H2, T2, []) | Acc], asc);
kmerge_desc_lists(I, [T1, [H2 | T2] | L], Acc, desc) ->
    kmerge_desc_lists(I, L, [rkm2(I, T1, element(I, H2), H2, T2, []) | Acc], desc);
kmerge_desc_lists(I, [L], Acc, O) ->
    kmerge_asc_lists(I, [lists:reverse(L, []) | Acc], [], O);
kmerge_desc_lists(I, [], Acc, O) ->
    kmerge_asc_lists(I, Acc, [], O).

%% Three-way key merges (used by keysort only, so every element is a
%% tuple with a key): smallest key first, the earliest list on ties;
%% rkm3 takes the largest key, the latest list on ties.
km3_start(I, [H1 | T1], H2, T2, H3, T3) ->
    km3(I, element(I, H1), H1, T1, element(I, H2), H2, T2, element(I, H3), H3, T3, []);
km3_start(I, [], H2, T2, H3, T3) ->
    km2_heads(I, element(I, H2), H2, T2, element(I, H3), H3, T3, []).

km3(I, E1, H1, T1, E2, H2, T2, E3, H3, T3, M) when E1 =< E2, E1 =< E3 ->
    case T1 of
        [N | T] -> km3(I, element(I, N), N, T, E2, H2, T2, E3, H3, T3, [H1 | M]);
        [] -> km2_heads(I, E2, H2, T2, E3, H3, T3, [H1 | M])
    end;
km3(I, E1, H1, T1, E2, H2, T2, E3, H3, T3, M) when E1 > E2, E2 =< E3 ->
    case T2 of
        [N | T] -> km3(I, E1, H1, T1, element(I, N), N, T, E3, H3, T3, [H2 | M]);
        [] -> km2_heads(I, E1, H1, T1, E3, H3, T3, [H2 | M])
    end;
km3(I, E1, H1, T1, E2, H2, T2, _, H3, T3, M) ->
    case T3 of
        [N | T] -> km3(I, E1, H1, T1, E2, H2, T2, element(I, N), N, T, [H3 | M]);
        [] -> km2_heads(I, E1, H1, T1, E2, H2, T2, [H3 | M])
    end.

km2_heads(I, E1, H1, T1, E2, H2, T2, M) when E1 =< E2 -> km2(I, T1, E2, H2, T2, [H1 | M]);
km2_heads(I, E1, H1, T1, _, H2, T2, M) -> km2_held(I, T1, E1, H1, T2, [H2 | M]).

rkm3_start(I, [H1 | T1], H2, T2, H3, T3) ->
    rkm3(I, element(I, H1), H1, T1, element(I, H2), H2, T2, element(I, H3), H3, T3, []);
rkm3_start(I, [], H2, T2, H3, T3) ->
    rkm2_heads(I, element(I, H2), H2, T2, element(I, H3), H3, T3, []).

rkm3(I, E1, H1, T1, E2, H2, T2, E3, H3, T3, M) when E1 =< E2, E2 =< E3; E1 > E2, E1 =< E3 ->
    case T3 of
        [N | T] -> rkm3(I, E1, H1, T1, E2, H2, T2, element(I, N), N, T, [H3 | M]);
        [] -> rkm2_heads(I, E1, H1, T1, E2, H2, T2, [H3 | M])
    end;
rkm3(I, E1, H1, T1, E2, H2, T2, E3, H3, T3, M) when E1 =< E2 ->
    case T2 of
        [N | T] -> rkm3(I, E1, H1, T1, element(I, N), N, T, E3, H3, T3, [H2 | M]);
        [] -> rkm2_heads(I, E1, H1, T1, E3, H3, T3, [H2 | M])
    end;
rkm3(I, _, H1, T1, E2, H2, T2, E3, H3, T3, M) ->
    case T1 of
        [N | T] -> rkm3(I, element(I, N), N, T, E2, H2, T2, E3, H3, T3, [H1 | M]);
        [] -> rkm2_heads(I, E2, H2, T2, E3, H3, T3, [H1 | M])
    end.

rkm2_heads(I, E1, H1, T1, E2, H2, T2, M) when E1 =< E2 -> rkm2_held(I, T1, E1, H1, T2, [H2 | M]);
rkm2_heads(I, _, H1, T1, E2, H2, T2, M) -> rkm2(I, T1, E2, H2, T2, [H1 | M]).

%% Two-way key merges; keys are taken when an element becomes a head.
km2(I, [H1 | T1], E2, H2, T2, M) ->
    case element(I, H1) of
        E1 when E1 =< E2 -> km2(I, T1, E2, H2, T2, [H1 | M]);
        E1x -> km2_held(I, T1, E1x, H1, T2, [H2 | M])
    end;
km2(_, [], _, H2, T2, M) ->
    lists:reverse(T2, [H2 | M]).

km2_held(I, T1, E1, H1, [H2 | T2], M) ->
    case element(I, H2) of
        E2 when E1 =< E2 -> km2(I, T1, E2, H2, T2, [H1 | M]);
        _ -> km2_held(I, T1, E1, H1, T2, [H2 | M])
    end;
km2_held(_, T1, _, H1, [], M) ->
    lists:reverse(T1, [H1 | M]).

rkm2(I, [H1 | T1], E2, H2, T2, M) ->
    case element(I, H1) of
        E1 when E1 =< E2 -> rkm2_held(I, T1, E1, H1, T2, [H2 | M]);
        _ -> rkm2(I, T1, E2, H2, T2, [H1 | M])
    end;
rkm2(_, [], _, H2, T2, M) ->
    lists:reverse(T2, [H2 | M]).

rkm2_held(I, T1, E1, H1, [H2 | T2], M) ->
    case element(I, H2) of
        E2 when E1 =< E2 -> rkm2_held(I, T1, E1, H1, T2, [H2 | M]);
        E2x -> rkm2(I, T1, E2x, H2, T2, [H1 | M])
    end;
rkm2_held(_, T1, _, H1, [], M) ->
    lists:reverse(T1, [H1 | M]).

keymerge(Index, T1, L2) when is_integer(Index), Index > 0 ->
    case L2 of
        [] -> T1;
        [H2 | T2] -> lists:reverse(km2(Index, T1, element(Index, H2), H2, T2, []), [])
    end.

rkeymerge(Index, T1, L2) when is_integer(Index), Index > 0 ->
    case L2 of
        [] -> T1;
        [H2 | T2] -> lists:reverse(rkm2(Index, T1, element(Index, H2), H2, T2, []), [])
    end.

%% ---------------------------------------------------------------- ukeysort/2
%%
%% The first of the tuples with equal keys is kept.

ukeysort(I, L) when is_integer(I), I > 0 ->
    case L of
        [] -> L;
        [_] -> L;
        [X, Y | T] ->
            case {element(I, X), element(I, Y)} of
                {EX, EY} when EX == EY ->
                    ukeysort_equal(I, X, EX, T);
                {EX1, EY1} when EX1 < EY1 ->
                    case T of
                        [] -> L;
                        [Z] ->
                            case element(I, Z) of
                                EZ when EY1 == EZ -> [X, Y];
                                EZ when EY1 < EZ -> [X, Y, Z];
                                EZ when EZ == EX1 -> [X, Y];
                                EZ when EX1 =< EZ -> [X, Z, Y];
                                _ -> [Z, X, Y]
                            end;
                        _ -> ukup(I, X, EX1, Y, EY1, T, [], [])
                    end;
                {EX2, EY2} ->
                    case T of
                        [] -> [Y, X];
                        [Z] ->
                            case element(I, Z) of
                                EZ when EX2 == EZ -> [Y, X];
                                EZ when EX2 < EZ -> [Y, X, Z];
                                EZ when EY2 == EZ -> [Y, X];
                                EZ when EY2 =< EZ -> [Y, Z, X];
                                _ -> [Z, Y, X]
                            end;
                        _ -> ukdown(I, Y, EY2, T, [X])
                    end
            end
    end.

ukeysort_equal(I, X, EX, [Y | L]) ->
    case element(I, Y) of
        EY when EX == EY -> ukeysort_equal(I, X, EX, L);
        EY when EX < EY -> ukup(I, X, EX, Y, EY, L, [], []);
        EY1 -> ukdown(I, Y, EY1, L, [X])
    end;
ukeysort_equal(_, X, _, []) ->
    [X].

ukup(I, X, EX, Y, EY, [Z | L], Run, Runs) ->
    case element(I, Z) of
        EZ when EY == EZ -> ukup(I, X, EX, Y, EY, L, Run, Runs);
        EZ when EY < EZ -> ukup(I, Y, EY, Z, EZ, L, [X | Run], Runs);
        EZ when EX == EZ -> ukup(I, X, EX, Y, EY, L, Run, Runs);
        EZ when EX < EZ -> ukup(I, Z, EZ, Y, EY, L, [X | Run], Runs);
        _ when Run == [] -> ukup(I, X, EX, Y, EY, L, [Z], Runs);
        EZ -> ukup_aside(I, X, EX, Y, EY, L, Run, Runs, Z, EZ)
    end;
ukup(I, X, _, Y, _, [], Run, Runs) ->
    ukmerge_desc_lists(I, [[Y, X | Run] | Runs], []).

ukup_aside(I, X, EX, Y, EY, [Z | L], Run, Runs, S, ES) ->
    case element(I, Z) of
        EZ when EY == EZ -> ukup_aside(I, X, EX, Y, EY, L, Run, Runs, S, ES);
        EZ when EY < EZ -> ukup_aside(I, Y, EY, Z, EZ, L, [X | Run], Runs, S, ES);
        EZ when EX == EZ -> ukup_aside(I, X, EX, Y, EY, L, Run, Runs, S, ES);
        EZ when EX < EZ -> ukup_aside(I, Z, EZ, Y, EY, L, [X | Run], Runs, S, ES);
        EZ when ES == EZ -> ukup_aside(I, X, EX, Y, EY, L, Run, Runs, S, ES);
        EZ when ES < EZ -> ukup(I, S, ES, Z, EZ, L, [], [[Y, X | Run] | Runs]);
        EZ1 -> ukup(I, Z, EZ1, S, ES, L, [], [[Y, X | Run] | Runs])
    end;
ukup_aside(I, X, _, Y, _, [], Run, Runs, S, _) ->
    ukmerge_desc_lists(I, [[S], [Y, X | Run] | Runs], []).

%% A strictly descending prefix; the first ascending step turns it into
%% a finished run and continues with ascending runs.
ukdown(I, Y, EY, [Z | L], Run) ->
    case element(I, Z) of
        EZ when EY == EZ -> ukdown(I, Y, EY, L, Run);
        EZ when EY < EZ -> ukup(I, Y, EY, Z, EZ, L, [], [lists:reverse(Run, [])]);
        EZ1 -> ukdown(I, Z, EZ1, L, [Y | Run])
    end;
ukdown(_, Y, _, [], Run) ->
    [Y | Run].

ukmerge_asc_lists(I, [T1, [H2 | T2], [H3 | T3] | L], Acc) ->
    ukmerge_asc_lists(I, L, [ukm3(I, T1, H2, T2, H3, T3) | Acc]);
ukmerge_asc_lists(I, [[H1 | T1], T2 | L], Acc) ->
    ukmerge_asc_lists(I, L, [ukm2_held1(I, T1, element(I, H1), H1, T2, []) | Acc]);
ukmerge_asc_lists(_, [L], []) ->
    L;
ukmerge_asc_lists(I, [L], Acc) ->
    ukmerge_desc_lists(I, [lists:reverse(L, []) | Acc], []);
ukmerge_asc_lists(I, [], Acc) ->
    ukmerge_desc_lists(I, Acc, []).

ukmerge_desc_lists(I, [[H3 | T3], [H2 | T2], T1 | L], Acc) ->
    ukmerge_desc_lists(I, L, [rukm3(I, T1, H2, T2, H3, T3) | Acc]);
ukmerge_desc_lists(I, [[H2 | T2], T1 | L], Acc) ->
    ukmerge_desc_lists(I, L, [rukm2_held2(I, T1, element(I, H2), T2, [], H2) | Acc]);
ukmerge_desc_lists(I, [L], Acc) ->
    ukmerge_asc_lists(I, [lists:reverse(L, []) | Acc], []);
ukmerge_desc_lists(I, [], Acc) ->
    ukmerge_asc_lists(I, Acc, []).

%% The runs of ukeysort are strictly ordered tuples with unique keys, so
%% a three-way unique merge is two two-way ones: the earlier lists'
%% tuples are kept. Results are accumulated, as for the other passes.
ukm3(I, T1, H2, T2, H3, T3) ->
    [H | T] = ukeymerge(I, T1, [H2 | T2]),
    ukm2_held1(I, T, element(I, H), H, [H3 | T3], []).

rukm3(I, T1, H2, T2, H3, T3) ->
    A = rukeymerge(I, T1, [H2 | T2]),
    rukm2_held2(I, A, element(I, H3), T3, [], H3).

%% Unique two-way key merges, the first list's tuples kept.
ukm2_held1(I, T1, E1, H1, [H2 | T2], M) ->
    case element(I, H2) of
        E2 when E1 =< E2 -> ukm2_held2(I, T1, E2, E1, T2, [H1 | M], H2);
        _ -> ukm2_held1(I, T1, E1, H1, T2, [H2 | M])
    end;
ukm2_held1(_, T1, _, H1, [], M) ->
    lists:reverse(T1, [H1 | M]).

ukm2_held2(I, [H1 | T1], E2, Last, T2, M, H2) ->
    case element(I, H1) of
        E1 when E1 =< E2 -> ukm2_held2(I, T1, E2, E1, T2, [H1 | M], H2);
        E1 when E2 == Last -> ukm2_held1(I, T1, E1, H1, T2, M);
        E1x -> ukm2_held1(I, T1, E1x, H1, T2, [H2 | M])
    end;
ukm2_held2(_, [], E2, Last, T2, M, _) when E2 == Last ->
    lists:reverse(T2, M);
ukm2_held2(_, [], _, _, T2, M, H2) ->
    lists:reverse(T2, [H2 | M]).

rukm2_held2(I, [H1 | T1], E2, T2, M, H2) ->
    case element(I, H1) of
        E1 when E1 =< E2 -> rukm2_held1(I, T1, E1, T2, M, E2, H2, H1);
        _ -> rukm2_held2(I, T1, E2, T2, [H1 | M], H2)
    end;
rukm2_held2(_, [], _, T2, M, H2) ->
    lists:reverse(T2, [H2 | M]).

rukm2_held1(I, T1, E1, [H2 | T2], M, E2M, H2M, H1) ->
    case element(I, H2) of
        E2 when E1 =< E2 -> rukm2_held1(I, T1, E1, T2, [H2M | M], E2, H2, H1);
        E2 when E1 == E2M -> rukm2_held2(I, T1, E2, T2, [H1 | M], H2);
        E2x -> rukm2_held2(I, T1, E2x, T2, [H1, H2M | M], H2)
    end;
rukm2_held1(_, T1, E1, [], M, E2M, _, H1) when E1 == E2M ->
    lists:reverse(T1, [H1 | M]);
rukm2_held1(_, T1, _, [], M, _, H2M, H1) ->
    lists:reverse(T1, [H1, H2M | M]).

ukeymerge(Index, L1, T2) when is_integer(Index), Index > 0 ->
    case L1 of
        [] -> T2;
        [H1 | T1] -> lists:reverse(ukm2_held1(Index, T1, element(Index, H1), H1, T2, []), [])
    end.

rukeymerge(Index, T1, L2) when is_integer(Index), Index > 0 ->
    case L2 of
        [] -> T1;
        [H2 | T2] -> lists:reverse(rukm2_held2(Index, T1, element(Index, H2), T2, [], H2), [])
    end.

%% ---------------------------------------------------------------- sort/2
%%
%% The same scheme with a fun, but two-way merges only. Every call of Fun
%% happens with the same arguments and in the same order as in OTP, so
%% funs that are not total orders (A < B) give the same results.

sort(Fun, []) when is_function(Fun, 2) -> [];
sort(Fun, [_] = L) when is_function(Fun, 2) -> L;
sort(Fun, [X, Y | T]) ->
    case Fun(X, Y) of
        true -> fup(Y, X, Fun, T, [], []);
        false -> fdown(Y, X, Fun, T, [], [])
    end.

%% Y is the top, X the one below.
fup(Y, X, Fun, [Z | L], Run, Runs) ->
    case Fun(Y, Z) of
        true -> fup(Z, Y, Fun, L, [X | Run], Runs);
        false ->
            case Fun(X, Z) of
                true -> fup(Y, Z, Fun, L, [X | Run], Runs);
                false when Run == [] -> fup(Y, X, Fun, L, [Z], Runs);
                false -> fup_aside(Y, X, Fun, L, Run, Runs, Z)
            end
    end;
fup(Y, X, Fun, [], Run, Runs) ->
    fmerge_desc_lists([[Y, X | Run] | Runs], [], Fun, asc).

fup_aside(Y, X, Fun, [Z | L], Run, Runs, S) ->
    case Fun(Y, Z) of
        true -> fup_aside(Z, Y, Fun, L, [X | Run], Runs, S);
        false ->
            case Fun(X, Z) of
                true -> fup_aside(Y, Z, Fun, L, [X | Run], Runs, S);
                false ->
                    case Fun(S, Z) of
                        true -> fup(Z, S, Fun, L, [], [[Y, X | Run] | Runs]);
                        false -> fup(S, Z, Fun, L, [], [[Y, X | Run] | Runs])
                    end
            end
    end;
fup_aside(Y, X, Fun, [], Run, Runs, S) ->
    fmerge_desc_lists([[S], [Y, X | Run] | Runs], [], Fun, asc).

fdown(Y, X, Fun, [Z | L], Run, Runs) ->
    case Fun(Y, Z) of
        false -> fdown(Z, Y, Fun, L, [X | Run], Runs);
        true ->
            case Fun(X, Z) of
                false -> fdown(Y, Z, Fun, L, [X | Run], Runs);
                true when Run == [] -> fdown(Y, X, Fun, L, [Z], Runs);
                true -> fdown_aside(Y, X, Fun, L, Run, Runs, Z)
            end
    end;
fdown(Y, X, Fun, [], Run, Runs) ->
    fmerge_asc_lists([[Y, X | Run] | Runs], [], Fun, desc).

fdown_aside(Y, X, Fun, [Z | L], Run, Runs, S) ->
    case Fun(Y, Z) of
        false -> fdown_aside(Z, Y, Fun, L, [X | Run], Runs, S);
        true ->
            case Fun(X, Z) of
                false -> fdown_aside(Y, Z, Fun, L, [X | Run], Runs, S);
                true ->
                    case Fun(S, Z) of
                        false -> fdown(Z, S, Fun, L, [], [[Y, X | Run] | Runs]);
                        true -> fdown(S, Z, Fun, L, [], [[Y, X | Run] | Runs])
                    end
            end
    end;
fdown_aside(Y, X, Fun, [], Run, Runs, S) ->
    fmerge_asc_lists([[S], [Y, X | Run] | Runs], [], Fun, desc).

fmerge_asc_lists([T1, [H2 | T2] | L], Acc, Fun, asc) ->
    fmerge_asc_lists(L, [fm2(T1, H2, Fun, T2, []) | Acc], Fun, asc);
fmerge_asc_lists([[H2 | T2], T1 | L], Acc, Fun, desc) ->
    fmerge_asc_lists(L, [fm2(T1, H2, Fun, T2, []) | Acc], Fun, desc);
fmerge_asc_lists([L], [], _, _) ->
    L;
fmerge_asc_lists([L], Acc, Fun, O) ->
    fmerge_desc_lists([lists:reverse(L, []) | Acc], [], Fun, O);
fmerge_asc_lists([], Acc, Fun, O) ->
    fmerge_desc_lists(Acc, [], Fun, O).

fmerge_desc_lists([[H2 | T2], T1 | L], Acc, Fun, asc) ->
    fmerge_desc_lists(L, [rfm2(T1, H2, Fun, T2, []) | Acc], Fun, asc);
fmerge_desc_lists([T1, [H2 | T2] | L], Acc, Fun, desc) ->
    fmerge_desc_lists(L, [rfm2(T1, H2, Fun, T2, []) | Acc], Fun, desc);
fmerge_desc_lists([L], Acc, Fun, O) ->
    fmerge_asc_lists([lists:reverse(L, []) | Acc], [], Fun, O);
fmerge_desc_lists([], Acc, Fun, O) ->
    fmerge_asc_lists(Acc, [], Fun, O).

%% Ascending lists: H1 is taken when Fun(H1, H2).
fm2([H1 | T1], H2, Fun, T2, M) ->
    case Fun(H1, H2) of
        true -> fm2(T1, H2, Fun, T2, [H1 | M]);
        false -> fm2_held(H1, T1, Fun, T2, [H2 | M])
    end;
fm2([], H2, _, T2, M) ->
    lists:reverse(T2, [H2 | M]).

fm2_held(H1, T1, Fun, [H2 | T2], M) ->
    case Fun(H1, H2) of
        true -> fm2(T1, H2, Fun, T2, [H1 | M]);
        false -> fm2_held(H1, T1, Fun, T2, [H2 | M])
    end;
fm2_held(H1, T1, _, [], M) ->
    lists:reverse(T1, [H1 | M]).

%% Descending lists: H2 is taken when Fun(H1, H2).
rfm2([H1 | T1], H2, Fun, T2, M) ->
    case Fun(H1, H2) of
        true -> rfm2_held(H1, T1, Fun, T2, [H2 | M]);
        false -> rfm2(T1, H2, Fun, T2, [H1 | M])
    end;
rfm2([], H2, _, T2, M) ->
    lists:reverse(T2, [H2 | M]).

rfm2_held(H1, T1, Fun, [H2 | T2], M) ->
    case Fun(H1, H2) of
        true -> rfm2_held(H1, T1, Fun, T2, [H2 | M]);
        false -> rfm2(T1, H2, Fun, T2, [H1 | M])
    end;
rfm2_held(H1, T1, _, [], M) ->
    lists:reverse(T1, [H1 | M]).

merge(Fun, T1, [H2 | T2]) when is_function(Fun, 2) ->
    lists:reverse(fm2(T1, H2, Fun, T2, []), []);
merge(Fun, T1, []) when is_function(Fun, 2) ->
    T1.

rmerge(Fun, T1, [H2 | T2]) when is_function(Fun, 2) ->
    lists:reverse(rfm2(T1, H2, Fun, T2, []), []);
rmerge(Fun, T1, []) when is_function(Fun, 2) ->
    T1.

%% ---------------------------------------------------------------- usort/2
%%
%% Two elements are equal when Fun holds both ways; the first is kept.

usort(Fun, [_] = L) when is_function(Fun, 2) -> L;
usort(Fun, [] = L) when is_function(Fun, 2) -> L;
usort(Fun, [X | L]) when is_function(Fun, 2) -> usort_first(Fun, X, L).

usort_first(Fun, X, [Y | L]) ->
    case Fun(X, Y) of
        true ->
            case Fun(Y, X) of
                true ->
                    case L of
                        [] -> [X];
                        _ -> usort_first(Fun, X, L)
                    end;
                false -> ufup(Y, X, Fun, L, [], [])
            end;
        false -> ufdown(Y, L, Fun, [X])
    end.

%% Y is the top, X the one below, X strictly below Y.
ufup(Y, X, Fun, [Z | L], Run, Runs) ->
    case Fun(Y, Z) of
        true ->
            case Fun(Z, Y) of
                true -> ufup(Y, X, Fun, L, Run, Runs);
                false -> ufup(Z, Y, Fun, L, [X | Run], Runs)
            end;
        false ->
            case Fun(X, Z) of
                true ->
                    case Fun(Z, X) of
                        true -> ufup(Y, X, Fun, L, Run, Runs);
                        false -> ufup(Y, Z, Fun, L, [X | Run], Runs)
                    end;
                false when Run == [] -> ufup(Y, X, Fun, L, [Z], Runs);
                false -> ufup_aside(Y, X, Fun, L, Run, Runs, Z)
            end
    end;
ufup(Y, X, Fun, [], Run, Runs) ->
    ufmerge_desc_lists([[Y, X | Run] | Runs], [], Fun).

ufup_aside(Y, X, Fun, [Z | L], Run, Runs, S) ->
    case Fun(Y, Z) of
        true ->
            case Fun(Z, Y) of
                true -> ufup_aside(Y, X, Fun, L, Run, Runs, S);
                false -> ufup_aside(Z, Y, Fun, L, [X | Run], Runs, S)
            end;
        false ->
            case Fun(X, Z) of
                true ->
                    case Fun(Z, X) of
                        true -> ufup_aside(Y, X, Fun, L, Run, Runs, S);
                        false -> ufup_aside(Y, Z, Fun, L, [X | Run], Runs, S)
                    end;
                false ->
                    case Fun(S, Z) of
                        true ->
                            case Fun(Z, S) of
                                true -> ufup_aside(Y, X, Fun, L, Run, Runs, S);
                                false -> ufup(Z, S, Fun, L, [], [[Y, X | Run] | Runs])
                            end;
                        false -> ufup(S, Z, Fun, L, [], [[Y, X | Run] | Runs])
                    end
            end
    end;
ufup_aside(Y, X, Fun, [], Run, Runs, S) ->
    ufmerge_desc_lists([[S], [Y, X | Run] | Runs], [], Fun).

%% A strictly descending prefix, as in ukeysort.
ufdown(Y, [Z | L], Fun, Run) ->
    case Fun(Y, Z) of
        true ->
            case Fun(Z, Y) of
                true -> ufdown(Y, L, Fun, Run);
                false -> ufup(Z, Y, Fun, L, [], [lists:reverse(Run, [])])
            end;
        false -> ufdown(Z, L, Fun, [Y | Run])
    end;
ufdown(Y, [], _, Run) ->
    [Y | Run].

ufmerge_asc_lists([[H1 | T1], T2 | L], Acc, Fun) ->
    ufmerge_asc_lists(L, [ufm2_held1(H1, T1, Fun, T2, []) | Acc], Fun);
ufmerge_asc_lists([L], [], _) ->
    L;
ufmerge_asc_lists([L], Acc, Fun) ->
    ufmerge_desc_lists([lists:reverse(L, []) | Acc], [], Fun);
ufmerge_asc_lists([], Acc, Fun) ->
    ufmerge_desc_lists(Acc, [], Fun).

ufmerge_desc_lists([[H2 | T2], T1 | L], Acc, Fun) ->
    ufmerge_desc_lists(L, [rufm2_held2(T1, H2, Fun, T2, []) | Acc], Fun);
ufmerge_desc_lists([L], Acc, Fun) ->
    ufmerge_asc_lists([lists:reverse(L, []) | Acc], [], Fun);
ufmerge_desc_lists([], Acc, Fun) ->
    ufmerge_asc_lists(Acc, [], Fun).

%% Unique merges with a fun, the first list's elements kept.
%% ufm2_held2: H2 held, Last emitted last (from the first list).
ufm2_held2([H1 | T1], H2, Fun, T2, M, Last) ->
    case Fun(H1, H2) of
        true -> ufm2_held2(T1, H2, Fun, T2, [H1 | M], H1);
        false ->
            case Fun(H2, Last) of
                true -> ufm2_held1(H1, T1, Fun, T2, M);
                false -> ufm2_held1(H1, T1, Fun, T2, [H2 | M])
            end
    end;
ufm2_held2([], H2, Fun, T2, M, Last) ->
    case Fun(H2, Last) of
        true -> lists:reverse(T2, M);
        false -> lists:reverse(T2, [H2 | M])
    end.

ufm2_held1(H1, T1, Fun, [H2 | T2], M) ->
    case Fun(H1, H2) of
        true -> ufm2_held2(T1, H2, Fun, T2, [H1 | M], H1);
        false -> ufm2_held1(H1, T1, Fun, T2, [H2 | M])
    end;
ufm2_held1(H1, T1, _, [], M) ->
    lists:reverse(T1, [H1 | M]).

rufm2_held2([H1 | T1], H2, Fun, T2, M) ->
    case Fun(H1, H2) of
        true -> rufm2_held1(H1, T1, Fun, T2, M, H2);
        false -> rufm2_held2(T1, H2, Fun, T2, [H1 | M])
    end;
rufm2_held2([], H2, _, T2, M) ->
    lists:reverse(T2, [H2 | M]).

%% H1 held, H2M pending.
rufm2_held1(H1, T1, Fun, [H2 | T2], M, H2M) ->
    case Fun(H1, H2) of
        true -> rufm2_held1(H1, T1, Fun, T2, [H2M | M], H2);
        false ->
            case Fun(H2M, H1) of
                true -> rufm2_held2(T1, H2, Fun, T2, [H1 | M]);
                false -> rufm2_held2(T1, H2, Fun, T2, [H1, H2M | M])
            end
    end;
rufm2_held1(H1, T1, Fun, [], M, H2M) ->
    case Fun(H2M, H1) of
        true -> lists:reverse(T1, [H1 | M]);
        false -> lists:reverse(T1, [H1, H2M | M])
    end.

umerge(Fun, [], T2) when is_function(Fun, 2) ->
    T2;
umerge(Fun, [H1 | T1], T2) when is_function(Fun, 2) ->
    lists:reverse(ufm2_held1(H1, T1, Fun, T2, []), []).

rumerge(Fun, T1, []) when is_function(Fun, 2) ->
    T1;
rumerge(Fun, T1, [H2 | T2]) when is_function(Fun, 2) ->
    lists:reverse(rufm2_held2(T1, H2, Fun, T2, []), []).
