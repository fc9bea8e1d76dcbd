//! Evaluation periods (年 / 半年 / 季度 / 月) and the window arithmetic of docs/workbooks.md.
//!
//! Every period is a closed range of calendar months. Because years, halves,
//! quarters and months nest, two periods either are disjoint or one contains
//! the other, which is what makes "inside the window", "outside" and "coarse"
//! an exhaustive classification.

use std::fmt;

/// A calendar period as written in workbooks and on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Period {
    Year(i32),
    /// Half 1 or 2.
    Half(i32, u8),
    /// Quarter 1..=4.
    Quarter(i32, u8),
    /// Month 1..=12.
    Month(i32, u8),
}

/// Where a record's period stands relative to the evaluation window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// Wholly inside the window: the record counts.
    Inside,
    /// No month in common: silently ignored.
    Outside,
    /// Larger than the window and overlapping it: ignored with `coarse_period`.
    Coarse,
}

const YEARS: std::ops::RangeInclusive<i32> = 1900..=9999;

/// A length of calendar period: an evaluation cycle, a station's reporting
/// frequency, a trend's sub-periods. Ordered from the shortest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cadence {
    Month,
    Quarter,
    Half,
    Year,
}

impl Cadence {
    pub const ALL: [Cadence; 4] = [Cadence::Month, Cadence::Quarter, Cadence::Half, Cadence::Year];

    /// As written in TOML and on the command line: `month`, `quarter`, `half`, `year`.
    pub fn code(self) -> &'static str {
        match self {
            Cadence::Month => "month",
            Cadence::Quarter => "quarter",
            Cadence::Half => "half",
            Cadence::Year => "year",
        }
    }

    /// In Chinese: 月, 季度, 半年, 年.
    pub fn label(self) -> &'static str {
        match self {
            Cadence::Month => "月",
            Cadence::Quarter => "季度",
            Cadence::Half => "半年",
            Cadence::Year => "年",
        }
    }

    pub fn parse(code: &str) -> Option<Cadence> {
        Cadence::ALL.into_iter().find(|c| c.code() == code)
    }
}

impl Period {
    /// First and last month as absolute month numbers (year × 12 + month − 1).
    fn months(self) -> (i32, i32) {
        let (y, first, len) = match self {
            Period::Year(y) => (y, 1, 12),
            Period::Half(y, h) => (y, (h as i32 - 1) * 6 + 1, 6),
            Period::Quarter(y, q) => (y, (q as i32 - 1) * 3 + 1, 3),
            Period::Month(y, m) => (y, m as i32, 1),
        };
        let start = y * 12 + first - 1;
        (start, start + len - 1)
    }

    /// True when `other` lies wholly inside `self`.
    pub fn contains(self, other: Period) -> bool {
        let (a, b) = self.months();
        let (c, d) = other.months();
        a <= c && d <= b
    }

    /// This period, then every larger calendar period containing it, smallest first
    /// (`2024-02` → `2024-02`, `2024Q1`, `2024H1`, `2024`).
    pub fn and_enclosing(self) -> Vec<Period> {
        let mut out = vec![self];
        let y = self.year();
        if let Period::Month(_, m) = self {
            out.push(Period::Quarter(y, (m - 1) / 3 + 1));
        }
        match self {
            Period::Month(_, m) => out.push(Period::Half(y, (m - 1) / 6 + 1)),
            Period::Quarter(_, q) => out.push(Period::Half(y, (q - 1) / 2 + 1)),
            Period::Half(..) | Period::Year(_) => {}
        }
        if !matches!(self, Period::Year(_)) {
            out.push(Period::Year(y));
        }
        out
    }

    fn year(self) -> i32 {
        match self {
            Period::Year(y) | Period::Half(y, _) | Period::Quarter(y, _) | Period::Month(y, _) => y,
        }
    }

    /// The smallest calendar period containing every one of `periods`, if they share a year.
    pub fn smallest_containing(periods: &[Period]) -> Option<Period> {
        let first = *periods.first()?;
        first.and_enclosing().into_iter().find(|p| periods.iter().all(|q| p.contains(*q)))
    }

