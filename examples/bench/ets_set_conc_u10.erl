%% ETS benchmark: set with write_concurrency and read_concurrency, 10% updates (see ets_bench.hrl).
-module(ets_set_conc_u10).
-export([main/1]).
-define(TYPE, set).
-define(OPTIONS, [set, public, {write_concurrency, true}, {read_concurrency, true}]).
-define(UPDATE_PERMILLE, 100).
-include("ets_bench.hrl").
