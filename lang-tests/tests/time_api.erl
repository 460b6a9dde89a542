-module(time_api).
-export([main/1]).
%% The time API: units and conversions, monotonic time that never goes
%% back, unique integers, now/0 strictly increasing across many processes
%% on all schedulers, and the shapes of the calendar-ish BIFs.

main(_) ->
    conversions(),
    shapes(),
    monotonic(),
    uniqueness(),
    ok.

conversions() ->
    io:format("== conversions~n"),
    Units = [second, millisecond, microsecond, nanosecond, native, 1000, 7],
    [io:format("~p -> ~p: ~p~n", [F, T, erlang:convert_time_unit(V, F, T)])
     || F <- Units, T <- Units, V <- [1, 1234567, -1234567]],
    io:format("~p~n", [erlang:convert_time_unit(1, second, native)]),
    io:format("~p~n", [element(1, catch erlang:convert_time_unit(1, bad, second))]),
    io:format("~p~n", [element(1, catch erlang:monotonic_time(bad))]),
    io:format("~p~n", [element(1, catch erlang:convert_time_unit(1.5, second, native))]).

shapes() ->
    io:format("== shapes~n"),
    {Mega, S, Micro} = erlang:timestamp(),
    io:format("~p~n", [[is_integer(X) andalso X >= 0 || X <- [Mega, S, Micro]]]),
    {M2, S2, U2} = os:timestamp(),
    io:format("~p~n", [[is_integer(X) || X <- [M2, S2, U2]]]),
    {Y, Mo, D} = date(),
    {H, Mi, Se} = time(),
    io:format("~p~n", [Y >= 2024 andalso Mo >= 1 andalso Mo =< 12 andalso D >= 1 andalso D =< 31]),
    io:format("~p~n", [H >= 0 andalso H < 24 andalso Mi >= 0 andalso Mi < 60 andalso Se >= 0 andalso Se < 61]),
    {{Y1, _, _}, {_, _, _}} = erlang:localtime(),
    {{Y2, _, _}, {_, _, _}} = erlang:universaltime(),
    io:format("~p~n", [abs(Y1 - Y2) =< 1]),
    Sys = erlang:system_time(second),
    Os = os:system_time(second),
    io:format("~p~n", [abs(Sys - Os) =< 2]),
    Off = erlang:time_offset(),
    io:format("~p~n", [Off =:= erlang:time_offset()]),
    Ms = erlang:system_time(millisecond),
    io:format("~p~n", [abs(Ms div 1000 - Sys) =< 2]),
    io:format("~p~n", [is_integer(erlang:monotonic_time())]).

monotonic() ->
    io:format("== monotonic~n"),
    Self = self(),
    N = 8,
    Pids = [spawn(fun() ->
                          Ts = [erlang:monotonic_time() || _ <- lists:seq(1, 2000)],
                          Nows = [erlang:now() || _ <- lists:seq(1, 500)],
                          Us = [erlang:unique_integer([monotonic]) || _ <- lists:seq(1, 500)],
                          Self ! {self(), sorted(Ts), strictly(Nows), strictly(Us), Nows, Us}
                  end) || _ <- lists:seq(1, N)],
    Results = [receive {P, A, B, C, Nows, Us} -> {A, B, C, Nows, Us} end || P <- Pids],
    io:format("each process: ~p~n", [lists:usort([{A, B, C} || {A, B, C, _, _} <- Results])]),
    AllNows = lists:append([Nows || {_, _, _, Nows, _} <- Results]),
    AllUs = lists:append([Us || {_, _, _, _, Us} <- Results]),
    io:format("now/0 unique across processes: ~p~n", [length(lists:usort(AllNows)) =:= length(AllNows)]),
    io:format("monotonic unique integers unique: ~p~n", [length(lists:usort(AllUs)) =:= length(AllUs)]),
    T1 = erlang:monotonic_time(),
    receive after 20 -> ok end,
    T2 = erlang:monotonic_time(),
    io:format("~p~n", [erlang:convert_time_unit(T2 - T1, native, millisecond) >= 20]).

sorted(L) -> L =:= lists:sort(L).
strictly([A, B | T]) when A < B -> strictly([B | T]);
strictly([_, _ | _]) -> false;
strictly(_) -> true.

uniqueness() ->
    io:format("== unique_integer~n"),
    Self = self(),
    Pids = [spawn(fun() -> Self ! {self(), [erlang:unique_integer() || _ <- lists:seq(1, 1000)]} end)
            || _ <- lists:seq(1, 4)],
    All = lists:append([receive {P, L} -> L end || P <- Pids]),
    io:format("~p~n", [length(lists:usort(All)) =:= length(All)]),
    Pos = [erlang:unique_integer([positive]) || _ <- lists:seq(1, 100)],
    io:format("~p~n", [lists:all(fun(X) -> X > 0 end, Pos)]),
    PM = [erlang:unique_integer([positive, monotonic]) || _ <- lists:seq(1, 100)],
    io:format("~p~n", [strictly(PM) andalso hd(PM) > 0]),
    io:format("~p~n", [element(1, catch erlang:unique_integer([bad]))]),
    io:format("~p~n", [element(1, catch erlang:unique_integer(bad))]).