    /// The one period written in a file name (`12345热线-2024Q1.csv` → 2024Q1): the
    /// name is split at separators and each piece parsed. `None` when no piece is a
    /// period; an error when two pieces are different periods.
    pub fn in_file_name(name: &str) -> Result<Option<Period>, String> {
        let stem = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
        let mut found: Vec<Period> = Vec::new();
        for piece in stem.split(|c: char| c.is_whitespace() || "-_()（）[]【】,，、".contains(c)) {
            if let Ok(p) = Period::parse(piece)
                && !found.contains(&p)
            {
                found.push(p);
            }
        }
        match found.as_slice() {
            [] => Ok(None),
            [p] => Ok(Some(*p)),
            [a, b, ..] => Err(format!("文件名“{name}”中有多个期间 ({a}、{b})")),
        }
    }

    /// First and last month as absolute month numbers: periods sort by it (start, then end).
    pub fn span(self) -> (i32, i32) {
        self.months()
    }

    /// True when this period ends before `other` starts.
    pub fn ends_before(self, other: Period) -> bool {
        self.months().1 < other.months().0
    }

    /// True when the two periods share at least one month.
    pub fn overlaps(self, other: Period) -> bool {
        let (a, b) = self.months();
        let (c, d) = other.months();
        a <= d && c <= b
    }

    /// Classifies a record period against this window (docs/workbooks.md).
    pub fn place(self, record: Period) -> Placement {
        if self.contains(record) {
            Placement::Inside
        } else if self.overlaps(record) {
            Placement::Coarse
        } else {
            Placement::Outside
        }
    }

    /// Sort key for "the latest period" (`combine = "last"`): later end first,
    /// then later start; equal keys fall back to reading order.
    pub fn lateness(self) -> (i32, i32) {
        let (a, b) = self.months();
        (b, a)
    }

    /// The length of this period.
    pub fn cadence(self) -> Cadence {
        match self {
            Period::Year(_) => Cadence::Year,
            Period::Half(..) => Cadence::Half,
            Period::Quarter(..) => Cadence::Quarter,
            Period::Month(..) => Cadence::Month,
        }
    }

    /// The periods of length `unit` that make up this period, in order (a
    /// period of its own length is itself); `None` when `unit` is longer.
    pub fn split(self, unit: Cadence) -> Option<Vec<Period>> {
        let (start, end) = self.months();
        let year = |m: i32| m.div_euclid(12);
        let month = |m: i32| m.rem_euclid(12) + 1;
        let (len, make): (i32, fn(i32, i32) -> Period) = match unit {
            Cadence::Year => (12, |y, _| Period::Year(y)),
            Cadence::Half => (6, |y, m| Period::Half(y, ((m - 1) / 6 + 1) as u8)),
            Cadence::Quarter => (3, |y, m| Period::Quarter(y, ((m - 1) / 3 + 1) as u8)),
            Cadence::Month => (1, |y, m| Period::Month(y, m as u8)),
        };
        if unit > self.cadence() {
            return None;
        }
        Some((start..=end).step_by(len as usize).map(|m| make(year(m), month(m))).collect())
    }

    /// The month containing a calendar date.
    pub fn from_ym(year: i32, month: u32) -> Option<Period> {
        (YEARS.contains(&year) && (1..=12).contains(&month)).then_some(Period::Month(year, month as u8))
    }

    /// A number cell: `2024` is the year; anything else is not a period.
    pub fn from_number(n: f64) -> Option<Period> {
        if n.fract() == 0.0 && n >= *YEARS.start() as f64 && n <= *YEARS.end() as f64 {
            Some(Period::Year(n as i32))
        } else {
            None
        }
    }

    /// Parses every textual form of docs/workbooks.md (ASCII and Chinese, full-width
    /// digits included). A date stands for its month.
    pub fn parse(text: &str) -> Result<Period, String> {
        let norm: String = text
            .trim()
            .chars()
            .filter_map(|c| match c {
                '\u{FF10}'..='\u{FF19}'
                | '\u{FF21}'..='\u{FF3A}'
                | '\u{FF41}'..='\u{FF5A}'
                | '\u{FF0D}'
                | '\u{FF0F}' => char::from_u32(c as u32 - 0xFEE0),
                c if c.is_whitespace() => None,
                c => Some(c),
            })
            .collect();
        parse_normalised(&norm).ok_or_else(|| {
            format!(
                "无法识别的期间 \"{}\" (可写作 2024、2024H1、2024Q1、2024-03、2024年第一季度、2024年3月 等)",
                crate::text::clip(text.trim())
            )
        })
    }
}

