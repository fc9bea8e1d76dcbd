//! Every sheet name and column header zhili writes, in one place: the writers build from these and `readback` reads by them.
//!
//! docs/report.md describes each sheet; a column whose text is a label for
//! people (a level's name, "A 政治建设") has a code column beside it
//! (预警代码, 范围代码, 否决指标代码) so nothing is parsed back out of display text.

/// Unit columns shared by several sheets.
pub const UNIT_CODE: &str = "单位代码";
pub const UNIT_NAME: &str = "单位名称";
pub const CATEGORY: &str = "类别";
pub const INDICATOR_CODE: &str = "指标代码";
pub const INDICATOR_NAME: &str = "指标名称";
/// A record's source, `file!sheet` (计分记录), and a file path (数据问题, 填报情况).
pub const SOURCE: &str = "来源";
pub const FILE: &str = "文件";
/// Columns of paths, fitted wider before they wrap (`xlsx::write::WIDE_WIDTH`):
/// wrapped, every record's row would double in height.
pub const WIDE: [&str; 2] = [SOURCE, FILE];
/// Columns of codes for `diff` to read back, left off the printed page when they end a sheet.
pub const CODE_COLUMNS: [&str; 4] = [LEVEL_CODE, overview::VETO_CODES, warnings::SCOPE_CODE, method::RULE];
/// A level's code (`red`, `yellow` …), beside its display name.
pub const LEVEL_CODE: &str = "预警代码";

/// The seven sheets of the report, in order (docs/report.md).
pub const SHEETS: [&str; 7] =
    [overview::SHEET, scores::SHEET, warnings::SHEET, records::SHEET, losses::SHEET, issues::SHEET, provenance::SHEET];

/// 摘要 (extension, the first sheet): a page for the commission — title, 核心结论, then small tables.
pub mod brief {
    pub const SHEET: &str = "摘要";
    /// The title is "<set name> <period in Chinese> 评价结果".
    pub const TITLE_SUFFIX: &str = "评价结果";
    pub const CONCLUSIONS: &str = "一、核心结论";
    pub const CATEGORIES: &str = "二、各类别总分统计";
    /// Then one column per warning level (its name), then [`CATEGORY_TAIL`].
    pub const CATEGORY_HEAD: [&str; 7] =
        [super::CATEGORY, "单位数", "参评单位", "平均分", "中位数", "最低分", "最高分"];
    pub const CATEGORY_TAIL: [&str; 2] = ["无预警", "一票否决"];
    /// The row over all categories.
    pub const ALL: &str = "全部";
    pub const RATES: &str = "三、一级指标平均得分率(由低到高)";
    pub const RATES_HEAD: [&str; 5] =
        [super::INDICATOR_NAME, super::INDICATOR_CODE, "平均得分率", "参评单位", "预警单位"];
    pub const LOSSES: &str = "四、失分最多的指标";
    pub const LOSSES_HEAD: [&str; 5] =
        [super::INDICATOR_NAME, super::INDICATOR_CODE, "失分合计", "失分单位数", "所属一级指标"];
    pub const ATTENTION: &str = "五、重点关注单位";
    pub const ATTENTION_HEAD: [&str; 6] =
        [super::UNIT_NAME, super::UNIT_CODE, super::CATEGORY, "总分", "预警", "关注原因"];
    pub const CHANGES: &str = "六、与上期相比";
    pub const CHANGES_HEAD: [&str; 2] = ["变化", "项数"];
    /// A section with nothing to list says so.
    pub const NONE: &str = "无";
}

/// 总览: one row per unit; first-level indicator columns follow [`overview::HEAD`], then [`overview::TAIL`].
pub mod overview {
    pub const SHEET: &str = "总览";
    pub const RANK: &str = "排名";
    pub const TOTAL: &str = "总分";
    pub const LEVEL: &str = "预警";
    pub const HEAD: [&str; 6] = [RANK, super::UNIT_CODE, super::UNIT_NAME, super::CATEGORY, TOTAL, LEVEL];
    /// Triggered veto codes, joined by [`VETO_SEPARATOR`].
    pub const VETO_CODES: &str = "否决指标代码";
    pub const TAIL: [&str; 2] = [super::LEVEL_CODE, VETO_CODES];
    pub const VETO_SEPARATOR: &str = ",";
}

