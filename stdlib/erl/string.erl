%% The string module, written for Beryl (OTP 25's API, results and error
%% behaviour).
%%
%% Two APIs. The Unicode one works on chardata (lists, binaries, deep
%% mixtures) grapheme cluster by grapheme cluster (unicode_util:gc/1).
%% What it returns is often a piece of its input: a binary comes back as a
%% binary, a deep list as the rest of that list, so the results have
%% exactly OTP's shapes; binaries inside the input are searched as
%% binaries. The classic API works on flat lists of characters.
-module(string).

-export([is_empty/1, length/1, to_graphemes/1, reverse/1, equal/2, equal/3, equal/4,
         slice/2, slice/3, pad/2, pad/3, pad/4, trim/1, trim/2, trim/3, chomp/1,
         take/2, take/3, take/4, lexemes/2, nth_lexeme/3, uppercase/1, lowercase/1,
         titlecase/1, casefold/1, prefix/2, split/2, split/3, replace/3, replace/4,
         find/2, find/3, next_codepoint/1, next_grapheme/1]).
-export([to_float/1, to_integer/1]).
-export([len/1, concat/2, chr/2, rchr/2, str/2, rstr/2, span/2, cspan/2, substr/2, substr/3,
         tokens/2, chars/2, chars/3]).
-export([copies/2, words/1, words/2, strip/1, strip/2, strip/3, sub_word/2, sub_word/3,
         left/2, left/3, right/2, right/3, sub_string/2, sub_string/3, centre/2, centre/3,
         join/2]).
-export([to_upper/1, to_lower/1]).
-export([list_to_float/1, list_to_integer/1]).

-compile({no_auto_import, [length/1]}).

%% Two code points that are each a whole grapheme cluster (a Latin-1
%% character followed by another; CR may start CR LF).
-define(ASCII_LIST(CP1, CP2), CP1 < 256, CP2 < 256, CP1 =/= $\r).

%% ------------------------------------------------------------ numbers

%% An optional sign and digits at the start of a list, and the rest.
list_to_integer(L) when is_list(L) ->
    {Sign, L1} = sign(L),
    case digits(L1, []) of
        {[], _} -> {error, no_integer};
        {Ds, Rest} -> {Sign * erlang:list_to_integer(Ds), Rest}
    end;
list_to_integer(_) -> {error, not_a_list}.

%% Digits, a point (or comma) and digits, an optional exponent. Too big
%% is no float at all; too small is zero.
list_to_float(L) when is_list(L) ->
    {Sign, L1} = sign(L),
    case digits(L1, []) of
        {[_ | _] = Int, [P | L2]} when P =:= $.; P =:= $, ->
            case digits(L2, []) of
                {[], _} -> {error, no_float};
                {Frac, L3} ->
                    {Exp, Rest} = exponent(L3),
                    Text = [case Sign of -1 -> $-; 1 -> $+ end | Int] ++ "." ++ Frac ++ Exp,
                    try erlang:list_to_float(Text) of
                        F -> {F, Rest}
                    catch error:badarg -> {error, no_float}
                    end
            end;
        _ -> {error, no_float}
    end;
list_to_float(_) -> {error, not_a_list}.

sign([$- | L]) -> {-1, L};
sign([$+ | L]) -> {1, L};
sign(L) -> {1, L}.

digits([D | L], Acc) when $0 =< D, D =< $9 -> digits(L, [D | Acc]);
digits(L, Acc) -> {lists:reverse(Acc), L}.

exponent([E | L] = L0) when E =:= $e; E =:= $E ->
    {S, L1} = case L of
                  [C | T] when C =:= $+; C =:= $- -> {[C], T};
                  _ -> {[], L}
              end,
    case digits(L1, []) of
        {[], _} -> {[], L0};
        {Ds, Rest} -> {"e" ++ S ++ Ds, Rest}
    end;
exponent(L) -> {[], L}.

%% ------------------------------------------------------------ Unicode API

is_empty([]) -> true;
is_empty(<<>>) -> true;
is_empty([L | R]) -> is_empty(L) andalso is_empty(R);
is_empty(_) -> false.

length(<<CP1/utf8, Bin/binary>>) -> length_b(Bin, CP1, 0);
length(CD) -> length_1(CD, 0).

length_1([CP1 | [CP2 | _] = Cont], N) when ?ASCII_LIST(CP1, CP2) -> length_1(Cont, N + 1);
length_1(Str, N) ->
    case unicode_util:gc(Str) of
        [] -> N;
        [_ | Rest] -> length_1(Rest, N + 1);
        {error, Err} -> erlang:error({badarg, Err})
    end.

length_b(<<CP2/utf8, Rest/binary>>, CP1, N) when ?ASCII_LIST(CP1, CP2) ->
    length_b(Rest, CP2, N + 1);
length_b(Bin0, CP1, N) ->
    [_ | Bin1] = unicode_util:gc([CP1 | Bin0]),
    case unicode_util:cp(Bin1) of
        [] -> N + 1;
        [CP3 | Bin] -> length_b(Bin, CP3, N + 1);
        {error, Err} -> erlang:error({badarg, Err})
    end.

to_graphemes(CD0) ->
    case unicode_util:gc(CD0) of
        [GC | CD] -> [GC | to_graphemes(CD)];
        [] -> [];
        {error, Err} -> erlang:error({badarg, Err})
    end.

equal(A, B) when is_binary(A), is_binary(B) -> A =:= B;
equal(A, B) -> equal_1(A, B).

equal(A, B, false) -> equal(A, B);
equal(A, B, true) -> equal_cps(A, B, fun unicode_util:casefold/1).

equal(A, B, Case, none) -> equal(A, B, Case);
equal(A, B, false, Norm) -> equal_cps(A, B, fun unicode_util:Norm/1);
equal(A, B, true, Norm) ->
    equal_cps(A, B, fun(S) -> unicode_util:casefold(unicode_util:Norm(S)) end).

equal_1([A | AR], [B | BR]) when is_integer(A), is_integer(B) -> A =:= B andalso equal_1(AR, BR);
equal_1([], BR) -> is_empty(BR);
equal_1(A0, B0) ->
    case {unicode_util:cp(A0), unicode_util:cp(B0)} of
        {[CP | A], [CP | B]} -> equal_1(A, B);
        {[], []} -> true;
        {L1, L2} when is_list(L1), is_list(L2) -> false
    end.

%% Code point by code point after Convert (case folding, normalization).
equal_cps(A, A, _) -> true;
equal_cps(A0, B0, Convert) ->
    case {unicode_util:cp(Convert(A0)), unicode_util:cp(Convert(B0))} of
        {[CP | A], [CP | B]} -> equal_cps(A, B, Convert);
        {[], []} -> true;
        {L1, L2} when is_list(L1), is_list(L2) -> false
    end.

reverse(<<CP1/utf8, Rest/binary>>) -> reverse_b(Rest, CP1, []);
reverse(CD) -> reverse_1(CD, []).

reverse_1([CP1 | [CP2 | _] = Cont], Acc) when ?ASCII_LIST(CP1, CP2) ->
    reverse_1(Cont, [CP1 | Acc]);
reverse_1(CD, Acc) ->
    case unicode_util:gc(CD) of
        [GC | Rest] -> reverse_1(Rest, [GC | Acc]);
        [] -> Acc;
        {error, Err} -> erlang:error({badarg, Err})
    end.

reverse_b(<<CP2/utf8, Rest/binary>>, CP1, Acc) when ?ASCII_LIST(CP1, CP2) ->
    reverse_b(Rest, CP2, [CP1 | Acc]);
reverse_b(Bin0, CP1, Acc) ->
    [GC | Bin1] = unicode_util:gc([CP1 | Bin0]),
    case unicode_util:cp(Bin1) of
        [] -> [GC | Acc];
        [CP3 | Bin] -> reverse_b(Bin, CP3, [GC | Acc]);
        {error, Err} -> erlang:error({badarg, Err})
    end.

slice(CD, N) when is_integer(N), N >= 0 ->
    case slice_l0(CD, N) of
        [] when is_binary(CD) -> <<>>;
        Res -> Res
    end.

slice(CD, N, Length) when is_integer(N), N >= 0, is_integer(Length), Length > 0 ->
    case slice_l0(CD, N) of
        [] when is_binary(CD) -> <<>>;
        L -> slice_trail(L, Length)
    end;
slice(CD, N, infinity) ->
    case slice_l0(CD, N) of
        [] when is_binary(CD) -> <<>>;
        Res -> Res
    end;
slice(CD, _, 0) ->
    case is_binary(CD) of
        true -> <<>>;
        false -> []
    end.

