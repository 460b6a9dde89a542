-define(FROM_HEADER, {header, ?LINE}).
-include("nested.hrl").
header_fun() -> ?FILE_BASENAME.
