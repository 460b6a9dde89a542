%% Helpers the runtime calls into: BIFs that must wait for another process
%% (process_info of another process is a request it answers) continue here.
-module(erts_internal).
-export([await_result/1]).

await_result(Ref) ->
    receive
        {Ref, Result} -> Result
    end.