%% What follows the first N grapheme clusters.
slice_l0(<<CP1/utf8, Bin/binary>>, N) when N > 0 -> slice_lb(Bin, CP1, N);
slice_l0(L, N) -> slice_l(L, N).

slice_l([CP1 | [CP2 | _] = Cont], N) when ?ASCII_LIST(CP1, CP2), N > 0 -> slice_l(Cont, N - 1);
slice_l(CD, N) when N > 0 ->
    case unicode_util:gc(CD) of
        [_ | Cont] -> slice_l(Cont, N - 1);
        [] -> [];
        {error, Err} -> erlang:error({badarg, Err})
    end;
slice_l(Cont, 0) -> Cont.

slice_lb(<<CP2/utf8, Bin/binary>>, CP1, N) when ?ASCII_LIST(CP1, CP2), N > 1 ->
    slice_lb(Bin, CP2, N - 1);
slice_lb(Bin, CP1, N) ->
    [_ | Rest] = unicode_util:gc([CP1 | Bin]),
    if
        N > 1 ->
            case unicode_util:cp(Rest) of
                [CP2 | Cont] -> slice_lb(Cont, CP2, N - 1);
                [] -> <<>>;
                {error, Err} -> erlang:error({badarg, Err})
            end;
        N =:= 1 -> Rest
    end.

%% The first N grapheme clusters.
slice_trail(Orig, N) when is_binary(Orig) ->
    case Orig of
        <<CP1/utf8, Bin/binary>> when N > 0 ->
            Sz = byte_size(Orig) - slice_bin(Bin, CP1, N),
            <<Keep:Sz/binary, _/binary>> = Orig,
            Keep;
        <<_, _/binary>> when N > 0 -> erlang:error({badarg, Orig});
        _ -> <<>>
    end;
slice_trail(CD, N) when is_list(CD) -> slice_list(CD, N).

slice_list([CP1 | [CP2 | _] = Cont], N) when ?ASCII_LIST(CP1, CP2), N > 0 ->
    [CP1 | slice_list(Cont, N - 1)];
slice_list(CD, N) when N > 0 ->
    case unicode_util:gc(CD) of
        [GC | Cont] -> append(GC, slice_list(Cont, N - 1));
        [] -> [];
        {error, Err} -> erlang:error({badarg, Err})
    end;
slice_list(_, 0) -> [].

%% The number of bytes left after N clusters.
slice_bin(<<CP2/utf8, Bin/binary>>, CP1, N) when ?ASCII_LIST(CP1, CP2), N > 0 ->
    slice_bin(Bin, CP2, N - 1);
slice_bin(CD, CP1, N) when N > 0 ->
    [_ | Bin] = unicode_util:gc([CP1 | CD]),
    case unicode_util:cp(Bin) of
        [CP2 | Cont] -> slice_bin(Cont, CP2, N - 1);
        [] -> 0;
        {error, Err} -> erlang:error({badarg, Err})
    end;
slice_bin(CD, CP1, 0) -> byte_size(CD) + byte_size(<<CP1/utf8>>).

pad(CD, Length) -> pad(CD, Length, trailing, $\s).

pad(CD, Length, Dir) -> pad(CD, Length, Dir, $\s).

pad(CD, Length, leading, Char) when is_integer(Length) ->
    [lists:duplicate(max(0, Length - length(CD)), Char), CD];
pad(CD, Length, trailing, Char) when is_integer(Length) ->
    [CD | lists:duplicate(max(0, Length - length(CD)), Char)];
pad(CD, Length, both, Char) when is_integer(Length) ->
    Size = max(0, Length - length(CD)),
    Pre = lists:duplicate(Size div 2, Char),
    Post = case Size rem 2 of
               1 -> [Char];
               _ -> []
           end,
    [Pre, CD, Pre | Post].

trim(Str) -> trim(Str, both, unicode_util:whitespace()).

trim(Str, Dir) -> trim(Str, Dir, unicode_util:whitespace()).

trim(Str, _, []) -> Str;
trim(Str, leading, [Sep]) when is_list(Str), Sep < 256 -> trim_ls(Str, Sep);
trim(Str, leading, Sep) when is_list(Sep) -> trim_l(Str, Sep);
trim(Str, trailing, [Sep]) when is_list(Str), Sep < 256 -> trim_ts(Str, Sep);
trim(Str, trailing, Seps) when is_list(Seps) -> trim_t(Str, 0, search_pattern(Seps));
trim(Str, both, Sep) when is_list(Sep) -> trim(trim(Str, leading, Sep), trailing, Sep).

chomp(Str) -> trim(Str, trailing, [[$\r, $\n], $\n]).

take(Str, Sep) -> take(Str, Sep, false, leading).

take(Str, Sep, Complement) -> take(Str, Sep, Complement, leading).

take(Str, [], Complement, Dir) ->
    Empty = case is_binary(Str) of
                true -> <<>>;
                false -> []
            end,
    case {Complement, Dir} of
        {false, leading} -> {Empty, Str};
        {false, trailing} -> {Str, Empty};
        {true, leading} -> {Str, Empty};
        {true, trailing} -> {Empty, Str}
    end;
take(Str, Sep, false, leading) -> take_l(Str, Sep, []);
take(Str, Sep, true, leading) -> take_lc(Str, search_pattern(Sep), []);
take(Str, Sep, false, trailing) -> take_t(Str, 0, search_pattern(Sep));
take(Str, Sep, true, trailing) -> take_tc(Str, 0, search_pattern(Sep)).

%% Case mappings: an unchanged list or binary is returned as it is.
uppercase(CD) -> change_case(CD, fun unicode_util:uppercase/1, $a, $z, -32).

lowercase(CD) -> change_case(CD, fun unicode_util:lowercase/1, $A, $Z, 32).

casefold(CD) -> change_case(CD, fun unicode_util:casefold/1, $A, $Z, 32).

change_case(CD, Map, Lo, Hi, D) when is_list(CD) ->
    try case_list(CD, false, Map, Lo, Hi, D)
    catch throw:unchanged -> CD
    end;
change_case(<<CP1/utf8, Rest/binary>> = Orig, Map, Lo, Hi, D) ->
    try case_bin(CP1, Rest, false, Map, Lo, Hi, D) of
        List -> chars_to_binary(List)
    catch throw:unchanged -> Orig
    end;
change_case(<<>>, _, _, _, _) -> <<>>;
change_case(Bin, _, _, _, _) -> erlang:error({badarg, Bin}).

case_list([CP1 | [CP2 | _] = Cont], _, Map, Lo, Hi, D) when Lo =< CP1, CP1 =< Hi, CP2 < 256 ->
    [CP1 + D | case_list(Cont, true, Map, Lo, Hi, D)];
case_list([CP1 | [CP2 | _] = Cont], Changed, Map, Lo, Hi, D) when CP1 < 128, CP2 < 256 ->
    [CP1 | case_list(Cont, Changed, Map, Lo, Hi, D)];
case_list([], true, _, _, _, _) -> [];
case_list([], false, _, _, _, _) -> throw(unchanged);
case_list(CPs0, Changed, Map, Lo, Hi, D) ->
    case Map(CPs0) of
        [Char | CPs] when Char =:= hd(CPs0) -> [Char | case_list(CPs, Changed, Map, Lo, Hi, D)];
        [Char | CPs] -> append(Char, case_list(CPs, true, Map, Lo, Hi, D));
        [] -> case_list([], Changed, Map, Lo, Hi, D)
    end.

case_bin(CP1, <<CP2/utf8, Bin/binary>>, _, Map, Lo, Hi, D) when Lo =< CP1, CP1 =< Hi, CP2 < 256 ->
    [CP1 + D | case_bin(CP2, Bin, true, Map, Lo, Hi, D)];
case_bin(CP1, <<CP2/utf8, Bin/binary>>, Changed, Map, Lo, Hi, D) when CP1 < 128, CP2 < 256 ->
    [CP1 | case_bin(CP2, Bin, Changed, Map, Lo, Hi, D)];
case_bin(CP1, Bin, Changed, Map, Lo, Hi, D) ->
    case Map([CP1 | Bin]) of
        [CP1 | CPs] ->
            case unicode_util:cp(CPs) of
                [Next | Rest] -> [CP1 | case_bin(Next, Rest, Changed, Map, Lo, Hi, D)];
                [] when Changed -> [CP1];
                [] -> throw(unchanged);
                {error, Err} -> erlang:error({badarg, Err})
            end;
        [Char | CPs] ->
            case unicode_util:cp(CPs) of
                [Next | Rest] -> [Char | case_bin(Next, Rest, true, Map, Lo, Hi, D)];
                [] -> [Char];
                {error, Err} -> erlang:error({badarg, Err})
            end
    end.

