%% Attributes, types and specs.
-module(attrs).
-behaviour(gen_server).
-export([f/1, g/0]).
-export_type([t/0, u/1, o/0]).
-import(lists, [map/2, foldl/3]).
-compile([export_all, {inline, [f/1]}, nowarn_unused_vars]).
-on_load(g/0).
-vsn("1.0").
-author('someone@example.org').
-custom_attr({any, [term, 1, 2.5, "str", -3, #{k => v}], <<"bin">>}).
-dialyzer({nowarn_function, f/1}).

-record(rec, {a, b = 2, c :: atom(), d = x :: atom() | integer()}).
-record(empty, {}).

-type t() :: integer() | atom() | [t()] | {t(), t()}.
-type u(A) :: {A, A} | #{A => t(), atom() := A}.
-opaque o() :: #rec{a :: integer()} | #empty{}.
-type ranges() :: 1..10 | -5..-1 | 0..(1 bsl 8) | $a..$z.
-type bins() :: <<>> | <<_:8>> | <<_:_*8>> | <<_:4, _:_*2>>.
-type funs() :: fun() | fun((...) -> ok) | fun(() -> t()) | fun((t(), u(t())) -> ok).
-type lists() :: [] | [t()] | [t(), ...] | nonempty_list() | list(atom()).
-type misc() :: term() | any() | none() | no_return() | tuple() | map() | {} | #{}
              | pid() | reference() | module:remote(t()) | erlang:timestamp()
              | Var :: t() | user_defined().
-type user_defined() :: ok.
-type(paren() :: ok).

-spec f(t()) -> t().
f(X) -> X.

-spec g() -> ok | error;
       () -> T when T :: term().
g() -> ok.

-spec attrs:h(A) -> A when A :: integer(), is_subtype(A, term()).

-callback init(Args :: term()) -> {ok, State :: term()} | {stop, Reason :: term()}.
-callback(handle(t()) -> ok).
-optional_callbacks([init/1]).
