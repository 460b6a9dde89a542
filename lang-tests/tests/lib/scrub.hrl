%% Shared by the lang-tests of processes and behaviours: show/2 prints
%% "Label: Value" with pids and stack traces scrubbed (they print
%% differently on every VM: pids become the atom pid, traces the atom
%% stack); flush/0 empties the mailbox.
show(Label, Value) -> io:format("~s: ~p~n", [Label, clean(Value)]).

clean(P) when is_pid(P) -> pid;
clean([{M, F, A, L} | _]) when is_atom(M), is_atom(F), is_list(L) andalso
                                   (is_integer(A) orelse is_list(A)) -> stack;
clean(T) when is_tuple(T) -> list_to_tuple(clean(tuple_to_list(T)));
clean([H | T]) -> [clean(H) | clean(T)];
clean(Other) -> Other.

flush() -> receive M -> [M | flush()] after 0 -> [] end.