/// 得分明细: every unit × node.
pub mod scores {
    pub const SHEET: &str = "得分明细";
    pub const SCORE: &str = "得分";
    /// The columns after the unit columns (the per-unit report has no unit columns).
    pub const COLUMNS: [&str; 7] =
        [super::INDICATOR_CODE, super::INDICATOR_NAME, "层级", "满分", SCORE, "失分", "得分率"];
}

/// 预警: each warning.
pub mod warnings {
    pub const SHEET: &str = "预警";
    pub const SCOPE: &str = "范围";
    pub const SCORE: &str = "得分";
    pub const MAX: &str = "满分";
    pub const LEVEL: &str = "预警等级";
    pub const COLUMNS: [&str; 7] = [SCOPE, SCORE, MAX, "得分率", LEVEL, "处置措施", "备注"];
    /// The scope as a code: a first-level indicator's, or `total`.
    pub const SCOPE_CODE: &str = "范围代码";
    /// After [`COLUMNS`] in the full report.
    pub const CODES: [&str; 2] = [SCOPE_CODE, super::LEVEL_CODE];
    /// The scope label of the total.
    pub const TOTAL_LABEL: &str = "总分";
}

/// 计分记录: every accepted record.
pub mod records {
    pub const SHEET: &str = "计分记录";
    pub const COLUMNS: [&str; 10] = [
        super::INDICATOR_CODE,
        super::INDICATOR_NAME,
        "事项",
        "期间",
        "数值",
        "计分方式",
        "影响分值",
        "说明",
        super::SOURCE,
        "行",
    ];
}

/// 失分分析: per leaf, most lost first.
pub mod losses {
    pub const SHEET: &str = "失分分析";
    pub const HEADER: [&str; 8] = [
        super::INDICATOR_CODE,
        super::INDICATOR_NAME,
        "所属一级指标",
        "满分",
        "失分合计",
        "失分单位数",
        "参评单位数",
        "平均得分率",
    ];
}

/// 数据问题: every issue.
pub mod issues {
    pub const SHEET: &str = "数据问题";
    pub const HEADER: [&str; 10] =
        ["级别", "种类", "种类代码", super::FILE, "工作表", "单元格", "单位", "指标", "监测站", "说明"];
}

/// 说明: key/value rows (the keys are below), then one row per input.
pub mod provenance {
    pub const SHEET: &str = "说明";
    pub const KEY: &str = "项目";
    pub const VALUE: &str = "内容";
    pub const SHA256: &str = "sha256";
    pub const HEADER: [&str; 7] = [KEY, VALUE, SHA256, "监测站", "期间", "有效记录", "拒收"];
    pub const TOOL: &str = "工具";
    pub const SET_NAME: &str = "指标体系";
    pub const SET_VERSION: &str = "体系版本";
    pub const SET_FILE: &str = "指标体系文件";
    pub const ROSTER: &str = "单位名册";
    pub const PERIOD: &str = "评价期间";
    /// How a window of several of the set's cycles was scored (only then).
    pub const METHOD: &str = "计分方式";
    /// 完整, or 暂定 with the reason (a submission missing or duplicated).
    pub const STATUS: &str = "结果状态";
    pub const COMPLETE: &str = "完整";
    pub const PROVISIONAL: &str = "暂定";
    /// Data files outside the window, skipped.
    pub const SKIPPED: &str = "不在本期的数据文件";
    pub const SCALE: &str = "满分";
    pub const TIME: &str = "生成时间";
    /// Followed by the flag: `选项 --period`.
    pub const OPTION_PREFIX: &str = "选项";
    pub const INPUT: &str = "数据文件";
}

/// 填报情况 (extension): each station's workbooks of the window and what it still owes.
pub mod submissions {
    pub const SHEET: &str = "填报情况";
    pub const HEADER: [&str; 7] = ["监测站代码", "监测站名称", "报送频率", "期间", "状态", super::FILE, "报送日期"];
}

/// 预警处置清单 (extension): one line per warned unit — the 约谈/通知书 work list.
pub mod actions {
    pub const SHEET: &str = "预警处置清单";
    pub const HEADER: [&str; 11] = [
        "序号",
        super::UNIT_CODE,
        super::UNIT_NAME,
        super::CATEGORY,
        "排名",
        "总分",
        "最高预警",
        "触发范围",
        "处置措施",
        "其他预警",
        super::LEVEL_CODE,
    ];
}

