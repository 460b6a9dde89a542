-module(stdlib_unicode).
-export([main/1]).

id(X) -> X.

t(Name, F) -> lt_show:t(Name, F).

main(_) ->
    U = [104, 233, 8364, 128512],
    U8 = <<104, 195, 169, 226, 130, 172, 240, 159, 152, 128>>,
    t("to_list utf8 bin", fun() -> unicode:characters_to_list(U8) end),
    t("to_list list", fun() -> unicode:characters_to_list(U) end),
    t("to_list deep", fun() -> unicode:characters_to_list([$a, [<<"bc">>, [$d]], <<"é"/utf8>>]) end),
    t("to_list latin1", fun() -> unicode:characters_to_list(<<233, 97>>, latin1) end),
    t("to_list unicode", fun() -> unicode:characters_to_list(U8, unicode) end),
    t("to_list utf16", fun() -> unicode:characters_to_list(<<0, 104, 216, 61, 222, 0>>, utf16) end),
    t("to_list utf16 little", fun() -> unicode:characters_to_list(<<104, 0>>, {utf16, little}) end),
    t("to_list utf32", fun() -> unicode:characters_to_list(<<0, 0, 32, 172>>, utf32) end),
    t("to_list bad utf8", fun() -> unicode:characters_to_list(<<"ab", 255, "c">>) end),
    t("to_list incomplete", fun() -> unicode:characters_to_list(<<"ab", 226, 130>>) end),
    t("to_list incomplete 1", fun() -> unicode:characters_to_list(<<"a", 195>>) end),
    t("to_list bad in list", fun() -> unicode:characters_to_list([$a, <<255>>]) end),
    t("to_list utf16 incomplete", fun() -> unicode:characters_to_list(<<0, 104, 0>>, utf16) end),
    t("to_list empty", fun() -> unicode:characters_to_list(<<>>) end),
    t("to_list badarg", fun() -> unicode:characters_to_list(id(atom)) end),
    t("to_list bad enc", fun() -> unicode:characters_to_list("a", id(foo)) end),
    t("to_binary/1", fun() -> unicode:characters_to_binary(U) end),
    t("to_binary/1 bin", fun() -> unicode:characters_to_binary(U8) end),
    t("to_binary mixed", fun() -> unicode:characters_to_binary(["ab", <<"cd">>, 233]) end),
    t("to_binary/2 latin1", fun() -> unicode:characters_to_binary(<<233>>, latin1) end),
    t("to_binary/3 latin1 out", fun() -> unicode:characters_to_binary("abé", unicode, latin1) end),
    t("to_binary/3 utf16", fun() -> unicode:characters_to_binary("hé", unicode, utf16) end),
    t("to_binary/3 utf16 little", fun() -> unicode:characters_to_binary("h", unicode, {utf16, little}) end),
    t("to_binary/3 utf32", fun() -> unicode:characters_to_binary([128512], unicode, utf32) end),
    t("to_binary/3 from utf16", fun() -> unicode:characters_to_binary(<<0, 104, 0, 233>>, utf16, utf8) end),
    t("to_binary bad", fun() -> unicode:characters_to_binary(<<"x", 255>>) end),
    t("to_binary incomplete", fun() -> unicode:characters_to_binary(<<"x", 240, 159>>) end),
    t("to_binary latin1 out of range", fun() -> unicode:characters_to_binary([$a, 256], unicode, latin1) end),
    t("to_binary badarg", fun() -> unicode:characters_to_binary(id({x})) end),
    t("bom utf8", fun() -> unicode:bom_to_encoding(<<239, 187, 191, "x">>) end),
    t("bom utf16 big", fun() -> unicode:bom_to_encoding(<<254, 255>>) end),
    t("bom utf16 little", fun() -> unicode:bom_to_encoding(<<255, 254, 1>>) end),
    t("bom utf32 big", fun() -> unicode:bom_to_encoding(<<0, 0, 254, 255>>) end),
    t("bom utf32 little", fun() -> unicode:bom_to_encoding(<<255, 254, 0, 0>>) end),
    t("bom none", fun() -> unicode:bom_to_encoding(<<"abc">>) end),
    t("bom empty", fun() -> unicode:bom_to_encoding(<<>>) end),
    ok.
