%% sys: the system messages of the generic behaviours (gen_server,
%% gen_statem, supervisor): state inspection and replacement, suspension,
%% termination.
-module(sys).
-export([get_state/1, get_state/2, replace_state/2, replace_state/3,
         get_status/1, get_status/2, suspend/1, suspend/2, resume/1, resume/2,
         terminate/2, terminate/3, change_code/4, change_code/5]).

get_state(Name) -> get_state(Name, 5000).
get_state(Name, Timeout) ->
    case send_system_msg(Name, get_state, Timeout) of
        {ok, State} -> State;
        {error, Reason} -> error(Reason)
    end.

replace_state(Name, StateFun) -> replace_state(Name, StateFun, 5000).
replace_state(Name, StateFun, Timeout) ->
    case send_system_msg(Name, {replace_state, StateFun}, Timeout) of
        {ok, State} -> State;
        {error, Reason} -> error(Reason)
    end.

get_status(Name) -> get_status(Name, 5000).
get_status(Name, Timeout) ->
    {ok, Status} = send_system_msg(Name, get_status, Timeout),
    Status.

suspend(Name) -> suspend(Name, 5000).
suspend(Name, Timeout) -> send_system_msg(Name, suspend, Timeout).

resume(Name) -> resume(Name, 5000).
resume(Name, Timeout) -> send_system_msg(Name, resume, Timeout).

terminate(Name, Reason) -> terminate(Name, Reason, infinity).
terminate(Name, Reason, Timeout) -> proc_lib:stop(Name, Reason, Timeout).

change_code(Name, Mod, Vsn, Extra) -> change_code(Name, Mod, Vsn, Extra, 5000).
change_code(Name, Mod, Vsn, Extra, Timeout) ->
    send_system_msg(Name, {change_code, Mod, Vsn, Extra}, Timeout).

send_system_msg(Name, Request, Timeout) ->
    case catch gen:call(Name, system, Request, Timeout) of
        {ok, Res} -> Res;
        {'EXIT', Reason} -> exit({Reason, {sys, system_name(Request), [Name | args(Request, Timeout)]}})
    end.

system_name({Tag, _}) -> Tag;
system_name({Tag, _, _, _}) -> Tag;
system_name(Tag) -> Tag.

args({replace_state, F}, T) -> [F, T];
args({change_code, M, V, E}, T) -> [M, V, E, T];
args(_, T) -> [T].
