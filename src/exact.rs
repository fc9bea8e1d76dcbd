//! Exact rational arithmetic and the single rounding step of docs/scoring.md.
//!
//! Scores are computed as exact fractions (`BigRational`) from decimal
//! inputs and rounded once, half away from zero (四舍五入), into a `Decimal`
//! with the set's `decimals` places. Nothing in between is rounded or
//! truncated, so a mean of three values or a rescaled group cannot drift
//! across a .5 boundary.

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::ops::{Add, AddAssign, Div, Mul, Neg, Sub, SubAssign};

/// An exact rational number. Small values (the everyday case: scores and
/// inputs with a few decimal places) are a reduced `i128` fraction with
/// checked arithmetic; anything that would overflow becomes a `BigRational`.
/// Both are exact, so which one holds a value never changes a result.
#[derive(Clone, Debug)]
pub enum Exact {
    /// numerator / denominator, denominator > 0, in lowest terms.
    Small(i128, i128),
    Big(BigRational),
}

impl Exact {
    fn small(n: i128, d: i128) -> Option<Exact> {
        if d == 0 {
            return None;
        }
        let g = n.gcd(&d);
        let (mut n, mut d) = (n / g, d / g);
        if d < 0 {
            n = n.checked_neg()?;
            d = d.checked_neg()?;
        }
        Some(Exact::Small(n, d))
    }

    fn big(&self) -> BigRational {
        match self {
            Exact::Small(n, d) => BigRational::new(BigInt::from(*n), BigInt::from(*d)),
            Exact::Big(b) => b.clone(),
        }
    }

    /// Back to the small form when the value fits (keeps later operations fast).
    fn from_big(b: BigRational) -> Exact {
        match (b.numer().to_i128(), b.denom().to_i128()) {
            (Some(n), Some(d)) => Exact::Small(n, d),
            _ => Exact::Big(b),
        }
    }

    pub fn is_negative(&self) -> bool {
        match self {
            Exact::Small(n, _) => *n < 0,
            Exact::Big(b) => b.is_negative(),
        }
    }
}

fn add(a: &Exact, b: &Exact) -> Exact {
    if let (Exact::Small(an, ad), Exact::Small(bn, bd)) = (a, b) {
        let g = ad.gcd(bd);
        let r = (|| {
            let n = an.checked_mul(bd / g)?.checked_add(bn.checked_mul(ad / g)?)?;
            Exact::small(n, (ad / g).checked_mul(*bd)?)
        })();
        if let Some(r) = r {
            return r;
        }
    }
    Exact::from_big(a.big() + b.big())
}

fn mul(a: &Exact, b: &Exact) -> Exact {
    if let (Exact::Small(an, ad), Exact::Small(bn, bd)) = (a, b) {
        let (g1, g2) = (an.gcd(bd).max(1), bn.gcd(ad).max(1));
        let r = (|| Exact::small((an / g1).checked_mul(bn / g2)?, (ad / g2).checked_mul(bd / g1)?))();
        if let Some(r) = r {
            return r;
        }
    }
    Exact::from_big(a.big() * b.big())
}

fn recip(a: &Exact) -> Exact {
    match a {
        Exact::Small(n, d) => Exact::small(*d, *n).unwrap_or_else(|| Exact::Big(a.big().recip())),
        Exact::Big(b) => Exact::from_big(b.recip()),
    }
}

fn neg(a: &Exact) -> Exact {
    match a {
        Exact::Small(n, d) => n.checked_neg().map(|n| Exact::Small(n, *d)).unwrap_or_else(|| Exact::Big(-a.big())),
        Exact::Big(b) => Exact::Big(-b.clone()),
    }
}

macro_rules! binop {
    ($trait:ident, $method:ident, $f:expr) => {
        impl $trait<Exact> for Exact {
            type Output = Exact;
            fn $method(self, rhs: Exact) -> Exact {
                $f(&self, &rhs)
            }
        }
        impl $trait<&Exact> for Exact {
            type Output = Exact;
            fn $method(self, rhs: &Exact) -> Exact {
                $f(&self, rhs)
            }
        }
        impl $trait<Exact> for &Exact {
            type Output = Exact;
            fn $method(self, rhs: Exact) -> Exact {
                $f(self, &rhs)
            }
        }
        impl $trait<&Exact> for &Exact {
            type Output = Exact;
            fn $method(self, rhs: &Exact) -> Exact {
                $f(self, rhs)
            }
        }
    };
}

binop!(Add, add, add);
binop!(Sub, sub, |a: &Exact, b: &Exact| add(a, &neg(b)));
binop!(Mul, mul, mul);
binop!(Div, div, |a: &Exact, b: &Exact| mul(a, &recip(b)));

impl Neg for Exact {
    type Output = Exact;
    fn neg(self) -> Exact {
        neg(&self)
    }
}

impl AddAssign<Exact> for Exact {
    fn add_assign(&mut self, rhs: Exact) {
        *self = add(self, &rhs);
    }
}

impl SubAssign<Exact> for Exact {
    fn sub_assign(&mut self, rhs: Exact) {
        *self = add(self, &neg(&rhs));
    }
}

impl Zero for Exact {
    fn zero() -> Exact {
        Exact::Small(0, 1)
    }
    fn is_zero(&self) -> bool {
        match self {
            Exact::Small(n, _) => *n == 0,
            Exact::Big(b) => b.is_zero(),
        }
    }
}

