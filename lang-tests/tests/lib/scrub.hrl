%% Shared by the lang-tests of processes and behaviours: show/2 prints
%% "Label: Value" with pids, references and stack traces scrubbed (they
%% print differently on every VM: they become the atoms pid, ref and
%% stack); flush/0 empties the mailbox.
show(Label, Value) -> io:format("~s: ~p~n", [Label, clean(Value)]).

clean(P) when is_pid(P) -> pid;
clean(R) when is_reference(R) -> ref;
clean(M) when is_map(M) -> maps:from_list(clean(maps:to_list(M)));
clean([{M, F, A, L} | _]) when is_atom(M), is_atom(F), is_list(L) andalso
                                   (is_integer(A) orelse is_list(A)) -> stack;
clean(T) when is_tuple(T) -> list_to_tuple(clean(tuple_to_list(T)));
clean([H | T]) -> [clean(H) | clean(T)];
clean(Other) -> Other.

flush() -> receive M -> [M | flush()] after 0 -> [] end.
