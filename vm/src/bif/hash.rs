//! Hashing BIFs (phash2 with OTP's exact values).

use super::BifFn;

pub fn register(_t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {}