%% Only the first character changes.
titlecase(CD) when is_list(CD) ->
    case unicode_util:titlecase(CD) of
        [GC | Tail] -> append(GC, Tail);
        Empty -> Empty
    end;
titlecase(CD) when is_binary(CD) ->
    case unicode_util:titlecase(CD) of
        [CP | Chars] when is_integer(CP) -> <<CP/utf8, Chars/binary>>;
        [CPs | Chars] -> <<(<< <<CP/utf8>> || CP <- CPs >>)/binary, Chars/binary>>;
        [] -> <<>>
    end.

to_integer(String) ->
    to_number(String, "+-0123456789", no_integer, fun list_to_integer/1).

to_float(String) ->
    to_number(String, "+-0123456789eE.,", no_float, fun list_to_float/1).

%% The longest prefix of number characters is converted; the rest of the
%% input follows the number (a binary stays a binary).
to_number(String, Chars, None, Convert) ->
    try take(String, Chars) of
        {Head, Tail} ->
            case is_empty(Head) of
                true -> {error, None};
                false ->
                    List = chars_to_list(Head),
                    case Convert(List) of
                        {error, _} = Err -> Err;
                        {Number, Rest} when is_binary(String) ->
                            BSz = erlang:length(List) - erlang:length(Rest),
                            <<_:BSz/binary, Cont/binary>> = String,
                            {Number, Cont};
                        {Number, Rest} -> {Number, concat(Rest, Tail)}
                    end
            end
    catch _:_ -> {error, badarg}
    end.

prefix(Str, Prefix0) ->
    Result = case chars_to_list(Prefix0) of
                 [] -> Str;
                 Prefix -> prefix_1(Str, Prefix)
             end,
    case Result of
        [] when is_binary(Str) -> <<>>;
        Res -> Res
    end.

split(String, SearchPattern) -> split(String, SearchPattern, leading).

split(String, SearchPattern, Where) ->
    case is_empty(SearchPattern) of
        true -> [String];
        false ->
            case split_1(String, chars_to_list(SearchPattern), 0, Where, [], []) of
                {_Curr, []} -> [String];
                {_Curr, Acc} when Where =:= trailing -> Acc;
                {Curr, Acc} when Where =:= all -> lists:reverse([Curr | Acc]);
                Acc when is_list(Acc) -> Acc
            end
    end.

replace(String, SearchPattern, Replacement) ->
    lists:join(Replacement, split(String, SearchPattern)).

replace(String, SearchPattern, Replacement, Where) ->
    lists:join(Replacement, split(String, SearchPattern, Where)).

lexemes([], _) -> [];
lexemes(Str, []) -> [Str];
lexemes(Str, Seps) when is_list(Seps) -> lexemes_m(Str, search_pattern(Seps), []).

nth_lexeme(Str, 1, []) -> Str;
nth_lexeme(Str, N, Seps) when is_list(Seps), is_integer(N), N > 0 ->
    nth_lexeme_m(Str, search_pattern(Seps), N).

find(String, SearchPattern) -> find(String, SearchPattern, leading).

find(String, "", _) -> String;
find(String, <<>>, _) -> String;
find(String, SearchPattern, leading) -> find_l(String, chars_to_list(SearchPattern));
find(String, SearchPattern, trailing) -> find_r(String, chars_to_list(SearchPattern), nomatch).

next_grapheme(CD) -> unicode_util:gc(CD).

next_codepoint(CD) -> unicode_util:cp(CD).

%% ------------------------------------------------------------ trim

trim_ls([CP1 | [CP2 | _] = Cont] = Str, Sep) when ?ASCII_LIST(CP1, CP2) ->
    case Sep of
        CP1 -> trim_ls(Cont, Sep);
        _ -> Str
    end;
trim_ls(Str, Sep) -> trim_l(Str, [Sep]).

trim_l([CP1 | [CP2 | _] = Cont] = Str, Sep) when ?ASCII_LIST(CP1, CP2) ->
    case lists:member(CP1, Sep) of
        true -> trim_l(Cont, Sep);
        false -> Str
    end;
trim_l([Bin | Cont0], Sep) when is_binary(Bin) ->
    case bin_search_inv(Bin, Cont0, Sep) of
        {nomatch, Cont} -> trim_l(Cont, Sep);
        Keep -> Keep
    end;
trim_l(Str, Sep) when is_list(Str) ->
    case unicode_util:gc(Str) of
        [C | Cs] ->
            case lists:member(C, Sep) of
                true -> trim_l(Cs, Sep);
                false -> Str
            end;
        [] -> []
    end;
trim_l(Bin, Sep) when is_binary(Bin) ->
    case bin_search_inv(Bin, [], Sep) of
        {nomatch, _} -> <<>>;
        [Keep] -> Keep
    end.

trim_ts([Sep | Cs1] = Str, Sep) ->
    case Cs1 of
        [] -> [];
        [CP2 | _] when ?ASCII_LIST(Sep, CP2) ->
            Tail = trim_ts(Cs1, Sep),
            case is_empty(Tail) of
                true -> [];
                false -> [Sep | Tail]
            end;
        _ -> trim_t(Str, 0, search_pattern([Sep]))
    end;
trim_ts([CP | Cont], Sep) when is_integer(CP) -> [CP | trim_ts(Cont, Sep)];
trim_ts(Str, Sep) -> trim_t(Str, 0, search_pattern([Sep])).

%% Everything up to the last run of separators; N bytes of a leading
%% binary are known to be kept.
trim_t([CP1 | Cont] = Cs0, _, {GCs, CPs, _} = Seps) when is_integer(CP1) ->
    case lists:member(CP1, CPs) of
        true ->
            [GC | Cs1] = unicode_util:gc(Cs0),
            case lists:member(GC, GCs) of
                true -> keep_unless_empty(GC, trim_t(Cs1, 0, Seps));
                false -> append(GC, trim_t(Cs1, 0, Seps))
            end;
        false -> [CP1 | trim_t(Cont, 0, Seps)]
    end;
trim_t([Bin | Cont0], N, {GCs, _, _} = Seps0) when is_binary(Bin) ->
    <<_:N/binary, Rest/binary>> = Bin,
    Seps = search_compile(Seps0),
    case bin_search(Rest, Cont0, Seps) of
        {nomatch, _} -> stack(Bin, trim_t(Cont0, 0, Seps));
        [SepStart | Cont1] ->
            case bin_search_inv(SepStart, Cont1, GCs) of
                {nomatch, Cont} ->
                    Tail = trim_t(Cont, 0, Seps),
                    case is_empty(Tail) of
                        true -> bin_before(Bin, SepStart);
                        false -> stack(Bin, stack(cp_prefix(Cont0, Cont), Tail))
                    end;
                [NonSep | Cont] when is_binary(NonSep) ->
                    trim_t([Bin | Cont], byte_size(Bin) - byte_size(NonSep), Seps)
            end
    end;
trim_t(Str, 0, {GCs, _, _} = Seps) when is_list(Str) ->
    case unicode_util:gc(Str) of
        [GC | Cs1] ->
            case lists:member(GC, GCs) of
                true -> keep_unless_empty(GC, trim_t(Cs1, 0, Seps));
                false -> append(GC, trim_t(Cs1, 0, Seps))
            end;
        [] -> []
    end;
trim_t(Bin, N, {GCs, _, _} = Seps0) when is_binary(Bin) ->
    <<_:N/binary, Rest/binary>> = Bin,
    Seps = search_compile(Seps0),
    case bin_search(Rest, [], Seps) of
        {nomatch, _} -> Bin;
        [SepStart] ->
            case bin_search_inv(SepStart, [], GCs) of
                {nomatch, _} -> bin_before(Bin, SepStart);
                [NonSep] -> trim_t(Bin, byte_size(Bin) - byte_size(NonSep), Seps)
            end
    end.

%% A separator is kept only when something follows it.
keep_unless_empty(GC, Tail) ->
    case is_empty(Tail) of
        true -> [];
        false -> append(GC, Tail)
    end.

%% The bytes of Bin before its suffix Suffix.
bin_before(Bin, Suffix) ->
    Sz = byte_size(Bin) - byte_size(Suffix),
    <<Keep:Sz/binary, _/binary>> = Bin,
    Keep.

%% ------------------------------------------------------------ take

