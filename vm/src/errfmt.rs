//! Exceptions described for people, in the shape of OTP's erl_error
//! (`exception error: no match of right hand side value 2`, then the
//! stack trace as `in function ...` / `in call from ...` lines).

use crate::atom;
use crate::print::{print_flat, write};
use crate::process::Class;
use crate::term::Term;

/// The explanation of an error reason.
pub fn explain_error(reason: Term) -> String {
    if reason.is_atom() {
        return match atom::name(reason) {
            "badarg" => "bad argument".into(),
            "badarith" => "an error occurred when evaluating an arithmetic expression".into(),
            "function_clause" => "no function clause matching".into(),
            "if_clause" => "no true branch found when evaluating an if expression".into(),
            "undef" => "undefined function".into(),
            "system_limit" => "a system limit has been reached".into(),
            "noproc" => "no such process or port".into(),
            "timeout_value" => "bad receive timeout value".into(),
            _ => print_flat(reason),
        };
    }
    if let Some(e) = reason.as_tuple() {
        if e.len() == 2 && e[0].is_atom() {
            let v = print_flat(e[1]);
            match atom::name(e[0]) {
                "badmatch" => return format!("no match of right hand side value {v}"),
                "case_clause" => return format!("no case clause matching {v}"),
                "try_clause" => return format!("no try clause matching {v}"),
                "badfun" => return format!("bad function {v}"),
                "badkey" => return format!("bad key: {v}"),
                "badmap" => return format!("bad map: {v}"),
                "badrecord" => return format!("bad record {v}"),
                "bad_generator" => return format!("bad generator {v}"),
                "bad_filter" => return format!("bad filter {v}"),
                "badarity" => {
                    if let Some([f, args]) = e[1].as_tuple().map(|x| x.to_vec()).as_deref() {
                        let n = args.list_length().unwrap_or(0);
                        let arity = if f.is_fun() { crate::fun::arity(*f) } else { 0 };
                        return format!(
                            "{} of arity {arity} called with {n} argument{}",
                            print_flat(*f),
                            if n == 1 { "" } else { "s" }
                        );
                    }
                }
                _ => {}
            }
        }
    }
    print_flat(reason)
}

fn mfa(frame: Term) -> Option<(String, String)> {
    let e = frame.as_tuple()?;
    if e.len() != 4 {
        return None;
    }
    let (m, f, a, loc) = (e[0], e[1], e[2], e[3]);
    let arity = if a.is_small() {
        a.small_value().to_string()
    } else {
        a.list_length().unwrap_or(0).to_string()
    };
    let name = format!("{}:{}/{}", write(m), write(f), arity);
    let mut file = None;
    let mut line = None;
    for item in loc.iter_list() {
        if let Some([k, v]) = item.as_tuple().map(|x| x.to_vec()).as_deref() {
            if *k == atom::FILE {
                file = crate::bif::char_list(*v);
            } else if *k == atom::LINE {
                line = Some(write(*v));
            }
        }
    }
    let where_ = match (file, line) {
        (Some(f), Some(l)) => format!(" ({f}, line {l})"),
        (Some(f), None) => format!(" ({f})"),
        _ => String::new(),
    };
    Some((name, where_))
}

/// The whole report, each line prefixed as escript does (`beryl: ...`).
pub fn format_exception(prefix: &str, class: Class, reason: Term, trace: Term) -> String {
    let mut out = String::new();
    let class_name = match class {
        Class::Error => "error",
        Class::Exit => "exit",
        Class::Throw => "throw",
    };
    let explanation = match class {
        Class::Error => explain_error(reason),
        _ => print_flat(reason),
    };
    let frames: Vec<Term> = trace.iter_list().collect();
    let mut explanation = explanation;
    if class == Class::Error && reason == atom::FUNCTION_CLAUSE || reason == atom::UNDEF {
        if let Some(first) = frames.first().and_then(|f| f.as_tuple()) {
            if first.len() == 4 {
                let args: Vec<String> = first[2].iter_list().map(print_flat).collect();
                if reason == atom::UNDEF {
                    explanation = format!(
                        "undefined function {}:{}/{}",
                        write(first[0]),
                        write(first[1]),
                        first[2].list_length().unwrap_or(0)
                    );
                } else {
                    explanation = format!(
                        "no function clause matching {}:{}({})",
                        write(first[0]),
                        write(first[1]),
                        args.join(",")
                    );
                }
            }
        }
    }
    out.push_str(&format!("{prefix}: exception {class_name}: {explanation}\n"));
    let skip_first = reason == atom::UNDEF || reason == atom::FUNCTION_CLAUSE;
    for (i, f) in frames.iter().enumerate() {
        if skip_first && i == 0 {
            continue;
        }
        if let Some((name, where_)) = mfa(*f) {
            let label = if out.lines().count() == 1 {
                "in function "
            } else {
                "in call from"
            };
            out.push_str(&format!("  {label} {name}{where_}\n"));
        }
    }
    out
}
