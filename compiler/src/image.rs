//! Compiled modules as bytes: a whole `bytecode::Module` written to a flat
//! little-endian format and read back, and an *image* of many modules with
//! an index, so that the standard library is compiled when Beryl is built
//! and loading one of its modules at run time is a decode, not a compile.
//!
//! Module: magic `BRYM`, then name, file, code (count + `Instr::encode`),
//! literals, imports, exports, functions, lambdas, tables, lines and
//! attributes, each a count followed by its items. Image: magic `BRYI`,
//! the module count, `(name, offset, length)` per module sorted by name,
//! then the modules. Decoding checks every length against the input, so a
//! corrupt image is an error, never a panic.

use crate::bytecode::{
    BinFlags, BinMatchSpec, BinSegment, BinType, DecodeError, Dst, FunctionInfo, Instr, Lambda, Literal,
    Module, Reader, Src, Table,
};
use crate::token::IntLit;
use num_bigint::BigInt;
use std::sync::Arc;

const MODULE_MAGIC: &[u8; 4] = b"BRYM";
const IMAGE_MAGIC: &[u8; 4] = b"BRYI";

// ------------------------------------------------------------ writing

struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).expect("fewer than 2^32 items"));
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn bytes(&mut self, b: &[u8]) {
        self.len(b.len());
        self.0.extend_from_slice(b);
    }
    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    fn src(&mut self, s: Src) {
        self.u64(s.0);
    }
    fn opt_src(&mut self, s: Option<Src>) {
        match s {
            Some(s) => {
                self.u8(1);
                self.src(s);
            }
            None => self.u8(0),
        }
    }
    fn bin_type(&mut self, t: BinType) {
        self.u8(match t {
            BinType::Integer => 0,
            BinType::Float => 1,
            BinType::Binary => 2,
            BinType::Utf8 => 3,
            BinType::Utf16 => 4,
            BinType::Utf32 => 5,
        });
    }
    fn flags(&mut self, f: BinFlags) {
        self.u8(f.signed as u8 | (f.little as u8) << 1 | (f.native as u8) << 2);
    }

    fn literal(&mut self, l: &Literal) {
        match l {
            Literal::Integer(IntLit::Small(i)) => {
                self.u8(0);
                self.u64(*i as u64);
            }
            Literal::Integer(IntLit::Big(b)) => {
                self.u8(1);
                self.bytes(&b.to_signed_bytes_le());
            }
            Literal::Float(f) => {
                self.u8(2);
                self.u64(f.to_bits());
            }
            Literal::Atom(a) => {
                self.u8(3);
                self.str(a);
            }
            Literal::Nil => self.u8(4),
            Literal::Cons(..) => {
                // The spine flat, so long lists do not recurse.
                let mut items = Vec::new();
                let mut cur = l;
                while let Literal::Cons(h, t) = cur {
                    items.push(&**h);
                    cur = t;
                }
                self.u8(5);
                self.len(items.len());
                for i in items {
                    self.literal(i);
                }
                self.literal(cur);
            }
            Literal::Tuple(es) => {
                self.u8(6);
                self.len(es.len());
                es.iter().for_each(|e| self.literal(e));
            }
            Literal::Binary(b) => {
                self.u8(7);
                self.bytes(b);
            }
            Literal::Bitstring(b, bits) => {
                self.u8(8);
                self.bytes(b);
                self.u64(*bits);
            }
            Literal::Map(pairs) => {
                self.u8(9);
                self.len(pairs.len());
                for (k, v) in pairs {
                    self.literal(k);
                    self.literal(v);
                }
            }
        }
    }

    fn table(&mut self, t: &Table) {
        match t {
            Table::Srcs(v) => {
                self.u8(0);
                self.len(v.len());
                v.iter().for_each(|s| self.src(*s));
            }
            Table::Jumps(v) => {
                self.u8(1);
                self.len(v.len());
                for (s, l) in v {
                    self.src(*s);
                    self.u32(*l as u32);
                }
            }
            Table::Pairs(v) => {
                self.u8(2);
                self.len(v.len());
                for (a, b) in v {
                    self.src(*a);
                    self.src(*b);
                }
            }
            Table::Gets(v) => {
                self.u8(3);
                self.len(v.len());
                for (s, d) in v {
                    self.src(*s);
                    self.u32(d.0);
                }
            }
            Table::Segments(v) => {
                self.u8(4);
                self.len(v.len());
                for s in v {
                    self.bin_type(s.ty);
                    self.src(s.value);
                    self.opt_src(s.size);
                    self.u32(s.unit);
                    self.flags(s.flags);
                }
            }
            Table::Match(m) => {
                self.u8(5);
                self.bin_type(m.ty);
                self.opt_src(m.size);
                self.u32(m.unit);
                self.flags(m.flags);
            }
        }
    }
}

