-module(stdlib_io).
-export([main/1]).

id(X) -> X.

main(_) ->
    %% erlang:display/1 writes straight to standard output, while io output
    %% goes through OTP's io server: on OTP the two interleave by timing.
    %% Displays come first, so the order is the same on every run.
    R = [erlang:display(X) || X <- [1.5, 0.1, -2.0, 1.0e100, 1.0e-5, "abc", <<"abc">>,
                                    <<1, 2, 3:4>>, <<"ab\n">>, 'Foo', 'a b', [1, 2 | 3],
                                    {a, "b", []}, #{a => 1}, 123456789012345678901234567890,
                                    "a\nb", "a\"b", [300], <<200>>, [], {}, "", [$a | $b],
                                    [7], [9], [13], [27], [127], [1.5], {1.0e-5}, -0.0,
                                    #{1.5 => "ab", b => [#{}]}, fun lists:map/2]],
    io:write({a, "b", [1, 2 | 3], <<"bin">>, 1.5}),
    io:nl(),
    io:write(standard_io, [x, 'Y', "str"]),
    io:nl(standard_io),
    io:fwrite("plain~n"),
    io:fwrite("~p and ~w~n", [[1, 2], "s"]),
    io:fwrite(standard_io, "~s~n", ["dev"]),
    io:put_chars("chars\n"),
    io:put_chars(standard_io, [<<"io">>, "list", $\n]),
    io:format("~w~n", [lists:usort(R)]),
    io:format("~p~n", [try io:write(id(nodev), x) catch C:E -> {C, E} end]),
    ok.
