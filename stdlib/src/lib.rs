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
    "array",
    "dict",
    "erts_internal",
    "gb_sets",
    "gb_trees",
    "lists",
    "maps",
    "orddict",
    "ordsets",
    "proplists",
    "queue",
    "rand",
    "random",
    "sets",
    "string",
    "timer",
    "unicode_util",
    "unicode_util_norm"
];
