//! The roster of evaluated units (单位名册, docs/workbooks.md): who is scored, and in which category.

use crate::cell::{CellValue, Row, TableSource, cell_name, read_table};
use crate::indicators::IndicatorSet;
use crate::issue::{Issue, Kind};
use rust_decimal::Decimal;
use std::collections::HashMap;

pub const CODE: &[&str] = &["单位代码", "代码", "unit"];
pub const NAME: &[&str] = &["单位名称", "名称", "name"];
pub const CATEGORY: &[&str] = &["类别", "category"];
pub const SHEET: &[&str] = &["单位", "units"];
/// Optional routing columns (docs/ledger.md): the leader in charge of the unit, and the office
/// (纪检监察室 or 派驻组) that supervises it.
pub const LEADER: &[&str] = &["分管领导", "leader"];
pub const SUPERVISOR: &[&str] = &["监督单位", "supervisor"];
/// Optional area columns (docs/areas.md): the area a unit belongs to, as a path from the widest area
/// ("定海区/白泉镇"), and its weight in that area's index (blank: 1).
pub const AREA: &[&str] = &["所属区域", "区域", "上级单位", "area"];
pub const WEIGHT: &[&str] = &["权重", "weight"];

#[derive(Clone, Debug)]
pub struct Unit {
    pub code: String,
    pub name: String,
    /// Index into the set's categories.
    pub category: usize,
}

/// Where a unit's problems are routed (the roster's optional 分管领导 and 监督单位 columns).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Routing {
    pub leader: Option<String>,
    pub supervisor: Option<String>,
}

/// Where a unit counts in the area indices (the roster's optional 所属区域 and 权重 columns).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Membership {
    /// The area's path, its segments joined by "/" ("定海区/白泉镇"); `None`: in no area.
    pub area: Option<String>,
    /// Positive; `None` when the cell is blank (weight 1).
    pub weight: Option<Decimal>,
}

/// An area cell as a path: segments split at "/" (or "／"), trimmed, empty ones dropped.
pub fn area_path(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split(['/', '／']).map(str::trim).filter(|s| !s.is_empty()).collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[derive(Clone, Debug, Default)]
pub struct Roster {
    /// In roster order.
    pub units: Vec<Unit>,
    /// By unit, when the roster has routing columns (else empty).
    pub routing: Vec<Routing>,
    /// By unit, when the roster has an area column (else empty).
    pub areas: Vec<Membership>,
    by_code: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
}

/// The result of matching a unit cell.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    Found(usize),
    Unknown,
    /// The text is the name of several units and no unit's code.
    Ambiguous,
}

impl Roster {
    /// Builds a roster from units, rejecting duplicate codes.
    pub fn new(units: Vec<Unit>) -> Result<Self, String> {
        let mut r = Roster::default();
        for u in units {
            if r.by_code.contains_key(&u.code) {
                return Err(format!("单位代码 \"{}\" 重复", u.code));
            }
            r.push(u);
        }
        Ok(r)
    }

    fn push(&mut self, u: Unit) {
        let i = self.units.len();
        self.by_code.insert(u.code.clone(), i);
        self.by_name.entry(u.name.clone()).or_default().push(i);
        self.units.push(u);
    }

    /// A unit's routing (empty when the roster has no routing columns).
    pub fn routing(&self, unit: usize) -> Routing {
        self.routing.get(unit).cloned().unwrap_or_default()
    }

    /// A unit's area membership (none when the roster has no area column).
    pub fn membership(&self, unit: usize) -> Membership {
        self.areas.get(unit).cloned().unwrap_or_default()
    }

    /// A unit cell matches a unit code, else an exact unit name (docs/workbooks.md).
    pub fn find(&self, key: &str) -> Lookup {
        let key = key.trim();
        if let Some(&i) = self.by_code.get(key) {
            return Lookup::Found(i);
        }
        match self.by_name.get(key).map(Vec::as_slice) {
            Some([i]) => Lookup::Found(*i),
            Some([_, _, ..]) => Lookup::Ambiguous,
            _ => Lookup::Unknown,
        }
    }
}

/// A roster problem: a [`Kind::Roster`] issue at the file, its sheet, or a cell (a CSV's cells have no sheet).
fn problem(file: &str, sheet: Option<&str>, cell: Option<&str>, message: impl Into<String>) -> Issue {
    let issue = Issue::new(Kind::Roster, message);
    match (sheet, cell) {
        (sheet, Some(cell)) => issue.at_cell(file, sheet, cell),
        (Some(sheet), None) => issue.in_sheet(file, sheet),
        (None, None) => issue.in_file(file),
    }
}

