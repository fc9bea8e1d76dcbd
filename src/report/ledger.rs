//! Writes the 问题台账 ledger (docs/ledger.md) through the names `ledger` reads it back by: zhili's columns,
//! then the people's (with drop-downs and input messages, every cell carried as it was), then columns people added.

use crate::ledger::*;
use crate::xlsx::write::{BLUE, GREEN, RED, Styled, Val, Writer};
use rust_xlsxwriter::{Color, DataValidation, DataValidationRule, ExcelDateTime, XlsxError};

/// Fills: 0 for what needs attention (逾期, 整改未见效), 1 for 已销号, 2 for 已解除.
const ALARM: usize = 0;
const CLOSED: usize = 1;
const RESOLVED: usize = 2;

fn kept(k: &Kept) -> Val<'_> {
    match k {
        Kept::Empty => Val::Empty,
        Kept::Text(s) | Kept::Error(s) => Val::s(s.as_str()),
        Kept::Number(f) => Val::F(*f),
        Kept::Date(d) => Val::D(*d),
        Kept::Bool(b) => Val::B(*b),
    }
}

/// The ledger's bytes. `time` (Unix seconds) fixes the file's creation time.
pub fn render(ledger: &Ledger, time: i64) -> Result<Vec<u8>, XlsxError> {
    let colors = vec![Color::RGB(RED), Color::RGB(GREEN), Color::RGB(BLUE)];
    let mut book = Writer::new(
        2,
        colors,
        time,
        &format!("{} 问题台账 {}", ledger.set_name, ledger.latest.as_deref().unwrap_or("")),
    )?;
    book.freeze_through = Some(UNIT_NAME);
    book.no_wrap = &[BASIS];
    // zhili's columns, the people's, then 依据 (long lists of sources) and the columns people added:
    // the printed page stops before 依据.
    let own: Vec<&str> = ZHILI.iter().copied().filter(|c| *c != BASIS).collect();
    let mut header: Vec<&str> = own.iter().chain(PEOPLE.iter()).copied().collect();
    header.push(BASIS);
    header.extend(ledger.extra.iter().map(String::as_str));
    let rows = ledger.items.iter().map(|i| {
        let status_fill = match i.status {
            Status::Closed => Some(CLOSED),
            Status::Resolved => Some(RESOLVED),
            _ => None,
        };
        let mut row: Vec<Styled> = vec![
            Val::s(i.id.as_str()).into(),
            Val::s(i.unit.as_str()).into(),
            Val::s(i.unit_name.as_str()).into(),
            Val::s(i.category.as_str()).into(),
            Val::s(i.scope_label.as_str()).into(),
            Val::s(i.scope.as_str()).into(),
            Val::s(i.kind.as_str()).into(),
            Val::s(i.first_period.as_str()).into(),
            Val::s(i.first_level.as_str()).into(),
            Val::s(i.latest_period.as_str()).into(),
            i.latest_score.map(Val::F).unwrap_or(Val::Empty).into(),
            Val::s(i.latest_level.as_str()).into(),
            Val::s(i.status.label()).fill(status_fill),
            Val::s(if i.overdue { OVERDUE_MARK } else { "" }).fill(i.overdue.then_some(ALARM)),
            Val::s(i.note.as_str()).fill((!i.note.is_empty()).then_some(ALARM)),
            Val::s(i.origin.as_str()).into(),
            if i.recurrences > 0 { Val::I(i.recurrences as i64) } else { Val::Empty }.into(),
            Val::s(i.leader.as_str()).into(),
            Val::s(i.supervisor.as_str()).into(),
        ];
        row.extend(i.people.iter().map(|k| kept(k).into()));
        row.push(Val::s(i.basis.as_str()).into());
        row.extend(i.extra.iter().map(|k| kept(k).into()));
        row
    });
    book.table(SHEET, &header, rows.collect::<Vec<_>>(), false)?;

    // People's columns: a drop-down for 整改状态, dates for the deadlines, a prompt on each.
    let last = (ledger.items.len() as u32).max(1) + 200;
    let ws = book.wb.worksheet_from_name(SHEET)?;
    // A3 landscape, up to the people's last column.
    ws.set_paper_size(8);
    ws.set_print_area(0, 0, (ledger.items.len() as u32).max(1), (own.len() + PEOPLE.len() - 1) as u16)?;
    for (i, name) in PEOPLE.iter().enumerate() {
        let col = (own.len() + i) as u16;
        let dv = match *name {
            PROGRESS => DataValidation::new().allow_list_strings(&PROGRESS_VALUES)?,
            DEADLINE | CLOSED_ON => DataValidation::new()
                .allow_date(DataValidationRule::GreaterThan(ExcelDateTime::from_ymd(1900, 1, 1)?))
                .set_error_message("请输入日期,如 2025-03-31 (不要写成“3月底”这样的文字)")?,
            _ => DataValidation::new().allow_any_value(),
        };
        let prompt = match *name {
            OWNER => "整改责任人 (姓名、职务)",
            MEASURES => "具体整改措施",
            DEADLINE => "整改期限 (日期);逾期未整改的 zhili 会标出“逾期”",
            PROGRESS => "未整改 / 整改中 / 已整改;问题在之后的评价中消失且这里是“已整改”时,zhili 把状态改为“已销号”",
            FEEDBACK => "单位的整改反馈",
            REVISIT => "回访、督办情况",
            _ => "销号日期 (日期)",
        };
        let dv = dv.set_input_title(*name)?.set_input_message(prompt)?;
        ws.add_data_validation(1, col, last, col, &dv)?;
    }

    let mut info: Vec<Vec<Styled>> = vec![
        vec![Val::s(INFO_SET).into(), Val::s(ledger.set_name.as_str()).into()],
        vec![Val::s(INFO_LATEST).into(), Val::s(ledger.latest.as_deref().unwrap_or("")).into()],
    ];
    for (period, when, status) in &ledger.updates {
        info.push(vec![
            Val::s(INFO_UPDATE).into(),
            Val::s(period.as_str()).into(),
            Val::s(when.as_str()).into(),
            Val::s(status.as_str()).into(),
        ]);
    }
    for item in &ledger.items {
        info.push(vec![Val::s(INFO_ITEM).into(), Val::s(item.id.as_str()).into()]);
    }
    book.key_values(INFO_SHEET, &INFO_HEADER, info)?;
    book.save()
}
