//! Reading numbers exactly: workbook floats, text typed by people, TOML literals.
//!
//! A binary float from a cell becomes the shortest decimal that round-trips
//! it (0.1 stays 0.1, docs/scoring.md); text is parsed digit for digit, so no
//! value ever passes through binary floating point on its way to a score.

use rust_decimal::Decimal;
use std::str::FromStr;

/// The shortest decimal that round-trips `f` (Rust's `Display` for `f64` is
/// exactly that); `None` for NaN, infinities and values outside `Decimal`.
pub fn from_f64(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    let text = format!("{f}");
    Decimal::from_str_exact(&text).ok().or_else(|| {
        // Extremely small magnitudes have more than 28 places; they are 0 at
        // any precision a score can use, but say so explicitly.
        (f.abs() < 1e-20).then_some(Decimal::ZERO)
    })
}

/// Folds full-width digits, signs, points and percent signs to ASCII and trims.
pub fn fold_width(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// A number typed as text: optional sign, digits, optional decimal point.
/// With `allow_percent`, a trailing `%` divides by 100 (`95%` is 0.95).
pub fn parse_text(s: &str, allow_percent: bool) -> Option<Decimal> {
    // Fast path: plain ASCII digits (the common case) need no folding.
    let t = s.trim();
    if !t.is_empty()
        && t.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        && t.bytes().any(|b| b.is_ascii_digit())
    {
        return Decimal::from_str_exact(t).ok();
    }
    let s = fold_width(s);
    let (body, percent) = match s.strip_suffix('%') {
        Some(b) if allow_percent => (b.trim_end(), true),
        Some(_) => return None,
        None => (s.as_str(), false),
    };
    let digits = body.strip_prefix(['+', '-']).unwrap_or(body);
    let well_formed = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|&b| b == b'.').count() <= 1
        && digits.bytes().any(|b| b.is_ascii_digit());
    if !well_formed {
        return None;
    }
    let body = body.strip_prefix('+').unwrap_or(body);
    let v = Decimal::from_str_exact(body).ok()?;
    if percent { v.checked_div(Decimal::ONE_HUNDRED) } else { Some(v) }
}

/// A TOML float literal as written (`1_000.5`, `2.5e1`); `None` for nan/inf.
pub fn parse_toml_float(lit: &str) -> Option<Decimal> {
    let s: String = lit.chars().filter(|&c| c != '_').collect();
    if s.contains("nan") || s.contains("inf") {
        return None;
    }
    let s = s.strip_prefix('+').unwrap_or(&s);
    if s.contains(['e', 'E']) { Decimal::from_scientific(s).ok() } else { Decimal::from_str(s).ok() }
}

/// Renders a decimal without trailing zeros (`912.50` → `912.5`, `8.00` → `8`).
pub fn plain(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Renders a decimal with exactly `dp` places (for tables).
pub fn fixed(d: Decimal, dp: u32) -> String {
    let mut r = d;
    r.rescale(dp);
    r.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn floats_become_their_shortest_decimal() {
        assert_eq!(from_f64(0.1), Some(d("0.1")));
        assert_eq!(from_f64(0.1 + 0.2), Some(d("0.30000000000000004")));
        assert_eq!(from_f64(2.675), Some(d("2.675")));
        assert_eq!(from_f64(1.005), Some(d("1.005")));
        assert_eq!(from_f64(95.5), Some(d("95.5")));
        assert_eq!(from_f64(-3.0), Some(d("-3")));
        assert_eq!(from_f64(1e-7), Some(d("0.0000001")));
        assert_eq!(from_f64(f64::NAN), None);
        assert_eq!(from_f64(f64::INFINITY), None);
        assert_eq!(from_f64(1e300), None);
    }

    #[test]
    fn text_numbers() {
        assert_eq!(parse_text(" 12 ", false), Some(d("12")));
        assert_eq!(parse_text("12.50", false), Some(d("12.50")));
        assert_eq!(parse_text("+3", false), Some(d("3")));
        assert_eq!(parse_text("-0.5", false), Some(d("-0.5")));
        assert_eq!(parse_text("１２．５", false), Some(d("12.5")));
        assert_eq!(parse_text("95%", true), Some(d("0.95")));
        assert_eq!(parse_text("95 %", true), Some(d("0.95")));
        assert_eq!(parse_text("９５％", true), Some(d("0.95")));
        assert_eq!(parse_text("95%", false), None);
        for bad in ["", ".", "1.2.3", "abc", "1e3", "12a", "--1", "%", "1,000"] {
            assert_eq!(parse_text(bad, true), None, "{bad:?}");
        }
    }

    #[test]
    fn toml_floats() {
        assert_eq!(parse_toml_float("0.1"), Some(d("0.1")));
        assert_eq!(parse_toml_float("1_000.5"), Some(d("1000.5")));
        assert_eq!(parse_toml_float("2.5e1"), Some(d("25")));
        assert_eq!(parse_toml_float("+1.5"), Some(d("1.5")));
        assert_eq!(parse_toml_float("nan"), None);
        assert_eq!(parse_toml_float("-inf"), None);
    }

    #[test]
    fn rendering() {
        assert_eq!(plain(d("912.50")), "912.5");
        assert_eq!(plain(d("8.00")), "8");
        assert_eq!(plain(d("0.00")), "0");
        assert_eq!(fixed(d("8"), 2), "8.00");
        assert_eq!(fixed(d("95.5"), 2), "95.50");
    }
}
