%% filename for Beryl: Unix file names only. Names may be (deep) lists of
%% characters, atoms or binaries; a result is a binary when an argument
%% was one, else a flat list.
-module(filename).
-export([join/1, join/2, basename/1, basename/2, dirname/1, extension/1,
         rootname/1, rootname/2, split/1, absname/1, absname/2,
         absname_join/2, append/2, flatten/1, pathtype/1, nativename/1]).

%% A name as a flat list of characters, and whether it was a binary.
chars(B) when is_binary(B) ->
    case unicode:characters_to_list(B) of
        L when is_list(L) -> {L, true};
        _ -> {binary_to_list(B), true}
    end;
chars(A) when is_atom(A) -> {atom_to_list(A), false};
chars(L) when is_list(L) -> {flat(L, []), false};
chars(Other) -> erlang:error(function_clause, [Other]).

flat([H | T], Tail) when is_list(H) -> flat(H, flat(T, Tail));
flat([H | T], Tail) when is_atom(H) -> atom_to_list(H) ++ flat(T, Tail);
flat([H | T], Tail) when is_binary(H) -> binary_to_list(H) ++ flat(T, Tail);
flat([H | T], Tail) -> [H | flat(T, Tail)];
flat([], Tail) -> Tail;
flat(A, Tail) when is_atom(A) -> atom_to_list(A) ++ Tail.

back(L, true) ->
    case unicode:characters_to_binary(L) of
        B when is_binary(B) -> B;
        _ -> list_to_binary(L)
    end;
back(L, false) -> L.

flatten(B) when is_binary(B) -> B;
flatten(N) -> element(1, chars(N)).

pathtype(N) ->
    case chars(N) of
        {[$/ | _], _} -> absolute;
        _ -> relative
    end.

nativename(N) ->
    {L, B} = chars(N),
    back(squeeze(L), B).

join([N]) ->
    {L, B} = chars(N),
    back(squeeze(L), B);
join([A, B | Rest]) -> join([join(A, B) | Rest]);
join(Other) -> erlang:error(function_clause, [Other]).

join(A, B) ->
    {LA, BA} = chars(A),
    {LB, BB} = chars(B),
    L = case LB of
            [$/ | _] -> LB;
            _ -> LA ++ "/" ++ LB
        end,
    back(squeeze(L), BA orelse BB).

%% Collapse repeated slashes and drop a trailing one (except the root).
squeeze(L) ->
    S = collapse(L),
    case lists:reverse(S) of
        [$/, C | R] -> lists:reverse([C | R]);
        _ -> S
    end.

collapse([$/, $/ | T]) -> collapse([$/ | T]);
collapse([H | T]) -> [H | collapse(T)];
collapse([]) -> [].

basename(N) ->
    {L, B} = chars(N),
    back(base(L), B).

%% As OTP: only a single trailing slash is ignored.
base(L) -> base1(L, []).

base1([$/], Tail) -> lists:reverse(Tail);
base1([$/ | Rest], _) -> base1(Rest, []);
base1([C | Rest], Tail) -> base1(Rest, [C | Tail]);
base1([], Tail) -> lists:reverse(Tail).

basename(N, Ext) ->
    {L, B} = chars(N),
    {E, _} = chars(Ext),
    back(base2(L, E, []), B).

base2(E, E, Tail) -> lists:reverse(Tail);
base2([$/], E, Tail) -> base2([], E, Tail);
base2([$/ | Rest], E, _) -> base2(Rest, E, []);
base2([C | Rest], E, Tail) -> base2(Rest, E, [C | Tail]);
base2([], _, Tail) -> lists:reverse(Tail).

drop_suffix(L, E) ->
    case lists:suffix(E, L) of
        true -> lists:sublist(L, length(L) - length(E));
        false -> L
    end.

strip_slashes([$/ | T]) -> strip_slashes(T);
strip_slashes(T) -> T.

dirname(N) ->
    {L, B} = chars(N),
    back(dir(L), B).

dir(L) ->
    R = lists:reverse(L),
    case lists:member($/, R) of
        false -> ".";
        true ->
            Rest = after_slash(R),
            case strip_slashes(Rest) of
                [] -> "/";
                D -> collapse(lists:reverse(D))
            end
    end.

after_slash([$/ | T]) -> T;
after_slash([_ | T]) -> after_slash(T).

extension(N) ->
    {L, B} = chars(N),
    back(ext(L), B).

%% The last dot of the last component and what follows, unless the dot
%% starts the component.
ext(L) -> ext(L, none, true).

ext([$/ | T], _, _) -> ext(T, none, true);
ext([$. | T], _, false) -> ext(T, [$. | T], false);
ext([_ | T], E, _) -> ext(T, E, false);
ext([], none, _) -> [];
ext([], E, _) -> E.

rootname(N) ->
    {L, B} = chars(N),
    E = ext(L),
    back(lists:sublist(L, length(L) - length(E)), B).

rootname(N, Ext) ->
    {L, B} = chars(N),
    {E, _} = chars(Ext),
    back(drop_suffix(L, E), B).

split(N) ->
    {L, B} = chars(N),
    Parts = case L of
                [$/ | T] -> ["/" | comps(T)];
                _ -> comps(L)
            end,
    [back(P, B) || P <- Parts].

comps(L) -> [C || C <- string:split(L, "/", all), C =/= []].

absname(N) ->
    {ok, Cwd} = file:get_cwd(),
    absname(N, Cwd).

absname(N, Dir) ->
    {L, B} = chars(N),
    case L of
        [$/ | _] -> back(squeeze(L), B);
        _ ->
            {D, _} = chars(Dir),
            back(absname_join(D, L), B)
    end.

%% Dir joined with a relative name (a leading "./" dropped).
absname_join(Dir, Name) ->
    {L, _} = chars(Name),
    join(Dir, drop_dot(L)).

drop_dot([$., $/ | T]) when T =/= [] -> drop_dot(T);
drop_dot(L) -> L.

append(Dir, Name) ->
    {D, BD} = chars(Dir),
    {N, BN} = chars(Name),
    back(D ++ "/" ++ N, BD orelse BN).
