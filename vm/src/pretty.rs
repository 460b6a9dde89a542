//! `~p` and `~P`: a port of OTP 25's io_lib_pretty, as io_lib_format uses
//! it (no record definitions, no chars limit). A term is first measured
//! into a tree that holds the flat text of every leaf and the printed
//! length of every node (`print_length`), then laid out by `pp`, which
//! writes a node on one line when it fits and otherwise breaks it, with
//! the indentation of tagged tuples chosen beforehand by `cind`.
//!
//! The names of the functions and the arithmetic of their guards follow
//! io_lib_pretty.erl so that the two can be read side by side.

use crate::atom;
use crate::binary;
use crate::map;
use crate::term::Term;
use compiler::pretty::{push_string_char, quote_atom};

/// Print `t` as `~p` does: `line_length` is the field width (80 by
/// default; 0 prints on one line), `column` the 1-based column the text
/// starts at, `depth` the `~P` depth (`usize::MAX` for none), `strings`
/// false for the `l` modifier and `unicode` true for the `t` modifier.
pub fn print(
    t: Term,
    line_length: usize,
    column: usize,
    depth: usize,
    strings: bool,
    unicode: bool,
) -> String {
    print_max_chars(t, line_length, column, depth, None, strings, unicode)
}

/// [`print`] with io_lib_pretty's `line_max_chars` option (`None` for
/// its default, the length of the whole term); the shell passes 60.
pub fn print_max_chars(
    t: Term,
    line_length: usize,
    column: usize,
    depth: usize,
    max_chars: Option<usize>,
    strings: bool,
    unicode: bool,
) -> String {
    let opts = Opts {
        strings,
        unicode,
        printable_unicode: false,
        max_chars: max_chars.and_then(|m| i64::try_from(m).ok()),
    };
    let depth = i64::try_from(depth).unwrap_or(-1);
    let ll = i64::try_from(line_length).unwrap_or(i64::MAX / 4);
    let col = i64::try_from(column).unwrap_or(i64::MAX / 4);
    let levels = nesting(t, depth);
    if levels > DEEP {
        // Measuring and laying out recurse once per level of nesting: a
        // deep term gets a thread with a stack to match. The caller waits,
        // so the heap the term lives on does not change meanwhile.
        let stack = levels.saturating_mul(STACK_PER_LEVEL).saturating_add(1 << 20);
        let run = std::thread::scope(|s| {
            std::thread::Builder::new()
                .stack_size(stack)
                .spawn_scoped(s, || print_term(t, col, ll, depth, &opts))
                .ok()
                .and_then(|h| h.join().ok())
        });
        if let Some(out) = run {
            return out;
        }
    }
    print_term(t, col, ll, depth, &opts)
}

/// Nesting beyond which printing moves to a thread with a larger stack.
const DEEP: usize = 2000;
/// Stack bytes per level of nesting (about 600 measured, for lists).
const STACK_PER_LEVEL: usize = 2048;

/// How deeply the containers of `t` nest, down to `depth` levels (-1: all);
/// list elements count as one level deeper, list tails not.
fn nesting(t: Term, depth: i64) -> usize {
    let limit = if depth < 0 { usize::MAX } else { depth as usize };
    let mut max = 0;
    let mut stack = vec![(t, 0usize)];
    while let Some((t, level)) = stack.pop() {
        max = max.max(level);
        if level >= limit {
            continue;
        }
        if t.is_cons() {
            let mut cur = t;
            while cur.is_cons() {
                let (h, tl) = cur.cons_parts();
                if h.is_cons() || h.is_boxed() {
                    stack.push((h, level + 1));
                }
                cur = tl;
            }
            if !cur.is_nil() {
                stack.push((cur, level + 1));
            }
        } else if let Some(es) = t.as_tuple() {
            stack.extend(
                es.iter()
                    .filter(|e| e.is_cons() || e.is_boxed())
                    .map(|&e| (e, level + 1)),
            );
        } else if t.is_map() {
            for (k, v) in map::to_vec(t) {
                stack.push((k, level + 1));
                stack.push((v, level + 1));
            }
        }
    }
    max
}

struct Opts {
    /// Print printable lists and binaries as strings (no `l` modifier).
    strings: bool,
    /// The `t` modifier: atoms keep characters above 255 unescaped and
    /// binaries may print as `<<"..."/utf8>>`.
    unicode: bool,
    /// io:printable_range() is `unicode` (erl +pc unicode); Beryl, like
    /// erl by default, has `latin1`.
    printable_unicode: bool,
    /// `line_max_chars`, when given.
    max_chars: Option<i64>,
}

/// io_lib_pretty:print/9 with M = -1 and T = -1.
fn print_term(t: Term, col: i64, ll: i64, depth: i64, o: &Opts) -> String {
    if depth == 0 {
        return "...".to_string();
    }
    let col = col.max(1);
    if t.is_atom() {
        return write_atom(t, o.unicode);
    }
    if !(t.is_cons() || t.is_nil() || t.is_tuple() || t.is_map() || t.is_binary_like()) {
        return write_flat(t);
    }
    let tree = measure(t, depth, o);
    let len = tree.len;
    // M (line_max_chars) defaults to the length of the whole term.
    let r = Room {
        ll,
        m: o.max_chars.unwrap_or(len),
    };
    let mut out = String::new();
    if ll == 0 || (len < ll - col && len <= r.m) {
        write(&tree, &mut out);
    } else {
        // The indentation of tagged tuples: after the tag if that keeps
        // within half the line, else 4, else 1.
        let tind = [-1, 4]
            .into_iter()
            .find(|&ind| Cind { r, ind }.cind(&tree, col, 0, 0).is_ok())
            .unwrap_or(1);
        let mut p = Pp {
            out: &mut out,
            r,
            tind,
        };
        p.pp(&tree, col, col - 1, 0, 0);
    }
    out
}

