%% The classic error_logger API. Reports are printed on standard error in
%% the shape OTP's logger prints them (`=ERROR REPORT==== Time ===`); as on
%% OTP, info reports are below the default level and not printed.
-module(error_logger).
-export([error_msg/1, error_msg/2, error_report/1, error_report/2,
         warning_msg/1, warning_msg/2, warning_report/1, warning_report/2,
         info_msg/1, info_msg/2, info_report/1, info_report/2,
         format/2, report/2, report_block/2]).

error_msg(Format) -> error_msg(Format, []).
error_msg(Format, Args) -> emit("ERROR", Format, Args).
format(Format, Args) -> emit("ERROR", Format, Args).

error_report(Report) -> emit_report("ERROR", Report).
error_report(_Type, Report) -> emit_report("ERROR", Report).

warning_msg(Format) -> warning_msg(Format, []).
warning_msg(Format, Args) -> emit("WARNING", Format, Args).
warning_report(Report) -> emit_report("WARNING", Report).
warning_report(_Type, Report) -> emit_report("WARNING", Report).

info_msg(_Format) -> ok.
info_msg(_Format, _Args) -> ok.
info_report(_Report) -> ok.
info_report(_Type, _Report) -> ok.

report(_Type, _Report) -> ok.

emit(Level, Format, Args) ->
    Text = try io_lib:format(Format, Args)
           catch _:_ -> io_lib:format("FORMAT ERROR: ~tp - ~tp", [Format, Args])
           end,
    write(Level, Text).

emit_report(Level, Report) when is_list(Report) ->
    case lists:all(fun(C) -> is_integer(C) andalso C >= 0 end, Report) of
        true -> write(Level, Report);
        false -> write(Level, [format_item(I) || I <- Report])
    end;
emit_report(Level, Report) ->
    write(Level, io_lib:format("~tp", [Report])).

format_item({Tag, Data}) -> io_lib:format("    ~tp: ~tp~n", [Tag, Data]);
format_item(Other) -> io_lib:format("    ~tp~n", [Other]).

%% A report of tagged items in the layout OTP's logger gives supervisor
%% and crash reports: `    tag: value`, values indented under the tag.
report_block(Kind, Items) ->
    Lines = [begin
                 Prefix = io_lib:format("    ~ts: ", [tag_text(Tag)]),
                 Indent = length(lists:flatten(Prefix)),
                 Value = case Data of
                             {text, T} -> T;
                             _ -> io_lib_pretty_indent(Data, Indent)
                         end,
                 [Prefix, Value, "\n"]
             end || {Tag, Data} <- Items],
    write(Kind, Lines).

tag_text(Tag) when is_atom(Tag) -> atom_to_list(Tag);
tag_text(Tag) -> io_lib:format("~tp", [Tag]).

io_lib_pretty_indent(Data, Indent) ->
    Text = lists:flatten(io_lib:format("~tp", [Data])),
    Pad = lists:duplicate(Indent, $\s),
    lists:join("\n" ++ Pad, string:split(Text, "\n", all)).

write(Level, Text) ->
    io:put_chars(standard_error,
                 ["=", Level, " REPORT==== ", erts_internal:report_timestamp(), " ===\n",
                  Text, "\n"]),
    ok.
