%% ETS benchmark: set without concurrency options, 1% updates (see ets_bench.hrl).
-module(ets_set_plain_u1).
-export([main/1]).
-define(TYPE, set).
-define(OPTIONS, [set, public]).
-define(UPDATE_PERMILLE, 10).
-include("ets_bench.hrl").