/// A module as bytes.
pub fn encode_module(m: &Module) -> Vec<u8> {
    let mut w = Writer(Vec::new());
    w.0.extend_from_slice(MODULE_MAGIC);
    w.str(&m.name);
    w.str(&m.file);
    w.len(m.code.len());
    for i in &m.code {
        i.encode(&mut w.0);
    }
    w.len(m.literals.len());
    m.literals.iter().for_each(|l| w.literal(l));
    w.len(m.imports.len());
    for (md, f, a) in &m.imports {
        w.str(md);
        w.str(f);
        w.u32(*a);
    }
    w.len(m.exports.len());
    for (f, a) in &m.exports {
        w.str(f);
        w.u32(*a);
    }
    w.len(m.functions.len());
    for f in &m.functions {
        w.str(&f.name);
        w.u32(f.arity);
        w.u32(f.info);
        w.u32(f.entry);
    }
    w.len(m.lambdas.len());
    for l in &m.lambdas {
        for v in [l.function, l.arity, l.free, l.index, l.uniq] {
            w.u32(v);
        }
    }
    w.len(m.tables.len());
    m.tables.iter().for_each(|t| w.table(t));
    w.len(m.lines.len());
    for (i, l) in &m.lines {
        w.u32(*i);
        w.u32(*l);
    }
    w.len(m.attributes.len());
    for (k, v) in &m.attributes {
        w.str(k);
        w.literal(v);
    }
    w.0
}

// ------------------------------------------------------------ reading

fn bad(what: &str) -> DecodeError {
    DecodeError(what.to_string())
}

/// A count of items, each at least one byte: never more than what is left.
fn count(r: &mut Reader<'_>) -> Result<usize, DecodeError> {
    let n = r.u32()? as usize;
    if n > r.remaining() {
        return Err(bad("count beyond the input"));
    }
    Ok(n)
}

fn string(r: &mut Reader<'_>) -> Result<String, DecodeError> {
    String::from_utf8(r.bytes()?.to_vec()).map_err(|_| bad("name not UTF-8"))
}

fn bin_type(r: &mut Reader<'_>) -> Result<BinType, DecodeError> {
    Ok(match r.u8()? {
        0 => BinType::Integer,
        1 => BinType::Float,
        2 => BinType::Binary,
        3 => BinType::Utf8,
        4 => BinType::Utf16,
        5 => BinType::Utf32,
        _ => return Err(bad("segment type")),
    })
}

fn flags(r: &mut Reader<'_>) -> Result<BinFlags, DecodeError> {
    let f = r.u8()?;
    Ok(BinFlags {
        signed: f & 1 != 0,
        little: f & 2 != 0,
        native: f & 4 != 0,
    })
}

fn opt_src(r: &mut Reader<'_>) -> Result<Option<Src>, DecodeError> {
    Ok(match r.u8()? {
        0 => None,
        1 => Some(Src(r.u64()?)),
        _ => return Err(bad("optional operand")),
    })
}

/// Literals nest (tuples in tuples); a bound on the depth keeps a corrupt
/// input from exhausting the stack.
const MAX_DEPTH: u32 = 10_000;

fn literal(r: &mut Reader<'_>, depth: u32) -> Result<Literal, DecodeError> {
    if depth > MAX_DEPTH {
        return Err(bad("literal nested too deep"));
    }
    Ok(match r.u8()? {
        0 => Literal::Integer(IntLit::Small(r.u64()? as i64)),
        1 => Literal::Integer(IntLit::Big(Arc::new(BigInt::from_signed_bytes_le(r.bytes()?)))),
        2 => Literal::Float(f64::from_bits(r.u64()?)),
        3 => Literal::Atom(string(r)?),
        4 => Literal::Nil,
        5 => {
            let n = count(r)?;
            let items = (0..n)
                .map(|_| literal(r, depth + 1))
                .collect::<Result<Vec<_>, _>>()?;
            let tail = literal(r, depth + 1)?;
            items
                .into_iter()
                .rev()
                .fold(tail, |t, h| Literal::Cons(Box::new(h), Box::new(t)))
        }
        6 => {
            let n = count(r)?;
            Literal::Tuple((0..n).map(|_| literal(r, depth + 1)).collect::<Result<_, _>>()?)
        }
        7 => Literal::Binary(r.bytes()?.to_vec()),
        8 => {
            let b = r.bytes()?.to_vec();
            Literal::Bitstring(b, r.u64()?)
        }
        9 => {
            let n = count(r)?;
            let mut pairs = Vec::with_capacity(n);
            for _ in 0..n {
                let k = literal(r, depth + 1)?;
                pairs.push((k, literal(r, depth + 1)?));
            }
            Literal::Map(pairs)
        }
        _ => return Err(bad("literal tag")),
    })
}