/// 转办清单 (extension, when the roster has 分管领导 or 监督单位): the 预警处置清单's lines under each recipient.
pub mod routing {
    pub const SHEET: &str = "转办清单";
    pub const HEADER: [&str; 12] = [
        "转办方式",
        "转办给",
        super::UNIT_CODE,
        super::UNIT_NAME,
        super::CATEGORY,
        "排名",
        "总分",
        "最高预警",
        "触发范围",
        "处置措施",
        "其他预警",
        super::LEVEL_CODE,
    ];
}

/// 区域指数 (extension, docs/areas.md): one row per area, wider areas before the areas inside them.
pub mod areas {
    pub const SHEET: &str = "区域指数";
    pub const CODE: &str = "区域";
    pub const NAME: &str = "区域名称";
    pub const PARENT: &str = "上级区域";
    pub const UNITS: &str = "单位数";
    pub const EXCLUDED: &str = "不计分单位数";
    pub const INDEX: &str = "指数";
    pub const MAX: &str = "满分";
    pub const RANK: &str = "同级排名";
    pub const LEVEL: &str = "预警";
    pub const PROVISIONAL: &str = "暂定";
    pub const HEADER: [&str; 12] =
        [CODE, NAME, PARENT, UNITS, EXCLUDED, INDEX, MAX, "得分率", RANK, LEVEL, PROVISIONAL, super::LEVEL_CODE];
    /// 总览's extra columns when the roster places units in areas.
    pub const MEMBER: [&str; 2] = ["所属区域", "权重"];
}

/// The picture of a project of several sets (docs/multi-set.md): its own workbook `<期间>.xlsx`.
pub mod sets {
    pub const SHEET: &str = "综合";
    pub const SET: &str = "指标体系";
    pub const SET_KEY: &str = "体系代码";
    pub const HEADER: [&str; 11] = [
        super::UNIT_CODE,
        super::UNIT_NAME,
        super::CATEGORY,
        SET,
        "类别内排名",
        "总分",
        "满分",
        "得分率",
        "预警",
        super::LEVEL_CODE,
        SET_KEY,
    ];
    pub const SETS_SHEET: &str = "各指标体系";
    pub const SHA256: &str = "sha256";
    pub const SETS_HEADER: [&str; 9] =
        [SET_KEY, SET, "版本", "满分", "评价的类别", "单位数", "状态", "结果文件", SHA256];
    /// For programs, left off the printed pages (they stand last in their sheets).
    pub const CODE_COLUMNS: [&str; 3] = [super::LEVEL_CODE, SET_KEY, SHA256];
}

/// 指标体系 (extension): the method behind the report.
pub mod method {
    pub const SHEET: &str = "指标体系";
    pub const MAX: &str = "满分";
    /// The rule for people, in Chinese, with its items and points.
    pub const RULE_TEXT: &str = "规则说明";
    pub const MISSING: &str = "未填报时";
    /// The rule in one line with its kind's code (`points: …`, as in the JSON): what `diff` reads back.
    pub const RULE: &str = "计分规则";
    pub const HEADER: [&str; 10] = [
        super::INDICATOR_CODE,
        super::INDICATOR_NAME,
        "上级指标",
        "层级",
        MAX,
        "权重",
        "适用类别",
        RULE_TEXT,
        MISSING,
        RULE,
    ];
}

/// 预警等级 (extension): the warning levels, most severe first.
pub mod levels {
    pub const SHEET: &str = "预警等级";
    pub const NAME: &str = "预警名称";
    pub const ACTION: &str = "处置措施";
    pub const HEADER: [&str; 4] = [super::LEVEL_CODE, NAME, "低于 (%)", ACTION];
}

/// 趋势 (extension, `--trend`): sub-period columns follow [`trend::HEAD`], then [`trend::FLAGS`].
pub mod trend {
    pub const SHEET: &str = "趋势";
    pub const HEAD: [&str; 3] = [super::UNIT_CODE, super::UNIT_NAME, super::CATEGORY];
    pub const FLAGS: &str = "纵向监测";
    /// The column of the whole window, after the sub-periods: "2024 (全期)".
    pub fn whole(window: &str) -> String {
        format!("{window} (全期)")
    }
}

