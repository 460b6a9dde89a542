//! Print forms in OTP's abstract format (as `io_lib:format("~w", [Form])`
//! prints what `epp:parse_file/2` returns), with every annotation `0`.
//!
//! This exists to check the parser against OTP itself: the corpus test
//! prints each form of every file both ways and compares the text, so any
//! difference in structure, precedence or literal values shows up.

use crate::ast::*;
use crate::pretty::{float_literal, quote_atom};
use crate::token::IntLit;
use std::fmt::Write;

/// OTP's predefined types (erl_internal:is_type/2).
pub fn is_builtin_type(name: &str, arity: usize) -> bool {
    matches!(
        (name, arity),
        (
            "any"
                | "arity"
                | "atom"
                | "binary"
                | "bitstring"
                | "bool"
                | "boolean"
                | "byte"
                | "char"
                | "float"
                | "function"
                | "identifier"
                | "integer"
                | "iodata"
                | "iolist"
                | "list"
                | "map"
                | "maybe_improper_list"
                | "mfa"
                | "module"
                | "neg_integer"
                | "nil"
                | "no_return"
                | "node"
                | "non_neg_integer"
                | "none"
                | "nonempty_binary"
                | "nonempty_bitstring"
                | "nonempty_list"
                | "nonempty_maybe_improper_list"
                | "nonempty_string"
                | "number"
                | "pid"
                | "port"
                | "pos_integer"
                | "reference"
                | "string"
                | "term"
                | "timeout"
                | "tuple",
            0
        ) | ("list" | "nonempty_list", 1)
            | (
                "maybe_improper_list" | "nonempty_improper_list" | "nonempty_maybe_improper_list",
                2
            )
    )
}

/// A form as `~w` prints it, or `None` for `-file` attributes (which epp
/// adds and interprets itself, so they are not compared).
pub fn form(f: &Form) -> Option<String> {
    let mut o = String::new();
    match f {
        Form::Module(_, m) => write!(o, "{{attribute,0,module,{}}}", atom(m)),
        Form::Export(_, fs) => write!(o, "{{attribute,0,export,{}}}", fa_list(fs)),
        Form::Import(_, m, fs) => write!(o, "{{attribute,0,import,{{{},{}}}}}", atom(m), fa_list(fs)),
        Form::Record(_, name, fields) => {
            let fs: Vec<String> = fields.iter().map(record_field_decl).collect();
            write!(o, "{{attribute,0,record,{{{},[{}]}}}}", atom(name), fs.join(","))
        }
        Form::TypeDecl {
            opaque,
            name,
            params,
            ty,
            ..
        } => {
            let ps: Vec<String> = params.iter().map(|p| format!("{{var,0,{}}}", atom(p))).collect();
            write!(
                o,
                "{{attribute,0,{},{{{},{},[{}]}}}}",
                if *opaque { "opaque" } else { "type" },
                atom(name),
                typ(ty),
                ps.join(",")
            )
        }
        Form::Spec {
            callback,
            module,
            name,
            arity,
            sigs,
            ..
        } => {
            let key = match module {
                Some(m) => format!("{{{},{},{}}}", atom(m), atom(name), arity),
                None => format!("{{{},{}}}", atom(name), arity),
            };
            let ss: Vec<String> = sigs.iter().map(fun_sig).collect();
            write!(
                o,
                "{{attribute,0,{},{{{},[{}]}}}}",
                if *callback { "callback" } else { "spec" },
                key,
                ss.join(",")
            )
        }
        Form::File(..) => return None,
        Form::Attribute(_, name, value) => write!(o, "{{attribute,0,{},{}}}", atom(name), term(value)),
        Form::Function(fun) => {
            let cs: Vec<String> = fun.clauses.iter().map(clause).collect();
            write!(
                o,
                "{{function,0,{},{},[{}]}}",
                atom(&fun.name),
                fun.arity,
                cs.join(",")
            )
        }
    }
    .ok()?;
    Some(o)
}