take_l([CP1 | [CP2 | _] = Cont] = Str, Seps, Acc) when ?ASCII_LIST(CP1, CP2) ->
    case lists:member(CP1, Seps) of
        true -> take_l(Cont, Seps, [CP1 | Acc]);
        false -> {rev(Acc), Str}
    end;
take_l([Bin | Cont0], Seps, Acc) when is_binary(Bin) ->
    case bin_search_inv(Bin, Cont0, Seps) of
        {nomatch, Cont} ->
            Used = cp_prefix(Cont0, Cont),
            take_l(Cont, Seps, [chars_to_binary([Bin | Used]) | Acc]);
        [Bin1 | _] = After when is_binary(Bin1) ->
            {btoken(bin_before(Bin, Bin1), Acc), After}
    end;
take_l(Str, Seps, Acc) when is_list(Str) ->
    case unicode_util:gc(Str) of
        [C | Cs] ->
            case lists:member(C, Seps) of
                true -> take_l(Cs, Seps, append(rev(C), Acc));
                false -> {rev(Acc), Str}
            end;
        [] -> {rev(Acc), []}
    end;
take_l(Bin, Seps, Acc) when is_binary(Bin) ->
    case bin_search_inv(Bin, [], Seps) of
        {nomatch, _} -> {btoken(Bin, Acc), <<>>};
        [After] -> {btoken(bin_before(Bin, After), Acc), After}
    end.

take_lc([CP1 | Cont] = Str0, {GCs, CPs, _} = Seps, Acc) when is_integer(CP1) ->
    case lists:member(CP1, CPs) of
        true ->
            [GC | Str] = unicode_util:gc(Str0),
            case lists:member(GC, GCs) of
                false -> take_lc(Str, Seps, append(rev(GC), Acc));
                true -> {rev(Acc), Str0}
            end;
        false -> take_lc(Cont, Seps, append(CP1, Acc))
    end;
take_lc([Bin | Cont0], Seps0, Acc) when is_binary(Bin) ->
    Seps = search_compile(Seps0),
    case bin_search(Bin, Cont0, Seps) of
        {nomatch, Cont} ->
            Used = cp_prefix(Cont0, Cont),
            take_lc(Cont, Seps, [chars_to_binary([Bin | Used]) | Acc]);
        [Bin1 | _] = After when is_binary(Bin1) ->
            {btoken(bin_before(Bin, Bin1), Acc), After}
    end;
take_lc(Str, {GCs, _, _} = Seps, Acc) when is_list(Str) ->
    case unicode_util:gc(Str) of
        [C | Cs] ->
            case lists:member(C, GCs) of
                false -> take_lc(Cs, Seps, append(rev(C), Acc));
                true -> {rev(Acc), Str}
            end;
        [] -> {rev(Acc), []}
    end;
take_lc(Bin, Seps0, Acc) when is_binary(Bin) ->
    Seps = search_compile(Seps0),
    case bin_search(Bin, [], Seps) of
        {nomatch, _} -> {btoken(Bin, Acc), <<>>};
        [After] -> {btoken(bin_before(Bin, After), Acc), After}
    end.

%% The longest tail of separators (take_t) or of non-separators
%% (take_tc); a tail that is empty leaves the matched clusters in front.
take_t([CP1 | Cont] = Str0, _, {GCs, CPs, _} = Seps) when is_integer(CP1) ->
    case lists:member(CP1, CPs) of
        true ->
            [GC | Str] = unicode_util:gc(Str0),
            take_t_gc(GC, lists:member(GC, GCs), take_t(Str, 0, Seps));
        false ->
            {Head, Tail} = take_t(Cont, 0, Seps),
            {[CP1 | Head], Tail}
    end;
take_t([Bin | Cont0], N, {GCs, _, _} = Seps0) when is_binary(Bin) ->
    <<_:N/binary, Rest/binary>> = Bin,
    Seps = search_compile(Seps0),
    case bin_search(Rest, Cont0, Seps) of
        {nomatch, Cont} ->
            Used = cp_prefix(Cont0, Cont),
            {Head, Tail} = take_t(Cont, 0, Seps),
            {stack(chars_to_binary([Bin | Used]), Head), Tail};
        [SepStart | Cont1] ->
            case bin_search_inv(SepStart, Cont1, GCs) of
                {nomatch, Cont} -> take_t_end(Bin, SepStart, Cont0, Cont, take_t(Cont, 0, Seps));
                [NonSep | Cont] when is_binary(NonSep) ->
                    take_t([Bin | Cont], byte_size(Bin) - byte_size(NonSep), Seps)
            end
    end;
take_t(Str, 0, {GCs, _, _} = Seps) when is_list(Str) ->
    case unicode_util:gc(Str) of
        [GC | Cs1] -> take_t_gc(GC, lists:member(GC, GCs), take_t(Cs1, 0, Seps));
        [] -> {[], []}
    end;
take_t(Bin, N, {GCs, _, _} = Seps0) when is_binary(Bin) ->
    <<_:N/binary, Rest/binary>> = Bin,
    Seps = search_compile(Seps0),
    case bin_search(Rest, [], Seps) of
        {nomatch, _} -> {Bin, <<>>};
        [SepStart] ->
            case bin_search_inv(SepStart, [], GCs) of
                {nomatch, _} -> split_before(Bin, SepStart);
                [NonSep] -> take_t(Bin, byte_size(Bin) - byte_size(NonSep), Seps)
            end
    end.

take_tc([CP1 | [CP2 | _] = Cont], _, {GCs, _, _} = Seps) when ?ASCII_LIST(CP1, CP2) ->
    take_t_gc(CP1, not lists:member(CP1, GCs), take_tc(Cont, 0, Seps));
take_tc([Bin | Cont0], N, {GCs, _, _} = Seps0) when is_binary(Bin) ->
    <<_:N/binary, Rest/binary>> = Bin,
    case bin_search_inv(Rest, Cont0, GCs) of
        {nomatch, Cont} ->
            Used = cp_prefix(Cont0, Cont),
            {Head, Tail} = take_tc(Cont, 0, Seps0),
            {stack(chars_to_binary([Bin | Used]), Head), Tail};
        [SepStart | Cont1] ->
            Seps = search_compile(Seps0),
            case bin_search(SepStart, Cont1, Seps) of
                {nomatch, Cont} -> take_t_end(Bin, SepStart, Cont0, Cont, take_tc(Cont, 0, Seps));
                [NonSep | Cont] when is_binary(NonSep) ->
                    take_tc([Bin | Cont], byte_size(Bin) - byte_size(NonSep), Seps)
            end
    end;
take_tc(Str, 0, {GCs, _, _} = Seps) when is_list(Str) ->
    case unicode_util:gc(Str) of
        [GC | Cs1] -> take_t_gc(GC, not lists:member(GC, GCs), take_tc(Cs1, 0, Seps));
        [] -> {[], []}
    end;
take_tc(Bin, N, {GCs, _, _} = Seps0) when is_binary(Bin) ->
    <<_:N/binary, Rest/binary>> = Bin,
    case bin_search_inv(Rest, [], GCs) of
        {nomatch, _} -> {Bin, <<>>};
        [SepStart] ->
            Seps = search_compile(Seps0),
            case bin_search(SepStart, [], Seps) of
                {nomatch, _} -> split_before(Bin, SepStart);
                [NonSep] -> take_tc(Bin, byte_size(Bin) - byte_size(NonSep), Seps)
            end
    end.

%% GC (which is in the taken tail class when InTail) before {Head, Tail}.
take_t_gc(GC, true, {Head, Tail}) ->
    case is_empty(Head) of
        true -> {Head, append(GC, Tail)};
        false -> {append(GC, Head), Tail}
    end;
take_t_gc(GC, false, {Head, Tail}) -> {append(GC, Head), Tail}.

%% A binary whose end, from SepStart, may be part of the tail.
take_t_end(Bin, SepStart, Cont0, Cont, {Head, Tail}) ->
    Used = cp_prefix(Cont0, Cont),
    case is_empty(Head) of
        true ->
            {Keep, End} = split_before(Bin, SepStart),
            {Keep, stack(stack(End, Used), Tail)};
        false -> {stack(chars_to_binary([Bin | Used]), Head), Tail}
    end.

split_before(Bin, Suffix) ->
    Sz = byte_size(Bin) - byte_size(Suffix),
    <<Before:Sz/binary, End/binary>> = Bin,
    {Before, End}.

%% ------------------------------------------------------------ prefix, split

prefix_1(Cs0, [GC]) ->
    case unicode_util:gc(Cs0) of
        [GC | Cs] -> Cs;
        _ -> nomatch
    end;
