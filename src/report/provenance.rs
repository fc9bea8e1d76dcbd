//! How a report was made (说明, the 摘要 date line): time, zone, issuer, inputs and options, gathered by `cmd/`.

/// What the report says about how it was made (说明).
#[derive(Clone, Debug, Default)]
pub struct Provenance {
    /// Unix seconds: SOURCE_DATE_EPOCH, or the clock.
    pub time: i64,
    /// How that time is shown: minutes east of UTC (the project's `time_zone`).
    pub utc_offset: i32,
    /// The issuing office (zhili.toml `issuer`), shown under the 摘要 title.
    pub issuer: Option<String>,
    /// The indicator set and roster as shown to people, with their sha256.
    pub indicators: (String, String),
    pub roster: (String, String),
    /// Options used, as (flag, value).
    pub options: Vec<(String, String)>,
    /// Rows per sheet including the header; `None` is Excel's limit.
    pub max_rows: Option<u32>,
}
