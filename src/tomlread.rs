//! Reads TOML tables key by key and collects *every* problem with its line and column.
//!
//! serde's derive stops at the first error; the people who write indicator
//! sets want the whole list at once (`zhili check`). So the document is
//! parsed into toml's spanned tree and each table is read through [`Fields`],
//! which records wrong types, nan/inf, and — when the table is finished —
//! every key nobody asked for.

use crate::issue::{Issue, Kind};
use crate::number;
use rust_decimal::Decimal;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A value with the byte range it came from.
#[derive(Clone, Debug)]
pub struct Sp<T> {
    pub v: T,
    pub span: Range<usize>,
}

/// `label = number` pairs in file order, each with its place.
pub type NumberMap = Vec<(Sp<String>, Sp<Decimal>)>;

/// The source text and the problems found so far, each an [`Issue`] of one
/// kind (the file being read) with its line and column.
pub struct Doc<'s> {
    text: &'s str,
    kind: Kind,
    pub problems: Vec<Issue>,
}

impl<'s> Doc<'s> {
    pub fn new(text: &'s str, kind: Kind) -> Self {
        Doc { text, kind, problems: Vec::new() }
    }

    /// Parses the whole document; a syntax error is a single problem.
    pub fn parse(&mut self) -> Option<Spanned<DeTable<'s>>> {
        match DeTable::parse(self.text) {
            Ok(t) => Some(t),
            Err(e) => {
                let at = e.span().map(|s| s.start).unwrap_or(0);
                self.err_at(at, format!("TOML 语法错误: {}", e.message().trim()));
                None
            }
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        (line, self.text[line_start..offset].chars().count() + 1)
    }

    pub fn err_at(&mut self, offset: usize, message: impl Into<String>) {
        let (line, col) = self.line_col(offset);
        self.problems.push(Issue::new(self.kind, message).at_line(line, Some(col)));
    }

    pub fn err(&mut self, span: &Range<usize>, message: impl Into<String>) {
        self.err_at(span.start, message);
    }
}

/// The keys of one table, read one by one.
pub struct Fields<'a, 'i> {
    table: &'a DeTable<'i>,
    pub span: Range<usize>,
    /// What the table is, for messages: `指标 A1`, `[[warning]] #2`.
    pub what: String,
    taken: Vec<&'a str>,
}

type Val<'a, 'i> = &'a Spanned<DeValue<'i>>;

impl<'a, 'i> Fields<'a, 'i> {
    pub fn new(table: &'a DeTable<'i>, span: Range<usize>, what: impl Into<String>) -> Self {
        Fields { table, span, what: what.into(), taken: Vec::new() }
    }

    /// A value that is a table.
    pub fn of(v: Val<'a, 'i>, doc: &mut Doc, what: impl Into<String>) -> Option<Self> {
        let what = what.into();
        match v.get_ref() {
            DeValue::Table(t) => Some(Fields::new(t, v.span(), what)),
            other => {
                doc.err(&v.span(), format!("{what} 应当是表 (table),这里是 {}", other.type_str()));
                None
            }
        }
    }

    pub fn has(&self, key: &str) -> bool {
        self.table.get(key).is_some()
    }

    /// The raw value of a key, marking it as known.
    pub fn raw(&mut self, key: &'a str) -> Option<Val<'a, 'i>> {
        self.taken.push(key);
        self.table.get(key)
    }

    pub fn string(&mut self, doc: &mut Doc, key: &'a str) -> Option<Sp<String>> {
        let v = self.raw(key)?;
        self.as_string(doc, key, v)
    }

    fn as_string(&self, doc: &mut Doc, key: &str, v: Val) -> Option<Sp<String>> {
        match v.get_ref() {
            DeValue::String(s) => Some(Sp { v: s.to_string(), span: v.span() }),
            other => {
                doc.err(&v.span(), format!("{}: `{key}` 应当是字符串,这里是 {}", self.what, other.type_str()));
                None
            }
        }
    }

