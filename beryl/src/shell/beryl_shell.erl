%% The Erlang side of the beryl shell (see docs/repl.md).
%%
%% The server process traps exits and owns the current evaluator, as
%% OTP's shell process does. The host (the Rust side, which reads and
%% compiles entries) sends it {eval, Seq, Module, Bindings, History}; the
%% evaluator calls Module:'$eval'(Bindings) and the server hands the
%% outcome to the host with beryl_host:reply({Seq, Outcome}):
%%   {value, Value, NewBindings}
%%   {exception, Class, Reason, Stacktrace}   (the evaluator is replaced)
%%   {exit, Reason}                           (the evaluator was killed)
%% An evaluator killed between entries is reported as {idle, {exit, R}}.
%% The bindings themselves live on the host, so they outlive evaluators.
-module(beryl_shell).
-export([start/0, evaluator/1]).
-export([v/1, c/1, l/1, i/0, regs/0, flush/0, q/0, pwd/0, cd/1]).

start() ->
    process_flag(trap_exit, true),
    server(start_eval()).

start_eval() ->
    Self = self(),
    spawn_link(fun() -> evaluator(Self) end).

server(Ev) ->
    receive
        {eval, Seq, Mod, Bs, Hist} ->
            Ev ! {eval, self(), Mod, Bs, Hist},
            wait(Seq, Ev);
        {'EXIT', Ev, Reason} ->
            %% The evaluator died between entries (a linked process
            %% crashed): OTP reports it when it happens.
            beryl_host:reply({idle, {exit, Reason}}),
            server(start_eval());
        _ ->
            server(Ev)
    end.

wait(Seq, Ev) ->
    receive
        {value, Ev, V, Bs} ->
            beryl_host:reply({Seq, {value, V, Bs}}),
            server(Ev);
        {ev_exit, Ev, Class, Reason, Stack} ->
            receive {'EXIT', Ev, _} -> ok end,
            beryl_host:reply({Seq, {exception, Class, Reason, Stack}}),
            server(start_eval());
        {'EXIT', Ev, Reason} ->
            beryl_host:reply({Seq, {exit, Reason}}),
            server(start_eval());
        _ ->
            wait(Seq, Ev)
    end.

evaluator(Shell) ->
    %% The loop's call stays outside the receive: a receive of one clause
    %% ending in a call does not get a last call yet (the stack grew).
    {Mod, Bs, Hist} = receive {eval, Shell, M, B, H} -> {M, B, H} end,
    put('$beryl_results', Hist),
    eval(Shell, Mod, Bs),
    evaluator(Shell).

eval(Shell, Mod, Bs) ->
    try Mod:'$eval'(Bs) of
        {V, NewBs} -> Shell ! {value, self(), V, NewBs}
    catch
        exit:normal ->
            exit(normal);
        Class:Reason:Stack ->
            %% As OTP's evaluator: linked processes get the exception as
            %% an exit signal, the shell a report.
            {links, Links} = process_info(self(), links),
            ER = nocatch(Class, {Reason, Stack}),
            [exit(P, ER) || P <- Links, P =/= Shell],
            Shell ! {ev_exit, self(), Class, Reason, Stack},
            exit(normal)
    end.

nocatch(throw, {Term, Stack}) -> {{nocatch, Term}, Stack};
nocatch(_, Reason) -> Reason.

%% ---------------------------------------------------------------- commands

v(N) when is_integer(N) ->
    Hist = case get('$beryl_results') of
               undefined -> [];
               H -> H
           end,
    Key = case N < 0 of
              true -> case Hist of
                          [{Last, _} | _] -> Last + N + 1;
                          [] -> N
                      end;
              false -> N
          end,
    case lists:keyfind(Key, 1, Hist) of
        {_, V} -> V;
        false -> erlang:error({bad_v, N})
    end.

c(File) -> beryl_host:c(File).

l(Mod) -> beryl_host:l(Mod).

q() -> beryl_host:q().

pwd() -> beryl_host:pwd().

cd(Dir) -> beryl_host:cd(Dir).

flush() ->
    receive
        M ->
            io:format("Shell got ~p~n", [M]),
            flush()
    after 0 ->
        ok
    end.

regs() ->
    Names = lists:sort(registered()),
    io:format("~n** Registered procs on node ~w **~n", [node()]),
    io:format("~-24s ~-12s ~-24s ~-20s ~-12s~n",
              ["Name", "Pid", "Initial Call", "Reds", "Msgs"]),
    lists:foreach(
      fun(Name) ->
              case whereis(Name) of
                  undefined -> ok;
                  Pid -> io:format("~-24w ~-12w ~-24s ~-20w ~-12w~n",
                                   [Name, Pid, initial(Pid), info(Pid, reductions),
                                    info(Pid, message_queue_len)])
              end
      end, Names),
    ok.

i() ->
    Pids = processes(),
    io:format("~-12s ~-30s ~-10s ~-8s~n",
              ["Pid", "Initial Call", "Reds", "Msgs"]),
    lists:foreach(
      fun(Pid) ->
              io:format("~-12w ~-30s ~-10w ~-8w~n",
                        [Pid, initial(Pid), info(Pid, reductions),
                         info(Pid, message_queue_len)])
      end, Pids),
    io:format("Total: ~w processes~n", [length(Pids)]),
    ok.

initial(Pid) ->
    case process_info(Pid, initial_call) of
        {initial_call, {M, F, A}} -> io_lib:format("~w:~w/~w", [M, F, A]);
        _ -> "-"
    end.

info(Pid, Item) ->
    case process_info(Pid, Item) of
        {Item, V} -> V;
        _ -> 0
    end.