fn atom(a: &str) -> String {
    quote_atom(a)
}

fn fa_list(fs: &[(crate::token::Name, u32)]) -> String {
    let items: Vec<String> = fs.iter().map(|(f, a)| format!("{{{},{}}}", atom(f), a)).collect();
    format!("[{}]", items.join(","))
}

fn record_field_decl(f: &RecordField) -> String {
    let base = match &f.default {
        None => format!("{{record_field,0,{{atom,0,{}}}}}", atom(&f.name)),
        Some(d) => format!("{{record_field,0,{{atom,0,{}}},{}}}", atom(&f.name), expr(d)),
    };
    match &f.ty {
        None => base,
        Some(t) => format!("{{typed_record_field,{},{}}}", base, typ(t)),
    }
}

fn string_codes(s: &str) -> String {
    let codes: Vec<String> = s.chars().map(|c| (c as u32).to_string()).collect();
    format!("[{}]", codes.join(","))
}

fn list(items: impl IntoIterator<Item = String>) -> String {
    format!("[{}]", items.into_iter().collect::<Vec<_>>().join(","))
}

fn exprs(es: &[Expr]) -> String {
    list(es.iter().map(expr))
}

fn guards(gs: &[Vec<Expr>]) -> String {
    list(gs.iter().map(|g| exprs(g)))
}

fn clause(c: &Clause) -> String {
    format!(
        "{{clause,0,{},{},{}}}",
        exprs(&c.patterns),
        guards(&c.guards),
        exprs(&c.body)
    )
}

fn catch_clause(c: &CatchClause) -> String {
    let class = c
        .class
        .as_ref()
        .map(expr)
        .unwrap_or_else(|| "{atom,0,throw}".to_string());
    let stack = c
        .stacktrace
        .as_ref()
        .map(expr)
        .unwrap_or_else(|| "{var,0,'_'}".to_string());
    format!(
        "{{clause,0,[{{tuple,0,[{},{},{}]}}],{},{}}}",
        class,
        expr(&c.reason),
        stack,
        guards(&c.guards),
        exprs(&c.body)
    )
}

fn int(i: &IntLit) -> String {
    i.to_string()
}

fn field_name(n: &str) -> String {
    if n == "_" {
        "{var,0,'_'}".to_string()
    } else {
        format!("{{atom,0,{}}}", atom(n))
    }
}

fn record_inits(fs: &[RecordFieldInit]) -> String {
    list(
        fs.iter()
            .map(|f| format!("{{record_field,0,{},{}}}", field_name(&f.name), expr(&f.value))),
    )
}

fn map_fields(fs: &[MapField]) -> String {
    list(fs.iter().map(|f| {
        format!(
            "{{{},0,{},{}}}",
            if f.exact {
                "map_field_exact"
            } else {
                "map_field_assoc"
            },
            expr(&f.key),
            expr(&f.value)
        )
    }))
}

fn qualifiers(qs: &[Qualifier]) -> String {
    list(qs.iter().map(|q| match q {
        Qualifier::Generator(p, e) => format!("{{generate,0,{},{}}}", expr(p), expr(e)),
        Qualifier::BitGenerator(p, e) => format!("{{b_generate,0,{},{}}}", expr(p), expr(e)),
        Qualifier::Filter(e) => expr(e),
    }))
}

fn bin_elements(els: &[BinElement]) -> String {
    list(els.iter().map(|el| {
        let size = el
            .size
            .as_ref()
            .map(expr)
            .unwrap_or_else(|| "default".to_string());
        let types = match &el.types {
            None => "default".to_string(),
            Some(ts) => list(ts.iter().map(|t| match &t.value {
                None => atom(&t.name),
                Some(v) => format!("{{{},{}}}", atom(&t.name), int(v)),
            })),
        };
        format!("{{bin_element,0,{},{},{}}}", expr(&el.value), size, types)
    }))
}

