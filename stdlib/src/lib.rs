//! The standard library modules written in Erlang, shipped inside the
//! binary: compiled when Beryl is built (build.rs) into one image of
//! bytecode modules, which `module(name)` decodes on first use. The image
//! is part of the executable's read-only data, so the operating system maps
//! it in page by page like any file mapping, and only the modules a program
//! uses are ever decoded. `source(name)` gives a module's source text.

use compiler::bytecode::Module;
use compiler::image::Image;
use std::sync::OnceLock;

/// The compiled standard library (see build.rs).
pub static IMAGE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/stdlib.img"));

fn image() -> Option<&'static Image<'static>> {
    static OPENED: OnceLock<Option<Image<'static>>> = OnceLock::new();
    OPENED.get_or_init(|| Image::open(IMAGE).ok()).as_ref()
}

/// A standard library module, compiled.
pub fn module(name: &str) -> Option<Module> {
    image()?.module(name)?.ok()
}

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
    "binary",
    "code",
    "dict",
    "error_logger",
    "erts_internal",
    "ets",
    "file",
    "filename",
    "gb_sets",
    "gen",
    "gen_server",
    "gen_statem",
    "gb_trees",
    "io",
    "io_lib",
    "lists",
    "maps",
    "math",
    "orddict",
    "os",
    "ordsets",
    "proc_lib",
    "proplists",
    "queue",
    "rand",
    "random",
    "sets",
    "string",
    "supervisor",
    "sys",
    "timer",
    "unicode",
    "unicode_util",
    "unicode_util_norm"
];

/// Names of the modules in the compiled image, sorted.
pub fn image_names() -> Vec<&'static str> {
    image().map(|i| i.names().collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_image_holds_every_module_and_only_those() {
        let mut listed: Vec<&str> = super::MODULES.to_vec();
        listed.sort();
        assert_eq!(super::image_names(), listed);
        for name in super::MODULES {
            let m = super::module(name).expect("decodes");
            assert_eq!(m.name, *name);
            assert!(super::source(name).is_some());
        }
    }
}
