//! Exact rational arithmetic and the single rounding step of SPEC §2.4.
//!
//! Scores are computed as exact fractions (`BigRational`) from decimal
//! inputs and rounded once, half away from zero (四舍五入), into a `Decimal`
//! with the set's `decimals` places. Nothing in between is rounded or
//! truncated, so a mean of three values or a rescaled group cannot drift
//! across a .5 boundary.

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{Signed, ToPrimitive, Zero};
use rust_decimal::Decimal;

/// An exact rational number.
pub type Q = BigRational;

/// The exact value of a decimal.
pub fn q(d: Decimal) -> Q {
    let den = BigInt::from(10u8).pow(d.scale());
    Q::new(BigInt::from(d.mantissa()), den)
}

/// An exact integer.
pub fn qi(i: i64) -> Q {
    Q::from_integer(BigInt::from(i))
}

/// Rounds `x` to `dp` decimal places, half away from zero.
///
/// Exact: with x·10^dp = n/d (d > 0), the magnitude is ⌊(2|n| + d) / 2d⌋.
/// Values beyond `Decimal`'s range saturate; scores are bounded by the set's
/// validated maxima, so that never happens in practice.
pub fn round(x: &Q, dp: u32) -> Decimal {
    let scaled = x * Q::from_integer(BigInt::from(10u8).pow(dp));
    let n = scaled.numer().abs();
    let d = scaled.denom();
    let two = BigInt::from(2u8);
    let mag = (&two * &n + d).div_floor(&(&two * d));
    let mag = mag.to_i128().unwrap_or(i128::MAX / 2);
    let signed = if scaled.is_negative() { -mag } else { mag };
    Decimal::try_from_i128_with_scale(signed, dp).unwrap_or(if signed < 0 { Decimal::MIN } else { Decimal::MAX })
}

/// `x` clamped into `[lo, hi]`.
pub fn clamp(x: Q, lo: &Q, hi: &Q) -> Q {
    if &x < lo {
        lo.clone()
    } else if &x > hi {
        hi.clone()
    } else {
        x
    }
}

/// Arithmetic mean; `None` for no values.
pub fn mean(values: &[Q]) -> Option<Q> {
    if values.is_empty() {
        return None;
    }
    let sum: Q = values.iter().fold(Q::zero(), |a, b| a + b);
    Some(sum / qi(values.len() as i64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn round_half_away_from_zero() {
        assert_eq!(round(&q(d("2.345")), 2), d("2.35"));
        assert_eq!(round(&q(d("2.344999")), 2), d("2.34"));
        assert_eq!(round(&q(d("-2.345")), 2), d("-2.35"));
        assert_eq!(round(&q(d("0.005")), 2), d("0.01"));
        assert_eq!(round(&q(d("0.5")), 0), d("1"));
        assert_eq!(round(&q(d("1.5")), 0), d("2"));
        assert_eq!(round(&q(d("2.5")), 0), d("3"));
        assert_eq!(round(&q(d("7")), 2), d("7.00"));
    }

    #[test]
    fn thirds_round_once() {
        // 10/3 = 3.3333… → 3.33; 20/3 = 6.6666… → 6.67
        assert_eq!(round(&(qi(10) / qi(3)), 2), d("3.33"));
        assert_eq!(round(&(qi(20) / qi(3)), 2), d("6.67"));
        // mean(1.005, 1.005, 1.005) is exactly 1.005 → 1.01, never 1.00
        let m = mean(&[q(d("1.005")), q(d("1.005")), q(d("1.005"))]).unwrap();
        assert_eq!(round(&m, 2), d("1.01"));
        // (0.01 + 0.02 + 0.0050) / 1 … a sum hitting .xx5 exactly
        let m = mean(&[q(d("0.1")), q(d("0.2")), q(d("0.0"))]).unwrap(); // 0.1
        assert_eq!(round(&m, 2), d("0.10"));
        // 2/3 of 7.5 = 5 exactly
        assert_eq!(round(&(q(d("7.5")) * qi(2) / qi(3)), 2), d("5.00"));
    }

    #[test]
    fn a_28_digit_intermediate_would_drift_but_this_does_not() {
        // (1/3 + 1/3 + 1/3) rounded to 0 places must be exactly 1.
        let third = qi(1) / qi(3);
        let s = &third + &third + &third;
        assert_eq!(round(&s, 0), d("1"));
        // 0.125 * 3 / 3 = 0.125 → 0.13 at 2 places
        assert_eq!(round(&(q(d("0.125")) * qi(3) / qi(3)), 2), d("0.13"));
    }

    #[test]
    fn clamp_and_mean() {
        assert_eq!(clamp(qi(5), &qi(0), &qi(3)), qi(3));
        assert_eq!(clamp(qi(-1), &qi(0), &qi(3)), qi(0));
        assert_eq!(mean(&[]), None);
        assert_eq!(mean(&[qi(1), qi(2)]).unwrap(), qi(3) / qi(2));
    }
}
