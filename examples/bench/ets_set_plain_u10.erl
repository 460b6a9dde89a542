%% ETS benchmark: set without concurrency options, 10% updates (see ets_bench.hrl).
-module(ets_set_plain_u10).
-export([main/1]).
-define(TYPE, set).
-define(OPTIONS, [set, public]).
-define(UPDATE_PERMILLE, 100).
-include("ets_bench.hrl").