/// A measured term: io_lib_pretty's intermediate format `{S, Len, _, _}`.
struct If {
    kind: Kind,
    /// The length of the term printed on one line.
    len: i64,
}

enum Kind {
    /// Flat text: atoms, numbers, strings, `{...}` and the like. These are
    /// the nodes io_lib_pretty's ?ATM macro accepts.
    Text(String),
    /// A binary printed as bytes: `{bin, S}`.
    Bin(BinText),
    List(Items),
    /// A tuple; tagged when its first element is an atom and it has more.
    Tuple(bool, Items),
    /// A map's associations, each a `Pair`.
    Map(Items),
    Pair(Box<If>, Box<If>),
}

/// Elements of a list, tuple or map, and how they end.
struct Items {
    elems: Vec<If>,
    tail: Tail,
}

enum Tail {
    Nil,
    /// Cut by the depth: `...`.
    Dots,
    /// The tail of an improper list.
    Term(Box<If>),
}

/// io_lib:write_binary/3's text: numbers each followed by a comma, then
/// the last one.
struct BinText {
    items: Vec<String>,
    last: BinLast,
}

enum BinLast {
    /// The last byte, or `...`.
    Text(String),
    /// Trailing bits `X:L`.
    Bits(String, String),
}

impl If {
    fn text(s: String) -> If {
        let len = s.chars().count() as i64;
        If {
            kind: Kind::Text(s),
            len,
        }
    }

    /// ?ATM: the node is flat text.
    fn atm(&self) -> bool {
        matches!(self.kind, Kind::Text(_))
    }

    /// ?ATM_PAIR: key and value are both flat text.
    fn atm_pair(&self) -> bool {
        match &self.kind {
            Kind::Pair(k, v) => k.atm() && v.atm(),
            _ => false,
        }
    }
}

// ---------------------------------------------------------------------
// Measuring: print_length.

fn write_flat(t: Term) -> String {
    let mut s = String::new();
    crate::print::write_term(&mut s, t, false, usize::MAX);
    s
}

/// io_lib:write_atom/1, or write_atom_as_latin1/1 which also escapes
/// characters above 255 as `\x{HEX}`.
fn write_atom(t: Term, unicode: bool) -> String {
    let s = quote_atom(atom::name(t));
    if unicode || s.chars().all(|c| (c as u32) < 256) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if (c as u32) < 256 {
            out.push(c);
        } else {
            out.push_str(&format!("\\x{{{:X}}}", c as u32));
        }
    }
    out
}

/// io_lib:write_string/2 with `"` (the latin1 variant is the same on the
/// characters it is given).
fn write_string(cs: impl Iterator<Item = char>) -> String {
    let mut out = String::from("\"");
    for c in cs {
        push_string_char(&mut out, c, '"');
    }
    out.push('"');
    out
}

/// Characters io_lib:printable_latin1_list/1 accepts.
fn printable_latin1(c: i64) -> bool {
    (32..=126).contains(&c) || (160..=255).contains(&c) || matches!(c, 8..=13 | 27)
}

/// Characters io_lib:printable_unicode_list/1 accepts.
fn printable_unicode(c: i64) -> bool {
    (32..=126).contains(&c)
        || (0xA0..0xD800).contains(&c)
        || (0xE000..0xFFFE).contains(&c)
        || (0x10000..=0x10FFFF).contains(&c)
        || matches!(c, 8..=13 | 27)
}

/// The characters of a proper, non-empty list whose elements all pass
/// `ok`.
fn printable_chars(t: Term, ok: fn(i64) -> bool) -> Option<Vec<char>> {
    let mut cs = Vec::new();
    let mut cur = t;
    while cur.is_cons() {
        let (h, tl) = cur.cons_parts();
        if !h.is_small() || !ok(h.small_value()) {
            return None;
        }
        cs.push(char::from_u32(h.small_value() as u32)?);
        cur = tl;
    }
    if cur.is_nil() && !cs.is_empty() {
        Some(cs)
    } else {
        None
    }
}

/// list_length/3: the brackets `acc`, the elements and the separators.
fn items_len(items: &Items, acc: i64) -> i64 {
    let mut n = items.elems.len() as i64;
    let mut len = acc + items.elems.iter().map(|e| e.len).sum::<i64>();
    match &items.tail {
        Tail::Nil => {}
        Tail::Dots => {
            n += 1;
            len += 3;
        }
        Tail::Term(e) => {
            n += 1;
            len += e.len;
        }
    }
    len + (n - 1).max(0)
}

/// print_length/6 (D =/= 0).
fn measure(t: Term, d: i64, o: &Opts) -> If {
    if t.is_nil() {
        return If::text("[]".to_string());
    }
    if t.is_atom() {
        return If::text(write_atom(t, o.unicode));
    }
    if t.is_cons() {
        return measure_list(t, d, o);
    }
    if let Some(es) = t.as_tuple() {
        return measure_tuple(es, d, o);
    }
    if t.is_map() {
        return measure_map(t, d, o);
    }
    if t.is_binary_like() {
        return measure_bin(t, d, o);
    }
    If::text(write_flat(t))
}