fn table(r: &mut Reader<'_>) -> Result<Table, DecodeError> {
    Ok(match r.u8()? {
        0 => {
            let n = count(r)?;
            Table::Srcs((0..n).map(|_| r.u64().map(Src)).collect::<Result<_, _>>()?)
        }
        1 => {
            let n = count(r)?;
            let mut v = Vec::with_capacity(n);
            for _ in 0..n {
                let s = Src(r.u64()?);
                v.push((s, r.i32()?));
            }
            Table::Jumps(v)
        }
        2 => {
            let n = count(r)?;
            let mut v = Vec::with_capacity(n);
            for _ in 0..n {
                let a = Src(r.u64()?);
                v.push((a, Src(r.u64()?)));
            }
            Table::Pairs(v)
        }
        3 => {
            let n = count(r)?;
            let mut v = Vec::with_capacity(n);
            for _ in 0..n {
                let s = Src(r.u64()?);
                v.push((s, Dst(r.u32()?)));
            }
            Table::Gets(v)
        }
        4 => {
            let n = count(r)?;
            let mut v = Vec::with_capacity(n);
            for _ in 0..n {
                v.push(BinSegment {
                    ty: bin_type(r)?,
                    value: Src(r.u64()?),
                    size: opt_src(r)?,
                    unit: r.u32()?,
                    flags: flags(r)?,
                });
            }
            Table::Segments(v)
        }
        5 => Table::Match(BinMatchSpec {
            ty: bin_type(r)?,
            size: opt_src(r)?,
            unit: r.u32()?,
            flags: flags(r)?,
        }),
        _ => return Err(bad("table tag")),
    })
}

/// A module back from `encode_module`'s bytes.
pub fn decode_module(bytes: &[u8]) -> Result<Module, DecodeError> {
    let mut r = Reader::new(bytes);
    if r.take_bytes(4)? != MODULE_MAGIC {
        return Err(bad("not a compiled module"));
    }
    let name = string(&mut r)?;
    let file = string(&mut r)?;
    let n = count(&mut r)?;
    let code = (0..n).map(|_| Instr::decode(&mut r)).collect::<Result<_, _>>()?;
    let n = count(&mut r)?;
    let literals = (0..n).map(|_| literal(&mut r, 0)).collect::<Result<_, _>>()?;
    let n = count(&mut r)?;
    let mut imports = Vec::with_capacity(n);
    for _ in 0..n {
        imports.push((string(&mut r)?, string(&mut r)?, r.u32()?));
    }
    let n = count(&mut r)?;
    let mut exports = Vec::with_capacity(n);
    for _ in 0..n {
        exports.push((string(&mut r)?, r.u32()?));
    }
    let n = count(&mut r)?;
    let mut functions = Vec::with_capacity(n);
    for _ in 0..n {
        functions.push(FunctionInfo {
            name: string(&mut r)?,
            arity: r.u32()?,
            info: r.u32()?,
            entry: r.u32()?,
        });
    }
    let n = count(&mut r)?;
    let mut lambdas = Vec::with_capacity(n);
    for _ in 0..n {
        lambdas.push(Lambda {
            function: r.u32()?,
            arity: r.u32()?,
            free: r.u32()?,
            index: r.u32()?,
            uniq: r.u32()?,
        });
    }
    let n = count(&mut r)?;
    let tables = (0..n).map(|_| table(&mut r)).collect::<Result<_, _>>()?;
    let n = count(&mut r)?;
    let mut lines = Vec::with_capacity(n);
    for _ in 0..n {
        lines.push((r.u32()?, r.u32()?));
    }
    let n = count(&mut r)?;
    let mut attributes = Vec::with_capacity(n);
    for _ in 0..n {
        attributes.push((string(&mut r)?, literal(&mut r, 0)?));
    }
    if !r.is_empty() {
        return Err(bad("trailing bytes"));
    }
    Ok(Module {
        name,
        file,
        code,
        literals,
        imports,
        exports,
        functions,
        lambdas,
        tables,
        lines,
        attributes,
    })
}