fn parse_normalised(s: &str) -> Option<Period> {
    let mut c = Cursor { rest: s };
    let year = c.digits(4, 4)?;
    if !YEARS.contains(&year) {
        return None;
    }
    let p = if c.done() {
        Period::Year(year)
    } else if c.eat("年") {
        chinese_tail(year, &mut c)?
    } else if c.eat_ci('h') || c.eat("-H") || c.eat("-h") {
        let h = c.digits(1, 1)?;
        ((1..=2).contains(&h)).then_some(Period::Half(year, h as u8))?
    } else if c.eat_ci('q') || c.eat("-Q") || c.eat("-q") {
        let q = c.digits(1, 1)?;
        ((1..=4).contains(&q)).then_some(Period::Quarter(year, q as u8))?
    } else if c.eat("-") || c.eat("/") || c.eat(".") {
        let m = c.digits(1, 2)?;
        let p = Period::from_ym(year, m as u32)?;
        if !c.done() {
            // A full date: the day must be plausible; any time part is ignored.
            if !(c.eat("-") || c.eat("/") || c.eat(".")) {
                return None;
            }
            let d = c.digits(1, 2)?;
            if !(1..=31).contains(&d) {
                return None;
            }
            if !(c.done() || c.eat("T") || c.eat(" ")) {
                return None;
            }
            c.rest = "";
        }
        p
    } else {
        return None;
    };
    c.done().then_some(p)
}

/// After `2024年`: nothing, 上半年/下半年, (第)一季度, 3月(份)(15日).
fn chinese_tail(year: i32, c: &mut Cursor) -> Option<Period> {
    if c.done() {
        return Some(Period::Year(year));
    }
    if c.eat("上半年") {
        return Some(Period::Half(year, 1));
    }
    if c.eat("下半年") {
        return Some(Period::Half(year, 2));
    }
    let had_di = c.eat("第");
    let n = c.digits(1, 2).or_else(|| c.chinese_numeral())?;
    if c.eat("季度") {
        return ((1..=4).contains(&n)).then_some(Period::Quarter(year, n as u8));
    }
    if !had_di && c.eat("月") {
        c.eat("份");
        let p = Period::from_ym(year, n as u32)?;
        if !c.done() {
            let d = c.digits(1, 2)?;
            if !(1..=31).contains(&d) || !(c.eat("日") || c.eat("号")) {
                return None;
            }
        }
        return Some(p);
    }
    None
}

struct Cursor<'a> {
    rest: &'a str,
}

impl Cursor<'_> {
    fn done(&self) -> bool {
        self.rest.is_empty()
    }
    fn eat(&mut self, lit: &str) -> bool {
        match self.rest.strip_prefix(lit) {
            Some(r) => {
                self.rest = r;
                true
            }
            None => false,
        }
    }
    fn eat_ci(&mut self, ch: char) -> bool {
        self.eat(&ch.to_ascii_lowercase().to_string()) || self.eat(&ch.to_ascii_uppercase().to_string())
    }
    /// Between `min` and `max` ASCII digits.
    fn digits(&mut self, min: usize, max: usize) -> Option<i32> {
        let n = self.rest.bytes().take(max).take_while(u8::is_ascii_digit).count();
        if n < min {
            return None;
        }
        let v = self.rest[..n].parse().ok()?;
        self.rest = &self.rest[n..];
        Some(v)
    }
    fn chinese_numeral(&mut self) -> Option<i32> {
        for (i, w) in ["一", "二", "三", "四"].iter().enumerate() {
            if self.eat(w) {
                return Some(i as i32 + 1);
            }
        }
        None
    }
}

