-module(bit_syntax).
-export([main/1]).
-import(lt_show, [t/2]).

id(X) -> X.


%% Matching helpers (function heads, so the compiler keeps them general).
ints(<<A:8, B:16, C:4, D:4, Rest/binary>>) -> {A, B, C, D, Rest};
ints(_) -> nomatch.

signed(<<A:8/signed, B:16/signed-little, C:3/signed, D:5/unsigned>>) -> {A, B, C, D};
signed(_) -> nomatch.

sized(<<N:8, Data:N/binary, Rest/bits>>) -> {N, Data, Rest};
sized(_) -> nomatch.

floats(<<A:64/float, B:32/float, C:16/float, D:64/float-little>>) -> {A, B, C, D};
floats(_) -> nomatch.

utf(<<A/utf8, B/utf16, C/utf32-little, Rest/binary>>) -> {A, B, C, Rest};
utf(_) -> nomatch.

unaligned(<<_:3, X:7, Y/bitstring>>) -> {X, Y};
unaligned(_) -> nomatch.

tlv(<<>>) -> [];
tlv(<<T:8, L:8, V:L/binary, Rest/binary>>) -> [{T, V} | tlv(Rest)];
tlv(Bad) -> [{bad, Bad}].

count_ones(<<>>, N) -> N;
count_ones(<<1:1, R/bits>>, N) -> count_ones(R, N + 1);
count_ones(<<0:1, R/bits>>, N) -> count_ones(R, N).

lit(<<"GET ", Path/binary>>) -> {get, Path};
lit(<<"POST ", Path/binary>>) -> {post, Path};
lit(_) -> other.

units(<<A:2/unit:8, B:1/binary-unit:16, C/binary-unit:8>>) -> {A, B, C};
units(_) -> nomatch.

