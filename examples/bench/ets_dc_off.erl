%% decentralized_counters false (see ets_dc.hrl).
-module(ets_dc_off).
-export([main/1]).
-define(DC, false).
-include("ets_dc.hrl").