fn measure_list(t: Term, d: i64, o: &Opts) -> If {
    // Only flat lists are printable; printable_list/4 is false at depth 1.
    if o.strings && d != 1 {
        // A latin1 ~p checks latin1; ~tp asks io:printable_range().
        let ok = if o.unicode && o.printable_unicode {
            printable_unicode
        } else {
            printable_latin1
        };
        if let Some(cs) = printable_chars(t, ok) {
            return If::text(write_string(cs.into_iter()));
        }
    }
    // print_length_list1/6.
    let mut elems = Vec::new();
    let mut cur = t;
    let mut d = d;
    let tail = loop {
        if cur.is_nil() {
            break Tail::Nil;
        }
        if d == 1 {
            break Tail::Dots;
        }
        if cur.is_cons() {
            let (h, tl) = cur.cons_parts();
            elems.push(measure(h, d - 1, o));
            cur = tl;
            d -= 1;
        } else {
            break Tail::Term(Box::new(measure(cur, d - 1, o)));
        }
    };
    let items = Items { elems, tail };
    let len = items_len(&items, 2);
    If {
        kind: Kind::List(items),
        len,
    }
}

fn measure_tuple(es: &[Term], d: i64, o: &Opts) -> If {
    if es.is_empty() {
        return If::text("{}".to_string());
    }
    if d == 1 {
        return If::text("{...}".to_string());
    }
    let mut elems = Vec::new();
    let mut d = d;
    let mut tail = Tail::Nil;
    for &e in es {
        if d == 1 {
            tail = Tail::Dots;
            break;
        }
        elems.push(measure(e, d - 1, o));
        d -= 1;
    }
    let tagged = es[0].is_atom() && es.len() > 1;
    let items = Items { elems, tail };
    let len = items_len(&items, 2);
    If {
        kind: Kind::Tuple(tagged, items),
        len,
    }
}

fn measure_map(t: Term, d: i64, o: &Opts) -> If {
    let pairs = map::to_vec(t);
    if pairs.is_empty() {
        return If::text("#{}".to_string());
    }
    if d == 1 {
        return If::text("#{...}".to_string());
    }
    // Keys and values are measured at D - 1; the D that counts the
    // associations down cuts them with `...`.
    let d0 = d - 1;
    let mut dp = d;
    let mut elems = Vec::new();
    let mut tail = Tail::Nil;
    for (k, v) in pairs {
        if dp == 1 {
            tail = Tail::Dots;
            break;
        }
        let k = measure(k, d0, o);
        let v = measure(v, d0, o);
        let len = k.len + 4 + v.len;
        elems.push(If {
            kind: Kind::Pair(Box::new(k), Box::new(v)),
            len,
        });
        dp -= 1;
    }
    let items = Items { elems, tail };
    let len = items_len(&items, 3);
    If {
        kind: Kind::Map(items),
        len,
    }
}

/// What printable_bin/4 decided.
enum BinStr {
    /// `{true, L}` and `{false, L}`: the whole binary; `/utf8` when its
    /// characters are not its bytes.
    Whole(Vec<char>, bool),
    /// `{true, true, L}` and `{false, true, L}`: a prefix, then `...`.
    Prefix(Vec<char>, bool),
}

fn measure_bin(t: Term, d: i64, o: &Opts) -> If {
    let (data, bits) = binary::bits_of(t);
    if bits == 0 {
        return If::text("<<>>".to_string());
    }
    if d == 1 {
        return If::text("<<...>>".to_string());
    }
    if o.strings && bits % 8 == 0 {
        let bytes = &data[..bits / 8];
        if let Some(p) = printable_bin0(bytes, d - 1, o) {
            let s = match p {
                BinStr::Whole(cs, false) => format!("<<{}>>", write_string(cs.into_iter())),
                BinStr::Whole(cs, true) => format!("<<{}/utf8>>", write_string(cs.into_iter())),
                BinStr::Prefix(cs, false) => format!("<<{}...>>", write_string(cs.into_iter())),
                BinStr::Prefix(cs, true) => {
                    format!("<<{}/utf8...>>", write_string(cs.into_iter()))
                }
            };
            return If::text(s);
        }
    }
    let b = write_binary(&data, bits, d);
    let len = 4
        + b.items.iter().map(|s| s.len() as i64 + 1).sum::<i64>()
        + match &b.last {
            BinLast::Text(s) => s.len() as i64,
            BinLast::Bits(x, l) => (x.len() + 1 + l.len()) as i64,
        };
    If {
        kind: Kind::Bin(b),
        len,
    }
}

/// io_lib:write_binary_body/4 with depth `d`.
fn write_binary(data: &[u8], bits: usize, d: i64) -> BinText {
    let whole = bits / 8;
    let rest = bits % 8;
    let mut items = Vec::new();
    let mut d = d;
    let mut i = 0;
    loop {
        if d == 1 {
            return BinText {
                items,
                last: BinLast::Text("...".to_string()),
            };
        }
        if i + 1 == whole && rest == 0 {
            return BinText {
                items,
                last: BinLast::Text(data[i].to_string()),
            };
        }
        if i == whole {
            // Trailing bits (bits > 0, so rest > 0 here).
            let x = data.get(whole).map_or(0, |b| b >> (8 - rest));
            return BinText {
                items,
                last: BinLast::Bits(x.to_string(), rest.to_string()),
            };
        }
        items.push(data[i].to_string());
        i += 1;
        d -= 1;
    }
}

/// io_lib_pretty's printable_latin1_list/2: `None` (all) when the first
/// `n` characters are printable, else how many of the `n` were left at
/// the first one that is not.
fn printable_prefix(bytes: &[u8], n: usize) -> Option<usize> {
    let n = n.min(bytes.len());
    bytes[..n]
        .iter()
        .position(|&b| !printable_latin1(b as i64))
        .map(|p| n - p)
}

