-module(proc_basics).
-export([main/1]).
%% Processes: spawn, send and receive (selective, in order, after 0, after
%% with a variable, infinity), registered names, process_info, yield.

main(_) ->
    echo(),
    selective(),
    timeouts(),
    names(),
    info(),
    spawn_forms(),
    ok.

echo() ->
    io:format("== echo~n"),
    Self = self(),
    P = spawn(fun() -> loop(Self) end),
    [P ! {msg, I} || I <- lists:seq(1, 5)],
    P ! stop,
    io:format("~p~n", [collect([])]),
    io:format("~p~n", [is_pid(P)]).

loop(Parent) ->
    receive
        {msg, I} -> Parent ! {echo, I * I}, loop(Parent);
        stop -> Parent ! done
    end.

collect(Acc) ->
    receive
        {echo, V} -> collect([V | Acc]);
        done -> lists:reverse(Acc)
    end.

selective() ->
    io:format("== selective~n"),
    self() ! {a, 1}, self() ! {b, 2}, self() ! {a, 3}, self() ! {c, 4},
    B = receive {b, X} -> X end,
    C = receive {c, Y} -> Y end,
    As = [receive {a, Z} -> Z end, receive {a, W} -> W end],
    io:format("~p ~p ~p~n", [B, C, As]),
    %% Messages that match nothing stay, in order.
    self() ! one, self() ! two,
    R = receive three -> three after 0 -> none end,
    io:format("~p ~p~n", [R, flush([])]).

flush(Acc) ->
    receive M -> flush([M | Acc]) after 0 -> lists:reverse(Acc) end.

timeouts() ->
    io:format("== timeouts~n"),
    T = 20,
    R1 = receive nothing -> got after T -> timeout end,
    R2 = receive nothing -> got after 0 -> zero end,
    self() ! here,
    R3 = receive here -> here after infinity -> never end,
    Parent = self(),
    spawn(fun() -> receive after 10 -> Parent ! late end end),
    R4 = receive late -> late after 2000 -> timeout end,
    R5 = (catch receive x -> x after -1 -> y end),
    R6 = (catch receive x -> x after foo -> y end),
    io:format("~p~n", [[R1, R2, R3, R4, element(1, element(2, R5)), element(1, element(2, R6))]]).

names() ->
    io:format("== names~n"),
    Self = self(),
    P = spawn(fun() -> receive {ping, From} -> From ! pong end, receive stop -> ok end end),
    io:format("~p~n", [register(pb_server, P)]),
    io:format("~p~n", [whereis(pb_server) =:= P]),
    pb_server ! {ping, Self},
    receive pong -> io:format("pong~n") end,
    io:format("~p~n", [lists:member(pb_server, registered())]),
    io:format("~p~n", [element(1, catch register(pb_server, Self))]),
    io:format("~p~n", [element(1, catch register(other_name, P))]),
    io:format("~p~n", [element(1, catch register(undefined, Self))]),
    io:format("~p~n", [element(1, catch register("str", Self))]),
    io:format("~p~n", [whereis(no_such_name)]),
    io:format("~p~n", [element(1, catch no_such_name ! hello)]),
    io:format("~p~n", [element(1, {pb_server, node()} ! {ping, Self})]),
    receive pong -> ok after 100 -> ok end,
    io:format("~p~n", [unregister(pb_server)]),
    io:format("~p~n", [element(1, catch unregister(pb_server))]),
    io:format("~p~n", [whereis(pb_server)]),
    register(pb_server, P),
    Ref = monitor(process, P),
    P ! stop,
    receive {'DOWN', Ref, process, P, normal} -> ok end,
    io:format("after exit: ~p ~p~n", [whereis(pb_server), is_process_alive(P)]).

info() ->
    io:format("== info~n"),
    P = spawn(fun() -> put(k, v), receive stop -> ok end end),
    P ! m1, P ! m2,
    erlang:yield(),
    receive after 20 -> ok end,
    io:format("~p~n", [process_info(P, message_queue_len)]),
    io:format("~p~n", [process_info(P, messages)]),
    io:format("~p~n", [process_info(P, status)]),
    io:format("~p~n", [process_info(P, dictionary)]),
    io:format("~p~n", [process_info(P, trap_exit)]),
    io:format("~p~n", [process_info(P, registered_name)]),
    io:format("~p~n", [process_info(P, [message_queue_len, trap_exit])]),
    io:format("~p~n", [process_info(self(), status)]),
    {reductions, R} = process_info(self(), reductions),
    io:format("~p~n", [is_integer(R) andalso R > 0]),
    {heap_size, H} = process_info(self(), heap_size),
    io:format("~p~n", [is_integer(H)]),
    Keys = [K || {K, _} <- process_info(self())],
    io:format("~p~n", [[K || K <- [status, message_queue_len, links, dictionary, trap_exit, reductions], lists:member(K, Keys)]]),
    P ! stop,
    Ref = monitor(process, P),
    receive {'DOWN', Ref, _, _, _} -> ok end,
    io:format("~p~n", [process_info(P, status)]),
    io:format("~p~n", [process_info(P)]),
    io:format("~p~n", [element(1, catch process_info(self(), no_such_item))]),
    io:format("~p~n", [element(1, catch process_info(not_a_pid))]),
    io:format("~p~n", [is_process_alive(self())]),
    io:format("~p~n", [lists:member(self(), processes())]),
    io:format("~p~n", [erlang:yield()]).

spawn_forms() ->
    io:format("== spawn~n"),
    Self = self(),
    P = spawn(?MODULE, main, [[]]),
    exit(P, kill),
    P2 = spawn(erlang, send, [Self, hello_from_apply]),
    receive hello_from_apply -> io:format("apply ok ~p~n", [is_pid(P2)]) end,
    io:format("~p~n", [element(1, catch spawn(not_a_fun))]),
    io:format("~p~n", [element(1, catch spawn(m, f, not_a_list))]),
    {P3, Ref} = spawn_monitor(fun() -> exit(bye) end),
    receive {'DOWN', Ref, process, P3, Why} -> io:format("~p~n", [Why]) end,
    P4 = spawn_opt(fun() -> Self ! {prio, process_info(self(), priority)} end, [{priority, high}]),
    receive {prio, Pr} -> io:format("~p ~p~n", [Pr, is_pid(P4)]) end,
    {_, Ref5} = spawn_opt(fun() -> ok end, [monitor]),
    receive {'DOWN', Ref5, process, _, R5} -> io:format("~p~n", [R5]) end,
    io:format("~p~n", [element(1, catch spawn_opt(fun() -> ok end, [bad_option]))]),
    Fun = fun(X) -> X end,
    io:format("~p~n", [element(1, catch spawn_monitor(Fun))]),
    io:format("~p~n", [is_pid(catch spawn(Fun))]).
