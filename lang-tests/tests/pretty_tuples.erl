-module(pretty_tuples).
-export([main/1]).

%% ~p layout of tuples: tagged tuples (an atom first) indent their other
%% elements past the tag, or by 4 when the tag is long; records print as
%% tuples because io_lib:format has no record definitions.

-record(person, {name, age, email, address = {}, phones = [], notes = ""}).
-record(a_record_with_a_rather_long_name, {first_field, second_field, third}).

main(_) ->
    Seq = lists:seq(1, 30),
    io:format("~p~n", [list_to_tuple(Seq)]),
    io:format("~p~n", [{tag, Seq}]),
    io:format("~p~n", [{tag, Seq, Seq}]),
    io:format("~p~n", [{a_much_longer_tag_name_for_this_tuple, Seq, Seq}]),
    io:format("~p~n", [{'Quoted Tag', Seq}]),
    io:format("~p~n", [{"string tag", Seq}]),
    io:format("~p~n", [{1, Seq}]),
    io:format("~p~n", [{{nested, tag}, Seq}]),
    io:format("~p~n", [{only_tag}]),
    io:format("~p~n", [{x, y}]),
    io:format("~30p~n", [{tag, Seq}]),
    io:format("~30p~n", [{a_much_longer_tag_name_for_this_tuple, Seq}]),
    io:format("~20p~n", [{a_much_longer_tag_name_for_this_tuple, [a, b], {c, d}}]),
    io:format("prefix: ~p~n", [{tag, Seq, Seq}]),
    io:format("a long prefix that pushes the term right: ~p~n", [{tag, Seq}]),
    io:format("a long prefix that pushes the term right: ~p~n",
              [{a_much_longer_tag_name_for_this_tuple, Seq}]),
    %% Nested tagged tuples.
    T = {reply, {ok, {state, [{users, [alice, bob, carol, dave, eve, frank]},
                              {counters, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
                              {config, {timeout, 5000}, {retries, 3}}]}},
         {from, self_pid_placeholder}},
    io:format("~p~n", [T]),
    io:format("~50p~n", [T]),
    io:format("~100p~n", [T]),
    io:format("state = ~p~n", [T]),
    io:format("~p~n", [{error, {badmatch, {a, very, long, tuple, 'of', atoms, that,
                                           does, 'not', fit, on, one, line, at, all}}}]),
    io:format("~p~n", [{{{{{{{{{{deep, tuple}}}}}}}}}}]),
    io:format("~p~n", [{{{{{{{{{{list_to_tuple(Seq)}}}}}}}}}}]),
    %% Records.
    P = #person{name = "Joe Armstrong", age = 42, email = "joe@example.com",
                address = {address, "Some Street 1", "12345", "Stockholm"},
                phones = [{home, "555-1234"}, {work, "555-9876"}]},
    io:format("~p~n", [P]),
    io:format("~40p~n", [P]),
    io:format("people: ~p~n", [[P, P#person{name = "Mike", phones = []}]]),
    R = #a_record_with_a_rather_long_name{first_field = lists:seq(1, 20),
                                          second_field = {x, y, z},
                                          third = [P]},
    io:format("~p~n", [R]),
    io:format("~60p~n", [R]),
    %% Tuples of many kinds of elements.
    io:format("~p~n", [{1, -2, 3.5, atom, "str", <<"bin">>, [], {}, #{}, [1, 2],
                        {a, b}, #{k => v}, <<1, 2, 3>>, 'quoted atom', 100000000000000000000}]),
    io:format("~p~n", [list_to_tuple([{I, I * I} || I <- lists:seq(1, 20)])]),
    io:format("~p~n", [{tag, list_to_tuple([{I, I * I} || I <- lists:seq(1, 20)])}]),
    io:format("~p~n", [{tag, "a string that is quite long, long enough to need a line",
                        "another string"}]),
    io:format("~p~n", [{tag, [a | b], [c, d | e], lists:seq(1, 20) ++ f}]),
    io:format("~p~n", [[{tag, I, lists:seq(1, I)} || I <- lists:seq(5, 25, 5)]]),
    io:format("~p~n", [{'$gen_call', {self_placeholder, make_ref_placeholder},
                        {request, lists:seq(1, 25), [{option, true}]}}]),
    io:format("~p~n", [{ok, {{2024, 1, 15}, {12, 30, 45}}, [{event, "started"},
                        {event, "running for a while"}, {event, "stopped"}]}]),
    ok.