/// printable_bin0/4 with T = -1; `d` is the binary's depth minus one.
fn printable_bin0(bin: &[u8], d: i64, o: &Opts) -> Option<BinStr> {
    let len = if d >= 0 {
        // ?CHARS = 4 printable characters count as one level of depth.
        (4 * d as usize).min(bin.len())
    } else {
        bin.len()
    };
    if len == 0 {
        return None;
    }
    if o.unicode {
        printable_bin_unicode(bin, len, d, o)
    } else {
        printable_bin_latin1(bin, len, d)
    }
}

fn latin1_chars(bytes: &[u8]) -> Vec<char> {
    bytes.iter().map(|&b| b as char).collect()
}

fn printable_bin_latin1(bin: &[u8], len: usize, d: i64) -> Option<BinStr> {
    let n = len.min(20);
    match printable_prefix(bin, n) {
        None if n == bin.len() => Some(BinStr::Whole(latin1_chars(bin), false)),
        None if n == len => Some(BinStr::Prefix(latin1_chars(&bin[..n]), false)),
        None => {
            // printable_bin1/3: the rest of the first `len` bytes.
            let nc = match bin[n..len].iter().position(|&b| !printable_latin1(b as i64)) {
                None => 0,
                Some(p) => len - n - p,
            };
            if nc == 0 && bin.len() == len {
                Some(BinStr::Whole(latin1_chars(bin), false))
            } else if d > 0 && (len - nc) as i64 >= d {
                Some(BinStr::Prefix(latin1_chars(&bin[..len - nc]), false))
            } else {
                None
            }
        }
        Some(nc) if d > 0 && (n - nc) as i64 >= d => {
            Some(BinStr::Prefix(latin1_chars(&bin[..n - nc]), false))
        }
        Some(_) => None,
    }
}

/// One UTF-8 character at the start of `b` (as `<<C/utf8, _/binary>>`
/// matches it) and its size.
fn utf8_char(b: &[u8]) -> Option<(char, usize)> {
    let w = match *b.first()? {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => return None,
    };
    let s = std::str::from_utf8(b.get(..w)?).ok()?;
    s.chars().next().map(|c| (c, w))
}

fn printable_bin_unicode(bin: &[u8], len: usize, d: i64, o: &Opts) -> Option<BinStr> {
    // valid_utf8/2: the first `len` characters decode.
    let mut rest = bin;
    let mut n = len;
    while !rest.is_empty() && n > 0 {
        match utf8_char(rest) {
            Some((_, w)) => rest = &rest[w..],
            None => return printable_bin_latin1(bin, len, d),
        }
        n -= 1;
    }
    // printable_unicode/4 with io:printable_range().
    let ok = if o.printable_unicode {
        printable_unicode
    } else {
        printable_latin1
    };
    let mut cs = Vec::new();
    let mut rest = bin;
    let mut i = len;
    while i > 0 {
        match utf8_char(rest) {
            Some((c, w)) if ok(c as i64) => {
                cs.push(c);
                rest = &rest[w..];
                i -= 1;
            }
            _ => break,
        }
    }
    let used = bin.len() - rest.len();
    if rest.is_empty() {
        let utf8 = bin.len() != cs.len();
        Some(BinStr::Whole(cs, utf8))
    } else if d > 0 && (len - i) as i64 >= d {
        let utf8 = used != cs.len();
        Some(BinStr::Prefix(cs, utf8))
    } else {
        None
    }
}

// ---------------------------------------------------------------------
// Writing on one line: write/1.

fn write(e: &If, out: &mut String) {
    match &e.kind {
        Kind::Text(s) => out.push_str(s),
        Kind::Bin(b) => write_bin(b, out),
        Kind::List(items) => {
            out.push('[');
            write_list(items, '|', out);
            out.push(']');
        }
        Kind::Tuple(_, items) => {
            out.push('{');
            write_list(items, ',', out);
            out.push('}');
        }
        Kind::Map(items) => {
            out.push_str("#{");
            write_list(items, ',', out);
            out.push('}');
        }
        Kind::Pair(k, v) => {
            write(k, out);
            out.push_str(" => ");
            write(v, out);
        }
    }
}

fn write_bin(b: &BinText, out: &mut String) {
    out.push_str("<<");
    for s in &b.items {
        out.push_str(s);
        out.push(',');
    }
    match &b.last {
        BinLast::Text(s) => out.push_str(s),
        BinLast::Bits(x, l) => {
            out.push_str(x);
            out.push(':');
            out.push_str(l);
        }
    }
    out.push_str(">>");
}

/// write_list/2 and write_tail/2; `sep` goes before `...` and improper
/// tails.
fn write_list(items: &Items, sep: char, out: &mut String) {
    for (i, e) in items.elems.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write(e, out);
    }
    let first = items.elems.is_empty();
    match &items.tail {
        Tail::Nil => {}
        Tail::Dots => {
            if !first {
                out.push(sep);
            }
            out.push_str("...");
        }
        Tail::Term(e) => {
            if !first {
                out.push(sep);
            }
            write(e, out);
        }
    }
}

// ---------------------------------------------------------------------
// Laying out: pp.

/// last_depth/2: an element followed by more elements needs no room for
/// closing brackets; the last one needs one more than its parent.
fn last_depth(more: bool, ld: i64) -> i64 {
    if more {
        0
    } else {
        ld + 1
    }
}

