%% ETS benchmark: set with write_concurrency and read_concurrency, 1% updates (see ets_bench.hrl).
-module(ets_set_conc_u1).
-export([main/1]).
-define(TYPE, set).
-define(OPTIONS, [set, public, {write_concurrency, true}, {read_concurrency, true}]).
-define(UPDATE_PERMILLE, 10).
-include("ets_bench.hrl").