/// Reads the roster workbook. `file` is how the file is named in messages.
/// Every problem is returned, each naming its `file!sheet!cell`.
pub fn read(bytes: &[u8], file: &str, set: &IndicatorSet) -> Result<Roster, Vec<Issue>> {
    let format = crate::input::sniff::detect(bytes).map_err(|e| vec![problem(file, None, None, e)])?;
    // A parser panic on a hostile roster is an error naming the file, never a crash.
    let mut outcome = Ok(Roster::default());
    if let Err(e) = crate::input::read_quietly(bytes, format, SHEET[0], |source| {
        outcome = read_source(source, file, set);
        Ok(())
    }) {
        return Err(vec![problem(file, None, None, e)]);
    }
    outcome
}

/// Reads a roster from an opened workbook of any format.
pub fn read_source(source: &mut dyn TableSource, file: &str, set: &IndicatorSet) -> Result<Roster, Vec<Issue>> {
    read_parts(source, file, &[Part { set, categories: None }]).map(|mut r| r.remove(0))
}

/// One indicator set of a project and the roster categories it scores (`None`: all of its own).
#[derive(Clone, Copy)]
pub struct Part<'a> {
    pub set: &'a IndicatorSet,
    pub categories: Option<&'a [String]>,
}

impl Part<'_> {
    /// The set's category a roster cell names, if this part scores it.
    fn category(&self, key: &str) -> Option<usize> {
        let c = self.set.category(key)?;
        match self.categories {
            None => Some(c),
            Some(listed) => {
                let def = &self.set.categories[c];
                listed.iter().any(|l| *l == def.code || *l == def.name).then_some(c)
            }
        }
    }

    /// The one category it scores, if it scores exactly one.
    fn only(&self) -> Option<usize> {
        let mut scored =
            (0..self.set.categories.len()).filter(|&i| self.category(&self.set.categories[i].code).is_some());
        match (scored.next(), scored.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        }
    }

    fn known(&self) -> Vec<String> {
        self.set
            .categories
            .iter()
            .enumerate()
            .filter(|(i, c)| self.category(&c.code) == Some(*i))
            .map(|(_, c)| format!("{} ({})", c.code, c.name))
            .collect()
    }
}

/// Reads a roster workbook split by indicator set (docs/multi-set.md): each unit goes to the one part that
/// scores its category. Every problem is returned, each naming its `file!sheet!cell`.
pub fn read_split(bytes: &[u8], file: &str, parts: &[Part]) -> Result<Vec<Roster>, Vec<Issue>> {
    let format = crate::input::sniff::detect(bytes).map_err(|e| vec![problem(file, None, None, e)])?;
    let mut outcome = Ok(Vec::new());
    if let Err(e) = crate::input::read_quietly(bytes, format, SHEET[0], |source| {
        outcome = read_parts(source, file, parts);
        Ok(())
    }) {
        return Err(vec![problem(file, None, None, e)]);
    }
    outcome
}

