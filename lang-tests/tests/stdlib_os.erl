-module(stdlib_os).
-export([main/1]).

id(X) -> X.

main(_) ->
    Var = "BERYL_OS_TEST_" ++ os:getpid(),
    lt_show:t("getenv unset", fun() -> os:getenv(Var) end),
    lt_show:t("getenv/2 default", fun() -> os:getenv(Var, "dflt") end),
    lt_show:t("putenv", fun() -> os:putenv(Var, "some value") end),
    lt_show:t("getenv set", fun() -> os:getenv(Var) end),
    lt_show:t("getenv/2 set", fun() -> os:getenv(Var, "dflt") end),
    lt_show:t("in getenv/0", fun() -> lists:member(Var ++ "=some value", os:getenv()) end),
    lt_show:t("putenv empty", fun() -> os:putenv(Var, "") end),
    lt_show:t("getenv empty", fun() -> os:getenv(Var) end),
    lt_show:t("unsetenv", fun() -> os:unsetenv(Var) end),
    lt_show:t("getenv after unset", fun() -> os:getenv(Var) end),
    lt_show:t("cmd echo", fun() -> os:cmd("echo hi") end),
    lt_show:t("cmd two lines", fun() -> os:cmd("printf 'a\\nb\\n'") end),
    lt_show:t("cmd empty", fun() -> os:cmd("true") end),
    lt_show:t("cmd env", fun() -> os:putenv(Var, "x"), os:cmd("echo $" ++ Var) end),
    lt_show:t("type", fun() -> os:type() end),
    lt_show:t("getpid", fun() -> P = os:getpid(), is_list(P) andalso list_to_integer(P) > 0 end),
    lt_show:t("system_time", fun() -> is_integer(os:system_time()) end),
    lt_show:t("system_time/1", fun() -> os:system_time(second) > 1600000000 end),
    lt_show:t("timestamp", fun() -> {A, B, C} = os:timestamp(), is_integer(A + B + C) end),
    lt_show:t("find_executable", fun() -> filename:basename(os:find_executable("sh")) end),
    lt_show:t("find_executable missing", fun() -> os:find_executable("no_such_exe_beryl") end),
    lt_show:t("find_executable/2", fun() -> os:find_executable("sh", "/nonexistent:/bin") end),
    lt_show:t("perf_counter", fun() -> is_integer(os:perf_counter()) andalso os:perf_counter(1000) > 0 end),
    lt_show:t("putenv bad", fun() -> os:putenv(id(42), "x") end),
    ok.
