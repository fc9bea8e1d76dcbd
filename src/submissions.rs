//! The reporting calendar's bookkeeping (docs/scoring.md, "评价周期与报送频率"): which workbooks count when a
//! station sent one more than once, and which expected submissions never came.
//!
//! Pure: the files as read in, issues out. Applies only to sets that use the
//! calendar keys (`IndicatorSet::calendar`).

use crate::indicators::IndicatorSet;
use crate::issue::{Issue, Kind};
use crate::period::Period;
use crate::record::{FileRecords, Input, Standing};

/// Resubmissions: readable workbooks of one station whose 期间 overlap each
/// other and the window are one submission sent more than once. When every
/// one carries a distinct 报送日期 the latest counts and each other is
/// `superseded`; otherwise none counts and each is a `duplicate_submission`.
/// A workbook that does not count keeps no record and no row issue.
pub fn resolve_resubmissions(set: &IndicatorSet, window: Period, files: &mut [FileRecords]) -> Vec<Issue> {
    let mut issues = Vec::new();
    for station in 0..set.stations.len() {
        let candidates: Vec<usize> = (0..files.len())
            .filter(|&i| {
                let input = &files[i].input;
                input.readable && input.station == Some(station) && input.period.is_some_and(|p| p.overlaps(window))
            })
            .collect();
        for group in overlapping_groups(&candidates, |i| files[i].input.period) {
            if group.len() < 2 {
                continue;
            }
            let dates: Vec<_> = group.iter().map(|&i| files[i].input.submitted.clone()).collect();
            let distinct = dates.iter().all(Option::is_some)
                && (0..dates.len()).all(|a| {
                    (a + 1..dates.len()).all(|b| dates[a].as_ref().map(|d| &d.at) != dates[b].as_ref().map(|d| &d.at))
                });
            let code = &set.stations[station].code;
            if distinct {
                let latest = *group
                    .iter()
                    .max_by_key(|&&i| files[i].input.submitted.as_ref().map(|d| d.at))
                    .unwrap_or(&group[0]);
                let (latest_path, latest_date) = describe(&files[latest].input);
                for &i in group.iter().filter(|&&i| i != latest) {
                    let (path, date) = describe(&files[i].input);
                    let period = files[i].input.period.map(|p| p.to_string()).unwrap_or_default();
                    issues.push(
                        Issue::new(
                            Kind::Superseded,
                            format!("{path} (报送日期 {date}) 已被同一监测站较晚报送的 {latest_path} (报送日期 {latest_date}) 替代,不计入"),
                        )
                        .in_file(&files[i].input.path)
                        .station(code)
                        .period(period),
                    );
                    drop_contents(&mut files[i], Standing::Superseded);
                }
            } else {
                for &i in &group {
                    let others: Vec<String> =
                        group.iter().filter(|&&o| o != i).map(|&o| describe(&files[o].input).0).collect();
                    let period = files[i].input.period.map(|p| p.to_string()).unwrap_or_default();
                    issues.push(
                        Issue::new(
                            Kind::DuplicateSubmission,
                            format!(
                                "监测站 {code} 的这个工作簿与 {} 期间重叠,且报送日期缺失或相同,无法确定哪份有效:均不计入;\
                                 请只保留一份,或在“信息”表写明不同的报送日期",
                                others.join("、")
                            ),
                        )
                        .in_file(&files[i].input.path)
                        .station(code)
                        .period(period),
                    );
                }
                for &i in &group {
                    drop_contents(&mut files[i], Standing::Duplicate);
                }
            }
        }
    }
    issues
}

/// The path and the 报送日期 text of an input, for messages.
fn describe(input: &Input) -> (String, String) {
    (input.path.clone(), input.submitted.as_ref().map_or_else(|| "未写".to_string(), |d| d.text.clone()))
}

/// A workbook that does not count: not read past its header, so no records and no row issues.
fn drop_contents(file: &mut FileRecords, standing: Standing) {
    file.records.clear();
    file.issues.clear();
    file.input.records = 0;
    file.input.rejected = 0;
    file.input.standing = standing;
}