pub fn expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Var(v) => format!("{{var,0,{}}}", atom(v)),
        ExprKind::Atom(a) => format!("{{atom,0,{}}}", atom(a)),
        ExprKind::Integer(i) => format!("{{integer,0,{}}}", int(i)),
        ExprKind::Float(f) => format!("{{float,0,{}}}", float_literal(*f)),
        ExprKind::Char(c) => format!("{{char,0,{}}}", *c as u32),
        ExprKind::String(s) => format!("{{string,0,{}}}", string_codes(s)),
        ExprKind::Nil => "{nil,0}".to_string(),
        ExprKind::Cons(h, t) => format!("{{cons,0,{},{}}}", expr(h), expr(t)),
        ExprKind::Tuple(es) => format!("{{tuple,0,{}}}", exprs(es)),
        ExprKind::Binary(els) => format!("{{bin,0,{}}}", bin_elements(els)),
        ExprKind::Unary(op, x) => format!("{{op,0,{},{}}}", atom(op.name()), expr(x)),
        ExprKind::Binary2(op, a, b) => format!("{{op,0,{},{},{}}}", atom(op.name()), expr(a), expr(b)),
        ExprKind::Match(p, x) => format!("{{match,0,{},{}}}", expr(p), expr(x)),
        ExprKind::Send(a, b) => format!("{{op,0,'!',{},{}}}", expr(a), expr(b)),
        ExprKind::Remote(m, f) => format!("{{remote,0,{},{}}}", expr(m), expr(f)),
        ExprKind::Call(f, args) => format!("{{call,0,{},{}}}", expr(f), exprs(args)),
        ExprKind::ListComp(x, qs) => format!("{{lc,0,{},{}}}", expr(x), qualifiers(qs)),
        ExprKind::BinComp(x, qs) => format!("{{bc,0,{},{}}}", expr(x), qualifiers(qs)),
        ExprKind::Block(es) => format!("{{block,0,{}}}", exprs(es)),
        ExprKind::If(cs) => format!("{{'if',0,{}}}", list(cs.iter().map(clause))),
        ExprKind::Case(x, cs) => format!("{{'case',0,{},{}}}", expr(x), list(cs.iter().map(clause))),
        ExprKind::Receive { clauses, after } => match after {
            None => format!("{{'receive',0,{}}}", list(clauses.iter().map(clause))),
            Some((t, body)) => format!(
                "{{'receive',0,{},{},{}}}",
                list(clauses.iter().map(clause)),
                expr(t),
                exprs(body)
            ),
        },
        ExprKind::Try {
            body,
            of_clauses,
            catch_clauses,
            after,
        } => format!(
            "{{'try',0,{},{},{},{}}}",
            exprs(body),
            list(of_clauses.iter().map(clause)),
            list(catch_clauses.iter().map(catch_clause)),
            exprs(after)
        ),
        ExprKind::Catch(x) => format!("{{'catch',0,{}}}", expr(x)),
        ExprKind::FunRef(FunRef::Local { name, arity }) => {
            format!("{{'fun',0,{{function,{},{}}}}}", atom(name), arity)
        }
        ExprKind::FunRef(FunRef::Remote {
            module,
            function,
            arity,
        }) => format!(
            "{{'fun',0,{{function,{},{},{}}}}}",
            expr(module),
            expr(function),
            expr(arity)
        ),
        ExprKind::Fun(cs) => format!("{{'fun',0,{{clauses,{}}}}}", list(cs.iter().map(clause))),
        ExprKind::NamedFun(n, cs) => format!("{{named_fun,0,{},{}}}", atom(n), list(cs.iter().map(clause))),
        ExprKind::MapNew(fs) => format!("{{map,0,{}}}", map_fields(fs)),
        ExprKind::MapUpdate(m, fs) => format!("{{map,0,{},{}}}", expr(m), map_fields(fs)),
        ExprKind::RecordNew(n, fs) => format!("{{record,0,{},{}}}", atom(n), record_inits(fs)),
        ExprKind::RecordUpdate(x, n, fs) => {
            format!("{{record,0,{},{},{}}}", expr(x), atom(n), record_inits(fs))
        }
        ExprKind::RecordField(x, n, f) => format!(
            "{{record_field,0,{},{},{{atom,0,{}}}}}",
            expr(x),
            atom(n),
            atom(f)
        ),
        ExprKind::RecordIndex(n, f) => format!("{{record_index,0,{},{{atom,0,{}}}}}", atom(n), atom(f)),
        ExprKind::Maybe(es, None) => format!("{{maybe,0,{}}}", exprs(es)),
        ExprKind::Maybe(es, Some(cs)) => format!(
            "{{maybe,0,{},{{else,0,{}}}}}",
            exprs(es),
            list(cs.iter().map(clause))
        ),
        ExprKind::MaybeMatch(p, x) => format!("{{maybe_match,0,{},{}}}", expr(p), expr(x)),
    }
}

