%% byte_size/1, bit_size/1 and tuple_size/1 (which run inline) on every
%% kind of argument, in bodies and in guards, with OTP's errors.
-module(size_bifs).
-export([main/1]).

main(_) ->
    Big = binary:copy(<<"abc">>, 100),
    <<_:3, Bits/bitstring>> = Big,
    <<_:10/binary, Sub:20/binary, _/binary>> = Big,
    Args = [<<>>, <<1, 2, 3>>, Big, Bits, Sub, <<1:1>>, {}, {a, b, c}, [], [1, 2], 7, 1.5, atom,
            self(), make_ref(), #{a => 1}, fun() -> ok end, 1 bsl 100],
    [io:format("~w ~w ~w ~w ~w~n",
               [short(A), catch_it(fun() -> byte_size(A) end), catch_it(fun() -> bit_size(A) end),
                catch_it(fun() -> tuple_size(A) end), guards(A)])
     || A <- Args],
    try byte_size(list_to_atom("x")) catch error:R:St -> io:format("~p ~p~n", [R, hd(St)]) end,
    try tuple_size([a]) catch error:R2:St2 -> io:format("~p ~p~n", [R2, hd(St2)]) end.

short(A) when is_binary(A), byte_size(A) > 8 -> {binary, byte_size(A)};
short(A) when is_bitstring(A), bit_size(A) > 64 -> {bitstring, bit_size(A)};
short(A) when is_function(A) -> function;
short(A) when is_pid(A) -> pid;
short(A) when is_reference(A) -> reference;
short(A) -> A.

catch_it(F) ->
    try F() catch error:R -> {error, R} end.

guards(A) when byte_size(A) > 100 -> big_binary;
guards(A) when bit_size(A) rem 8 =/= 0 -> odd_bits;
guards(A) when byte_size(A) >= 0 -> binary;
guards(A) when tuple_size(A) =:= 3 -> triple;
guards(A) when tuple_size(A) >= 0 -> tuple;
guards(_) -> other.