/// An image of several encoded modules, indexed by name.
pub fn encode_image(modules: &[Module]) -> Vec<u8> {
    let mut blobs: Vec<(&str, Vec<u8>)> = modules
        .iter()
        .map(|m| (m.name.as_str(), encode_module(m)))
        .collect();
    blobs.sort_by(|a, b| a.0.cmp(b.0));
    let mut w = Writer(Vec::new());
    w.0.extend_from_slice(IMAGE_MAGIC);
    w.len(blobs.len());
    let mut offset = 0usize;
    for (name, blob) in &blobs {
        w.str(name);
        w.len(offset);
        w.len(blob.len());
        offset += blob.len();
    }
    for (_, blob) in &blobs {
        w.0.extend_from_slice(blob);
    }
    w.0
}

/// The modules an image holds, and where each one's bytes are.
pub struct Image<'a> {
    index: Vec<(&'a str, &'a [u8])>,
}

impl<'a> Image<'a> {
    pub fn open(bytes: &'a [u8]) -> Result<Image<'a>, DecodeError> {
        let mut r = Reader::new(bytes);
        if r.take_bytes(4)? != IMAGE_MAGIC {
            return Err(bad("not a module image"));
        }
        let n = count(&mut r)?;
        let mut entries = Vec::with_capacity(n);
        for _ in 0..n {
            let name = std::str::from_utf8(r.bytes()?).map_err(|_| bad("name not UTF-8"))?;
            entries.push((name, r.u32()? as usize, r.u32()? as usize));
        }
        let data = r.take_bytes(r.remaining())?;
        let mut index = Vec::with_capacity(n);
        for (name, offset, len) in entries {
            let end = offset
                .checked_add(len)
                .filter(|&e| e <= data.len())
                .ok_or_else(|| bad("module out of range"))?;
            index.push((name, &data[offset..end]));
        }
        index.sort_by(|a, b| a.0.cmp(b.0));
        Ok(Image { index })
    }

    /// Names of the modules, sorted.
    pub fn names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.index.iter().map(|e| e.0)
    }

    /// Decode module `name`, if the image has it.
    pub fn module(&self, name: &str) -> Option<Result<Module, DecodeError>> {
        let i = self.index.binary_search_by(|e| e.0.cmp(name)).ok()?;
        Some(decode_module(self.index[i].1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pp::{Options, Resolver};
    use crate::source::{SourceFile, SourceMap};

    struct NoFiles;
    impl Resolver for NoFiles {
        fn read(&self, _: &std::path::Path) -> Option<Vec<u8>> {
            None
        }
    }

    fn compile(text: &str) -> Module {
        let mut sources = SourceMap::new();
        let main = sources.add(SourceFile::new("m.erl", text.to_string()));
        crate::compile(&mut sources, main, &NoFiles, &Options::default())
            .expect("compiles")
            .0
    }

    const SOURCE: &str = r#"-module(m).
-export([f/1, g/0]).
-vsn(1).
f(X) when is_integer(X) -> {X + 1, <<X:16/little, "ab">>, #{a => [1.5, "str" | tail]}};
f(<<H:8, T/binary>>) -> {H, T};
f(L) -> [Y * 2 || Y <- L].
g() -> {123456789012345678901234567890, -98765432109876543210, fun(Z) -> Z end, 'quoted atom', [x, y]}.
"#;

    #[test]
    fn modules_round_trip() {
        let m = compile(SOURCE);
        let bytes = encode_module(&m);
        assert_eq!(decode_module(&bytes).expect("decodes"), m);
    }

    #[test]
    fn images_index_their_modules() {
        let a = compile(SOURCE);
        let b = compile("-module(b).\n-export([h/0]).\nh() -> ok.\n");
        let bytes = encode_image(&[a.clone(), b.clone()]);
        let image = Image::open(&bytes).expect("opens");
        assert_eq!(image.names().collect::<Vec<_>>(), vec!["b", "m"]);
        assert_eq!(image.module("m").unwrap().unwrap(), a);
        assert_eq!(image.module("b").unwrap().unwrap(), b);
        assert!(image.module("nope").is_none());
    }

    #[test]
    fn corrupt_input_is_an_error_not_a_panic() {
        let bytes = encode_module(&compile(SOURCE));
        for cut in 0..bytes.len() {
            assert!(decode_module(&bytes[..cut]).is_err());
        }
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..2000 {
            let mut b = bytes.clone();
            for _ in 0..4 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let i = (state % b.len() as u64) as usize;
                b[i] = (state >> 32) as u8;
            }
            let _ = decode_module(&b);
        }
        assert!(Image::open(b"BRYI\xff\xff\xff\xff").is_err());
    }
}