/// The line length and the most characters a line may take (M, which
/// io_lib_format leaves at the length of the whole term).
#[derive(Clone, Copy)]
struct Room {
    ll: i64,
    m: i64,
}

impl Room {
    /// Whether `e` fits on the line at `col`, with `w` characters already
    /// on it and `ld` closing brackets to follow.
    fn fits(self, e: &If, col: i64, ld: i64, w: i64) -> bool {
        e.len < self.ll - col - ld && e.len + w + ld <= self.m
    }

    /// The guard of pp_tail/10 (and its map variant) for writing flat text
    /// after a comma on the current line. The guards keep io_lib_pretty's
    /// arithmetic.
    #[allow(clippy::int_plus_one)]
    fn fits_tail(self, atm: bool, elen: i64, col: i64, ld1: i64, w: i64) -> bool {
        atm && if ld1 == 0 {
            elen + 1 < self.ll - col && w + elen + 1 <= self.m
        } else {
            elen < self.ll - col - ld1 && w + elen + ld1 <= self.m
        }
    }

    /// The guard for writing an improper tail after `|` on the line.
    fn fits_improper(self, e: &If, col: i64, ld1: i64, w: i64) -> bool {
        e.atm() && e.len + 1 < self.ll - col - ld1 && e.len + 1 + w + ld1 <= self.m
    }
}

struct Pp<'a> {
    out: &'a mut String,
    r: Room,
    /// The indentation of tagged tuples' elements (-1: after the tag).
    tind: i64,
}

impl Pp<'_> {
    fn spaces(&mut self, n: i64) {
        for _ in 0..n.max(0) {
            self.out.push(' ');
        }
    }

    fn pp(&mut self, e: &If, col: i64, ind: i64, ld: i64, w: i64) {
        if self.r.fits(e, col, ld, w) {
            write(e, self.out);
            return;
        }
        match &e.kind {
            Kind::List(items) => {
                self.out.push('[');
                self.pp_list(&items.elems, &items.tail, col + 1, ind + 1, ld, '|', w + 1);
                self.out.push(']');
            }
            Kind::Tuple(true, items) => {
                self.out.push('{');
                self.pp_tag_tuple(items, col, ind, ld, w + 1);
                self.out.push('}');
            }
            Kind::Tuple(false, items) => {
                self.out.push('{');
                self.pp_list(&items.elems, &items.tail, col + 1, ind + 1, ld, ',', w + 1);
                self.out.push('}');
            }
            Kind::Map(items) => {
                self.out.push_str("#{");
                self.pp_map(items, col + 2, ind + 2, ld, w + 1);
                self.out.push('}');
            }
            Kind::Bin(b) => self.pp_binary(b, col + 2, ind + 2, ld, w),
            // Associations are laid out by pp_pair.
            Kind::Text(_) | Kind::Pair(..) => write(e, self.out),
        }
    }

    /// A tagged tuple: the other elements are indented past the tag, or by
    /// `tind` when the tag is long.
    fn pp_tag_tuple(&mut self, items: &Items, col: i64, ind: i64, ld: i64, w: i64) {
        let Some((tag, rest)) = items.elems.split_first() else {
            self.out.push_str("...");
            return;
        };
        let tlen = tag.len;
        let tag_ind = tlen + 2;
        let tcol = col + tag_ind;
        write(tag, self.out);
        if self.tind > 0 && tag_ind > self.tind {
            let col1 = col + self.tind;
            let indent = ind + self.tind;
            self.pp_tail(rest, &items.tail, col1, tcol, indent, ld, ',', w + tlen);
        } else {
            self.out.push(',');
            self.pp_list(rest, &items.tail, tcol, ind + tag_ind, ld, ',', w + tlen + 1);
        }
    }

    fn pp_map(&mut self, items: &Items, col: i64, ind: i64, ld: i64, w: i64) {
        let Some((p, ps)) = items.elems.split_first() else {
            if let Tail::Dots = items.tail {
                self.out.push_str("...");
            }
            return;
        };
        let more = !ps.is_empty();
        let pw = self.pp_pair(p, col, ind, last_depth(more, ld), w);
        self.pp_pairs_tail(ps, &items.tail, col, col + pw, ind, ld, pw);
    }

    #[allow(clippy::too_many_arguments)]
    fn pp_pairs_tail(&mut self, ps: &[If], tail: &Tail, col0: i64, col: i64, ind: i64, ld: i64, w: i64) {
        let (mut col, mut w) = (col, w);
        for (i, p) in ps.iter().enumerate() {
            let ld1 = last_depth(i + 1 < ps.len(), ld);
            let elen = 1 + p.len;
            if self.r.fits_tail(p.atm_pair(), elen, col, ld1, w) {
                self.out.push(',');
                write(p, self.out);
                col += elen;
                w += elen;
            } else {
                self.out.push_str(",\n");
                self.spaces(ind);
                let pw = self.pp_pair(p, col0, ind, ld1, 0);
                col = col0 + pw;
                w = pw;
            }
        }
        if let Tail::Dots = tail {
            self.out.push_str(",...");
        }
    }

    /// Returns the width used on the last line (`ll` forces a new line).
    fn pp_pair(&mut self, p: &If, col: i64, ind: i64, ld: i64, w: i64) -> i64 {
        if self.r.fits(p, col, ld, w) {
            write(p, self.out);
            return if p.atm_pair() { p.len } else { self.r.ll };
        }
        if let Kind::Pair(k, v) = &p.kind {
            let i = if self.tind > 0 { self.tind } else { 4 };
            self.pp(k, col, ind, ld, w);
            self.out.push_str(" =>\n");
            self.spaces(ind + i);
            self.pp(v, col + i, ind + i, ld, 0);
        }
        self.r.ll
    }

    #[allow(clippy::too_many_arguments)]
    fn pp_list(&mut self, es: &[If], tail: &Tail, col0: i64, ind: i64, ld: i64, sep: char, w: i64) {
        let Some((e, rest)) = es.split_first() else {
            if let Tail::Dots = tail {
                self.out.push_str("...");
            }
            return;
        };
        let we = self.pp_element(e, col0, ind, last_depth(!rest.is_empty(), ld), w);
        self.pp_tail(rest, tail, col0, col0 + we, ind, ld, sep, w + we);
    }

    #[allow(clippy::too_many_arguments)]
    fn pp_tail(&mut self, es: &[If], tail: &Tail, col0: i64, col: i64, ind: i64, ld: i64, sep: char, w: i64) {
        let (mut col, mut w) = (col, w);
        for (i, e) in es.iter().enumerate() {
            let ld1 = last_depth(i + 1 < es.len(), ld);
            let elen = 1 + e.len;
            if self.r.fits_tail(e.atm(), elen, col, ld1, w) {
                self.out.push(',');
                write(e, self.out);
                col += elen;
                w += elen;
            } else {
                self.out.push_str(",\n");
                self.spaces(ind);
                let we = self.pp_element(e, col0, ind, ld1, 0);
                col = col0 + we;
                w = we;
            }
        }
        match tail {
            Tail::Nil => {}
            Tail::Dots => {
                self.out.push(sep);
                self.out.push_str("...");
            }
            Tail::Term(e) => {
                self.out.push(sep);
                let ld1 = ld + 1;
                if self.r.fits_improper(e, col, ld1, w) {
                    write(e, self.out);
                } else {
                    self.out.push('\n');
                    self.spaces(ind);
                    self.pp(e, col0, ind, ld1, 0);
                }
            }
        }
    }

    fn pp_element(&mut self, e: &If, col: i64, ind: i64, ld: i64, w: i64) -> i64 {
        if e.atm() && self.r.fits(e, col, ld, w) {
            write(e, self.out);
            e.len
        } else {
            self.pp(e, col, ind, ld, w);
            self.r.ll
        }
    }

    /// A binary's bytes, filling lines of at least 8 characters.
    fn pp_binary(&mut self, b: &BinText, col: i64, ind: i64, ld: i64, w: i64) {
        let n0 = 8.max((self.r.ll - col).min(self.r.m - 4 - w) - ld);
        let mut n = n0;
        self.out.push_str("<<");
        for s in &b.items {
            let len = s.len() as i64 + 1;
            if n - len < 0 {
                self.out.push('\n');
                self.spaces(ind);
                n = n0 - len;
            } else {
                n -= len;
            }
            self.out.push_str(s);
            self.out.push(',');
        }
        let last_len = match &b.last {
            BinLast::Text(s) => s.len(),
            BinLast::Bits(x, l) => x.len() + 1 + l.len(),
        } as i64;
        if last_len > n {
            self.out.push('\n');
            self.spaces(ind);
        }
        match &b.last {
            BinLast::Text(s) => self.out.push_str(s),
            BinLast::Bits(x, l) => {
                self.out.push_str(x);
                self.out.push(':');
                self.out.push_str(l);
            }
        }
        self.out.push_str(">>");
    }
}

