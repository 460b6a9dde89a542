%% Shared by the lang-tests: ?T(Expr) prints "Expr => Value", or
%% "Expr => {Class, Reason}" when it raises (funs in badarity/badfun
%% reasons left out, since they print differently on every VM).
-define(T(E), show(??E, fun() -> E end)).

show(Text, F) ->
    R = try F() catch C:Reason -> {C, clean(Reason)} end,
    io:format("~s => ~w~n", [Text, R]).

clean({badarity, _}) -> badarity;
clean({badfun, _}) -> badfun;
clean(R) -> R.
