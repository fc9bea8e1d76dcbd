"""Writes the .xls (BIFF8) fixtures of tests/formats.rs. Rust has no maintained .xls writer, so these few
files are made once with xlwt and committed; rerun with `pip install xlwt==1.3.0 && python3 make.py`.
The contents mirror the XLSX workbooks that tests/common/mod.rs and tests/score.rs build in code."""
import datetime
import os
import xlwt

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = ["期间", "单位代码", "指标代码", "事项", "数值", "说明"]
BLANK = None


def station(name, station, period, rows, period_cell=None):
    wb = xlwt.Workbook(encoding="utf-8")
    info = wb.add_sheet("信息")
    info.write(0, 0, "监测站")
    info.write(0, 1, station)
    info.write(1, 0, "期间")
    if period_cell is not None:
        info.write(1, 1, period_cell[0], period_cell[1])
    else:
        info.write(1, 1, period)
    data = wb.add_sheet("数据")
    for c, h in enumerate(HEADER):
        data.write(0, c, h)
    date = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, datetime.date):
                data.write(r, c, v, date)
            else:
                data.write(r, c, v)
    wb.save(os.path.join(HERE, name))


def roster(name, units):
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("单位")
    for c, h in enumerate(["单位代码", "单位名称", "类别"]):
        ws.write(0, c, h)
    for r, unit in enumerate(units, start=1):
        for c, v in enumerate(unit):
            ws.write(r, c, v)
    wb.save(os.path.join(HERE, name))


# The standard project's S01 (tests/common/mod.rs `project()`), with U1's first period as a real date cell.
station("S01-same.xls", "S01", "2024Q1", [
    [datetime.date(2024, 2, 15), "U1", "A1", BLANK, 1.0],
    [BLANK, "U1", "A2", BLANK, 0.9],
    [BLANK, "U2", "A2", BLANK, "80%"],
    [BLANK, "U3", "A2", BLANK, 1.0],
    [BLANK, "U3", "A1", BLANK, 2.0],
    [BLANK, "U9", "A1", BLANK, 1.0],
])
# Every row-level issue kind (tests/score.rs `every_row_issue_kind_at_its_cell`).
station("S01-issues.xls", "S01", "2024Q1", [
    ["2024Q1", "U1", "A2", BLANK, 0.9],
    ["2024年13月", "U1", "A2", BLANK, 0.9],
    ["2024-04", "U1", "A2", BLANK, 0.9],
    [BLANK, "U8", "A2", BLANK, 0.9],
    [BLANK, "U1", "Z9", BLANK, 0.9],
    [BLANK, "U1", "A", BLANK, 0.9],
    [BLANK, "U1", "BD", BLANK, "优"],
    [BLANK, "U1", "B1", BLANK, 5.0],
    [BLANK, "U1", "P", "z", 1.0],
    [BLANK, "U1", "P", BLANK, 1.0],
    [BLANK, "U1", "P", "x", 1.5],
    [BLANK, "U1", "P", "y", 4.0],
    [BLANK, "U1", "P", "y", BLANK],
    [BLANK, "U1", "A2", BLANK, "九成"],
    [BLANK, "U3", "BD", BLANK, "良"],
    [BLANK, "U1", "A2", BLANK, True],
    [BLANK, "U1", "A2", BLANK, BLANK],
    [BLANK, "U1", "P", "x", BLANK],
])
station("S03-issues.xls", "S03", "2024Q1", [[BLANK, "U1", "B1", BLANK, 6.0], [BLANK, "U1", "B1", BLANK, "很好"]])
# One valid survey answer (few_responses when min_responses is 2).
station("S03-one.xls", "S03", "2024Q1", [[BLANK, "U1", "B1", BLANK, 5.0]])
# A yearly workbook in a quarterly window: its row is coarse.
station("S02-year.xls", "S02", "2024", [[BLANK, "U2", "V", BLANK, BLANK]])
roster("roster.xls", [("U1", "北马镇", "town"), ("U2", "黄山馆镇", "镇街区"), ("U3", "财政局", "dept")])
