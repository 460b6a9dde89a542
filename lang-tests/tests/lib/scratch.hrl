%% Shared by the file lang-tests: run Fun(Dir) in a fresh directory under
%% /tmp named after the test and the OS process, removed (with the files in
%% it) afterwards, whatever Fun does.
with_scratch_dir(Name, Fun) ->
    Dir = "/tmp/" ++ Name ++ "_" ++ os:getpid(),
    ok = file:make_dir(Dir),
    try Fun(Dir) after remove_scratch_dir(Dir) end.

remove_scratch_dir(Dir) ->
    {ok, Names} = file:list_dir(Dir),
    [ok = file:delete(filename:join(Dir, N)) || N <- Names],
    ok = file:del_dir(Dir).