/// A literal term, normalised as erl_parse:normalise/1 does, printed as `~w`.
pub fn term(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Atom(a) => atom(a),
        ExprKind::Integer(i) => int(i),
        ExprKind::Char(c) => (*c as u32).to_string(),
        ExprKind::Float(f) => float_literal(*f),
        ExprKind::String(s) => string_codes(s),
        ExprKind::Nil => "[]".to_string(),
        ExprKind::Unary(UnOp::Minus, x) => match &x.kind {
            ExprKind::Float(f) => float_literal(-f),
            ExprKind::Integer(IntLit::Small(i)) => (-(*i as i128)).to_string(),
            ExprKind::Integer(IntLit::Big(b)) => (-(**b).clone()).to_string(),
            ExprKind::Char(c) => (-(*c as i64)).to_string(),
            _ => "?".to_string(),
        },
        ExprKind::Unary(UnOp::Plus, x) => term(x),
        ExprKind::Tuple(es) => format!("{{{}}}", es.iter().map(term).collect::<Vec<_>>().join(",")),
        ExprKind::Cons(..) => {
            let mut parts = Vec::new();
            let mut cur = e;
            loop {
                match &cur.kind {
                    ExprKind::Cons(h, t) => {
                        parts.push(term(h));
                        cur = t;
                    }
                    // A string tail contributes its characters.
                    ExprKind::String(s) => {
                        parts.extend(s.chars().map(|c| (c as u32).to_string()));
                        return format!("[{}]", parts.join(","));
                    }
                    ExprKind::Nil => return format!("[{}]", parts.join(",")),
                    _ => return format!("[{}|{}]", parts.join(","), term(cur)),
                }
            }
        }
        ExprKind::MapNew(fs) => {
            let mut pairs: Vec<(String, String)> =
                fs.iter().map(|f| (term(&f.key), term(&f.value))).collect();
            pairs.sort();
            let items: Vec<String> = pairs.iter().map(|(k, v)| format!("{k} => {v}")).collect();
            format!("#{{{}}}", items.join(","))
        }
        ExprKind::Binary(els) => {
            let mut bytes = Vec::new();
            for el in els {
                match &el.value.kind {
                    ExprKind::String(s) if el.size.is_none() => {
                        bytes.extend(s.chars().map(|c| (c as u32 & 0xff).to_string()))
                    }
                    ExprKind::Integer(IntLit::Small(i)) if el.size.is_none() => {
                        bytes.push((i & 0xff).to_string())
                    }
                    ExprKind::Char(c) if el.size.is_none() => bytes.push((*c as u32 & 0xff).to_string()),
                    _ => return "<<?>>".to_string(),
                }
            }
            format!("<<{}>>", bytes.join(","))
        }
        _ => "?".to_string(),
    }
}

fn op_type(op: &str, args: String) -> String {
    format!("{{op,0,{},{}}}", atom(op), args)
}

fn types(ts: &[Type]) -> String {
    list(ts.iter().map(typ))
}

