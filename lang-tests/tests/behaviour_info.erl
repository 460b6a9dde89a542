%% A module with -callback attributes gets behaviour_info/1 (callbacks in
%% declaration order, optional_callbacks from its attribute), exported; so
%% do the OTP behaviours.
-module(behaviour_info).
-export([main/1]).

-callback first(integer()) -> ok.
-callback second() -> ok.
-callback third(atom(), list()) -> term().
-optional_callbacks([second/0]).

main(_) ->
    io:format("~p~n", [?MODULE:behaviour_info(callbacks)]),
    io:format("~p~n", [?MODULE:behaviour_info(optional_callbacks)]),
    io:format("~p~n", [lists:member({behaviour_info, 1}, ?MODULE:module_info(exports))]),
    io:format("~p~n", [element(1, catch ?MODULE:behaviour_info(other))]),
    [io:format("~p: ~p~n   ~p~n", [M, M:behaviour_info(callbacks), M:behaviour_info(optional_callbacks)])
     || M <- [gen_server, gen_statem, supervisor]],
    ok.
