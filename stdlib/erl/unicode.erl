%% unicode for Beryl: conversions between character lists and binaries in
%% latin1, UTF-8, UTF-16 and UTF-32, written in Erlang with the bit syntax.
%% The rest of a failed conversion keeps the shape of the unconverted part
%% of the input (nested as the input was); OTP's C implementation may nest
%% it differently for deep lists.
-module(unicode).
-export([characters_to_list/1, characters_to_list/2,
         characters_to_binary/1, characters_to_binary/2,
         characters_to_binary/3, bom_to_encoding/1, encoding_to_bom/1,
         characters_to_nfc_list/1, characters_to_nfd_list/1,
         characters_to_nfkc_list/1, characters_to_nfkd_list/1,
         characters_to_nfc_binary/1, characters_to_nfd_binary/1,
         characters_to_nfkc_binary/1, characters_to_nfkd_binary/1,
         bin_is_7bit/1]).

characters_to_list(Data) -> characters_to_list(Data, unicode).

characters_to_list(Data, In) ->
    Enc = enc(In, [Data, In]),
    case walk(Data, Enc, []) of
        {ok, Rev} -> lists:reverse(Rev);
        {Tag, Rev, Rest} -> {Tag, lists:reverse(Rev), Rest}
    end.

characters_to_binary(Data) -> characters_to_binary(Data, unicode, unicode).

characters_to_binary(Data, In) -> characters_to_binary(Data, In, unicode).

characters_to_binary(Data, In, Out) ->
    InE = enc(In, [Data, In, Out]),
    OutE = enc(Out, [Data, In, Out]),
    case walk(Data, InE, []) of
        {ok, Rev} ->
            case encode(lists:reverse(Rev), OutE, []) of
                {ok, Bin} -> Bin;
                {error, Bin, Rest} -> {error, Bin, Rest}
            end;
        {Tag, Rev, Rest} ->
            case encode(lists:reverse(Rev), OutE, []) of
                {ok, Bin} -> {Tag, Bin, Rest};
                {error, Bin, Rest2} -> {error, Bin, [Rest2 | Rest]}
            end
    end.

enc(latin1, _) -> latin1;
enc(unicode, _) -> utf8;
enc(utf8, _) -> utf8;
enc(utf16, _) -> {utf16, big};
enc({utf16, big}, _) -> {utf16, big};
enc({utf16, little}, _) -> {utf16, little};
enc(utf32, _) -> {utf32, big};
enc({utf32, big}, _) -> {utf32, big};
enc({utf32, little}, _) -> {utf32, little};
enc(_, Args) -> erlang:error(badarg, Args).

%% Characters of Data (reversed onto Acc), or where it stopped.
walk(Data, Enc, Acc) when is_binary(Data) ->
    case decode(Data, Enc, Acc) of
        {ok, Acc1} -> {ok, Acc1};
        {Tag, Acc1, Rest} -> {Tag, Acc1, Rest}
    end;
walk(Data, Enc, Acc) when is_list(Data) ->
    walk_list(Data, Enc, Acc, []);
walk(Data, Enc, _) ->
    erlang:error(badarg, [Data, Enc]).

walk_list([H | T], Enc, Acc, Stack) when is_integer(H) ->
    case valid(H, Enc) of
        true -> walk_list(T, Enc, [H | Acc], Stack);
        false -> {error, Acc, rebuild([H | T], Stack)}
    end;
walk_list([H | T], Enc, Acc, Stack) when is_binary(H) ->
    case decode(H, Enc, Acc) of
        {ok, Acc1} -> walk_list(T, Enc, Acc1, Stack);
        {incomplete, Acc1, R} when T =:= [] ->
            case lists:all(fun(S) -> S =:= [] end, Stack) of
                true -> {incomplete, Acc1, R};
                false -> {error, Acc1, rebuild([R | T], Stack)}
            end;
        {_, Acc1, R} -> {error, Acc1, rebuild([R | T], Stack)}
    end;
walk_list([H | T], Enc, Acc, Stack) when is_list(H) ->
    walk_list(H, Enc, Acc, [T | Stack]);
walk_list([], Enc, Acc, [T | Stack]) ->
    walk_list(T, Enc, Acc, Stack);
walk_list([], _, Acc, []) ->
    {ok, Acc};
walk_list(Other, Enc, _, _) ->
    erlang:error(badarg, [Other, Enc]).

rebuild(L, []) -> L;
rebuild(L, [[] | S]) -> rebuild(L, S);
rebuild(L, [T | S]) -> rebuild([L | T], S).

valid(C, latin1) -> C >= 0 andalso C =< 255;
valid(C, _) ->
    C >= 0 andalso C =< 16#10FFFF andalso (C < 16#D800 orelse C > 16#DFFF).

decode(<<C, R/binary>>, latin1, Acc) -> decode(R, latin1, [C | Acc]);
decode(<<C/utf8, R/binary>>, utf8, Acc) -> decode(R, utf8, [C | Acc]);
decode(<<C/utf16-big, R/binary>>, {utf16, big} = E, Acc) -> decode(R, E, [C | Acc]);
decode(<<C/utf16-little, R/binary>>, {utf16, little} = E, Acc) -> decode(R, E, [C | Acc]);
decode(<<C/utf32-big, R/binary>>, {utf32, big} = E, Acc) -> decode(R, E, [C | Acc]);
decode(<<C/utf32-little, R/binary>>, {utf32, little} = E, Acc) -> decode(R, E, [C | Acc]);
decode(<<>>, _, Acc) -> {ok, Acc};
decode(R, E, Acc) ->
    case incomplete(R, E) of
        true -> {incomplete, Acc, R};
        false -> {error, Acc, R}
    end.

