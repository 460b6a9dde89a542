%% Records: definitions with and without defaults (including typed fields
%% and defaults that are expressions/calls evaluated at creation time),
%% creation, field access, update (single and multiple fields), #rec.field
%% index, records in patterns (function heads, case, nested) and guards
%% (is_record/2,3, field access in guards), nested records,
%% record_info(fields|size), the `_ = Value` wildcard field initializer,
%% and printing records with ~p/~w (they are plain tuples at runtime).
-module(records).
-export([main/1]).

-record(empty, {}).
-record(point, {x = 0, y = 0}).
-record(person, {name, age = 0, email = "none", tags = []}).
-record(line, {from = #point{}, to = #point{x = 1, y = 1}}).
-record(counter, {id = next_id(), created = {made, by, default}}).
-record(all, {a, b, c, d}).
-record(typed, {n = 0 :: integer(), s = "" :: string(), l :: list() | undefined}).
-record(tree, {value, left = nil, right = nil}).

id(X) -> X.

next_id() ->
    N = case get(counter_seq) of
            undefined -> 1;
            V -> V + 1
        end,
    put(counter_seq, N),
    N.

main(_Args) ->
    creation(),
    access(),
    update(),
    patterns(),
    guards(),
    nested(),
    info(),
    defaults(),
    wildcard(),
    trees(),
    ok.

creation() ->
    io:format("== creation~n"),
    io:format("~p~n", [#empty{}]),
    io:format("~p~n", [#point{}]),
    io:format("~p~n", [#point{x = 3}]),
    io:format("~p~n", [#point{y = 4, x = 3}]),
    io:format("~p~n", [#person{name = "Ann"}]),
    io:format("~p~n", [#person{name = "Bob", age = 42, tags = [admin]}]),
    io:format("~w~n", [#person{}]),
    io:format("~p~n", [#line{}]),
    io:format("~p~n", [#typed{}]),
    io:format("~p~n", [#all{}]),
    X = id(10),
    io:format("~p~n", [#point{x = X * 2, y = X + 1}]),
    %% a record is a tuple
    P = #point{x = 1, y = 2},
    io:format("~p ~p ~p~n", [tuple_size(P), element(1, P), tuple_to_list(P)]),
    io:format("~p~n", [P =:= {point, 1, 2}]),
    io:format("~p~n", [is_tuple(P)]).

access() ->
    io:format("== field access~n"),
    P = id(#person{name = "Carl", age = 30}),
    io:format("~p ~p ~p ~p~n", [P#person.name, P#person.age, P#person.email, P#person.tags]),
    L = id(#line{}),
    io:format("~p~n", [L#line.to]),
    io:format("~p~n", [(L#line.to)#point.x]),
    io:format("~p~n", [L#line.to#point.y]),
    %% field index
    io:format("~p ~p ~p ~p~n", [#person.name, #person.age, #person.email, #person.tags]),
    io:format("~p ~p~n", [#point.x, #point.y]),
    io:format("~p~n", [element(#person.age, P)]),
    io:format("~p~n", [setelement(#person.age, P, 31)]),
    %% access inside expressions
    io:format("~p~n", [P#person.age * 2 + 1]),
    Ps = [#point{x = I, y = I * I} || I <- lists:seq(1, 5)],
    io:format("~p~n", [[Pt#point.y || Pt <- Ps]]),
    io:format("~p~n", [lists:sum([Pt#point.x || Pt <- Ps])]).

update() ->
    io:format("== update~n"),
    P0 = id(#person{name = "Dee"}),
    P1 = P0#person{age = 25},
    P2 = P1#person{email = "dee@example.com", tags = [new]},
    P3 = P2#person{tags = [old | P2#person.tags], age = P2#person.age + 1},
    io:format("~p~n", [P0]),
    io:format("~p~n", [P1]),
    io:format("~p~n", [P2]),
    io:format("~p~n", [P3]),
    %% original unchanged
    io:format("~p~n", [P0#person.age]),
    %% update nested
    L0 = #line{},
    L1 = L0#line{to = (L0#line.to)#point{x = 100}},
    io:format("~p~n", [L1]),
    %% update with no fields changed gives the same record
    io:format("~p~n", [L0#line{} =:= L0]),
    %% update of a record built by a function call
    io:format("~p~n", [(make_point(5, 6))#point{y = 0}]),
    %% update in a fold
    Final = lists:foldl(fun(T, Acc) -> Acc#person{tags = [T | Acc#person.tags]} end,
                        P0, [a, b, c]),
    io:format("~p~n", [Final#person.tags]).

make_point(X, Y) -> #point{x = X, y = Y}.

area(#point{x = 0, y = 0}) -> origin;
area(#point{x = X, y = X}) -> {diagonal, X};
area(#point{x = X, y = Y}) when X > Y -> {below, X - Y};
area(#point{}) -> above.

describe(#person{name = N, age = A}) when A >= 18 -> {adult, N};
describe(#person{name = N}) -> {minor, N};
describe(_) -> not_a_person.

patterns() ->
    io:format("== patterns~n"),
    [io:format("~p -> ~p~n", [P, area(P)])
     || P <- id([#point{}, #point{x = 2, y = 2}, #point{x = 5, y = 1}, #point{x = 1, y = 5}])],
    io:format("~p~n", [describe(id(#person{name = "E", age = 20}))]),
    io:format("~p~n", [describe(id(#person{name = "F", age = 5}))]),
    io:format("~p~n", [describe(id({person, "G"}))]),
    io:format("~p~n", [describe(id(#point{}))]),
    #person{name = Name, tags = [T | _]} = id(#person{name = "H", tags = [x, y]}),
    io:format("~p ~p~n", [Name, T]),
    R = case id(#line{from = #point{x = 7}}) of
            #line{from = #point{x = X}, to = #point{y = Y}} -> {X, Y}
        end,
    io:format("~p~n", [R]),
    %% a record pattern matches a tuple with the right tag and size
    io:format("~p~n", [area(id({point, 3, 3}))]),
    io:format("~p~n", [try area(id({point, 1, 2, 3})) catch error:E -> E end]),
    %% record pattern in comprehension generator
    io:format("~p~n", [[N || #person{name = N, age = 0} <- id([#person{name = "a"},
                                                               #person{name = "b", age = 1},
                                                               {other},
                                                               #person{name = "c"}])]]).

kind(R) when is_record(R, point) -> point;
kind(R) when is_record(R, person, 5) -> person;
kind(R) when is_record(R, empty) -> empty;
kind(_) -> unknown.

old(R) when R#person.age > 60 -> old;
old(R) when is_record(R, person), R#person.age =< 60 -> young;
old(_) -> not_a_person.

guards() ->
    io:format("== guards~n"),
    Vs = id([#point{}, #person{}, #empty{}, {point, 1}, {point, 1, 2}, {person, a, b, c, d},
             {empty}, point, {}]),
    [io:format("~p -> ~p~n", [V, kind(V)]) || V <- Vs],
    [io:format("~p -> ~p~n", [V, old(V)])
     || V <- id([#person{age = 70}, #person{age = 20}, #point{}, {person}])],
    io:format("~p~n", [[is_record(V, point) || V <- Vs]]),
    io:format("~p~n", [[is_record(V, point, 3) || V <- Vs]]),
    io:format("~p~n", [is_record(id(#empty{}), empty, 1)]).

nested() ->
    io:format("== nested records~n"),
    Ln = #line{from = #point{x = 1, y = 2}, to = #point{x = 3, y = 4}},
    io:format("~p~n", [Ln]),
    #line{from = #point{x = X1}, to = #point{y = Y2}} = Ln,
    io:format("~p ~p~n", [X1, Y2]),
    io:format("~p~n", [Ln#line.from#point.y + Ln#line.to#point.x]),
    Ln2 = Ln#line{from = Ln#line.to, to = Ln#line.from},
    io:format("~p~n", [Ln2]),
    io:format("~p~n", [length_sq(Ln)]).

length_sq(#line{from = #point{x = X1, y = Y1}, to = #point{x = X2, y = Y2}}) ->
    (X2 - X1) * (X2 - X1) + (Y2 - Y1) * (Y2 - Y1).

info() ->
    io:format("== record_info~n"),
    io:format("~p~n", [record_info(fields, point)]),
    io:format("~p~n", [record_info(fields, person)]),
    io:format("~p~n", [record_info(fields, empty)]),
    io:format("~p~n", [record_info(fields, typed)]),
    io:format("~p ~p ~p ~p~n", [record_info(size, point), record_info(size, person),
                                record_info(size, empty), record_info(size, line)]).

defaults() ->
    io:format("== defaults evaluated at creation~n"),
    C1 = #counter{},
    C2 = #counter{},
    C3 = #counter{id = explicit},
    C4 = #counter{},
    io:format("~p~n~p~n~p~n~p~n", [C1, C2, C3, C4]),
    %% update does not re-evaluate defaults
    C5 = C1#counter{created = later},
    io:format("~p~n", [C5]),
    io:format("~p~n", [get(counter_seq)]).

wildcard() ->
    io:format("== _ = Value~n"),
    io:format("~p~n", [#all{_ = x}]),
    io:format("~p~n", [#all{b = 2, _ = z}]),
    io:format("~p~n", [#all{a = 1, b = 2, c = 3, d = 4, _ = unused}]),
    io:format("~p~n", [#person{name = "W", _ = '_'}]),
    %% `_ = '_'` is the usual match-spec style pattern
    io:format("~p~n", [#point{_ = '_'}]),
    %% in a pattern, unnamed fields are wildcards anyway
    #all{c = C} = #all{a = 1, b = 2, c = 3, d = 4},
    io:format("~p~n", [C]).

insert(V, nil) -> #tree{value = V};
insert(V, T = #tree{value = X, left = L}) when V < X -> T#tree{left = insert(V, L)};
insert(V, T = #tree{value = X, right = R}) when V > X -> T#tree{right = insert(V, R)};
insert(_, T) -> T.

to_list(nil) -> [];
to_list(#tree{value = V, left = L, right = R}) -> to_list(L) ++ [V] ++ to_list(R).

height(nil) -> 0;
height(#tree{left = L, right = R}) -> 1 + max(height(L), height(R)).

trees() ->
    io:format("== a binary tree of records~n"),
    T = lists:foldl(fun insert/2, nil, id([5, 3, 8, 1, 4, 7, 9, 2, 6, 5, 3])),
    io:format("~p~n", [to_list(T)]),
    io:format("~p~n", [height(T)]),
    io:format("~p~n", [T#tree.value]),
    io:format("~w~n", [insert(2, insert(1, nil))]).
