"""The polars peer for zhili's benchmark (docs/performance.md, issue #20).

What a data team would write instead of zhili, doing a fraction of its work: read every station workbook's
数据 sheet with polars' calamine engine, keep the rows that name a unit, group by unit and indicator, join the
roster, and write the (far smaller) result with polars' Excel writer. No rules, no rounding, no provenance.

    python peer.py PROJECT_DIR OUT.xlsx      # prints "peer <seconds>"

Versions are pinned by benches/province.sh, which installs them into a venv.
"""

import glob
import sys
import time

import polars as pl


def main() -> None:
    project, out = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    frames = []
    for path in sorted(glob.glob(f"{project}/stations/**/*.xlsx", recursive=True)):
        # Every column as text, as a station workbook mixes numbers, "95%" and blanks.
        frame = pl.read_excel(path, sheet_name="数据", engine="calamine", infer_schema_length=0)
        frames.append(frame.with_columns(pl.lit(path).alias("文件")))
    data = pl.concat(frames, how="diagonal_relaxed")
    roster = pl.read_excel(f"{project}/roster.xlsx", engine="calamine", infer_schema_length=0)
    result = (
        data.filter(pl.col("单位代码").is_not_null())
        .with_columns(pl.col("数值").cast(pl.Float64, strict=False))
        .group_by(["单位代码", "指标代码"])
        .agg(pl.col("数值").sum().alias("合计"), pl.len().alias("记录数"))
        .join(roster, on="单位代码", how="left")
        .sort(["单位代码", "指标代码"])
    )
    result.write_excel(out)
    print(f"peer {time.perf_counter() - start:.3f}")


if __name__ == "__main__":
    main()
