%% ETS benchmark: ordered_set with write_concurrency and read_concurrency, 10% updates (see ets_bench.hrl).
-module(ets_oset_conc_u10).
-export([main/1]).
-define(TYPE, ordered_set).
-define(OPTIONS, [ordered_set, public, {write_concurrency, true}, {read_concurrency, true}]).
-define(UPDATE_PERMILLE, 100).
-include("ets_bench.hrl").