// ---------------------------------------------------------------------
// Choosing the indentation of tagged tuples: cind.

/// cind throws `no_good` when the indentation exceeds half the line.
struct NoGood;

type Fit<T> = Result<T, NoGood>;

struct Cind {
    r: Room,
    ind: i64,
}

impl Cind {
    fn cind(&self, e: &If, col: i64, ld: i64, w: i64) -> Fit<()> {
        if self.r.fits(e, col, ld, w) {
            return Ok(());
        }
        match &e.kind {
            Kind::List(items) | Kind::Tuple(false, items) => {
                self.cind_list(&items.elems, &items.tail, col + 1, ld, w + 1)
            }
            Kind::Tuple(true, items) => self.cind_tag_tuple(items, col, ld, w + 1),
            Kind::Map(items) => self.cind_map(items, col + 2, ld, w + 2),
            Kind::Bin(_) | Kind::Text(_) | Kind::Pair(..) => Ok(()),
        }
    }

    fn cind_tag_tuple(&self, items: &Items, col: i64, ld: i64, w: i64) -> Fit<()> {
        let Some((tag, rest)) = items.elems.split_first() else {
            return Ok(());
        };
        let tlen = tag.len;
        let tag_ind = tlen + 2;
        let tcol = col + tag_ind;
        if self.ind > 0 && tag_ind > self.ind {
            let col1 = col + self.ind;
            if self.r.m + col1 <= self.r.ll || col1 <= self.r.ll / 2 {
                self.cind_tail(rest, &items.tail, col1, tcol, ld, w + tlen)
            } else {
                Err(NoGood)
            }
        } else if self.r.m + tcol < self.r.ll || tcol < self.r.ll / 2 {
            self.cind_list(rest, &items.tail, tcol, ld, w + tlen + 1)
        } else {
            Err(NoGood)
        }
    }

    fn cind_map(&self, items: &Items, col: i64, ld: i64, w: i64) -> Fit<()> {
        let Some((p, ps)) = items.elems.split_first() else {
            return Ok(());
        };
        let pw = self.cind_pair(p, col, last_depth(!ps.is_empty(), ld), w)?;
        self.cind_pairs_tail(ps, col, col + pw, ld, w + pw)
    }

