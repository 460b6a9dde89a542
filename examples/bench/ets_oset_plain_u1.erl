%% ETS benchmark: ordered_set without concurrency options, 1% updates (see ets_bench.hrl).
-module(ets_oset_plain_u1).
-export([main/1]).
-define(TYPE, ordered_set).
-define(OPTIONS, [ordered_set, public]).
-define(UPDATE_PERMILLE, 10).
-include("ets_bench.hrl").
