//! `beryl disasm FILE.erl`: print a module's bytecode.

use crate::loader;
use compiler::bytecode::{Instr, Literal, Table};
use std::path::Path;
use std::process::ExitCode;

pub fn disasm(file: &str) -> ExitCode {
    let m = match loader::compile_file(Path::new(file), true) {
        Ok(m) => m,
        Err(e) => {
            errln!("beryl: {e}");
            return ExitCode::from(1);
        }
    };
    outln!("module {}", m.name);
    outln!("exports {:?}", m.exports);
    let mut starts: Vec<(u32, String)> = m
        .functions
        .iter()
        .map(|f| (f.info, format!("{}/{}", f.name, f.arity)))
        .collect();
    starts.sort();
    let mut next = starts.iter().peekable();
    for (i, instr) in m.code.iter().enumerate() {
        while let Some((at, name)) = next.peek() {
            if *at as usize == i {
                outln!("\nfunction {name}:");
                next.next();
            } else {
                break;
            }
        }
        outln!("  {i:5}  {:<18} {}", instr.name(), describe(&m, instr));
    }
    if !m.literals.is_empty() {
        outln!("\nliterals:");
        for (i, l) in m.literals.iter().enumerate() {
            outln!("  lit{i} = {}", literal(l));
        }
    }
    if !m.imports.is_empty() {
        outln!("\nimports:");
        for (i, (mo, f, a)) in m.imports.iter().enumerate() {
            outln!("  {i} = {mo}:{f}/{a}");
        }
    }
    ExitCode::SUCCESS
}

fn describe(m: &compiler::bytecode::Module, instr: &Instr) -> String {
    let mut text = instr.operand_text();
    // Show side tables inline.
    let mut tables = Vec::new();
    let mut i2 = instr.clone();
    i2.operands_mut(|op| {
        if let compiler::bytecode::Operand::Ref(compiler::bytecode::RefKind::Table, r) = op {
            tables.push(r.0 as usize);
        }
    });
    for t in tables {
        if let Some(tab) = m.tables.get(t) {
            text.push_str(&format!("  {}", table(tab)));
        }
    }
    text
}

fn table(t: &Table) -> String {
    match t {
        Table::Srcs(v) => format!("{v:?}"),
        Table::Jumps(v) => format!("{v:?}"),
        Table::Pairs(v) => format!("{v:?}"),
        Table::Gets(v) => format!("{v:?}"),
        Table::Segments(v) => format!("{v:?}"),
        Table::Match(s) => format!("{s:?}"),
    }
}

fn literal(l: &Literal) -> String {
    match l {
        Literal::Integer(i) => i.to_string(),
        Literal::Float(f) => compiler::pretty::float_literal(*f),
        Literal::Atom(a) => compiler::pretty::quote_atom(a),
        Literal::Nil => "[]".into(),
        Literal::Cons(h, t) => format!("[{}|{}]", literal(h), literal(t)),
        Literal::Tuple(es) => format!("{{{}}}", es.iter().map(literal).collect::<Vec<_>>().join(",")),
        Literal::Binary(b) => format!(
            "<<{}>>",
            b.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(",")
        ),
        Literal::Bitstring(b, n) => format!("<<{b:?}:{n}>>"),
        Literal::Map(ps) => format!(
            "#{{{}}}",
            ps.iter()
                .map(|(k, v)| format!("{} => {}", literal(k), literal(v)))
                .collect::<Vec<_>>()
                .join(",")
        ),
    }
}
