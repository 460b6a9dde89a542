%% Shared by the lang-tests: run a fun and print "Name: {ok, Value}" or
%% "Name: {Class, Reason}".
-module(lt_show).
-export([t/2]).

t(Name, F) ->
    R = try F() of
            V -> {ok, V}
        catch
            C:E -> {C, E}
        end,
    io:format("~s: ~w~n", [Name, R]).