fn fun_sig(s: &FunSig) -> String {
    let f = fun_type(s);
    if s.constraints.is_empty() {
        f
    } else {
        let cs = list(s.constraints.iter().map(|(v, t)| {
            format!(
                "{{type,0,constraint,[{{atom,0,is_subtype}},[{{var,0,{}}},{}]]}}",
                atom(v),
                typ(t)
            )
        }));
        format!("{{type,0,bounded_fun,[{},{}]}}", f, cs)
    }
}

fn fun_type(s: &FunSig) -> String {
    match &s.args {
        None => format!("{{type,0,'fun',[{{type,0,any}},{}]}}", typ(&s.result)),
        Some(args) => format!(
            "{{type,0,'fun',[{{type,0,product,{}}},{}]}}",
            types(args),
            typ(&s.result)
        ),
    }
}

pub fn typ(t: &Type) -> String {
    match &t.kind {
        TypeKind::Var(v) => format!("{{var,0,{}}}", atom(v)),
        TypeKind::Atom(a) => format!("{{atom,0,{}}}", atom(a)),
        TypeKind::Integer(i) => format!("{{integer,0,{}}}", int(i)),
        TypeKind::Char(c) => format!("{{char,0,{}}}", *c as u32),
        TypeKind::Annotated(v, x) => format!("{{ann_type,0,[{{var,0,{}}},{}]}}", atom(v), typ(x)),
        TypeKind::Union(ts) => format!("{{type,0,union,{}}}", types(ts)),
        TypeKind::Range(a, b) => format!("{{type,0,range,[{},{}]}}", typ(a), typ(b)),
        TypeKind::BinOp(op, a, b) => op_type(op.name(), format!("{},{}", typ(a), typ(b))),
        TypeKind::UnOp(op, x) => op_type(op.name(), typ(x)),
        TypeKind::Call(n, args) => {
            let tag = if is_builtin_type(n, args.len()) {
                "type"
            } else {
                "user_type"
            };
            format!("{{{},0,{},{}}}", tag, atom(n), types(args))
        }
        TypeKind::Remote(m, n, args) => format!(
            "{{remote_type,0,[{{atom,0,{}}},{{atom,0,{}}},{}]}}",
            atom(m),
            atom(n),
            types(args)
        ),
        TypeKind::Nil => "{type,0,nil,[]}".to_string(),
        TypeKind::List(x) => format!("{{type,0,list,[{}]}}", typ(x)),
        TypeKind::NonEmptyList(x) => format!("{{type,0,nonempty_list,[{}]}}", typ(x)),
        TypeKind::AnyMap => "{type,0,map,any}".to_string(),
        TypeKind::Map(ps) => format!(
            "{{type,0,map,{}}}",
            list(ps.iter().map(|p| format!(
                "{{type,0,{},[{},{}]}}",
                if p.exact {
                    "map_field_exact"
                } else {
                    "map_field_assoc"
                },
                typ(&p.key),
                typ(&p.value)
            )))
        ),
        TypeKind::AnyTuple => "{type,0,tuple,any}".to_string(),
        TypeKind::Tuple(ts) => format!("{{type,0,tuple,{}}}", types(ts)),
        TypeKind::Record(n, fs) => {
            let mut items = vec![format!("{{atom,0,{}}}", atom(n))];
            items.extend(
                fs.iter()
                    .map(|(f, t)| format!("{{type,0,field_type,[{{atom,0,{}}},{}]}}", atom(f), typ(t))),
            );
            format!("{{type,0,record,{}}}", list(items))
        }
        TypeKind::Binary(b, u) => format!("{{type,0,binary,[{},{}]}}", typ(b), typ(u)),
        TypeKind::AnyFun => "{type,0,'fun',[]}".to_string(),
        TypeKind::FunAnyArgs(r) => format!("{{type,0,'fun',[{{type,0,any}},{}]}}", typ(r)),
        TypeKind::Fun(args, r) => format!("{{type,0,'fun',[{{type,0,product,{}}},{}]}}", types(args), typ(r)),
    }
}