/// Reads a roster from an opened workbook, one roster per part.
fn read_parts(source: &mut dyn TableSource, file: &str, parts: &[Part]) -> Result<Vec<Roster>, Vec<Issue>> {
    let sheet = source
        .find_sheet(SHEET)
        .or_else(|| source.sheet_names().into_iter().next())
        .ok_or_else(|| vec![problem(file, None, None, "工作簿中没有工作表")])?;
    let mut errors: Vec<Issue> = Vec::new();
    // Each unit with the part that scores it.
    let mut units: Vec<(usize, Unit)> = Vec::new();
    let mut routing: Vec<Routing> = Vec::new();
    let mut areas: Vec<Membership> = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    let single_category = parts.len() == 1 && parts[0].only().is_some();
    let mut columns_ok = true;
    // A CSV names cells `row:column` and has no sheet in its places.
    let flat = source.flat();
    let sheet_place = (!flat).then_some(sheet.as_str());

    let header = read_table(
        source,
        &sheet,
        |row| row.column(CODE).is_some(),
        |header, row| {
            let cols = RosterColumns::of(header);
            let (Some(code_col), Some(name_col)) = (cols.code, cols.name) else { return };
            if cols.category.is_none() && !single_category {
                return;
            }
            let place = |c: u32| cell_name(flat, row.index, c);
            let err = |c: u32, m: String| problem(file, sheet_place, Some(&place(c)), m);
            let code = row.get(code_col).as_key();
            let name = row.get(name_col).as_key();
            let cat_cell = cols.category.map(|c| row.get(c)).unwrap_or(&CellValue::Empty);
            if code.is_empty() {
                if !name.is_empty() || !cat_cell.is_blank() {
                    errors.push(err(code_col, "这一行缺少单位代码".into()));
                }
                return;
            }
            if let Some(first) = seen.get(&code) {
                errors.push(err(code_col, format!("单位代码 \"{code}\" 重复 (首次出现在 {first})")));
                return;
            }
            seen.insert(code.clone(), place(code_col));
            let found = match cols.category {
                None => parts[0].only().map(|c| (0, c)),
                Some(_) => parts.iter().enumerate().find_map(|(p, part)| Some((p, part.category(&cat_cell.as_key())?))),
            };
            let Some((part, category)) = found else {
                let known: Vec<String> = parts.iter().flat_map(|p| p.known()).collect();
                let which = if parts.len() > 1 {
                    "项目各套指标体系 ([[set]] categories) 评价的类别"
                } else {
                    "指标体系定义的类别"
                };
                errors.push(err(
                    cols.category.unwrap_or(code_col),
                    format!("未知的类别 {};请改用{which}: {}", cat_cell.shown(), known.join("、")),
                ));
                return;
            };
            let name = if name.is_empty() { code.clone() } else { name };
            let text = |c: Option<u32>| c.map(|c| row.get(c).as_key()).filter(|t| !t.is_empty());
            routing.push(Routing { leader: text(cols.leader), supervisor: text(cols.supervisor) });
            let weight = match cols.weight.map(|c| (c, row.get(c))) {
                None | Some((_, CellValue::Empty)) => None,
                Some((_, CellValue::Number(w))) if *w > Decimal::ZERO => Some(*w),
                Some((_, CellValue::Text(t))) if t.trim().is_empty() => None,
                Some((c, v)) => {
                    errors.push(err(c, format!("权重 {} 不是正数;请填写大于 0 的数,或留空 (权重 1)", v.shown())));
                    return;
                }
            };
            areas.push(Membership { area: text(cols.area).and_then(|t| area_path(&t)), weight });
            units.push((part, Unit { code, name, category }));
        },
    )
    .map_err(|e| vec![problem(file, None, None, e)])?;

    match &header {
        None => {
            errors.push(problem(
                file,
                sheet_place,
                None,
                "前 10 行中没有找到表头 (需要“单位代码”列,以及“单位名称”“类别”列)",
            ));
            columns_ok = false;
        }
        Some(h) => {
            let cols = RosterColumns::of(h);
            let at = cell_name(flat, h.index, 0);
            if cols.name.is_none() {
                errors.push(problem(file, sheet_place, Some(&at), "表头缺少“单位名称”列 (别名: 名称, name)"));
                columns_ok = false;
            }
            if cols.category.is_none() && !single_category {
                errors.push(problem(
                    file,
                    sheet_place,
                    Some(&at),
                    "表头缺少“类别”列 (别名: category);指标体系有多个类别时必须写明",
                ));
                columns_ok = false;
            }
        }
    }
    if columns_ok && units.is_empty() && errors.is_empty() {
        errors.push(problem(file, sheet_place, None, "名册中没有任何单位"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let routed = routing.iter().any(|r| *r != Routing::default());
    let placed = areas.iter().any(|m| m.area.is_some());
    let mut rosters = Vec::with_capacity(parts.len());
    for p in 0..parts.len() {
        let mine = || units.iter().enumerate().filter(move |(_, (q, _))| *q == p).map(|(i, _)| i);
        let own: Vec<Unit> = mine().map(|i| units[i].1.clone()).collect();
        let mut roster = Roster::new(own).map_err(|e| vec![problem(file, None, None, e)])?;
        if routed {
            roster.routing = mine().map(|i| routing[i].clone()).collect();
        }
        if placed {
            roster.areas = mine().map(|i| areas[i].clone()).collect();
        }
        rosters.push(roster);
    }
    Ok(rosters)
}

struct RosterColumns {
    code: Option<u32>,
    name: Option<u32>,
    category: Option<u32>,
    leader: Option<u32>,
    supervisor: Option<u32>,
    area: Option<u32>,
    weight: Option<u32>,
}

impl RosterColumns {
    fn of(header: &Row) -> Self {
        let find = |names: &[&str]| header.column(names);
        RosterColumns {
            code: find(CODE),
            name: find(NAME),
            category: find(CATEGORY),
            leader: find(LEADER),
            supervisor: find(SUPERVISOR),
            area: find(AREA),
            weight: find(WEIGHT),
        }
    }
}