impl One for Exact {
    fn one() -> Exact {
        Exact::Small(1, 1)
    }
}

impl Default for Exact {
    fn default() -> Exact {
        Exact::zero()
    }
}

impl std::iter::Sum for Exact {
    fn sum<I: Iterator<Item = Exact>>(iter: I) -> Exact {
        iter.fold(Exact::zero(), |a, b| a + b)
    }
}

impl Ord for Exact {
    fn cmp(&self, other: &Exact) -> Ordering {
        if let (Exact::Small(an, ad), Exact::Small(bn, bd)) = (self, other)
            && let (Some(l), Some(r)) = (an.checked_mul(*bd), bn.checked_mul(*ad))
        {
            return l.cmp(&r);
        }
        self.big().cmp(&other.big())
    }
}

impl PartialOrd for Exact {
    fn partial_cmp(&self, other: &Exact) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Exact {
    fn eq(&self, other: &Exact) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Exact {}

/// The exact value of a decimal.
pub fn q(d: Decimal) -> Exact {
    let den = 10i128.pow(d.scale());
    Exact::small(d.mantissa(), den).expect("10^scale is non-zero and fits i128")
}

/// An exact integer.
pub fn qi(i: i64) -> Exact {
    Exact::Small(i as i128, 1)
}

/// Rounds `x` to `dp` decimal places, half away from zero.
///
/// Exact: with x·10^dp = n/d (d > 0), the magnitude is ⌊(2|n| + d) / 2d⌋.
/// Values beyond `Decimal`'s range saturate; scores are bounded by the set's
/// validated maxima, so that never happens in practice.
pub fn round(x: &Exact, dp: u32) -> Decimal {
    if let Exact::Small(n, d) = x
        && let Some(scaled) = 10i128.checked_pow(dp).and_then(|p| n.checked_mul(p))
        && let (Some(two_n), Some(two_d)) = (scaled.unsigned_abs().checked_mul(2), d.checked_mul(2))
        && let Some(top) = two_n.checked_add(*d as u128)
    {
        let mag = (top / two_d as u128) as i128;
        let signed = if scaled < 0 { -mag } else { mag };
        if let Ok(r) = Decimal::try_from_i128_with_scale(signed, dp) {
            return r;
        }
    }
    round_big(&x.big(), dp)
}

fn round_big(x: &BigRational, dp: u32) -> Decimal {
    let scaled = x * BigRational::from_integer(BigInt::from(10u8).pow(dp));
    let n = scaled.numer().abs();
    let d = scaled.denom();
    let two = BigInt::from(2u8);
    let mag = (&two * &n + d).div_floor(&(&two * d));
    let mag = mag.to_i128().unwrap_or(i128::MAX / 2);
    let signed = if scaled.is_negative() { -mag } else { mag };
    Decimal::try_from_i128_with_scale(signed, dp).unwrap_or(if signed < 0 { Decimal::MIN } else { Decimal::MAX })
}

/// `x` clamped into `[lo, hi]`.
pub fn clamp(x: Exact, lo: &Exact, hi: &Exact) -> Exact {
    if &x < lo {
        lo.clone()
    } else if &x > hi {
        hi.clone()
    } else {
        x
    }
}

/// Arithmetic mean; `None` for no values.
pub fn mean(values: &[Exact]) -> Option<Exact> {
    if values.is_empty() {
        return None;
    }
    let sum: Exact = values.iter().fold(Exact::zero(), |a, b| a + b);
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
        // A mean landing exactly on .xx5: (1.00 + 1.01) / 2 = 1.005 → 1.01 (a float mean is 1.00499…)
        let m = mean(&[q(d("1.00")), q(d("1.01"))]).unwrap();
        assert_eq!(round(&m, 2), d("1.01"));
        let m = mean(&[q(d("-1.00")), q(d("-1.01"))]).unwrap();
        assert_eq!(round(&m, 2), d("-1.01"));
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
    fn small_and_big_agree() {
        // Values that overflow i128 in intermediate products take the BigRational
        // path and must give the same answers as the small path would.
        let huge = q(d("79228162514264337593543950335")); // Decimal::MAX
        let tiny = q(d("0.0000000000000000000000000001"));
        let prod = &huge * &huge;
        assert!(matches!(prod, Exact::Big(_)));
        assert_eq!(&prod / &huge, huge);
        assert_eq!(round(&(&huge * &tiny), 2), d("7.92"));
        assert!(tiny < huge);
        assert!(-huge.clone() < tiny);
        // Sums of many small terms stay small and exact.
        let s: Exact = (0..1000).map(|_| q(d("0.1"))).sum();
        assert!(matches!(s, Exact::Small(100, 1)));
        // Mixed comparison.
        assert!(Exact::Big(prod.big()) > q(d("1")));
        // round() agrees with the big-rational rounding on a sweep.
        for i in -2000..2000 {
            let x = qi(i) / qi(7) + q(d("0.005"));
            assert_eq!(round(&x, 2), round_big(&x.big(), 2), "{i}");
        }
    }

    #[test]
    fn clamp_and_mean() {
        assert_eq!(clamp(qi(5), &qi(0), &qi(3)), qi(3));
        assert_eq!(clamp(qi(-1), &qi(0), &qi(3)), qi(0));
        assert_eq!(mean(&[]), None);
        assert_eq!(mean(&[qi(1), qi(2)]).unwrap(), qi(3) / qi(2));
    }
}
