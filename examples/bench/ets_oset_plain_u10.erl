%% ETS benchmark: ordered_set without concurrency options, 10% updates (see ets_bench.hrl).
-module(ets_oset_plain_u10).
-export([main/1]).
-define(TYPE, ordered_set).
-define(OPTIONS, [ordered_set, public]).
-define(UPDATE_PERMILLE, 100).
-include("ets_bench.hrl").
