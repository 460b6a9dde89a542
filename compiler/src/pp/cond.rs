//! Evaluation of `-if(Expr).` and `-elif(Expr).` conditions, as epp does it:
//! `defined(M)` is answered from the macro table, the expression must be a
//! guard expression, and any failure while evaluating counts as false.

use crate::ast::{BinOp, Expr, ExprKind, UnOp};
use crate::bifs;
use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive, Zero};
use std::cmp::Ordering;

/// Why a condition is badly formed (epp reports "badly formed 'if'").
pub struct BadIf;

/// A constant value. Only what guard expressions over literals can make.
#[derive(Clone, Debug)]
enum Value {
    Int(BigInt),
    Float(f64),
    Atom(String),
    Tuple(Vec<Value>),
    /// A proper or improper list: elements and tail.
    List(Vec<Value>, Box<Value>),
    Nil,
}

impl Value {
    fn bool(b: bool) -> Value {
        Value::Atom(if b { "true" } else { "false" }.to_string())
    }

    fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Atom(a) if a == "true" => Some(true),
            Value::Atom(a) if a == "false" => Some(false),
            _ => None,
        }
    }

    /// Erlang's term order: number < atom < tuple < nil < list.
    fn rank(&self) -> u8 {
        match self {
            Value::Int(_) | Value::Float(_) => 0,
            Value::Atom(_) => 1,
            Value::Tuple(_) => 2,
            Value::Nil => 3,
            Value::List(..) => 4,
        }
    }
}

fn num_cmp(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y),
        (Value::Int(x), Value::Float(y)) => x.to_f64()?.partial_cmp(y),
        (Value::Float(x), Value::Int(y)) => x.partial_cmp(&y.to_f64()?),
        _ => None,
    }
}