    /// A string that must be present.
    pub fn req_string(&mut self, doc: &mut Doc, key: &'a str) -> Option<Sp<String>> {
        if !self.has(key) {
            doc.err(&self.span, format!("{}: 缺少 `{key}`", self.what));
        }
        self.string(doc, key)
    }

    /// A string or an integer, kept as text (`version = 2021`).
    pub fn text(&mut self, doc: &mut Doc, key: &'a str) -> Option<Sp<String>> {
        let v = self.raw(key)?;
        match v.get_ref() {
            DeValue::Integer(i) => Some(Sp { v: i.to_string(), span: v.span() }),
            _ => self.as_string(doc, key, v),
        }
    }

    /// A `true`/`false` value; absent is `None`.
    pub fn boolean(&mut self, doc: &mut Doc, key: &'a str) -> Option<bool> {
        let v = self.raw(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                doc.err(&v.span(), format!("{}: `{key}` 应当是 true 或 false,这里是 {}", self.what, other.type_str()));
                None
            }
        }
    }

    pub fn number(&mut self, doc: &mut Doc, key: &'a str) -> Option<Sp<Decimal>> {
        let v = self.raw(key)?;
        value_number(doc, &format!("{}: `{key}`", self.what), v)
    }

    pub fn req_number(&mut self, doc: &mut Doc, key: &'a str) -> Option<Sp<Decimal>> {
        if !self.has(key) {
            doc.err(&self.span, format!("{}: 缺少 `{key}`", self.what));
        }
        self.number(doc, key)
    }

    /// An array; each element is handed back with its span.
    pub fn array(&mut self, doc: &mut Doc, key: &'a str) -> Option<Sp<&'a [Spanned<DeValue<'i>>]>> {
        let v = self.raw(key)?;
        match v.get_ref() {
            DeValue::Array(a) => Some(Sp { v: &a[..], span: v.span() }),
            other => {
                doc.err(&v.span(), format!("{}: `{key}` 应当是数组,这里是 {}", self.what, other.type_str()));
                None
            }
        }
    }

    /// An array of strings (a single string is accepted as a one-element list).
    pub fn strings(&mut self, doc: &mut Doc, key: &'a str) -> Option<Sp<Vec<Sp<String>>>> {
        let v = self.raw(key)?;
        let what = format!("{}: `{key}`", self.what);
        match v.get_ref() {
            DeValue::String(s) => Some(Sp { v: vec![Sp { v: s.to_string(), span: v.span() }], span: v.span() }),
            DeValue::Array(a) => {
                let mut out = Vec::new();
                for e in a.iter() {
                    match e.get_ref() {
                        DeValue::String(s) => out.push(Sp { v: s.to_string(), span: e.span() }),
                        other => doc.err(&e.span(), format!("{what} 的元素应当是字符串,这里是 {}", other.type_str())),
                    }
                }
                Some(Sp { v: out, span: v.span() })
            }
            other => {
                doc.err(&v.span(), format!("{what} 应当是字符串数组,这里是 {}", other.type_str()));
                None
            }
        }
    }

    /// An inline table or table of `label = number`, in file order.
    pub fn number_map(&mut self, doc: &mut Doc, key: &'a str) -> Option<Sp<NumberMap>> {
        let v = self.raw(key)?;
        let what = format!("{}: `{key}`", self.what);
        match v.get_ref() {
            DeValue::Table(t) => {
                let mut out = Vec::new();
                for (k, val) in t.iter() {
                    let label = Sp { v: k.get_ref().to_string(), span: k.span() };
                    if let Some(n) = value_number(doc, &format!("{what}.{}", label.v), val) {
                        out.push((label, n));
                    }
                }
                Some(Sp { v: out, span: v.span() })
            }
            other => {
                doc.err(&v.span(), format!("{what} 应当是表,如 {{ \"优\" = 10 }},这里是 {}", other.type_str()));
                None
            }
        }
    }

    /// Every `[[key]]` entry as a table; other element kinds are reported.
    pub fn tables(&mut self, doc: &mut Doc, key: &'a str, what: &str) -> Vec<Fields<'a, 'i>> {
        let Some(v) = self.raw(key) else {
            return Vec::new();
        };
        match v.get_ref() {
            DeValue::Array(a) => {
                a.iter().enumerate().filter_map(|(i, e)| Fields::of(e, doc, format!("{what} #{}", i + 1))).collect()
            }
            other => {
                doc.err(&v.span(), format!("`{key}` 应当写成 [[{key}]] 表数组,这里是 {}", other.type_str()));
                Vec::new()
            }
        }
    }

    /// Reports every key that was never asked for, listing the keys this table takes.
    pub fn finish(self, doc: &mut Doc) {
        let mut known: Vec<&str> = self.taken.clone();
        known.sort_unstable();
        known.dedup();
        for (k, _) in self.table.iter() {
            let name: &str = k.get_ref();
            if !self.taken.contains(&name) {
                doc.err(
                    &k.span(),
                    format!("{}: 未知的键 `{name}` (拼写错误?这里可用的键: {})", self.what, known.join("、")),
                );
            }
        }
    }
}

