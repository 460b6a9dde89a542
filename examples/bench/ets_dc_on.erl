%% decentralized_counters true (see ets_dc.hrl).
-module(ets_dc_on).
-export([main/1]).
-define(DC, true).
-include("ets_dc.hrl").
