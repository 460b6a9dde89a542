%% A process blocked in a file operation (opening and reading a FIFO
%% whose writer comes later) does not stop the others: on one scheduler
%% (the lang-tests also run with +S 1) a ticker keeps ticking and a
%% timer-driven process opens the other end and writes. (Raw files: OTP
%% opens non-raw files one at a time, so its second open would wait.)
-module(file_fifo).
-export([main/1]).

main(_) ->
    Fifo = "/tmp/file_fifo_" ++ os:getpid(),
    "" = os:cmd("mkfifo " ++ Fifo),
    try run(Fifo) after file:delete(Fifo) end.

run(Fifo) ->
    Self = self(),
    Ticker = spawn(fun() -> tick(0) end),
    %% The writer starts 300 ms from now, driven by a timer.
    Writer = spawn(fun() ->
                           receive go -> ok end,
                           {ok, W} = file:open(Fifo, [write, raw]),
                           ok = file:write(W, <<"hello\nworld\n">>),
                           ok = file:close(W),
                           Self ! written
                   end),
    erlang:send_after(300, Writer, go),
    {ok, R} = file:open(Fifo, [read, binary, raw]),
    L1 = file:read_line(R),
    L2 = file:read(R, 100),
    L3 = file:read(R, 100),
    ok = file:close(R),
    receive written -> ok end,
    Ticker ! {count, self()},
    Ticks = receive {ticks, N} -> N end,
    io:format("~p~n", [{L1, L2, L3}]),
    io:format("ticker ran while the reader waited: ~p~n", [Ticks >= 10]).

tick(N) ->
    receive
        {count, From} -> From ! {ticks, N}
    after 10 -> tick(N + 1)
    end.