prefix_1([CP | Cs], [Pre | PreR]) when is_integer(CP) ->
    case CP =:= Pre of
        true -> prefix_1(Cs, PreR);
        false -> nomatch
    end;
prefix_1(<<CP/utf8, Cs/binary>>, [Pre | PreR]) ->
    case CP =:= Pre of
        true -> prefix_1(Cs, PreR);
        false -> nomatch
    end;
prefix_1(Cs0, [Pre | PreR]) ->
    case unicode_util:cp(Cs0) of
        [Pre | Cs] -> prefix_1(Cs, PreR);
        _ -> nomatch
    end.

%% Curr is the piece being read (reversed), Acc the pieces found: split
%% at the first match (leading), the last one (trailing) or every one.
split_1([CP1 | Cs] = Cs0, [C | _] = Needle, _, Where, Curr, Acc) when is_integer(CP1) ->
    case CP1 =:= C of
        true -> split_match(prefix_1(Cs0, Needle), Cs, Needle, Where, C, Curr, Acc);
        false -> split_1(Cs, Needle, 0, Where, append(CP1, Curr), Acc)
    end;
split_1([Bin | Cont0], Needle, Start, Where, Curr0, Acc) when is_binary(Bin) ->
    case bin_search_str(Bin, Start, Cont0, Needle) of
        {nomatch, Sz, Cont} ->
            <<Keep:Sz/binary, _/binary>> = Bin,
            split_1(Cont, Needle, 0, Where, [Keep | Curr0], Acc);
        {Before, [Cs0 | Cont], After} ->
            Curr = add_non_empty(Before, Curr0),
            case Where of
                leading -> [rev(Curr), After];
                trailing ->
                    <<_/utf8, Cs/binary>> = Cs0,
                    Next = byte_size(Bin) - byte_size(Cs),
                    split_1([Bin | Cont], Needle, Next, Where, Curr0, [rev(Curr), After]);
                all -> split_1(After, Needle, 0, Where, [], [rev(Curr) | Acc])
            end
    end;
split_1(Cs0, [C | _] = Needle, _, Where, Curr, Acc) when is_list(Cs0) ->
    case unicode_util:cp(Cs0) of
        [C | Cs] -> split_match(prefix_1(Cs0, Needle), Cs, Needle, Where, C, Curr, Acc);
        [Other | Cs] -> split_1(Cs, Needle, 0, Where, append(Other, Curr), Acc);
        [] -> {rev(Curr), Acc}
    end;
split_1(Bin, [_ | _] = Needle, Start, Where, Curr0, Acc) ->
    case bin_search_str(Bin, Start, [], Needle) of
        {nomatch, _, _} ->
            <<_:Start/binary, Keep/binary>> = Bin,
            {rev([Keep | Curr0]), Acc};
        {Before, [Cs0], After} ->
            case Where of
                leading -> [rev([Before | Curr0]), After];
                trailing ->
                    <<_/utf8, Cs/binary>> = Cs0,
                    Next = byte_size(Bin) - byte_size(Cs),
                    split_1(Bin, Needle, Next, Where, Curr0, [btoken(Before, Curr0), After]);
                all ->
                    Next = byte_size(Bin) - byte_size(After),
                    <<_:Start/binary, Keep/binary>> = Before,
                    split_1(Bin, Needle, Next, Where, [], [rev([Keep | Curr0]) | Acc])
            end
    end.

%% The first code point C of the needle was found, followed by Cs.
split_match(Prefix, Cs, Needle, Where, C, Curr, Acc) ->
    case Prefix of
        nomatch -> split_1(Cs, Needle, 0, Where, append(C, Curr), Acc);
        Rest when Where =:= leading -> [rev(Curr), Rest];
        Rest when Where =:= trailing -> split_1(Cs, Needle, 0, Where, [C | Curr], [rev(Curr), Rest]);
        Rest when Where =:= all -> split_1(Rest, Needle, 0, Where, [], [rev(Curr) | Acc])
    end.

%% ------------------------------------------------------------ lexemes

lexemes_m([CP | _] = Cs0, {GCs, CPs, _} = Seps0, Ts) when is_integer(CP) ->
    case lists:member(CP, CPs) of
        true ->
            [GC | Cs2] = unicode_util:gc(Cs0),
            case lists:member(GC, GCs) of
                true -> lexemes_m(Cs2, Seps0, Ts);
                false -> next_lexeme(Cs0, Seps0, Ts)
            end;
        false -> next_lexeme(Cs0, Seps0, Ts)
    end;
lexemes_m([Bin | Cont0], {GCs, _, _} = Seps0, Ts) when is_binary(Bin) ->
    case bin_search_inv(Bin, Cont0, GCs) of
        {nomatch, Cont} -> lexemes_m(Cont, Seps0, Ts);
        Cs -> next_lexeme(Cs, Seps0, Ts)
    end;
lexemes_m(Cs0, {GCs, _, _} = Seps0, Ts) when is_list(Cs0) ->
    case unicode_util:gc(Cs0) of
        [C | Cs] ->
            case lists:member(C, GCs) of
                true -> lexemes_m(Cs, Seps0, Ts);
                false -> next_lexeme(Cs0, Seps0, Ts)
            end;
        [] -> lists:reverse(Ts)
    end;
lexemes_m(Bin, {GCs, _, _} = Seps0, Ts) when is_binary(Bin) ->
    case bin_search_inv(Bin, [], GCs) of
        {nomatch, _} -> lists:reverse(Ts);
        [Cs] ->
            Seps = search_compile(Seps0),
            {Lexeme, Rest} = lexeme_pick(Cs, Seps, []),
            lexemes_m(Rest, Seps, add_non_empty(Lexeme, Ts))
    end.

next_lexeme(Cs, Seps0, Ts) ->
    Seps = search_compile(Seps0),
    {Lexeme, Rest} = lexeme_pick(Cs, Seps, []),
    lexemes_m(Rest, Seps, [Lexeme | Ts]).

lexeme_pick([CP | Cs1] = Cs0, {GCs, CPs, _} = Seps, Tkn) when is_integer(CP) ->
    case lists:member(CP, CPs) of
        true ->
            [GC | Cs2] = unicode_util:gc(Cs0),
            case lists:member(GC, GCs) of
                true -> {rev(Tkn), Cs2};
                false -> lexeme_pick(Cs2, Seps, append(rev(GC), Tkn))
            end;
        false -> lexeme_pick(Cs1, Seps, [CP | Tkn])
    end;
lexeme_pick([Bin | Cont0], Seps, Tkn) when is_binary(Bin) ->
    case bin_search(Bin, Cont0, Seps) of
        {nomatch, _} -> lexeme_pick(Cont0, Seps, [Bin | Tkn]);
        [Left | _] = Cs -> {btoken(bin_before(Bin, Left), Tkn), Cs}
    end;
lexeme_pick(Cs0, {GCs, CPs, _} = Seps, Tkn) when is_list(Cs0) ->
    case unicode_util:cp(Cs0) of
        [CP | Cs] ->
            case lists:member(CP, CPs) of
                true ->
                    [GC | Cs2] = unicode_util:gc(Cs0),
                    case lists:member(GC, GCs) of
                        true -> {rev(Tkn), Cs2};
                        false -> lexeme_pick(Cs2, Seps, append(rev(GC), Tkn))
                    end;
                false -> lexeme_pick(Cs, Seps, append(CP, Tkn))
            end;
        [] -> {rev(Tkn), []}
    end;
lexeme_pick(Bin, Seps, Tkn) when is_binary(Bin) ->
    case bin_search(Bin, [], Seps) of
        {nomatch, _} -> {btoken(Bin, Tkn), []};
        [Left] -> {btoken(bin_before(Bin, Left), Tkn), Left}
    end.

nth_lexeme_m([Bin | Cont0], {GCs, _, _} = Seps0, N) when is_binary(Bin) ->
    case bin_search_inv(Bin, Cont0, GCs) of
        {nomatch, Cont} -> nth_lexeme_m(Cont, Seps0, N);
        Cs when N > 1 -> nth_lexeme_m(lexeme_skip(Cs, Seps0), Seps0, N - 1);
        Cs ->
            {Lexeme, _} = lexeme_pick(Cs, search_compile(Seps0), []),
            Lexeme
    end;
nth_lexeme_m(Cs0, {GCs, _, _} = Seps0, N) when is_list(Cs0) ->
    case unicode_util:gc(Cs0) of
        [C | Cs] ->
            case lists:member(C, GCs) of
                true -> nth_lexeme_m(Cs, Seps0, N);
                false when N > 1 -> nth_lexeme_m(lexeme_skip(Cs, Seps0), Seps0, N - 1);
                false ->
                    {Lexeme, _} = lexeme_pick(Cs0, search_compile(Seps0), []),
                    Lexeme
            end;
        [] -> []
    end;
