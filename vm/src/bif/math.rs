//! The `math` module: the C library's functions on floats, as OTP's BIFs
//! call them (so results agree bit for bit on the same platform).
//!
//! A non-number argument is `badarg`; an integer too large for a float, or
//! a result that is not a finite float (NaN, infinity), is `badarith`.

use super::{BifFn, Ctx};
use crate::heap::to_bigint;
use crate::process::{BifResult, Exc};
use crate::term::Term;
use num_traits::ToPrimitive;

pub fn register(t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {
    macro_rules! unary {
        ($($name:literal => $f:expr),* $(,)?) => {
            $( t.push(("math", $name, 1, |c: &mut Ctx, a: &[Term]| apply1(c, a[0], $f))); )*
        };
    }
    unary! {
        "sin" => f64::sin, "cos" => f64::cos, "tan" => f64::tan,
        "asin" => f64::asin, "acos" => f64::acos, "atan" => f64::atan,
        "sinh" => f64::sinh, "cosh" => f64::cosh, "tanh" => f64::tanh,
        "asinh" => c_asinh, "acosh" => c_acosh, "atanh" => c_atanh,
        "exp" => f64::exp, "log" => f64::ln, "log2" => f64::log2, "log10" => f64::log10,
        "sqrt" => f64::sqrt, "ceil" => f64::ceil, "floor" => f64::floor,
        "erf" => c_erf, "erfc" => c_erfc,
    }
    t.push(("math", "pi", 0, pi as BifFn));
    t.push(("math", "pow", 2, |c, a| apply2(c, a, f64::powf)));
    t.push(("math", "atan2", 2, |c, a| apply2(c, a, f64::atan2)));
    t.push(("math", "fmod", 2, |c, a| apply2(c, a, |x, y| x % y)));
}

/// A number argument as a float: badarg for a non-number, badarith for an
/// integer beyond the float range.
fn arg(t: Term) -> Result<f64, Exc> {
    if t.is_small() {
        return Ok(t.small_value() as f64);
    }
    if t.is_float() {
        return Ok(t.float_value());
    }
    let i = to_bigint(t).ok_or_else(Exc::badarg)?;
    i.to_f64().filter(|f| f.is_finite()).ok_or_else(Exc::badarith)
}

fn result(c: &mut Ctx, f: f64) -> BifResult {
    if f.is_finite() {
        Ok(c.proc.heap.float(f))
    } else {
        Err(Exc::badarith())
    }
}

fn apply1(c: &mut Ctx, x: Term, f: fn(f64) -> f64) -> BifResult {
    let x = arg(x)?;
    result(c, f(x))
}

fn apply2(c: &mut Ctx, a: &[Term], f: fn(f64, f64) -> f64) -> BifResult {
    let (x, y) = (arg(a[0])?, arg(a[1])?);
    result(c, f(x, y))
}

fn pi(c: &mut Ctx, _: &[Term]) -> BifResult {
    Ok(c.proc.heap.float(std::f64::consts::PI))
}

// Rust's own asinh/acosh/atanh use different formulas from the C
// library's and can differ in the last bit; OTP calls the C library.
extern "C" {
    fn erf(x: f64) -> f64;
    fn erfc(x: f64) -> f64;
    fn asinh(x: f64) -> f64;
    fn acosh(x: f64) -> f64;
    fn atanh(x: f64) -> f64;
}

fn c_erf(x: f64) -> f64 {
    // SAFETY: erf is a pure function of the platform's C math library
    // (which Rust's std links on every supported target); OTP calls the same.
    unsafe { erf(x) }
}

fn c_erfc(x: f64) -> f64 {
    // SAFETY: as for c_erf.
    unsafe { erfc(x) }
}

fn c_asinh(x: f64) -> f64 {
    // SAFETY: as for c_erf.
    unsafe { asinh(x) }
}

fn c_acosh(x: f64) -> f64 {
    // SAFETY: as for c_erf.
    unsafe { acosh(x) }
}

fn c_atanh(x: f64) -> f64 {
    // SAFETY: as for c_erf.
    unsafe { atanh(x) }
}