%% Is R the start of a character cut short?
incomplete(R, utf8) ->
    case R of
        <<2#110:3, _:5>> -> true;
        <<2#1110:4, _:4>> -> true;
        <<2#1110:4, _:4, 2#10:2, _:6>> -> true;
        <<2#11110:5, _:3>> -> true;
        <<2#11110:5, _:3, 2#10:2, _:6>> -> true;
        <<2#11110:5, _:3, 2#10:2, _:6, 2#10:2, _:6>> -> true;
        _ -> false
    end;
incomplete(R, {utf16, big}) ->
    case R of
        <<_>> -> true;
        <<W:16/big, _/binary>> when W >= 16#D800, W =< 16#DBFF, byte_size(R) < 4 -> true;
        _ -> false
    end;
incomplete(R, {utf16, little}) ->
    case R of
        <<_>> -> true;
        <<W:16/little, _/binary>> when W >= 16#D800, W =< 16#DBFF, byte_size(R) < 4 -> true;
        _ -> false
    end;
incomplete(R, {utf32, _}) -> byte_size(R) < 4;
incomplete(_, latin1) -> false.

encode([C | T], latin1, Acc) when C =< 255 -> encode(T, latin1, [C | Acc]);
encode([_ | _] = L, latin1, Acc) -> {error, list_to_binary(lists:reverse(Acc)), [L]};
encode([C | T], utf8, Acc) -> encode(T, utf8, [<<C/utf8>> | Acc]);
encode([C | T], {utf16, big} = E, Acc) -> encode(T, E, [<<C/utf16-big>> | Acc]);
encode([C | T], {utf16, little} = E, Acc) -> encode(T, E, [<<C/utf16-little>> | Acc]);
encode([C | T], {utf32, big} = E, Acc) -> encode(T, E, [<<C/utf32-big>> | Acc]);
encode([C | T], {utf32, little} = E, Acc) -> encode(T, E, [<<C/utf32-little>> | Acc]);
encode([], _, Acc) -> {ok, list_to_binary(lists:reverse(Acc))}.

bom_to_encoding(<<239, 187, 191, _/binary>>) -> {utf8, 3};
bom_to_encoding(<<0, 0, 254, 255, _/binary>>) -> {{utf32, big}, 4};
bom_to_encoding(<<255, 254, 0, 0, _/binary>>) -> {{utf32, little}, 4};
bom_to_encoding(<<254, 255, _/binary>>) -> {{utf16, big}, 2};
bom_to_encoding(<<255, 254, _/binary>>) -> {{utf16, little}, 2};
bom_to_encoding(Bin) when is_binary(Bin) -> {latin1, 0}.

encoding_to_bom(unicode) -> <<239, 187, 191>>;
encoding_to_bom(utf8) -> <<239, 187, 191>>;
encoding_to_bom(utf16) -> <<254, 255>>;
encoding_to_bom({utf16, big}) -> <<254, 255>>;
encoding_to_bom({utf16, little}) -> <<255, 254>>;
encoding_to_bom(utf32) -> <<0, 0, 254, 255>>;
encoding_to_bom({utf32, big}) -> <<0, 0, 254, 255>>;
encoding_to_bom({utf32, little}) -> <<255, 254, 0, 0>>;
encoding_to_bom(latin1) -> <<>>.

bin_is_7bit(Bin) when is_binary(Bin) ->
    lists:all(fun(B) -> B < 128 end, binary_to_list(Bin)).

%% Normal forms, a grapheme cluster at a time (unicode_util).
characters_to_nfc_list(CD) -> norm_list(CD, nfc).
characters_to_nfd_list(CD) -> norm_list(CD, nfd).
characters_to_nfkc_list(CD) -> norm_list(CD, nfkc).
characters_to_nfkd_list(CD) -> norm_list(CD, nfkd).

characters_to_nfc_binary(CD) -> norm_bin(CD, nfc).
characters_to_nfd_binary(CD) -> norm_bin(CD, nfd).
characters_to_nfkc_binary(CD) -> norm_bin(CD, nfkc).
characters_to_nfkd_binary(CD) -> norm_bin(CD, nfkd).

norm_list(CD, Form) -> norm(CD, Form, []).

norm(CD, Form, Acc) ->
    case unicode_util:Form(CD) of
        [GC | Str] when is_list(GC) -> norm(Str, Form, lists:reverse(GC, Acc));
        [CP | Str] -> norm(Str, Form, [CP | Acc]);
        [] -> lists:reverse(Acc);
        {error, Error} -> {error, lists:reverse(Acc), Error}
    end.

norm_bin(CD, Form) ->
    case norm_list(CD, Form) of
        {error, Done, Rest} -> {error, characters_to_binary(Done), Rest};
        L -> characters_to_binary(L)
    end.
