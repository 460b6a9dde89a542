//! Exceptions, apply, references, code and fun introspection, halt.

use super::{list_arg, BifFn, Ctx};
use crate::atom;
use crate::fun;
use crate::process::{BifResult, Class, Exc, TraceKind};
use crate::term::Term;

pub fn register(t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {
    for (n, a, f) in [
        ("self", 0, self_ as BifFn),
        ("node", 0, node),
        ("node", 1, node1),
        ("make_ref", 0, make_ref),
        ("error", 1, error1),
        ("error", 2, error2),
        ("error", 3, error2),
        ("exit", 1, exit1),
        ("throw", 1, throw1),
        ("raise", 3, raise3),
        ("apply", 2, apply2),
        ("apply", 3, apply3),
        ("get_module_info", 1, get_module_info1),
        ("get_module_info", 2, get_module_info2),
        ("function_exported", 3, function_exported),
        ("module_loaded", 1, module_loaded),
        ("fun_info", 1, fun_info1),
        ("fun_info", 2, fun_info2),
        ("make_fun", 3, make_fun),
        ("halt", 0, halt0),
        ("halt", 1, halt1),
        ("halt", 2, halt1),
        ("garbage_collect", 0, garbage_collect),
    ] {
        t.push(("erlang", n, a, f));
    }
}

fn self_(c: &mut Ctx, _: &[Term]) -> BifResult {
    Ok(c.proc.pid())
}

fn node(_: &mut Ctx, _: &[Term]) -> BifResult {
    Ok(atom::NONODE)
}

fn node1(_: &mut Ctx, a: &[Term]) -> BifResult {
    if a[0].is_pid() || a[0].is_port() || a[0].is_reference() {
        Ok(atom::NONODE)
    } else {
        Err(Exc::badarg())
    }
}

fn make_ref(c: &mut Ctx, _: &[Term]) -> BifResult {
    let n = c.vm.new_ref();
    let id = c.proc.id;
    Ok(c.proc.fresh_ref(n, id))
}

fn error1(_: &mut Ctx, a: &[Term]) -> BifResult {
    Err(Exc::raise(Class::Error, a[0]))
}

fn error2(_: &mut Ctx, a: &[Term]) -> BifResult {
    if !a[1].is_list() && a[1] != atom::atom("none") {
        return Err(Exc::badarg());
    }
    Err(Exc::Raise {
        class: Class::Error,
        reason: a[0],
        trace: TraceKind::Args(a[1]),
    })
}

fn exit1(_: &mut Ctx, a: &[Term]) -> BifResult {
    Err(Exc::raise(Class::Exit, a[0]))
}

fn throw1(_: &mut Ctx, a: &[Term]) -> BifResult {
    Err(Exc::raise(Class::Throw, a[0]))
}

fn raise3(_: &mut Ctx, a: &[Term]) -> BifResult {
    let Some(class) = Class::from_atom(a[0]) else {
        return Ok(atom::BADARG);
    };
    if a[2].list_length().is_none() {
        return Ok(atom::BADARG);
    }
    Err(Exc::Raise {
        class,
        reason: a[1],
        trace: TraceKind::Given(a[2]),
    })
}

fn apply2(_: &mut Ctx, a: &[Term]) -> BifResult {
    let args = list_arg(a[1])?;
    Err(Exc::ApplyFun { fun: a[0], args })
}

fn apply3(_: &mut Ctx, a: &[Term]) -> BifResult {
    let args = list_arg(a[2])?;
    Err(Exc::Apply {
        module: a[0],
        function: a[1],
        args,
    })
}

fn module_info_item(c: &mut Ctx, m: Term, key: Term) -> BifResult {
    let md = c.vm.code.module(m).ok_or_else(Exc::badarg)?;
    let fa = |c: &mut Ctx, items: &[(Term, u32)]| -> Term {
        let ts: Vec<Term> = items
            .iter()
            .map(|(f, a)| c.proc.heap.tuple(&[*f, Term::small(*a as i64)]))
            .collect();
        c.proc.heap.list(&ts)
    };
    match key {
        atom::MODULE => Ok(m),
        atom::EXPORTS => Ok(fa(c, &md.exports)),
        atom::FUNCTIONS => {
            let fs: Vec<(Term, u32)> = md
                .functions
                .iter()
                .filter(|f| !atom::name(f.0).starts_with('-'))
                .map(|f| (f.0, f.1))
                .collect();
            Ok(fa(c, &fs))
        }
        atom::ATTRIBUTES => Ok(md.attributes),
        atom::COMPILE => Ok(Term::NIL),
        atom::MD5 => Ok(crate::binary::binary(&mut c.proc.heap, &[0u8; 16])),
        _ => Err(Exc::badarg()),
    }
}

fn get_module_info1(c: &mut Ctx, a: &[Term]) -> BifResult {
    let mut items = Vec::new();
    for k in [
        atom::MODULE,
        atom::EXPORTS,
        atom::ATTRIBUTES,
        atom::COMPILE,
        atom::MD5,
    ] {
        let v = module_info_item(c, a[0], k)?;
        items.push(c.proc.heap.tuple(&[k, v]));
    }
    Ok(c.proc.heap.list(&items))
}

fn get_module_info2(c: &mut Ctx, a: &[Term]) -> BifResult {
    module_info_item(c, a[0], a[1])
}

fn function_exported(c: &mut Ctx, a: &[Term]) -> BifResult {
    if !(a[0].is_atom() && a[1].is_atom() && a[2].is_small()) {
        return Err(Exc::badarg());
    }
    let found =
        c.vm.code
            .find_export(a[0], a[1], a[2].small_value() as u32)
            .is_some_and(crate::code::CodeServer::is_defined);
    Ok(Term::boolean(found))
}

fn module_loaded(c: &mut Ctx, a: &[Term]) -> BifResult {
    if !a[0].is_atom() {
        return Err(Exc::badarg());
    }
    Ok(Term::boolean(c.vm.code.module(a[0]).is_some()))
}

fn fun_item(c: &mut Ctx, f: Term, key: Term) -> BifResult {
    if !f.is_fun() {
        return Err(Exc::badarg());
    }
    let v = if fun::is_closure(f) {
        let e = fun::entry(f);
        match key {
            atom::MODULE => e.module,
            atom::NAME => e.function,
            atom::ARITY => Term::small(e.arity as i64),
            atom::ENV => {
                let fv = fun::free_vars(f).to_vec();
                c.proc.heap.list(&fv)
            }
            atom::TYPE => atom::LOCAL,
            atom::PID => c.proc.pid(),
            atom::INDEX | atom::NEW_INDEX => Term::small(e.index as i64),
            atom::UNIQ | atom::NEW_UNIQ => Term::small(e.uniq as i64),
            _ => return Err(Exc::badarg()),
        }
    } else {
        let e = fun::export(f);
        match key {
            atom::MODULE => e.module,
            atom::NAME => e.function,
            atom::ARITY => Term::small(e.arity as i64),
            atom::ENV => Term::NIL,
            atom::TYPE => atom::EXTERNAL,
            _ => return Err(Exc::badarg()),
        }
    };
    Ok(c.proc.heap.tuple(&[key, v]))
}

fn fun_info1(c: &mut Ctx, a: &[Term]) -> BifResult {
    let keys: &[Term] = if fun::is_closure(a[0]) {
        &[
            atom::PID,
            atom::MODULE,
            atom::NEW_INDEX,
            atom::NEW_UNIQ,
            atom::INDEX,
            atom::UNIQ,
            atom::NAME,
            atom::ARITY,
            atom::ENV,
            atom::TYPE,
        ]
    } else {
        &[atom::MODULE, atom::NAME, atom::ARITY, atom::ENV, atom::TYPE]
    };
    let mut items = Vec::new();
    for k in keys {
        items.push(fun_item(c, a[0], *k)?);
    }
    Ok(c.proc.heap.list(&items))
}

fn fun_info2(c: &mut Ctx, a: &[Term]) -> BifResult {
    fun_item(c, a[0], a[1])
}

fn make_fun(c: &mut Ctx, a: &[Term]) -> BifResult {
    if !(a[0].is_atom() && a[1].is_atom() && a[2].is_small() && a[2].small_value() >= 0) {
        return Err(Exc::badarg());
    }
    let e = c.vm.code.export(a[0], a[1], a[2].small_value() as u32);
    Ok(fun::export_fun(&mut c.proc.heap, e))
}

fn stop(c: &mut Ctx, code: i32) -> ! {
    c.vm.halt(code)
}

fn halt0(c: &mut Ctx, _: &[Term]) -> BifResult {
    stop(c, 0)
}

fn halt1(c: &mut Ctx, a: &[Term]) -> BifResult {
    if a[0].is_small() && a[0].small_value() >= 0 {
        stop(c, a[0].small_value() as i32)
    }
    if a[0] == atom::atom("abort") {
        stop(c, 134)
    }
    if let Some(s) = super::char_list(a[0]) {
        eprintln!("{s}");
        stop(c, 1)
    }
    Err(Exc::badarg())
}

fn garbage_collect(c: &mut Ctx, _: &[Term]) -> BifResult {
    // BIFs cannot collect (the roots are the interpreter's): the next safe
    // point, at the caller's next call, does.
    c.proc.heap.request_gc();
    Ok(atom::TRUE)
}