    fn cind_pairs_tail(&self, ps: &[If], col0: i64, col: i64, ld: i64, w: i64) -> Fit<()> {
        let (mut col, mut w) = (col, w);
        for (i, p) in ps.iter().enumerate() {
            let ld1 = last_depth(i + 1 < ps.len(), ld);
            let elen = 1 + p.len;
            if self.r.fits_tail(p.atm_pair(), elen, col, ld1, w) {
                col += elen;
                w += elen;
            } else {
                let pw = self.cind_pair(p, col0, ld1, 0)?;
                col = col0 + pw;
                w = pw;
            }
        }
        Ok(())
    }

    fn cind_pair(&self, p: &If, col: i64, ld: i64, w: i64) -> Fit<i64> {
        if self.r.fits(p, col, ld, w) {
            return Ok(if p.atm_pair() { p.len } else { self.r.ll });
        }
        if let Kind::Pair(k, v) = &p.kind {
            self.cind(k, col, ld, w)?;
            let i = if self.ind > 0 { self.ind } else { 4 };
            self.cind(v, col + i, ld, 0)?;
        }
        Ok(self.r.ll)
    }

    fn cind_list(&self, es: &[If], tail: &Tail, col0: i64, ld: i64, w: i64) -> Fit<()> {
        let Some((e, rest)) = es.split_first() else {
            return Ok(());
        };
        let we = self.cind_element(e, col0, last_depth(!rest.is_empty(), ld), w)?;
        self.cind_tail(rest, tail, col0, col0 + we, ld, w + we)
    }

    fn cind_tail(&self, es: &[If], tail: &Tail, col0: i64, col: i64, ld: i64, w: i64) -> Fit<()> {
        let (mut col, mut w) = (col, w);
        for (i, e) in es.iter().enumerate() {
            let ld1 = last_depth(i + 1 < es.len(), ld);
            let elen = 1 + e.len;
            if self.r.fits_tail(e.atm(), elen, col, ld1, w) {
                col += elen;
                w += elen;
            } else {
                let we = self.cind_element(e, col0, ld1, 0)?;
                col = col0 + we;
                w = we;
            }
        }
        match tail {
            Tail::Nil | Tail::Dots => Ok(()),
            Tail::Term(e) => {
                let ld1 = ld + 1;
                if self.r.fits_improper(e, col, ld1, w) {
                    Ok(())
                } else {
                    // io_lib_pretty measures an improper tail from Col here,
                    // where pp_tail prints it at Col0.
                    self.cind(e, col, ld1, 0)
                }
            }
        }
    }