/// Groups of indices whose periods overlap, directly or through each other.
fn overlapping_groups(items: &[usize], period: impl Fn(usize) -> Option<Period>) -> Vec<Vec<usize>> {
    let mut group_of: Vec<usize> = (0..items.len()).collect();
    let find = |g: &Vec<usize>, mut a: usize| {
        while g[a] != a {
            a = g[a];
        }
        a
    };
    for a in 0..items.len() {
        for b in a + 1..items.len() {
            if let (Some(pa), Some(pb)) = (period(items[a]), period(items[b]))
                && pa.overlaps(pb)
            {
                let (ra, rb) = (find(&group_of, a), find(&group_of, b));
                group_of[rb] = ra;
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut roots: Vec<usize> = Vec::new();
    for (a, &item) in items.iter().enumerate() {
        let r = find(&group_of, a);
        match roots.iter().position(|&x| x == r) {
            Some(k) => groups[k].push(item),
            None => {
                roots.push(r);
                groups.push(vec![item]);
            }
        }
    }
    groups
}

/// Every period a station with a `frequency` due in the window must send, and
/// whether it did (a readable workbook of the station whose 期间 contains it;
/// one that does not count still meets it).
pub fn expected(set: &IndicatorSet, window: Period, inputs: &[Input]) -> Vec<(usize, Period, bool)> {
    let mut out = Vec::new();
    for (s, station) in set.stations.iter().enumerate() {
        let Some(frequency) = station.frequency else { continue };
        for period in window.split(frequency).unwrap_or_default() {
            let met = inputs
                .iter()
                .any(|i| i.readable && i.station == Some(s) && i.period.is_some_and(|p| p.contains(period)));
            out.push((s, period, met));
        }
    }
    out
}

/// `missing_submission` for every expected period not met.
pub fn missing_submissions(set: &IndicatorSet, window: Period, inputs: &[Input]) -> Vec<Issue> {
    expected(set, window, inputs)
        .into_iter()
        .filter(|(_, _, met)| !met)
        .map(|(s, period, _)| {
            let st = &set.stations[s];
            let frequency = st.frequency.map(|f| f.label()).unwrap_or_default();
            Issue::new(
                Kind::MissingSubmission,
                format!("监测站 {} ({}) 没有报送 {period} 的工作簿 (报送频率: 每{frequency}一次)", st.code, st.name),
            )
            .station(&st.code)
            .period(period)
        })
        .collect()
}

/// One line of 填报情况 (docs/report.md).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubmissionLine {
    pub station: usize,
    /// The period owed or covered; `None` for a station not due in the window.
    pub period: Option<Period>,
    pub status: SubmissionStatus,
    /// The workbook, for a status other than 缺报 and 未到期.
    pub file: Option<String>,
    /// Its 报送日期 as written.
    pub submitted: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubmissionStatus {
    /// 已报: a workbook that counts.
    Sent,
    /// 缺报: an expected period with no workbook (or, without a frequency, no workbook at all).
    Missing,
    /// 重复: sent more than once without distinct dates.
    Duplicate,
    /// 被替代: replaced by a later-dated workbook.
    Superseded,
    /// 未到期: the station's cadence is longer than the window.
    NotDue,
}

impl SubmissionStatus {
    pub fn label(self) -> &'static str {
        match self {
            SubmissionStatus::Sent => "已报",
            SubmissionStatus::Missing => "缺报",
            SubmissionStatus::Duplicate => "重复",
            SubmissionStatus::Superseded => "被替代",
            SubmissionStatus::NotDue => "未到期",
        }
    }

    pub const ALL: [SubmissionStatus; 5] = [
        SubmissionStatus::Sent,
        SubmissionStatus::Missing,
        SubmissionStatus::Duplicate,
        SubmissionStatus::Superseded,
        SubmissionStatus::NotDue,
    ];
}

/// 填报情况: per station (in set order), each workbook of the window with its
/// standing, each expected period nobody sent, or that the station is not due.
pub fn table(set: &IndicatorSet, window: Period, inputs: &[Input]) -> Vec<SubmissionLine> {
    let owed = expected(set, window, inputs);
    let mut lines = Vec::new();
    for s in 0..set.stations.len() {
        if set.calendar && !set.station_due(s, window) {
            lines.push(SubmissionLine {
                station: s,
                period: None,
                status: SubmissionStatus::NotDue,
                file: None,
                submitted: None,
            });
            continue;
        }
        let mut own: Vec<SubmissionLine> = inputs
            .iter()
            .filter(|i| i.readable && i.station == Some(s) && i.period.is_some_and(|p| p.overlaps(window)))
            .map(|i| SubmissionLine {
                station: s,
                period: i.period,
                status: match i.standing {
                    Standing::Counts => SubmissionStatus::Sent,
                    Standing::Superseded => SubmissionStatus::Superseded,
                    Standing::Duplicate => SubmissionStatus::Duplicate,
                },
                file: Some(i.path.clone()),
                submitted: i.submitted.as_ref().map(|d| d.text.clone()),
            })
            .collect();
        own.extend(owed.iter().filter(|(st, _, met)| *st == s && !met).map(|(_, p, _)| SubmissionLine {
            station: s,
            period: Some(*p),
            status: SubmissionStatus::Missing,
            file: None,
            submitted: None,
        }));
        let collects = set.leaves().any(|(_, l)| l.station == s);
        if own.is_empty() && collects {
            own.push(SubmissionLine {
                station: s,
                period: None,
                status: SubmissionStatus::Missing,
                file: None,
                submitted: None,
            });
        }
        // By period (start, then end); files of one period stay in reading order.
        own.sort_by_key(|l| l.period.map(Period::span));
        lines.extend(own);
    }
    lines
}

/// `已报 3 · 缺报 1 · …` (statuses that occur).
pub fn counts(lines: &[SubmissionLine]) -> String {
    SubmissionStatus::ALL
        .iter()
        .map(|st| (st, lines.iter().filter(|l| l.status == *st).count()))
        .filter(|(_, n)| *n > 0)
        .map(|(st, n)| format!("{} {n}", st.label()))
        .collect::<Vec<_>>()
        .join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_periods_form_groups() {
        use Period::*;
        let periods = [Quarter(2024, 4), Month(2024, 10), Month(2024, 11), Month(2024, 5), Year(2023)];
        let groups = overlapping_groups(&[0, 1, 2, 3, 4], |i| Some(periods[i]));
        // Q4 overlaps October and November (which overlap each other only through it).
        assert_eq!(groups, vec![vec![0, 1, 2], vec![3], vec![4]]);
    }
}