nth_lexeme_m(Bin, {GCs, _, _} = Seps0, N) when is_binary(Bin) ->
    Seps = search_compile(Seps0),
    case bin_search_inv(Bin, [], GCs) of
        [Cs] when N > 1 -> nth_lexeme_m(lexeme_skip(Cs, Seps), Seps, N - 1);
        [Cs] ->
            {Lexeme, _} = lexeme_pick(Cs, Seps, []),
            Lexeme;
        {nomatch, _} -> <<>>
    end.

%% What follows the lexeme that starts the string (and one separator).
lexeme_skip([CP | Cs1] = Cs0, {GCs, CPs, _} = Seps) when is_integer(CP) ->
    case lists:member(CP, CPs) of
        true ->
            [GC | Cs2] = unicode_util:gc(Cs0),
            case lists:member(GC, GCs) of
                true -> Cs2;
                false -> lexeme_skip(Cs2, Seps)
            end;
        false -> lexeme_skip(Cs1, Seps)
    end;
lexeme_skip([Bin | Cont0], Seps0) when is_binary(Bin) ->
    Seps = search_compile(Seps0),
    case bin_search(Bin, Cont0, Seps) of
        {nomatch, _} -> lexeme_skip(Cont0, Seps);
        Cs -> tl(unicode_util:gc(Cs))
    end;
lexeme_skip(Cs0, {GCs, CPs, _} = Seps) when is_list(Cs0) ->
    case unicode_util:cp(Cs0) of
        [CP | Cs] ->
            case lists:member(CP, CPs) of
                true ->
                    [GC | Cs2] = unicode_util:gc(Cs0),
                    case lists:member(GC, GCs) of
                        true -> Cs2;
                        false -> lexeme_skip(Cs2, Seps)
                    end;
                false -> lexeme_skip(Cs, Seps)
            end;
        [] -> []
    end;
lexeme_skip(Bin, Seps0) when is_binary(Bin) ->
    Seps = search_compile(Seps0),
    case bin_search(Bin, [], Seps) of
        {nomatch, _} -> <<>>;
        [Left] -> tl(unicode_util:gc(Left))
    end.

%% ------------------------------------------------------------ find

find_l([C1 | Cs] = Cs0, [C | _] = Needle) when is_integer(C1) ->
    case C1 of
        C ->
            case prefix_1(Cs0, Needle) of
                nomatch -> find_l(Cs, Needle);
                _ -> Cs0
            end;
        _ -> find_l(Cs, Needle)
    end;
find_l([Bin | Cont0], Needle) when is_binary(Bin) ->
    case bin_search_str(Bin, 0, Cont0, Needle) of
        {nomatch, _, Cont} -> find_l(Cont, Needle);
        {_Before, Cs, _After} -> Cs
    end;
find_l(Cs0, [C | _] = Needle) when is_list(Cs0) ->
    case unicode_util:cp(Cs0) of
        [C | Cs] ->
            case prefix_1(Cs0, Needle) of
                nomatch -> find_l(Cs, Needle);
                _ -> Cs0
            end;
        [_C | Cs] -> find_l(Cs, Needle);
        [] -> nomatch
    end;
find_l(Bin, Needle) ->
    case bin_search_str(Bin, 0, [], Needle) of
        {nomatch, _, _} -> nomatch;
        {_Before, [Cs], _After} -> Cs
    end.

find_r([Cp | Cs] = Cs0, [C | _] = Needle, Res) when is_integer(Cp) ->
    case Cp of
        C ->
            case prefix_1(Cs0, Needle) of
                nomatch -> find_r(Cs, Needle, Res);
                _ -> find_r(Cs, Needle, Cs0)
            end;
        _ -> find_r(Cs, Needle, Res)
    end;
find_r([Bin | Cont0], Needle, Res) when is_binary(Bin) ->
    case bin_search_str(Bin, 0, Cont0, Needle) of
        {nomatch, _, Cont} -> find_r(Cont, Needle, Res);
        {_, Cs0, _} ->
            [_ | Cs] = unicode_util:gc(Cs0),
            find_r(Cs, Needle, Cs0)
    end;
find_r(Cs0, [C | _] = Needle, Res) when is_list(Cs0) ->
    case unicode_util:cp(Cs0) of
        [C | Cs] ->
            case prefix_1(Cs0, Needle) of
                nomatch -> find_r(Cs, Needle, Res);
                _ -> find_r(Cs, Needle, Cs0)
            end;
        [_C | Cs] -> find_r(Cs, Needle, Res);
        [] -> Res
    end;
find_r(Bin, Needle, Res) ->
    case bin_search_str(Bin, 0, [], Needle) of
        {nomatch, _, _} -> Res;
        {_Before, [Cs0], _After} ->
            <<_/utf8, Cs/binary>> = Cs0,
            find_r(Cs, Needle, Cs0)
    end.

%% ------------------------------------------------------------ pieces

%% A token: a binary part after the characters gathered (reversed).
btoken(Token, []) -> Token;
btoken(BinPart, [C]) when is_integer(C) -> <<C/utf8, BinPart/binary>>;
btoken(<<>>, Tkn) -> lists:reverse(Tkn);
btoken(BinPart, Cs) -> [lists:reverse(Cs), BinPart].

rev([B]) when is_binary(B) -> B;
rev(L) when is_list(L) -> lists:reverse(L);
rev(C) when is_integer(C) -> C.

append(Char, <<>>) when is_integer(Char) -> [Char];
append(Char, <<>>) when is_list(Char) -> Char;
append(Char, Bin) when is_binary(Bin) -> [Char, Bin];
append(Char, Str) when is_integer(Char) -> [Char | Str];
append(GC, Str) when is_list(GC) -> GC ++ Str.

stack(Bin, []) -> Bin;
stack(<<>>, St) -> St;
stack([], St) -> St;
stack(Bin, St) -> [Bin | St].

add_non_empty(<<>>, L) -> L;
add_non_empty(Token, L) -> [Token | L].

%% The code points of Orig before its tail Cont.
cp_prefix(Orig, Cont) ->
    case unicode_util:cp(Cont) of
        [] -> Orig;
        [Cp | Rest] -> cp_prefix_1(Orig, Cp, Rest)
    end.

cp_prefix_1(Orig, Until, Cont) ->
    case unicode_util:cp(Orig) of
        [Until | Rest] ->
            case equal(Rest, Cont) of
                true -> [];
                false -> [Until | cp_prefix_1(Rest, Until, Cont)]
            end;
        [CP | Rest] -> [CP | cp_prefix_1(Rest, Until, Cont)]
    end.

%% ------------------------------------------------------------ searching binaries

%% A separator set: {GraphemeClusters, TheirFirstCodePoints, BinaryPatterns}
%% (the patterns made when a binary is first searched).
search_pattern({_, _, _} = P) -> P;
search_pattern(Seps) -> {Seps, search_cp(Seps), undefined}.

search_compile({Seps, CPs, undefined}) -> {Seps, CPs, [<<CP/utf8>> || CP <- CPs]};
search_compile({_, _, _} = Compiled) -> Compiled.

search_cp([CP | Seps]) when is_integer(CP) -> [CP | search_cp(Seps)];
search_cp([Pattern | Seps]) ->
    [CP | _] = unicode_util:cp(Pattern),
    [CP | search_cp(Seps)];
search_cp([]) -> [].

bin_search(Bin, Cont, {Seps, _, BP}) -> bin_search_loop(Bin, 0, BP, Cont, Seps).

%% The first separator cluster in Bin from byte Start (its first code
%% point is found as bytes, then the cluster checked), as [Rest | Cont].
bin_search_loop(Bin0, Start, _, Cont, _) when byte_size(Bin0) =< Start; Start < 0 ->
    {nomatch, Cont};
bin_search_loop(Bin0, Start, BinSeps, Cont, Seps) ->
    <<_:Start/binary, Bin/binary>> = Bin0,
    case bin_match(Bin, BinSeps) of
        nomatch -> {nomatch, Cont};
        {Where, _} when Cont =:= [] ->
            <<_:Where/binary, Cont1/binary>> = Bin,
            [GC | Cont2] = unicode_util:gc(Cont1),
            case lists:member(GC, Seps) of
                false when Cont2 =:= [] -> {nomatch, []};
                false ->
                    bin_search_loop(Bin0, byte_size(Bin0) - byte_size(Cont2), BinSeps, Cont, Seps);
                true -> [Cont1]
            end;
        {Where, _} ->
            <<_:Where/binary, Cont0/binary>> = Bin,
            Cont1 = [Cont0 | Cont],
            [GC | Cont2] = unicode_util:gc(Cont1),
            case lists:member(GC, Seps) of
                false ->
                    case Cont2 of
                        [BinR | Cont] when is_binary(BinR) ->
                            bin_search_loop(Bin0, byte_size(Bin0) - byte_size(BinR), BinSeps,
                                            Cont, Seps);
                        _ -> {nomatch, Cont2}
                    end;
                true -> Cont1
            end
    end.

