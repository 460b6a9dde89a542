-module(etf).
-export([main/1]).
-import(lt_show, [t/2]).

id(X) -> X.


terms() ->
    [0, 1, 255, 256, -1, -256, 2147483647, 2147483648, -2147483648, -2147483649,
     1 bsl 59, (1 bsl 59) - 1, -(1 bsl 59), 1 bsl 63, 1 bsl 64, -(1 bsl 64),
     1 bsl 2100, -(1 bsl 2100) + 7, 12345678901234567890123456789,
     0.0, -0.0, 1.5, -2.25, 1.0e300, 5.0e-324, 3.141592653589793, 1.0e-10,
     a, 'hello world', '', true, '\x{e9}t\x{e9}', '\x{3a9}mega', '\x{1F600}',
     list_to_atom(lists:duplicate(255, $z)), list_to_atom(lists:duplicate(100, 16#3a9)),
     [], "abc", [1, 2, 3], [256], [a, b | c], [1 | 2], lists:seq(1, 300),
     lists:seq(250, 260), [[]], ["x", [y]], lists:duplicate(70000, $q),
     {}, {a}, {a, b, c}, erlang:make_tuple(300, x), {{1, 2}, [3], <<4>>},
     <<>>, <<1, 2, 3>>, <<"text">>, <<1:1>>, <<1, 2:3>>, <<255, 7:7>>,
     binary:copy(<<"0123456789">>, 30),
     #{}, #{a => 1}, #{b => 2, a => 1, 1 => x, 1.0 => y, "s" => <<"b">>, {t} => [l]},
     #{m => #{n => #{o => []}}}, maps:from_list([{I, -I} || I <- lists:seq(1, 32)]),
     fun lists:map/2, fun erlang:self/0, fun ?MODULE:main/1,
     {deep, [{1, #{k => [a | b]}}, <<9:4>>, -1.0e-5]}].

main(_) ->
    lists:foldl(
      fun(T, I) ->
              B = term_to_binary(T),
              Back = binary_to_term(B),
              Same = Back =:= T,
              case byte_size(B) > 120 of
                  true -> io:format("~w: ~w bytes, crc ~w, same ~w~n", [I, byte_size(B), erlang:crc32(B), Same]);
                  false -> io:format("~w: ~w same ~w~n", [I, B, Same])
              end,
              I + 1
      end, 1, terms()),
    %% minor versions
    lists:foreach(
      fun(T) ->
              io:format("v0 ~w~n", [term_to_binary(T, [{minor_version, 0}])]),
              io:format("v1 ~w~n", [term_to_binary(T, [{minor_version, 1}])]),
              io:format("v2 ~w~n", [term_to_binary(T, [{minor_version, 2}])]),
              io:format("back ~w~n", [binary_to_term(term_to_binary(T, [{minor_version, 0}])) =:= T])
      end, [1.5, -0.0, 1.0e300, 2.2250738585072014e-308, abc, '\x{e9}', '\x{3a9}', {1.0e-5, x}]),
    %% large maps: deterministic order
    M40 = maps:from_list([{I, I * I} || I <- lists:seq(1, 40)]),
    io:format("det ~w~n", [term_to_binary(M40, [deterministic])]),
    MixKeys = maps:from_list([{K, 0} || K <- [a, 1, 2.0, "s", {t}, <<"b">>, [], z, -5] ++ lists:seq(100, 130)]),
    io:format("det mixed ~w~n", [term_to_binary(MixKeys, [deterministic])]),
    io:format("big map round trip ~w~n", [binary_to_term(term_to_binary(M40)) =:= M40]),
    %% an OTP-encoded 40-key map in OTP's own (hash) order
    OtpM = <<131,116,0,0,0,40,97,33,97,33,97,12,97,12,97,23,97,23,97,29,97,29,97,30,97,30,97,39,97,39,97,26,97,26,97,31,97,31,97,11,97,11,97,37,97,37,97,9,97,9,97,32,97,32,97,34,97,34,97,25,97,25,97,28,97,28,97,6,97,6,97,38,97,38,97,13,97,13,97,40,97,40,97,20,97,20,97,15,97,15,97,14,97,14,97,2,97,2,97,7,97,7,97,1,97,1,97,8,97,8,97,3,97,3,97,17,97,17,97,22,97,22,97,21,97,21,97,4,97,4,97,36,97,36,97,24,97,24,97,10,97,10,97,35,97,35,97,27,97,27,97,19,97,19,97,5,97,5,97,18,97,18,97,16,97,16>>,
    io:format("otp map ~w~n", [binary_to_term(OtpM) =:= maps:from_list([{I, I} || I <- lists:seq(1, 40)])]),
    %% compression: the plain form when compressing does not pay
    io:format("c small ~w~n", [term_to_binary(abc, [compressed])]),
    io:format("c0 ~w~n", [term_to_binary(lists:duplicate(100, $a), [{compressed, 0}])]),
    lists:foreach(
      fun(Opt) ->
              T = {lists:duplicate(100, $a), binary:copy(<<"xyz">>, 50), lists:seq(1, 50)},
              C = term_to_binary(T, Opt),
              <<H:6/binary, _/binary>> = C,
              io:format("compressed ~w: header ~w, smaller ~w, back ~w~n",
                        [Opt, H, byte_size(C) < byte_size(term_to_binary(T)), binary_to_term(C) =:= T])
      end, [[compressed], [{compressed, 1}], [{compressed, 9}], [compressed, {minor_version, 2}]]),
    %% OTP-compressed input
    OtpC = <<131,80,0,0,0,103,120,156,203,102,72,73,164,3,0,0,204,203,38,180>>,
    t("otp compressed", fun() -> binary_to_term(OtpC) =:= lists:duplicate(100, $a) end),
    t("otp compressed used", fun() -> element(2, binary_to_term(<<OtpC/binary, 1, 2>>, [used])) end),
    t("compressed wrong size", fun() -> binary_to_term(<<131,80,0,0,0,104,120,156,203,102,72,73,164,3,0,0,204,203,38,180>>) end),
    t("compressed truncated", fun() -> binary_to_term(<<131,80,0,0,0,103,120,156,203,102,72,73>>) end),
    t("compressed huge claim", fun() -> binary_to_term(<<131,80,255,255,255,255,120,156,203,102,72,73,164,3,0,0,204,203,38,180>>) end),
    t("compressed garbage", fun() -> binary_to_term(<<131,80,0,0,0,10,1,2,3,4,5,6,7,8>>) end),
    %% options and used
    t("used", fun() -> binary_to_term(<<131,97,1,0,0>>, [used]) end),
    t("used list", fun() -> binary_to_term(term_to_binary([a, "b", 1.5]), [used]) end),
    t("trailing", fun() -> binary_to_term(<<131,97,1,0>>) end),
    t("safe existing", fun() -> binary_to_term(<<131,100,0,3,97,98,99>>, [safe]) end),
    t("safe new atom", fun() -> binary_to_term(<<131,100,0,6,120,113,55,113,113,122>>, [safe]) end),
    t("unsafe new atom", fun() -> atom_to_list(binary_to_term(<<131,100,0,6,120,113,56,113,113,122>>)) end),
    t("safe used", fun() -> binary_to_term(<<131,106,0>>, [safe, used]) end),
    t("bad option", fun() -> binary_to_term(<<131,106>>, [foo]) end),
    t("bad options", fun() -> binary_to_term(<<131,106>>, foo) end),
    t("t2b bad option", fun() -> term_to_binary(a, [foo]) end),
    t("t2b bad level", fun() -> term_to_binary(a, [{compressed, 10}]) end),
    t("t2b bad minor", fun() -> term_to_binary(a, [{minor_version, 3}]) end),
    t("t2b not list", fun() -> term_to_binary(a, foo) end),
    %% other encodings OTP accepts
    t("small atom", fun() -> binary_to_term(<<131,115,2,104,105>>) end),
    t("atom utf8", fun() -> binary_to_term(<<131,118,0,2,206,169>>) =:= '\x{3a9}' end),
    t("small atom utf8", fun() -> binary_to_term(<<131,119,3,97,98,99>>) end),
    t("latin1 atom", fun() -> binary_to_term(<<131,100,0,1,233>>) =:= '\x{e9}' end),
    t("float ext", fun() -> binary_to_term(<<131,99,49,46,53,48,48,48,48,48,48,48,48,48,48,48,48,48,48,48,48,48,48,48,101,43,48,48,0,0,0,0,0>>) end),
    t("big zero", fun() -> binary_to_term(<<131,110,2,0,0,0>>) end),
    t("big small", fun() -> binary_to_term(<<131,110,2,1,1,0>>) end),
    t("large big", fun() -> binary_to_term(<<131,111,0,0,0,9,0,0,0,0,0,0,0,0,0,1>>) end),
    t("large tuple", fun() -> binary_to_term(<<131,105,0,0,0,2,97,1,97,2>>) end),
    t("list ext string", fun() -> binary_to_term(<<131,108,0,0,0,2,97,104,97,105,106>>) end),
    t("list zero", fun() -> binary_to_term(<<131,108,0,0,0,0,97,7>>) end),
    t("bit binary empty", fun() -> binary_to_term(<<131,77,0,0,0,0,0>>) end),
    t("bit binary mask", fun() -> binary_to_term(<<131,77,0,0,0,1,3,255>>) end),
    t("bit binary 8", fun() -> binary_to_term(<<131,77,0,0,0,1,8,255>>) end),
    t("export int arity", fun() -> binary_to_term(<<131,113,100,0,5,108,105,115,116,115,100,0,3,109,97,112,98,0,0,0,2>>) end),
    t("export safe", fun() -> binary_to_term(<<131,113,100,0,5,108,105,115,116,115,100,0,3,109,97,112,97,2>>, [safe]) end),
    %% malformed
    Bad = [<<>>, <<131>>, <<130,97,1>>, <<131,97>>, <<131,98,0,0,0>>, <<131,104,2,97,1>>,
           <<131,104,1>>, <<131,105,255,255,255,255>>, <<131,108,255,255,255,255,106>>,
           <<131,108,0,0,0,1,97,1>>, <<131,107,0,5,1,2>>, <<131,109,0,0,0,5,1>>,
           <<131,109,255,255,255,255>>, <<131,116,255,255,255,255>>, <<131,116,0,0,0,1,97,1>>,
           <<131,116,0,0,0,2,97,1,97,1,97,1,97,2>>, <<131,77,0,0,0,1,0,32>>, <<131,77,0,0,0,1,9,32>>,
           <<131,77,0,0,0,0,3>>, <<131,70,127,240,0,0,0,0,0,0>>, <<131,70,127,248,0,0,0,0,0,1>>,
           <<131,70,1,2,3>>, <<131,100,0,5,97>>, <<131,119,1,255>>, <<131,118,0,2,206>>,
           <<131,99,120,0>>, <<131,99,49,46,48,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0>>,
           <<131,110,2,2,1,0>>, <<131,110,255>>, <<131,1>>, <<131,255>>, <<131,113,97,1,97,2,97,3>>,
           <<131,113,100,0,1,109,100,0,1,102,97>>, <<131,112,0,0,0,1>>,
           <<131,90,0,9,100,0,13,110,111,110,111,100,101,64,110,111,104,111,115,116,0,0,0,0>>,
           <<131,104,3,97,1,108,0,0,0,2,97,1>>, <<131,116,0,0,0,1,104,2,97,1>>],
    lists:foreach(
      fun(B) -> t(io_lib:format("bad ~w", [B]), fun() -> binary_to_term(B) end) end, Bad),
    t("not binary", fun() -> binary_to_term(id([131, 106])) end),
    t("bitstring", fun() -> binary_to_term(id(<<131, 106, 1:1>>)) end),
    %% pids, references, funs: round trips
    Self = self(),
    P = term_to_binary(Self),
    <<131, 88, NodeAndRest/binary>> = P,
    io:format("pid prefix ~w~n", [binary:part(NodeAndRest, 0, 16)]),
    io:format("pid back ~w~n", [binary_to_term(P) =:= Self]),
    Ref = make_ref(),
    RB = term_to_binary(Ref),
    io:format("ref prefix ~w~n", [binary:part(RB, 0, 4)]),
    io:format("ref back ~w~n", [binary_to_term(RB) =:= Ref]),
    Y = id(10),
    Closure = fun(X) -> X + Y end,
    FB = term_to_binary(Closure),
    io:format("fun tag ~w~n", [binary:part(FB, 0, 2)]),
    F2 = binary_to_term(FB),
    io:format("fun back ~w ~w~n", [F2 =:= Closure, F2(5)]),
    F3 = binary_to_term(term_to_binary({Closure, [Closure]})),
    io:format("fun nested ~w~n", [F3 =:= {Closure, [Closure]}]),
    %% deep nesting does not overflow
    Deep = lists:foldl(fun(_, A) -> [A] end, [], lists:seq(1, 200000)),
    DB = term_to_binary(Deep),
    io:format("deep ~w ~w~n", [byte_size(DB), term_to_binary(binary_to_term(DB)) =:= DB]),
    DeepT = lists:foldl(fun(_, A) -> {A} end, x, lists:seq(1, 100000)),
    DTB = term_to_binary(DeepT),
    io:format("deep tuple ~w~n", [term_to_binary(binary_to_term(DTB)) =:= DTB]),
    ok.