/// 整改跟踪 (extension, `--previous`).
pub mod followup {
    pub const SHEET: &str = "整改跟踪";
    pub const HEADER: [&str; 10] = [
        super::UNIT_CODE,
        super::UNIT_NAME,
        "范围",
        "上期得分",
        "上期预警",
        "上期处置措施",
        "本期得分",
        "本期预警",
        "整改状态",
        "本期处置措施",
    ];
}

/// The per-unit report (体检报告).
pub mod unit {
    pub const SHEETS: [&str; 5] = ["体检报告", "得分", "预警", "计分记录", "扣分点"];
    /// The cover's title ends so: "北马镇 2024年第四季度 政治生态体检报告".
    pub const TITLE_SUFFIX: &str = "体检报告";
    pub const OVERALL: &str = "一、总体情况";
    pub const SUMMARY_HEADER: [&str; 2] = ["项目", "内容"];
    pub const FIRST_LEVELS: &str = "二、一级指标得分";
    /// Then, with `--previous`, [`FIRST_LEVELS_PREVIOUS`].
    pub const FIRST_LEVELS_HEADER: [&str; 6] = ["一级指标", "满分", "得分", "得分率", "类别平均得分率", "预警"];
    pub const FIRST_LEVELS_PREVIOUS: [&str; 2] = ["上期得分", "变化"];
    pub const SYMPTOMS: &str = "三、症状:扣分点";
    pub const SYMPTOMS_HEADER: [&str; 5] = ["指标", "满分", "得分", "失分", "扣分说明"];
    pub const CAUSES: &str = "四、病因:薄弱指标";
    pub const CAUSES_HEADER: [&str; 5] = ["指标", "得分", "满分", "得分率", "计分规则与失分原因"];
    pub const DIRECTIONS: &str = "五、努力方向";
    /// Said under a section with nothing in it.
    pub const NONE: &str = "无";
    pub const DEDUCTIONS_HEADER: [&str; 10] = [
        "序号",
        super::INDICATOR_CODE,
        super::INDICATOR_NAME,
        "所属一级指标",
        "满分",
        "得分",
        "失分",
        "得分率",
        "相关记录",
        "记录说明",
    ];
}

/// The comparison workbook (`zhili diff --out`). Headers starting with 旧/新 are followed by the
/// period they refer to: "旧总分 (2024Q3)".
pub mod comparison {
    pub const UNITS: &str = "单位变化";
    pub const UNITS_HEADER: [&str; 13] = [
        super::CATEGORY,
        super::UNIT_CODE,
        super::UNIT_NAME,
        "旧总分",
        "新总分",
        "变化",
        "旧预警",
        "新预警",
        "转变",
        "一票否决",
        "一级指标预警变化",
        "旧排名",
        "新排名",
    ];
    pub const FIRST_LEVELS: &str = "一级指标预警变化";
    pub const FIRST_LEVELS_HEADER: [&str; 8] = [
        super::CATEGORY,
        super::UNIT_CODE,
        super::UNIT_NAME,
        super::INDICATOR_CODE,
        super::INDICATOR_NAME,
        "旧预警",
        "新预警",
        "转变",
    ];
    pub const SCORES: &str = "指标变化";
    pub const SCORES_HEADER: [&str; 7] =
        [super::UNIT_CODE, super::UNIT_NAME, super::INDICATOR_CODE, super::INDICATOR_NAME, "旧得分", "新得分", "变化"];
    pub const METHOD: &str = "方法变更";
    pub const METHOD_HEADER: [&str; 4] = ["变更", super::INDICATOR_CODE, "旧", "新"];
    pub const INPUTS: &str = "输入变化";
    pub const INPUTS_HEADER: [&str; 3] = ["文件", "旧 sha256", "新 sha256"];
    /// The one row of a sheet with nothing to list.
    pub const NO_CHANGE: &str = "无变更";
    /// 指标变化 without `--detail`.
    pub const NOT_LISTED: &str = "未列出:比较时加 --detail 才列出每个指标的得分变化";
    /// 输入变化 when both results read the same files.
    pub const SAME_INPUTS: &str = "无变更:两次计分读取的数据文件及其内容 (sha256) 相同";
}