%% The first cluster in Bin that is not a separator, as [Rest | Cont].
bin_search_inv(<<>>, Cont, _) -> {nomatch, Cont};
bin_search_inv(Bin, Cont, [Sep]) -> bin_search_inv_1(Bin, Cont, Sep);
bin_search_inv(Bin, Cont, Seps) -> bin_search_inv_n(Bin, Cont, Seps).

bin_search_inv_1(<<CP1/utf8, BinRest/binary>> = Bin0, Cont, Sep) ->
    case BinRest of
        <<CP2/utf8, _/binary>> when ?ASCII_LIST(CP1, CP2) ->
            case CP1 of
                Sep -> bin_search_inv_1(BinRest, Cont, Sep);
                _ -> [Bin0 | Cont]
            end;
        _ when Cont =:= [] ->
            case unicode_util:gc(Bin0) of
                [Sep | Bin] -> bin_search_inv_1(Bin, Cont, Sep);
                _ -> [Bin0 | Cont]
            end;
        _ ->
            case unicode_util:gc([Bin0 | Cont]) of
                [Sep | [Bin | Cont]] when is_binary(Bin) -> bin_search_inv_1(Bin, Cont, Sep);
                [Sep | Cs] -> {nomatch, Cs};
                _ -> [Bin0 | Cont]
            end
    end;
bin_search_inv_1(<<>>, Cont, _) -> {nomatch, Cont};
bin_search_inv_1([], Cont, _) -> {nomatch, Cont};
bin_search_inv_1(Bin, _, _) -> erlang:error({badarg, Bin}).

bin_search_inv_n(<<CP1/utf8, BinRest/binary>> = Bin0, Cont, Seps) ->
    case BinRest of
        <<CP2/utf8, _/binary>> when ?ASCII_LIST(CP1, CP2) ->
            case lists:member(CP1, Seps) of
                true -> bin_search_inv_n(BinRest, Cont, Seps);
                false -> [Bin0 | Cont]
            end;
        _ when Cont =:= [] ->
            [GC | Bin] = unicode_util:gc(Bin0),
            case lists:member(GC, Seps) of
                true -> bin_search_inv_n(Bin, Cont, Seps);
                false -> [Bin0 | Cont]
            end;
        _ ->
            [GC | Cs0] = unicode_util:gc([Bin0 | Cont]),
            case lists:member(GC, Seps) of
                false -> [Bin0 | Cont];
                true ->
                    case Cs0 of
                        [Bin | Cont] when is_binary(Bin) -> bin_search_inv_n(Bin, Cont, Seps);
                        _ -> {nomatch, Cs0}
                    end
            end
    end;
bin_search_inv_n(<<>>, Cont, _) -> {nomatch, Cont};
bin_search_inv_n([], Cont, _) -> {nomatch, Cont};
bin_search_inv_n(Bin, _, _) -> erlang:error({badarg, Bin}).

%% The needle (code points) in Bin from byte Start: {Before, [At | Cont],
%% After} or {nomatch, Bytes, Cont}. With a continuation, the needle may
%% run on into it.
bin_search_str(Bin0, Start, [], SearchCPs) ->
    bin_search_str_1(Bin0, Start, [chars_to_binary(SearchCPs)], SearchCPs);
bin_search_str(Bin0, Start, Cont, [CP | _] = SearchCPs) ->
    bin_search_str_2(Bin0, Start, Cont, [<<CP/utf8>>], SearchCPs).

bin_search_str_1(Bin0, Start, First, SearchCPs) ->
    <<_:Start/binary, Bin/binary>> = Bin0,
    case bin_match(Bin, First) of
        nomatch -> {nomatch, byte_size(Bin0), []};
        {Where0, _} ->
            Where = Start + Where0,
            <<Keep:Where/binary, Cs0/binary>> = Bin0,
            case prefix_1(Cs0, SearchCPs) of
                nomatch ->
                    <<_/utf8, Cs/binary>> = Cs0,
                    bin_search_str_1(Bin0, byte_size(Bin0) - byte_size(Cs), First, SearchCPs);
                [] -> {Keep, [Cs0], <<>>};
                Rest -> {Keep, [Cs0], Rest}
            end
    end.

bin_search_str_2(Bin0, Start, Cont, First, SearchCPs) ->
    <<_:Start/binary, Bin/binary>> = Bin0,
    case bin_match(Bin, First) of
        nomatch -> {nomatch, byte_size(Bin0), Cont};
        {Where0, _} ->
            Where = Start + Where0,
            <<Keep:Where/binary, Cs0/binary>> = Bin0,
            [GC | Cs] = unicode_util:gc(Cs0),
            case prefix_1(stack(Cs0, Cont), SearchCPs) of
                nomatch when is_binary(Cs) ->
                    bin_search_str_2(Bin0, byte_size(Bin0) - byte_size(Cs), Cont, First, SearchCPs);
                nomatch -> {nomatch, Where, stack([GC | Cs], Cont)};
                [] -> {Keep, [Cs0 | Cont], <<>>};
                Rest -> {Keep, [Cs0 | Cont], Rest}
            end
    end.

%% binary:match/2 for a list of patterns: the first position where one
%% of them starts (the longest there), as {Pos, Len}.
bin_match(Bin, Patterns) -> bin_match(Bin, 0, byte_size(Bin), Patterns).

bin_match(Bin, Pos, Size, Patterns) when Pos < Size ->
    case longest_at(Bin, Pos, Size, Patterns, 0) of
        0 -> bin_match(Bin, Pos + 1, Size, Patterns);
        Len -> {Pos, Len}
    end;
bin_match(_, _, _, _) -> nomatch.

longest_at(Bin, Pos, Size, [P | Ps], Best) ->
    Len = byte_size(P),
    case Len > Best andalso Pos + Len =< Size andalso binary_part(Bin, Pos, Len) =:= P of
        true -> longest_at(Bin, Pos, Size, Ps, Len);
        false -> longest_at(Bin, Pos, Size, Ps, Best)
    end;
longest_at(_, _, _, [], Best) -> Best.

%% unicode:characters_to_list/1 and characters_to_binary/1 on valid
%% chardata.
chars_to_list(L) when is_list(L) -> lists:reverse(chars_rev(L, []));
chars_to_list(B) when is_binary(B) -> lists:reverse(utf8_rev(B, []));
chars_to_list(Other) -> erlang:error(badarg, [Other]).

chars_rev([C | T], Acc) when is_integer(C), C >= 0 -> chars_rev(T, [C | Acc]);
chars_rev([B | T], Acc) when is_binary(B) -> chars_rev(T, utf8_rev(B, Acc));
chars_rev([L | T], Acc) when is_list(L) -> chars_rev(T, chars_rev(L, Acc));
chars_rev([], Acc) -> Acc;
chars_rev(B, Acc) when is_binary(B) -> utf8_rev(B, Acc);
chars_rev(_, _) -> erlang:error(badarg).

utf8_rev(<<C/utf8, R/binary>>, Acc) -> utf8_rev(R, [C | Acc]);
utf8_rev(<<>>, Acc) -> Acc;
utf8_rev(_, _) -> erlang:error(badarg).

chars_to_binary(CD) -> << <<C/utf8>> || C <- chars_to_list(CD) >>.

%% ------------------------------------------------------------ classic API

len(S) -> erlang:length(S).

concat(S1, S2) -> S1 ++ S2.

chr(S, C) when is_integer(C) -> chr(S, C, 1).

chr([C | _], C, I) -> I;
chr([_ | Cs], C, I) -> chr(Cs, C, I + 1);
chr([], _, _) -> 0.

rchr(S, C) when is_integer(C) -> rchr(S, C, 1, 0).

rchr([C | Cs], C, I, _) -> rchr(Cs, C, I + 1, I);
rchr([_ | Cs], C, I, L) -> rchr(Cs, C, I + 1, L);
rchr([], _, _, L) -> L.

str(S, Sub) when is_list(Sub) -> str(S, Sub, 1).