/// A TOML integer or float as an exact decimal; nan and inf are problems.
pub fn value_number(doc: &mut Doc, what: &str, v: &Spanned<DeValue>) -> Option<Sp<Decimal>> {
    let parsed = match v.get_ref() {
        DeValue::Integer(i) => {
            let digits: String = i.as_str().chars().filter(|&c| c != '_').collect();
            i128::from_str_radix(&digits, i.radix()).ok().and_then(|n| Decimal::try_from_i128_with_scale(n, 0).ok())
        }
        DeValue::Float(f) => {
            let lit = f.as_str();
            if lit.contains("nan") || lit.contains("inf") {
                doc.err(&v.span(), format!("{what} 不能是 {lit} (nan/inf 不是有效数值),请写一个具体的数"));
                return None;
            }
            number::parse_toml_float(lit)
        }
        other => {
            doc.err(&v.span(), format!("{what} 应当是数字,这里是 {}", other.type_str()));
            return None;
        }
    };
    match parsed {
        Some(n) => Some(Sp { v: n, span: v.span() }),
        None => {
            doc.err(&v.span(), format!("{what} 超出可表示的范围"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let doc = Doc::new("a = 1\nname = \"政治\"\nb = 2", Kind::IndicatorSet);
        assert_eq!(doc.line_col(0), (1, 1));
        assert_eq!(doc.line_col(6), (2, 1));
        // "b" on line 3 comes after a CJK string: its byte offset is larger than
        // its character column, which must still be 1.
        let off = "a = 1\nname = \"政治\"\n".len();
        assert_eq!(doc.line_col(off), (3, 1));
    }

    #[test]
    fn unknown_keys_and_bad_numbers_are_all_reported() {
        let text = "x = nan\ny = \"s\"\nzz = 1\n";
        let mut doc = Doc::new(text, Kind::IndicatorSet);
        let t = doc.parse().unwrap();
        let mut f = Fields::new(t.get_ref(), t.span(), "顶层");
        assert!(f.number(&mut doc, "x").is_none());
        assert!(f.number(&mut doc, "y").is_none());
        f.finish(&mut doc);
        let where_: Vec<_> = doc.problems.iter().map(|p| (p.line, p.col)).collect();
        assert_eq!(where_, vec![(Some(1), Some(5)), (Some(2), Some(5)), (Some(3), Some(1))]);
        assert!(doc.problems[2].message.contains("未知的键 `zz`"));
    }

    #[test]
    fn numbers_are_exact_as_written() {
        let mut doc = Doc::new("a = 0.1\nb = 0x10\nc = 1_000\nd = 1e2", Kind::IndicatorSet);
        let t = doc.parse().unwrap();
        let mut f = Fields::new(t.get_ref(), t.span(), "t");
        assert_eq!(f.number(&mut doc, "a").unwrap().v.to_string(), "0.1");
        assert_eq!(f.number(&mut doc, "b").unwrap().v.to_string(), "16");
        assert_eq!(f.number(&mut doc, "c").unwrap().v.to_string(), "1000");
        assert_eq!(f.number(&mut doc, "d").unwrap().v, Decimal::from(100));
        assert!(doc.problems.is_empty());
    }
}
