-module(stdlib_filename).
-export([main/1]).

id(X) -> X.

main(_) ->
    [lt_show:t("join/1", fun() -> filename:join(L) end)
     || L <- [["a"], ["a", "b"], ["/", "a", "b"], ["a/", "b/"], ["a", "/b", "c"],
              ["a//b", "c"], ["/"], [<<"a">>, "b"], ["a", <<"b">>], [a, b],
              ["a", "."], ["a", ".."], [["a", ["b"]], "c"], ["/a/", "b"]]],
    [lt_show:t("join/2", fun() -> filename:join(A, B) end)
     || {A, B} <- [{"a", "b"}, {"/usr", "local"}, {"a", "/abs"}, {"", "b"},
                   {"a", ""}, {<<"x">>, <<"y">>}, {"x/", "/"}]],
    [lt_show:t("basename/1", fun() -> filename:basename(N) end)
     || N <- ["/a/b/c.erl", "c.erl", "a/b/", "/", "", <<"/x/y.z">>, "a//", "//a"]],
    [lt_show:t("basename/2", fun() -> filename:basename(N, E) end)
     || {N, E} <- [{"src/kalle.erl", ".erl"}, {"src/kalle.beam", ".erl"},
                   {"kalle.erl", "erl"}, {<<"/a/b.erl">>, ".erl"}, {"a/b.erl/", ".erl"}]],
    [lt_show:t("dirname", fun() -> filename:dirname(N) end)
     || N <- ["/a/b/c", "a", "/a", "a/b/", "/", "a/b", "/usr/src/", <<"x/y">>, "a//b", "."]],
    [lt_show:t("extension", fun() -> filename:extension(N) end)
     || N <- ["foo.erl", "a.b/c", ".erlang", "a/b.c.d", "noext", <<"x.y">>, "a.", "/a.b/c.d"]],
    [lt_show:t("rootname/1", fun() -> filename:rootname(N) end)
     || N <- ["/jam.src/kalle", "/jam.src/foo.erl", "a.b.c", "x", <<"y.z">>]],
    [lt_show:t("rootname/2", fun() -> filename:rootname(N, E) end)
     || {N, E} <- [{"/jam.src/foo.erl", ".erl"}, {"/jam.src/foo.beam", ".erl"}, {"a.erl", "erl"}]],
    [lt_show:t("split", fun() -> filename:split(N) end)
     || N <- ["/a/b/c", "a/b", "a//b/", "/", "", <<"/x/y">>, "./a"]],
    [lt_show:t("absname/2", fun() -> filename:absname(N, D) end)
     || {N, D} <- [{"a", "/tmp"}, {"/abs", "/tmp"}, {"../a", "/x/y"}, {"./a", "/x"},
                   {"a/../b", "/x"}, {".", "/x"}, {"..", "/"}, {<<"b">>, "/x"}]],
    lt_show:t("absname/1", fun() -> {ok, Cwd} = file:get_cwd(),
                            filename:absname("foo") =:= filename:join(Cwd, "foo") end),
    lt_show:t("absname/1 abs", fun() -> filename:absname("/a//b") end),
    [lt_show:t("flatten", fun() -> filename:flatten(N) end)
     || N <- [["a", ["b", [c]]], <<"bin">>, abc, "plain"]],
    [lt_show:t("append", fun() -> filename:append(A, B) end)
     || {A, B} <- [{"a", "b"}, {"/a/", "b"}, {<<"x">>, "y"}]],
    lt_show:t("bad", fun() -> filename:basename(id(42)) end),
    ok.
