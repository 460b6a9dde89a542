-module(stdlib_code).
-export([main/1]).

id(X) -> X.

main(_) ->
    lt_show:t("ensure_loaded lists", fun() -> code:ensure_loaded(lists) end),
    lt_show:t("ensure_loaded erlang", fun() -> code:ensure_loaded(erlang) end),
    lt_show:t("ensure_loaded self", fun() -> code:ensure_loaded(?MODULE) end),
    lt_show:t("ensure_loaded missing", fun() -> code:ensure_loaded(no_such_module_here) end),
    lt_show:t("is_loaded self", fun() -> element(1, code:is_loaded(?MODULE)) end),
    lt_show:t("is_loaded erlang", fun() -> code:is_loaded(erlang) end),
    lt_show:t("is_loaded missing", fun() -> code:is_loaded(no_such_module_here) end),
    lt_show:t("which erlang", fun() -> code:which(erlang) end),
    lt_show:t("which missing", fun() -> code:which(no_such_module_here) end),
    lt_show:t("which self", fun() -> W = code:which(?MODULE), is_list(W) andalso filename:basename(filename:dirname(W)) =/= [] end),
    lt_show:t("get_path", fun() -> P = code:get_path(), is_list(P) andalso lists:all(fun is_list/1, P) end),
    lt_show:t("root_dir", fun() -> is_list(code:root_dir()) end),
    lt_show:t("add_patha bad", fun() -> code:add_patha("/no/such/dir/at/all") end),
    lt_show:t("add_pathz bad", fun() -> code:add_pathz("/no/such/dir/at/all") end),
    lt_show:t("add_patha", fun() -> code:add_patha("/tmp") end),
    lt_show:t("in path a", fun() -> hd(code:get_path()) end),
    lt_show:t("add_pathz", fun() -> code:add_pathz("/") end),
    lt_show:t("in path z", fun() -> lists:last(code:get_path()) end),
    lt_show:t("all_loaded", fun() -> L = code:all_loaded(), lists:keymember(?MODULE, 1, L) andalso lists:keymember(lists, 1, L) end),
    lt_show:t("init plain", fun() -> init:get_plain_arguments() end),
    lt_show:t("init root", fun() -> {ok, [[R]]} = init:get_argument(root), is_list(R) end),
    lt_show:t("init progname", fun() -> init:get_argument(progname) end),
    lt_show:t("init missing", fun() -> init:get_argument(no_such_flag) end),
    lt_show:t("init arguments", fun() -> lists:keymember(root, 1, init:get_arguments()) end),
    lt_show:t("ensure_loaded bad", fun() -> code:ensure_loaded(id("lists")) end),
    ok.