main(_) ->
    %% construction
    t("ints", fun() -> <<1, 2:16, 3:4, 4:4, -1:8, 256:8, 1:1, 0:7>> end),
    t("little", fun() -> <<16#0102:16/little, 16#010203:24/little, -2:16/little-signed>> end),
    t("big ints", fun() -> <<(1 bsl 70):72, (-(1 bsl 40)):48/signed>> end),
    t("odd sizes", fun() -> <<5:3, 1:1, 300:9, 7:2/little>> end),
    t("size var", fun() -> N = id(12), <<16#abc:N, 1:N/little>> end),
    t("size 0", fun() -> <<1:0, 2>> end),
    t("floats", fun() -> <<1.5:64/float, 1.5:32/float, 1.5:16/float, 2.0:64/float-little>> end),
    t("float int", fun() -> <<3:64/float>> end),
    t("float 32 round", fun() -> <<0.1:32/float>> end),
    t("float 16 small", fun() -> <<0.0001:16/float>> end),
    t("binaries", fun() -> B = id(<<1, 2, 3>>), <<B/binary, B:2/binary, B/bits, 9>> end),
    t("bitstrings", fun() -> B = id(<<5:3>>), <<B/bits, B/bitstring, 1:2>> end),
    t("bytes", fun() -> B = id(<<"ab">>), <<B/bytes, "cd", "e"/utf8>> end),
    t("utf8", fun() -> <<$a/utf8, 16#e9/utf8, 16#20ac/utf8, 16#1f600/utf8>> end),
    t("utf16", fun() -> <<$a/utf16, 16#20ac/utf16-little, 16#1f600/utf16, 16#1f600/utf16-little>> end),
    t("utf32", fun() -> <<$a/utf32, 16#1f600/utf32-little>> end),
    t("string utf16", fun() -> <<"h\x{3a9}"/utf16>> end),
    t("units", fun() -> <<1:2/unit:8, 3:3/unit:4>> end),
    t("binary unit", fun() -> B = id(<<1, 2, 3, 4>>), <<B:2/binary-unit:16>> end),
    t("empty", fun() -> <<>> end),
    %% construction errors
    t("bad int", fun() -> <<(id(a)):8>> end),
    t("bad float", fun() -> <<(id(a)):64/float>> end),
    t("bad float size", fun() -> <<(id(1.0)):(id(8))/float>> end),
    t("bad binary", fun() -> <<(id(1))/binary>> end),
    t("bad bits in binary", fun() -> <<(id(<<1:1>>))/binary>> end),
    t("binary too short", fun() -> <<(id(<<1>>)):2/binary>> end),
    t("bad size", fun() -> <<1:(id(-1))>> end),
    t("bad size atom", fun() -> <<1:(id(a))>> end),
    t("bad utf8", fun() -> <<(id(16#110000))/utf8>> end),
    t("surrogate", fun() -> <<(id(16#d800))/utf8>> end),
    t("float 32 overflow", fun() -> <<(id(1.0e300)):32/float>> end),
    t("float 16 overflow", fun() -> <<(id(1.0e10)):16/float, (id(65519.0)):16/float, (id(65520.0)):16/float, (id(-1.0e6)):16/float>> end),
    t("float 16 rounding", fun() -> <<(id(1.0009765625)):16/float, (id(1.00048828125)):16/float, (id(1.00146484375)):16/float, (id(6.0e-8)):16/float>> end),
    %% matching
    t("match ints", fun() -> ints(id(<<1, 0, 2, 16#34, 5, 6>>)) end),
    t("match ints short", fun() -> ints(id(<<1, 2>>)) end),
    t("match signed", fun() -> signed(id(<<255, 254, 255, 2#101:3, 31:5>>)) end),
    t("match sized", fun() -> sized(id(<<3, 1, 2, 3, 4, 5:3>>)) end),
    t("match sized short", fun() -> sized(id(<<3, 1, 2>>)) end),
    t("match floats", fun() -> floats(<<1.5:64/float, 2.5:32/float, -0.5:16/float, 3.25:64/float-little>>) end),
    t("match nan", fun() -> floats(<<16#7ff8000000000000:64, 0:32, 0:16, 0:64>>) end),
    t("match utf", fun() -> utf(<<16#20ac/utf8, 16#1f600/utf16, 16#e9/utf32-little, "!">>) end),
    t("match bad utf8", fun() -> utf(id(<<16#ff, 0, 0>>)) end),
    t("match unaligned", fun() -> unaligned(id(<<255, 255, 1:5>>)) end),
    t("tlv", fun() -> tlv(id(<<1, 2, "ab", 2, 0, 3, 1, "c">>)) end),
    t("tlv bad", fun() -> tlv(id(<<1, 5, "ab">>)) end),
    t("count ones", fun() -> count_ones(id(<<2#10110111, 2#101:3>>), 0) end),
    t("literal prefix", fun() -> {lit(id(<<"GET /index">>)), lit(id(<<"POST /x">>)), lit(id(<<"PUT">>))} end),
    t("units match", fun() -> units(id(<<0, 7, 1, 2, 3, 4>>)) end),
    t("units mismatch", fun() -> units(id(<<0, 7, 1, 2, 3:4>>)) end),
    t("match in case", fun() ->
        case id(<<3:4, 15:4, 9>>) of
            <<X:4, 15:4, Y>> -> {X, Y};
            _ -> no
        end
    end),
    t("match 64", fun() ->
        B = id(<<255,255,255,255,255,255,255,254, 128,0,0,0,0,0,0,1, 1,2,3,4,5,6,7,8, 255,0,0,0,0,0,0,128, 1:1, 255,255,255,255,255,255,255,255, 3:6>>),
        <<A:64, S:64/signed, L:64/little, SL:64/little-signed, _:1, U:64, R:6>> = B,
        {A, S, L, SL, U, R}
    end),
    t("match unaligned ints", fun() ->
        B = id(<<16#123456789abcdef0:64, 16#fedcba98:32>>),
        [{X, Y} || N <- [1, 3, 7, 13, 29, 33, 47], S <- [96 - 2 * N], <<_:N, X:N/signed, Y:S>> <= B]
    end),
    t("match little sizes", fun() ->
        B = id(<<1, 2, 3, 4, 5, 6, 7, 8, 9>>),
        [begin <<X:N/little-unit:8, _/binary>> = B, X end || N <- [1, 2, 3, 5, 7, 8, 9]]
    end),
    t("build signed", fun() -> <<(-1):64, (-2):33, (-3):7/little-unit:8, (1 bsl 63):64, (-(1 bsl 63)):64/little>> end),
    t("match expr", fun() -> <<A:4, B:12>> = id(<<16#abcd:16>>), {A, B} end),
    t("match fail", fun() -> <<_:8>> = id(<<1, 2>>) end),
    t("match bound", fun() -> N = id(2), <<N, X/binary>> = id(<<2, 7>>), X end),
    t("match bound size", fun() -> <<S:4, V:S, _/bits>> = id(<<4:4, 9:4, 0>>), V end),
    t("match tail bits", fun() -> <<_:1, R/bits>> = id(<<1, 2>>), {R, bit_size(R)} end),
    %% comprehensions
    t("bin comp", fun() -> << <<(X * 2)>> || <<X>> <= id(<<1, 2, 3>>) >> end),
    t("bin comp filter", fun() -> << <<X:4>> || <<X:4>> <= id(<<16#1234:16>>), X rem 2 =:= 0 >> end),
    t("bin comp from list", fun() -> << <<X:3>> || X <- lists:seq(0, 7) >> end),
    t("list from bits", fun() -> [X || <<X:3>> <= id(<<2#10100111:8, 2#0:1>>)] end),
    t("bin comp nested", fun() -> << <<X, Y>> || X <- [1, 2], <<Y>> <= <<"ab">> >> end),
    t("bin comp pattern", fun() -> [{K, V} || <<K:8, V:8>> <= id(<<1, 2, 3, 4, 5>>)] end),
    t("bin comp utf8", fun() -> [C || <<C/utf8>> <= id(<<"h", 195, 169, "!">>)] end),
    t("bin comp binaries", fun() -> << <<B/binary, ",">> || B <- [<<"a">>, <<"bc">>] >> end),
    t("bin comp bits acc", fun() -> << <<1:1>> || _ <- lists:seq(1, 10) >> end),
    %% building in a loop
    t("append loop", fun() ->
        B = lists:foldl(fun(I, Acc) -> <<Acc/binary, I>> end, <<>>, lists:seq(1, 300)),
        {byte_size(B), binary:last(B), erlang:crc32(B)}
    end),
    t("append bits loop", fun() ->
        B = lists:foldl(fun(I, Acc) -> <<Acc/bits, I:3>> end, <<>>, lists:seq(1, 100)),
        {bit_size(B), erlang:crc32(<<B/bits, 0:4>>)}
    end),
    t("size guard", fun() -> [byte_size(X) || X <- [<<>>, <<1>>, <<1, 2:4>>], byte_size(X) > 0] end),
    t("is_bitstring", fun() -> {is_binary(<<1:1>>), is_bitstring(<<1:1>>), is_binary(<<>>)} end),
    ok.