    fn cind_element(&self, e: &If, col: i64, ld: i64, w: i64) -> Fit<i64> {
        if e.atm() && self.r.fits(e, col, ld, w) {
            Ok(e.len)
        } else {
            self.cind(e, col, ld, w)?;
            Ok(self.r.ll)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heap::Heap;

    fn ints(h: &mut Heap, r: std::ops::RangeInclusive<i64>) -> Term {
        let v: Vec<Term> = r.map(Term::small).collect();
        h.list(&v)
    }

    fn p(t: Term, ll: usize, col: usize) -> String {
        print(t, ll, col, usize::MAX, true, false)
    }

    // Expected texts are what OTP 25's io_lib:format prints.

    #[test]
    fn lists_fill_lines() {
        let mut h = Heap::new(1024);
        let l = ints(&mut h, 1..=12);
        assert_eq!(p(l, 10, 1), "[1,2,3,\n 4,5,6,\n 7,8,9,\n 10,11,\n 12]");
        assert_eq!(p(l, 80, 1), "[1,2,3,4,5,6,7,8,9,10,11,12]");
        assert_eq!(p(l, 0, 70), "[1,2,3,4,5,6,7,8,9,10,11,12]");
        let l = ints(&mut h, 1..=30);
        assert_eq!(
            p(l, 80, 6),
            "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,\n      28,29,30]"
        );
    }

    #[test]
    fn tagged_tuples_indent_past_the_tag_or_by_four() {
        let mut h = Heap::new(1024);
        let l = ints(&mut h, 1..=30);
        let t = h.tuple(&[atom::atom("tag"), l]);
        assert_eq!(
            p(t, 30, 1),
            "{tag,[1,2,3,4,5,6,7,8,9,10,\n      11,12,13,14,15,16,17,\n      18,19,20,21,22,23,24,\n      25,26,27,28,29,30]}"
        );
        let t = h.tuple(&[atom::atom("a_much_longer_tag_name_for_this_tuple"), l]);
        assert_eq!(
            p(t, 30, 1),
            "{a_much_longer_tag_name_for_this_tuple,\n    [1,2,3,4,5,6,7,8,9,10,\n     11,12,13,14,15,16,17,\n     18,19,20,21,22,23,24,\n     25,26,27,28,29,30]}"
        );
    }

    #[test]
    fn map_values_go_below_long_keys() {
        let mut h = Heap::new(1024);
        let k = ints(&mut h, 1..=30);
        let v = ints(&mut h, 31..=60);
        let m = map::from_pairs(&mut h, &[(k, v)]);
        assert_eq!(
            p(m, 80, 1),
            "#{[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,\n   29,30] =>\n      [31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,\n       54,55,56,57,58,59,60]}"
        );
    }

    #[test]
    fn binaries_fill_lines_of_at_least_eight() {
        let mut h = Heap::new(1024);
        let bytes: Vec<u8> = (1..=30).map(|i: u32| ((i * 37) % 256) as u8).collect();
        let b = binary::binary(&mut h, &bytes);
        assert_eq!(
            p(b, 10, 1),
            "<<37,74,\n  111,148,\n  185,222,\n  3,40,77,\n  114,151,\n  188,225,\n  6,43,80,\n  117,154,\n  191,228,\n  9,46,83,\n  120,157,\n  194,231,\n  12,49,86>>"
        );
        let s = binary::binary(&mut h, b"abcdefghijklmnopqrstuvwxyz0123456789");
        let d = |d| print(s, 80, 1, d, true, false);
        assert_eq!(d(1), "<<...>>");
        assert_eq!(d(2), "<<\"abcd\"...>>");
        assert_eq!(d(9), "<<\"abcdefghijklmnopqrstuvwxyz012345\"...>>");
        assert_eq!(d(10), "<<\"abcdefghijklmnopqrstuvwxyz0123456789\">>");
        assert_eq!(print(s, 80, 1, 3, false, false), "<<97,98,...>>");
    }

    #[test]
    fn utf8_binaries_under_t() {
        let mut h = Heap::new(1024);
        let b = binary::binary(&mut h, "café crème".as_bytes());
        assert_eq!(print(b, 80, 1, usize::MAX, true, true), "<<\"café crème\"/utf8>>");
        assert_eq!(print(b, 80, 1, 2, true, true), "<<\"café\"/utf8...>>");
        assert_eq!(print(b, 80, 1, usize::MAX, true, false), "<<\"cafÃ© crÃ¨me\">>");
        // Characters outside io:printable_range() leave the bytes.
        let b = binary::binary(&mut h, "€€".as_bytes());
        assert_eq!(
            print(b, 80, 1, usize::MAX, true, true),
            "<<226,130,172,226,130,172>>"
        );
    }

    #[test]
    fn depth_cuts_with_dots() {
        let mut h = Heap::new(1024);
        let l = ints(&mut h, 1..=5);
        let d = |t, d| print(t, 80, 1, d, true, false);
        assert_eq!(d(l, 0), "...");
        assert_eq!(d(l, 1), "[...]");
        assert_eq!(d(l, 3), "[1,2|...]");
        let s = h.string("abc");
        assert_eq!(d(s, 1), "[...]");
        assert_eq!(d(s, 2), "\"abc\"");
        let imp = h.list_with_tail(&[atom::atom("a")], atom::atom("b"));
        assert_eq!(d(imp, 2), "[a|...]");
        assert_eq!(d(imp, 3), "[a|b]");
        let m = map::from_pairs(&mut h, &[(atom::atom("a"), Term::small(1)), (atom::atom("b"), l)]);
        assert_eq!(d(m, 1), "#{...}");
        assert_eq!(d(m, 2), "#{a => 1,...}");
        assert_eq!(d(m, 3), "#{a => 1,b => [1|...]}");
    }

    #[test]
    fn atoms_escape_above_255_unless_t() {
        let mut h = Heap::new(64);
        let a = atom::atom("\u{3e8}a");
        assert_eq!(print(a, 80, 1, usize::MAX, true, false), "'\\x{3E8}a'");
        assert_eq!(print(a, 80, 1, usize::MAX, true, true), "'\u{3e8}a'");
        let l = h.list(&[a, a, a, a, a, a, a, a, a]);
        // The escapes count in the line length.
        assert_eq!(
            print(l, 80, 1, usize::MAX, true, false),
            "['\\x{3E8}a','\\x{3E8}a','\\x{3E8}a','\\x{3E8}a','\\x{3E8}a','\\x{3E8}a','\\x{3E8}a',\n '\\x{3E8}a','\\x{3E8}a']"
        );
    }

    #[test]
    fn printable_unicode_range() {
        // As erl +pc unicode prints: ~tp takes Unicode lists and binaries
        // as text, ~p still only latin1.
        let mut h = Heap::new(64);
        let l = h.list(&[Term::small(1000), Term::small(1001)]);
        let b = binary::binary(&mut h, "\u{3e8}a".as_bytes());
        let o = |unicode| Opts {
            strings: true,
            unicode,
            printable_unicode: true,
            max_chars: None,
        };
        assert_eq!(print_term(l, 1, 80, -1, &o(true)), "\"\u{3e8}\u{3e9}\"");
        assert_eq!(print_term(l, 1, 80, -1, &o(false)), "[1000,1001]");
        assert_eq!(print_term(b, 1, 80, -1, &o(true)), "<<\"\u{3e8}a\"/utf8>>");
    }

    #[test]
    fn deep_terms_do_not_overflow_the_stack() {
        let mut h = Heap::new(1024);
        let mut t = atom::atom("x");
        let n = 200_000;
        for _ in 0..n {
            t = h.list(&[t]);
        }
        let s = p(t, 80, 1);
        assert!(s == "[".repeat(n) + "x" + &"]".repeat(n));
        assert_eq!(print(t, 80, 1, 3, true, false), "[[[...]]]");
    }

    #[test]
    fn utf8_decoding_matches_bit_syntax() {
        assert_eq!(utf8_char(b"a"), Some(('a', 1)));
        assert_eq!(utf8_char("é".as_bytes()), Some(('é', 2)));
        assert_eq!(utf8_char(&[0xC0, 0x80]), None); // overlong
        assert_eq!(utf8_char(&[0xED, 0xA0, 0x80]), None); // surrogate
        assert_eq!(utf8_char(&[0xF4, 0x90, 0x80, 0x80]), None); // > 0x10FFFF
        assert_eq!(utf8_char(&[0xE2, 0x82]), None); // truncated
    }
}