fn compare(a: &Value, b: &Value, exact: bool) -> Ordering {
    if let Some(o) = num_cmp(a, b) {
        if !(exact
            && o == Ordering::Equal
            && matches!(
                (a, b),
                (Value::Int(_), Value::Float(_)) | (Value::Float(_), Value::Int(_))
            ))
        {
            return o;
        }
        // Exact comparison of equal int and float: ints sort first.
        return if matches!(a, Value::Int(_)) {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    match a.rank().cmp(&b.rank()) {
        Ordering::Equal => {}
        o => return o,
    }
    match (a, b) {
        (Value::Atom(x), Value::Atom(y)) => x.cmp(y),
        (Value::Tuple(x), Value::Tuple(y)) => x.len().cmp(&y.len()).then_with(|| {
            x.iter()
                .zip(y)
                .map(|(p, q)| compare(p, q, exact))
                .find(|o| *o != Ordering::Equal)
                .unwrap_or(Ordering::Equal)
        }),
        (Value::List(xs, xt), Value::List(ys, yt)) => {
            for (p, q) in xs.iter().zip(ys) {
                let o = compare(p, q, exact);
                if o != Ordering::Equal {
                    return o;
                }
            }
            match xs.len().cmp(&ys.len()) {
                Ordering::Equal => compare(xt, yt, exact),
                Ordering::Less => compare(
                    &Value::List(vec![], xt.clone()),
                    &Value::List(ys[xs.len()..].to_vec(), yt.clone()),
                    exact,
                ),
                Ordering::Greater => compare(
                    &Value::List(xs[ys.len()..].to_vec(), xt.clone()),
                    &Value::List(vec![], yt.clone()),
                    exact,
                ),
            }
        }
        _ => Ordering::Equal,
    }
}

/// Normalise a list whose element vector is empty to its tail.
fn list(elems: Vec<Value>, tail: Value) -> Value {
    if elems.is_empty() {
        tail
    } else {
        match tail {
            Value::List(mut more, t) => {
                let mut all = elems;
                all.append(&mut more);
                Value::List(all, t)
            }
            t => Value::List(elems, Box::new(t)),
        }
    }
}

/// Rewrite calls as epp does before the guard check: a call to a guard BIF,
/// an `-if` built-in or an unknown local function is replaced by the list of
/// its arguments (so that only the arguments are checked); a call to an
/// auto-imported non-guard BIF makes the condition badly formed.
fn check_guard(e: &Expr) -> Result<(), BadIf> {
    match &e.kind {
        ExprKind::Var(_)
        | ExprKind::Atom(_)
        | ExprKind::Integer(_)
        | ExprKind::Float(_)
        | ExprKind::Char(_)
        | ExprKind::String(_)
        | ExprKind::Nil
        | ExprKind::RecordIndex(..) => Ok(()),
        ExprKind::Cons(h, t) => {
            check_guard(h)?;
            check_guard(t)
        }
        ExprKind::Tuple(es) => es.iter().try_for_each(check_guard),
        ExprKind::Unary(_, x) => check_guard(x),
        ExprKind::Binary2(_, a, b) => {
            check_guard(a)?;
            check_guard(b)
        }
        ExprKind::MapNew(fs) => fs.iter().try_for_each(|f| {
            check_guard(&f.key)?;
            check_guard(&f.value)
        }),
        ExprKind::MapUpdate(m, fs) => {
            check_guard(m)?;
            fs.iter().try_for_each(|f| {
                check_guard(&f.key)?;
                check_guard(&f.value)
            })
        }
        ExprKind::RecordNew(_, fs) => fs.iter().try_for_each(|f| check_guard(&f.value)),
        ExprKind::RecordField(x, _, _) => check_guard(x),
        ExprKind::Binary(elems) => elems.iter().try_for_each(|el| {
            check_guard(&el.value)?;
            el.size.as_ref().map(check_guard).unwrap_or(Ok(()))
        }),
        ExprKind::Call(f, args) => {
            let arity = args.len() as u32;
            match &f.kind {
                ExprKind::Atom(name) => {
                    if bifs::is_auto_imported(name, arity) && !bifs::is_guard_bif(name, arity) {
                        return Err(BadIf);
                    }
                    args.iter().try_for_each(check_guard)
                }
                ExprKind::Remote(m, n) => match (&m.kind, &n.kind) {
                    (ExprKind::Atom(m), ExprKind::Atom(n))
                        if &**m == "erlang" && (bifs::is_guard_bif(n, arity) || is_operator(n, arity)) =>
                    {
                        args.iter().try_for_each(check_guard)
                    }
                    _ => Err(BadIf),
                },
                _ => Err(BadIf),
            }
        }
        _ => Err(BadIf),
    }
}

fn is_operator(name: &str, arity: u32) -> bool {
    matches!(
        (name, arity),
        ("+" | "-" | "bnot" | "not", 1)
            | (
                "+" | "-"
                    | "*"
                    | "/"
                    | "div"
                    | "rem"
                    | "band"
                    | "bor"
                    | "bxor"
                    | "bsl"
                    | "bsr"
                    | "and"
                    | "or"
                    | "xor"
                    | "=="
                    | "/="
                    | "=<"
                    | "<"
                    | ">="
                    | ">"
                    | "=:="
                    | "=/=",
                2
            )
    )
}

/// Evaluate a condition. `defined` answers `defined(Name)`. Returns whether
/// the condition holds, or `BadIf` when it is not a guard expression.
pub fn eval_if(exprs: &[Expr], defined: &dyn Fn(&str) -> bool) -> Result<bool, BadIf> {
    let [e] = exprs else { return Err(BadIf) };
    let e = rewrite_defined(e, defined)?;
    check_guard(&e)?;
    Ok(matches!(eval(&e), Some(v) if v.as_bool() == Some(true)))
}

fn rewrite_defined(e: &Expr, defined: &dyn Fn(&str) -> bool) -> Result<Expr, BadIf> {
    if let ExprKind::Call(f, args) = &e.kind {
        if let (ExprKind::Atom(name), [arg]) = (&f.kind, args.as_slice()) {
            if &**name == "defined" {
                let n = match &arg.kind {
                    ExprKind::Var(n) | ExprKind::Atom(n) => n,
                    _ => return Err(BadIf),
                };
                let v = if defined(n) { "true" } else { "false" };
                return Ok(Expr::new(e.span, ExprKind::Atom(v.into())));
            }
        }
    }
    let r = |x: &Expr| rewrite_defined(x, defined).map(Box::new);
    let kind = match &e.kind {
        ExprKind::Cons(h, t) => ExprKind::Cons(r(h)?, r(t)?),
        ExprKind::Tuple(es) => ExprKind::Tuple(
            es.iter()
                .map(|x| rewrite_defined(x, defined))
                .collect::<Result<_, _>>()?,
        ),
        ExprKind::Unary(op, x) => ExprKind::Unary(*op, r(x)?),
        ExprKind::Binary2(op, a, b) => ExprKind::Binary2(*op, r(a)?, r(b)?),
        ExprKind::Call(f, args) => ExprKind::Call(
            f.clone(),
            args.iter()
                .map(|x| rewrite_defined(x, defined))
                .collect::<Result<_, _>>()?,
        ),
        k => k.clone(),
    };
    Ok(Expr::new(e.span, kind))
}

fn int(i: &crate::token::IntLit) -> BigInt {
    i.to_big()
}

fn eval(e: &Expr) -> Option<Value> {
    Some(match &e.kind {
        ExprKind::Atom(a) => Value::Atom(a.to_string()),
        ExprKind::Integer(i) => Value::Int(int(i)),
        ExprKind::Char(c) => Value::Int(BigInt::from(*c as u32)),
        ExprKind::Float(f) => Value::Float(*f),
        ExprKind::String(s) => list(
            s.chars().map(|c| Value::Int(BigInt::from(c as u32))).collect(),
            Value::Nil,
        ),
        ExprKind::Nil => Value::Nil,
        ExprKind::Cons(h, t) => list(vec![eval(h)?], eval(t)?),
        ExprKind::Tuple(es) => Value::Tuple(es.iter().map(eval).collect::<Option<_>>()?),
        ExprKind::Unary(op, x) => unary(*op, eval(x)?)?,
        ExprKind::Binary2(BinOp::Andalso, a, b) => match eval(a)?.as_bool()? {
            false => Value::bool(false),
            true => eval(b)?,
        },
        ExprKind::Binary2(BinOp::Orelse, a, b) => match eval(a)?.as_bool()? {
            true => Value::bool(true),
            false => eval(b)?,
        },
        ExprKind::Binary2(op, a, b) => binary(*op, eval(a)?, eval(b)?)?,
        ExprKind::Call(f, args) => {
            let args: Vec<Value> = args.iter().map(eval).collect::<Option<_>>()?;
            let name = match &f.kind {
                ExprKind::Atom(n) => n.to_string(),
                ExprKind::Remote(_, n) => match &n.kind {
                    ExprKind::Atom(n) => n.to_string(),
                    _ => return None,
                },
                _ => return None,
            };
            call(&name, &args)?
        }
        _ => return None,
    })
}

fn unary(op: UnOp, v: Value) -> Option<Value> {
    Some(match (op, v) {
        (UnOp::Plus, v @ (Value::Int(_) | Value::Float(_))) => v,
        (UnOp::Minus, Value::Int(i)) => Value::Int(-i),
        (UnOp::Minus, Value::Float(f)) => Value::Float(-f),
        (UnOp::Bnot, Value::Int(i)) => Value::Int(-i - 1),
        (UnOp::Not, v) => Value::bool(!v.as_bool()?),
        _ => return None,
    })
}

fn to_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => i.to_f64(),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

fn binary(op: BinOp, a: Value, b: Value) -> Option<Value> {
    use BinOp::*;
    Some(match op {
        Eq => Value::bool(compare(&a, &b, false) == Ordering::Equal),
        Ne => Value::bool(compare(&a, &b, false) != Ordering::Equal),
        ExactEq => Value::bool(compare(&a, &b, true) == Ordering::Equal),
        ExactNe => Value::bool(compare(&a, &b, true) != Ordering::Equal),
        Lt => Value::bool(compare(&a, &b, false) == Ordering::Less),
        Le => Value::bool(compare(&a, &b, false) != Ordering::Greater),
        Gt => Value::bool(compare(&a, &b, false) == Ordering::Greater),
        Ge => Value::bool(compare(&a, &b, false) != Ordering::Less),
        And => Value::bool(a.as_bool()? & b.as_bool()?),
        Or => Value::bool(a.as_bool()? | b.as_bool()?),
        Xor => Value::bool(a.as_bool()? ^ b.as_bool()?),
        Add | Sub | Mul => match (&a, &b) {
            (Value::Int(x), Value::Int(y)) => Value::Int(match op {
                Add => x + y,
                Sub => x - y,
                _ => x * y,
            }),
            _ => {
                let (x, y) = (to_f64(&a)?, to_f64(&b)?);
                let r = match op {
                    Add => x + y,
                    Sub => x - y,
                    _ => x * y,
                };
                if !r.is_finite() {
                    return None;
                }
                Value::Float(r)
            }
        },
        Div => {
            let (x, y) = (to_f64(&a)?, to_f64(&b)?);
            if y == 0.0 {
                return None;
            }
            Value::Float(x / y)
        }
        IntDiv | Rem | Band | Bor | Bxor | Bsl | Bsr => {
            let (Value::Int(x), Value::Int(y)) = (a, b) else {
                return None;
            };
            match op {
                IntDiv if !y.is_zero() => Value::Int(&x / &y),
                Rem if !y.is_zero() => Value::Int(&x % &y),
                Band => Value::Int(x & y),
                Bor => Value::Int(x | y),
                Bxor => Value::Int(x ^ y),
                Bsl | Bsr => {
                    let n = y.to_i64()?;
                    let n = if op == Bsr { -n } else { n };
                    if n > 1 << 20 {
                        return None;
                    }
                    if n >= 0 {
                        Value::Int(x << n as usize)
                    } else {
                        Value::Int(x >> (-n) as usize)
                    }
                }
                _ => return None,
            }
        }
        Append | Subtract | Andalso | Orelse => return None,
    })
}

fn call(name: &str, args: &[Value]) -> Option<Value> {
    Some(match (name, args) {
        ("is_atom", [v]) => Value::bool(matches!(v, Value::Atom(_))),
        ("is_integer", [v]) => Value::bool(matches!(v, Value::Int(_))),
        ("is_float", [v]) => Value::bool(matches!(v, Value::Float(_))),
        ("is_number", [v]) => Value::bool(matches!(v, Value::Int(_) | Value::Float(_))),
        ("is_tuple", [v]) => Value::bool(matches!(v, Value::Tuple(_))),
        ("is_list", [v]) => Value::bool(matches!(v, Value::List(..) | Value::Nil)),
        ("is_boolean", [v]) => Value::bool(v.as_bool().is_some()),
        (
            "is_binary" | "is_bitstring" | "is_map" | "is_pid" | "is_port" | "is_reference" | "is_function",
            [_],
        ) => Value::bool(false),
        ("abs", [Value::Int(i)]) => Value::Int(i.abs()),
        ("abs", [Value::Float(f)]) => Value::Float(f.abs()),
        ("element", [Value::Int(n), Value::Tuple(es)]) => es.get(n.to_usize()?.checked_sub(1)?)?.clone(),
        ("tuple_size" | "size", [Value::Tuple(es)]) => Value::Int(BigInt::from(es.len())),
        ("length", [Value::Nil]) => Value::Int(BigInt::zero()),
        ("length", [Value::List(es, t)]) if matches!(**t, Value::Nil) => Value::Int(BigInt::from(es.len())),
        ("hd", [Value::List(es, _)]) => es[0].clone(),
        ("tl", [Value::List(es, t)]) => list(es[1..].to_vec(), (**t).clone()),
        ("float", [v]) => Value::Float(to_f64(v)?),
        ("trunc", [Value::Float(f)]) => Value::Int(BigInt::from(f.trunc() as i64)),
        ("trunc" | "round" | "floor" | "ceil", [Value::Int(i)]) => Value::Int(i.clone()),
        ("round", [Value::Float(f)]) => Value::Int(BigInt::from(f.round() as i64)),
        ("floor", [Value::Float(f)]) => Value::Int(BigInt::from(f.floor() as i64)),
        ("ceil", [Value::Float(f)]) => Value::Int(BigInt::from(f.ceil() as i64)),
        _ => return None,
    })
}
