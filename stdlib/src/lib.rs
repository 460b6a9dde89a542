//! The standard library modules written in Erlang, shipped inside the
//! binary. `source(name)` gives a module's source text.

macro_rules! modules {
    ( $( $name:literal ),* $(,)? ) => {
        /// Names of the modules written in Erlang.
        pub const MODULES: &[&str] = &[ $( $name ),* ];

        /// The source of a standard library module.
        pub fn source(module: &str) -> Option<&'static str> {
            match module {
                $( $name => Some(include_str!(concat!("../erl/", $name, ".erl"))), )*
                _ => None,
            }
        }
    };
}

modules![
    "erts_internal",
    "ets",
    "lists",
    "maps",
    "orddict",
    "ordsets",
    "proplists",
    "queue",
    "timer"
];