impl Period {
    /// The period as written in Chinese documents: 2024年、2024年上半年、2024年第四季度、2024年3月
    /// (each of which [`Period::parse`] reads back).
    pub fn chinese(self) -> String {
        const QUARTERS: [&str; 4] = ["一", "二", "三", "四"];
        match self {
            Period::Year(y) => format!("{y}年"),
            Period::Half(y, h) => format!("{y}年{}半年", if h == 1 { "上" } else { "下" }),
            Period::Quarter(y, q) => format!("{y}年第{}季度", QUARTERS[(q as usize).clamp(1, 4) - 1]),
            Period::Month(y, m) => format!("{y}年{m}月"),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Half(y, h) => write!(f, "{y}H{h}"),
            Period::Quarter(y, q) => write!(f, "{y}Q{q}"),
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_labels_read_back() {
        use Period::*;
        for (p, text) in [
            (Year(2024), "2024年"),
            (Half(2024, 1), "2024年上半年"),
            (Half(2024, 2), "2024年下半年"),
            (Quarter(2024, 4), "2024年第四季度"),
            (Quarter(2024, 1), "2024年第一季度"),
            (Month(2024, 3), "2024年3月"),
        ] {
            assert_eq!(p.chinese(), text);
            assert_eq!(Period::parse(text), Ok(p));
        }
    }

    #[test]
    fn enclosing_periods_and_the_smallest_containing_several() {
        let m = |y, m| Period::Month(y, m);
        assert_eq!(
            m(2024, 2).and_enclosing(),
            [m(2024, 2), Period::Quarter(2024, 1), Period::Half(2024, 1), Period::Year(2024)]
        );
        assert_eq!(
            Period::Quarter(2024, 3).and_enclosing(),
            [Period::Quarter(2024, 3), Period::Half(2024, 2), Period::Year(2024)]
        );
        assert_eq!(Period::smallest_containing(&[m(2024, 1), m(2024, 3)]), Some(Period::Quarter(2024, 1)));
        assert_eq!(Period::smallest_containing(&[m(2024, 3), m(2024, 4)]), Some(Period::Half(2024, 1)));
        assert_eq!(Period::smallest_containing(&[m(2024, 5), m(2024, 5)]), Some(m(2024, 5)));
        assert_eq!(Period::smallest_containing(&[m(2024, 12), m(2025, 1)]), None);
        assert_eq!(Period::smallest_containing(&[]), None);
    }

    #[test]
    fn a_period_in_a_file_name() {
        assert_eq!(Period::in_file_name("stations/12345热线-2024Q1.csv"), Ok(Some(Period::Quarter(2024, 1))));
        assert_eq!(Period::in_file_name("信访 2024年3月.csv"), Ok(Some(Period::Month(2024, 3))));
        assert_eq!(Period::in_file_name("export.csv"), Ok(None));
        assert!(Period::in_file_name("x-2024Q1-2024Q2.csv").unwrap_err().contains("多个期间"));
    }
    use Period::*;

    #[track_caller]
    fn p(s: &str) -> Period {
        Period::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn ascii_forms() {
        assert_eq!(p("2024"), Year(2024));
        assert_eq!(p("2024H1"), Half(2024, 1));
        assert_eq!(p("2024h2"), Half(2024, 2));
        assert_eq!(p("2024Q1"), Quarter(2024, 1));
        assert_eq!(p("2024q4"), Quarter(2024, 4));
        assert_eq!(p("2024-03"), Month(2024, 3));
        assert_eq!(p("2024-3"), Month(2024, 3));
        assert_eq!(p("2024-12"), Month(2024, 12));
        assert_eq!(p(" 2024Q2 "), Quarter(2024, 2));
    }

    #[test]
    fn dates_stand_for_their_month() {
        assert_eq!(p("2024-03-15"), Month(2024, 3));
        assert_eq!(p("2024/3/1"), Month(2024, 3));
        assert_eq!(p("2024-03-15T00:00:00"), Month(2024, 3));
        assert_eq!(p("2024年3月15日"), Month(2024, 3));
    }

    #[test]
    fn chinese_forms() {
        assert_eq!(p("2024年"), Year(2024));
        assert_eq!(p("2024年上半年"), Half(2024, 1));
        assert_eq!(p("2024年下半年"), Half(2024, 2));
        assert_eq!(p("2024年第一季度"), Quarter(2024, 1));
        assert_eq!(p("2024年第二季度"), Quarter(2024, 2));
        assert_eq!(p("2024年第三季度"), Quarter(2024, 3));
        assert_eq!(p("2024年第四季度"), Quarter(2024, 4));
        assert_eq!(p("2024年第1季度"), Quarter(2024, 1));
        assert_eq!(p("2024年第4季度"), Quarter(2024, 4));
        assert_eq!(p("2024年一季度"), Quarter(2024, 1));
        assert_eq!(p("2024年3月"), Month(2024, 3));
        assert_eq!(p("2024年03月"), Month(2024, 3));
        assert_eq!(p("2024年12月份"), Month(2024, 12));
        assert_eq!(p("２０２４年第２季度"), Quarter(2024, 2));
        assert_eq!(p("２０２４Ｑ３"), Quarter(2024, 3));
    }

    #[test]
    fn rejects_nonsense() {
        for s in [
            "",
            "24",
            "2024Q5",
            "2024Q0",
            "2024H3",
            "2024-13",
            "2024-0",
            "2024年第五季度",
            "2024年13月",
            "2024年第3月",
            "2024-03-32",
            "Q1",
            "2024x",
            "20245",
            "2024年第1季",
            "0999",
        ] {
            assert!(Period::parse(s).is_err(), "{s:?} should not parse");
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(Period::from_number(2024.0), Some(Year(2024)));
        assert_eq!(Period::from_number(2024.5), None);
        assert_eq!(Period::from_number(45366.0), None);
        assert_eq!(Period::from_number(3.0), None);
    }

    #[test]
    fn display_is_canonical_and_reparses() {
        for s in ["2024", "2024H1", "2024Q3", "2024-03", "2024-11"] {
            assert_eq!(p(s).to_string(), s);
        }
        // Other forms print canonically, and what they print parses back to the same period.
        for (s, canonical) in [("2024-3", "2024-03"), ("2024年第一季度", "2024Q1"), ("2024年下半年", "2024H2")]
        {
            assert_eq!(p(s).to_string(), canonical);
            assert_eq!(p(&p(s).to_string()), p(s));
        }
    }

    #[test]
    fn placement_in_windows() {
        let q1 = Quarter(2024, 1);
        assert_eq!(q1.place(Month(2024, 1)), Placement::Inside);
        assert_eq!(q1.place(Month(2024, 3)), Placement::Inside);
        assert_eq!(q1.place(Quarter(2024, 1)), Placement::Inside);
        assert_eq!(q1.place(Month(2024, 4)), Placement::Outside);
        assert_eq!(q1.place(Quarter(2023, 1)), Placement::Outside);
        assert_eq!(q1.place(Year(2024)), Placement::Coarse);
        assert_eq!(q1.place(Half(2024, 1)), Placement::Coarse);
        assert_eq!(q1.place(Half(2024, 2)), Placement::Outside);
        let y = Year(2024);
        assert_eq!(y.place(Half(2024, 2)), Placement::Inside);
        assert_eq!(y.place(Month(2024, 12)), Placement::Inside);
        assert_eq!(y.place(Month(2025, 1)), Placement::Outside);
        assert_eq!(Half(2024, 2).place(Quarter(2024, 3)), Placement::Inside);
        assert_eq!(Half(2024, 2).place(Quarter(2024, 2)), Placement::Outside);
        assert_eq!(Month(2024, 3).place(Quarter(2024, 1)), Placement::Coarse);
    }

    #[test]
    fn split_into_sub_periods() {
        use Cadence as G;
        assert_eq!(
            Year(2024).split(G::Quarter),
            Some(vec![Quarter(2024, 1), Quarter(2024, 2), Quarter(2024, 3), Quarter(2024, 4)])
        );
        assert_eq!(Year(2024).split(G::Half), Some(vec![Half(2024, 1), Half(2024, 2)]));
        assert_eq!(Year(2024).split(G::Month).map(|v| v.len()), Some(12));
        assert_eq!(Half(2024, 2).split(G::Quarter), Some(vec![Quarter(2024, 3), Quarter(2024, 4)]));
        assert_eq!(Quarter(2024, 2).split(G::Month), Some(vec![Month(2024, 4), Month(2024, 5), Month(2024, 6)]));
        assert_eq!(Quarter(2024, 2).split(G::Quarter), Some(vec![Quarter(2024, 2)]), "its own length: itself");
        assert_eq!(Quarter(2024, 2).split(G::Half), None, "longer");
        assert_eq!(Month(2024, 2).split(G::Month), Some(vec![Month(2024, 2)]));
        assert_eq!(Year(2024).split(G::Year), Some(vec![Year(2024)]));
        assert!(G::Month < G::Quarter && G::Half < G::Year);
        assert_eq!(G::parse("half"), Some(G::Half));
        assert_eq!(Half(2024, 1).cadence(), G::Half);
    }

    #[test]
    fn lateness_orders_by_end_then_start() {
        assert!(Month(2024, 3).lateness() > Month(2024, 2).lateness());
        assert!(Month(2024, 3).lateness() > Quarter(2024, 1).lateness());
        assert!(Quarter(2024, 2).lateness() > Month(2024, 3).lateness());
    }
}