str([C | S], [C | Sub], I) ->
    case l_prefix(Sub, S) of
        true -> I;
        false -> str(S, [C | Sub], I + 1)
    end;
str([_ | S], Sub, I) -> str(S, Sub, I + 1);
str([], _, _) -> 0.

rstr(S, Sub) when is_list(Sub) -> rstr(S, Sub, 1, 0).

rstr([C | S], [C | Sub], I, L) ->
    case l_prefix(Sub, S) of
        true -> rstr(S, [C | Sub], I + 1, I);
        false -> rstr(S, [C | Sub], I + 1, L)
    end;
rstr([_ | S], Sub, I, L) -> rstr(S, Sub, I + 1, L);
rstr([], _, _, L) -> L.

l_prefix([C | Pre], [C | String]) -> l_prefix(Pre, String);
l_prefix([], String) when is_list(String) -> true;
l_prefix(Pre, String) when is_list(Pre), is_list(String) -> false.

span(S, Cs) when is_list(Cs) -> span(S, Cs, 0).

span([C | S], Cs, I) ->
    case lists:member(C, Cs) of
        true -> span(S, Cs, I + 1);
        false -> I
    end;
span([], _, I) -> I.

cspan(S, Cs) when is_list(Cs) -> cspan(S, Cs, 0).

cspan([C | S], Cs, I) ->
    case lists:member(C, Cs) of
        true -> I;
        false -> cspan(S, Cs, I + 1)
    end;
cspan([], _, I) -> I.

substr(String, 1) when is_list(String) -> String;
substr(String, S) when is_integer(S), S > 1 -> substr2(String, S).

substr(String, S, L) when is_integer(S), S >= 1, is_integer(L), L >= 0 ->
    substr1(substr2(String, S), L).

substr1([C | String], L) when L > 0 -> [C | substr1(String, L - 1)];
substr1(String, _) when is_list(String) -> [].

substr2(String, 1) when is_list(String) -> String;
substr2([_ | String], S) -> substr2(String, S - 1).

%% Tokens are gathered from the end, so no list is reversed.
tokens(S, Seps) ->
    case Seps of
        [] ->
            case S of
                [] -> [];
                [_ | _] -> [S]
            end;
        [C] -> tokens_single_1(lists:reverse(S), C, []);
        [_ | _] -> tokens_multiple_1(lists:reverse(S), Seps, [])
    end.

tokens_single_1([Sep | S], Sep, Toks) -> tokens_single_1(S, Sep, Toks);
tokens_single_1([C | S], Sep, Toks) -> tokens_single_2(S, Sep, Toks, [C]);
tokens_single_1([], _, Toks) -> Toks.

tokens_single_2([Sep | S], Sep, Toks, Tok) -> tokens_single_1(S, Sep, [Tok | Toks]);
tokens_single_2([C | S], Sep, Toks, Tok) -> tokens_single_2(S, Sep, Toks, [C | Tok]);
tokens_single_2([], _, Toks, Tok) -> [Tok | Toks].

tokens_multiple_1([C | S], Seps, Toks) ->
    case lists:member(C, Seps) of
        true -> tokens_multiple_1(S, Seps, Toks);
        false -> tokens_multiple_2(S, Seps, Toks, [C])
    end;
tokens_multiple_1([], _, Toks) -> Toks.

tokens_multiple_2([C | S], Seps, Toks, Tok) ->
    case lists:member(C, Seps) of
        true -> tokens_multiple_1(S, Seps, [Tok | Toks]);
        false -> tokens_multiple_2(S, Seps, Toks, [C | Tok])
    end;
tokens_multiple_2([], _, Toks, Tok) -> [Tok | Toks].

chars(C, N) -> chars(C, N, []).

chars(C, N, Tail) when N > 0 -> chars(C, N - 1, [C | Tail]);
chars(C, 0, Tail) when is_integer(C) -> Tail.

copies(CharList, Num) when is_list(CharList), is_integer(Num), Num >= 0 ->
    copies(CharList, Num, []).

copies(_, 0, R) -> R;
copies(CharList, Num, R) -> copies(CharList, Num - 1, CharList ++ R).

words(String) -> words(String, $\s).

words(String, Char) when is_integer(Char) -> w_count(strip(String, both, Char), Char, 0).

w_count([], _, Num) -> Num + 1;
w_count([H | T], H, Num) -> w_count(strip(T, left, H), H, Num + 1);
w_count([_ | T], Char, Num) -> w_count(T, Char, Num).

sub_word(String, Index) -> sub_word(String, Index, $\s).

sub_word(String, Index, Char) when is_integer(Index), is_integer(Char) ->
    case words(String, Char) of
        Num when Num < Index -> [];
        _ -> s_word(strip(String, left, Char), Index, Char, 1, [])
    end.

s_word([], _, _, _, Res) -> lists:reverse(Res);
s_word([Char | _], Index, Char, Index, Res) -> lists:reverse(Res);
s_word([H | T], Index, Char, Index, Res) -> s_word(T, Index, Char, Index, [H | Res]);
s_word([Char | T], Stop, Char, Index, Res) when Index < Stop ->
    s_word(strip(T, left, Char), Stop, Char, Index + 1, Res);
s_word([_ | T], Stop, Char, Index, Res) when Index < Stop -> s_word(T, Stop, Char, Index, Res).

strip(String) -> strip(String, both).

strip(String, left) -> strip_left(String, $\s);
strip(String, right) -> strip_right(String, $\s);
strip(String, both) -> strip_right(strip_left(String, $\s), $\s).

strip(String, right, Char) -> strip_right(String, Char);
strip(String, left, Char) -> strip_left(String, Char);
strip(String, both, Char) -> strip_right(strip_left(String, Char), Char).

strip_left([Sc | S], Sc) -> strip_left(S, Sc);
strip_left([_ | _] = S, Sc) when is_integer(Sc) -> S;
strip_left([], Sc) when is_integer(Sc) -> [].

strip_right([Sc | S], Sc) ->
    case strip_right(S, Sc) of
        [] -> [];
        T -> [Sc | T]
    end;
strip_right([C | S], Sc) -> [C | strip_right(S, Sc)];
strip_right([], Sc) when is_integer(Sc) -> [].

left(String, Len) when is_integer(Len) -> left(String, Len, $\s).

left(String, Len, Char) when is_integer(Char) ->
    Slen = erlang:length(String),
    if
        Slen > Len -> substr(String, 1, Len);
        Slen < Len -> String ++ chars(Char, Len - Slen);
        Slen =:= Len -> String
    end.

right(String, Len) when is_integer(Len) -> right(String, Len, $\s).

right(String, Len, Char) when is_integer(Char) ->
    Slen = erlang:length(String),
    if
        Slen > Len -> substr(String, Slen - Len + 1);
        Slen < Len -> chars(Char, Len - Slen, String);
        Slen =:= Len -> String
    end.

centre(String, Len) when is_integer(Len) -> centre(String, Len, $\s).

centre(String, 0, Char) when is_list(String), is_integer(Char) -> [];
centre(String, Len, Char) when is_integer(Char) ->
    Slen = erlang:length(String),
    if
        Slen > Len -> substr(String, (Slen - Len) div 2 + 1, Len);
        Slen < Len ->
            N = (Len - Slen) div 2,
            chars(Char, N, String ++ chars(Char, Len - (Slen + N)));
        Slen =:= Len -> String
    end.

sub_string(String, Start) -> substr(String, Start).

sub_string(String, Start, Stop) -> substr(String, Start, Stop - Start + 1).

%% Latin-1 letters only.
to_lower(S) when is_list(S) -> [to_lower_char(C) || C <- S];
to_lower(C) when is_integer(C) -> to_lower_char(C).

to_upper(S) when is_list(S) -> [to_upper_char(C) || C <- S];
to_upper(C) when is_integer(C) -> to_upper_char(C).

to_lower_char(C) when is_integer(C), $A =< C, C =< $Z -> C + 32;
to_lower_char(C) when is_integer(C), 16#C0 =< C, C =< 16#D6 -> C + 32;
to_lower_char(C) when is_integer(C), 16#D8 =< C, C =< 16#DE -> C + 32;
to_lower_char(C) -> C.

to_upper_char(C) when is_integer(C), $a =< C, C =< $z -> C - 32;
to_upper_char(C) when is_integer(C), 16#E0 =< C, C =< 16#F6 -> C - 32;
to_upper_char(C) when is_integer(C), 16#F8 =< C, C =< 16#FE -> C - 32;
to_upper_char(C) -> C.

join([], Sep) when is_list(Sep) -> [];
join([H | T], Sep) -> H ++ lists:append([Sep ++ X || X <- T]).
