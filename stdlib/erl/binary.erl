%% The binary module: its functions are native (vm/src/bif/binary.rs; a
%% native registered for M:F/A takes precedence over the stubs below, which
%% give the module OTP's export list and module_info/0,1), except the hex
%% codecs, written here.
-module(binary).
-export([split/2, split/3, part/2, part/3, copy/1, copy/2, match/2, match/3, matches/2,
         matches/3, replace/3, replace/4, first/1, last/1, at/2, bin_to_list/1, bin_to_list/2,
         bin_to_list/3, list_to_bin/1, decode_unsigned/1, decode_unsigned/2,
         encode_unsigned/1, encode_unsigned/2, longest_common_prefix/1,
         longest_common_suffix/1, compile_pattern/1, referenced_byte_size/1, encode_hex/1,
         decode_hex/1]).

split(A1, A2) -> binary:split(A1, A2).
split(A1, A2, A3) -> binary:split(A1, A2, A3).
part(A1, A2) -> binary:part(A1, A2).
part(A1, A2, A3) -> binary:part(A1, A2, A3).
copy(A1) -> binary:copy(A1).
copy(A1, A2) -> binary:copy(A1, A2).
match(A1, A2) -> binary:match(A1, A2).
match(A1, A2, A3) -> binary:match(A1, A2, A3).
matches(A1, A2) -> binary:matches(A1, A2).
matches(A1, A2, A3) -> binary:matches(A1, A2, A3).
replace(A1, A2, A3) -> binary:replace(A1, A2, A3).
replace(A1, A2, A3, A4) -> binary:replace(A1, A2, A3, A4).
first(A1) -> binary:first(A1).
last(A1) -> binary:last(A1).
at(A1, A2) -> binary:at(A1, A2).
bin_to_list(A1) -> binary:bin_to_list(A1).
bin_to_list(A1, A2) -> binary:bin_to_list(A1, A2).
bin_to_list(A1, A2, A3) -> binary:bin_to_list(A1, A2, A3).
list_to_bin(A1) -> binary:list_to_bin(A1).
decode_unsigned(A1) -> binary:decode_unsigned(A1).
decode_unsigned(A1, A2) -> binary:decode_unsigned(A1, A2).
encode_unsigned(A1) -> binary:encode_unsigned(A1).
encode_unsigned(A1, A2) -> binary:encode_unsigned(A1, A2).
longest_common_prefix(A1) -> binary:longest_common_prefix(A1).
longest_common_suffix(A1) -> binary:longest_common_suffix(A1).
compile_pattern(A1) -> binary:compile_pattern(A1).
referenced_byte_size(A1) -> binary:referenced_byte_size(A1).

%% Upper-case hexadecimal, two digits a byte.
encode_hex(Bin) when is_binary(Bin) ->
    << <<(hex_digit(N bsr 4)), (hex_digit(N band 15))>> || <<N>> <= Bin >>;
encode_hex(Bin) ->
    erlang:error(badarg, [Bin]).

hex_digit(N) when N < 10 -> $0 + N;
hex_digit(N) -> $A + N - 10.

%% Either case; an odd length or a non-hex character is badarg.
decode_hex(Bin) when is_binary(Bin), byte_size(Bin) rem 2 =:= 0 ->
    try << <<(hex_value(H) * 16 + hex_value(L))>> || <<H, L>> <= Bin >>
    catch error:_ -> erlang:error(badarg, [Bin])
    end;
decode_hex(Bin) ->
    erlang:error(badarg, [Bin]).

hex_value(C) when C >= $0, C =< $9 -> C - $0;
hex_value(C) when C >= $a, C =< $f -> C - $a + 10;
hex_value(C) when C >= $A, C =< $F -> C - $A + 10.
