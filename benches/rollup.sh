#!/usr/bin/env bash
# Roll-up benchmark (docs/performance.md, "汇总"). Rerunnable from a fresh clone:
#
#   bash benches/rollup.sh                   # 100 counties of 30 units, 30,000 records each
#   COUNTIES=300 bash benches/rollup.sh      # more counties
#
# Generates one county (deterministic, under target/bench/rollup/), scores it to a JSON result, copies that
# result once per county with distinct unit codes and one area per county (省/县NNN) — the records stay
# behind, as in real use — then times `zhili rollup` over all copies, JSON only and with the Excel report.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNTIES=${COUNTIES:-100}
OUT=target/bench/rollup
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (Debian package: time)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "needs python3 (to copy the county's result)" >&2; exit 2; }
cargo build --release --quiet --bin zhili --example gen_project
ZHILI=$PWD/target/release/zhili
rm -rf "$OUT" && mkdir -p "$OUT/results"
cargo run --release --quiet --example gen_project -- --units 30 --leaves 150 --records 30000 --out "$OUT/county"
measure() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Elapsed/ {w=$2} /Maximum resident/ {m=$2/1024} END {printf "%s wall, %.0f MB peak RSS\n", w, m}'; }
echo "county score (30 units, 30,000 records): $(cd "$OUT/county" && measure "$ZHILI" score --period 2024 -q --json ../county.json)"
python3 - "$OUT/county.json" "$OUT/results" "$COUNTIES" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for k in range(int(sys.argv[3])):
    copy = dict(doc, units=[dict(u, code=f"C{k:03d}-{u['code']}", area=f"省/县{k:03d}") for u in doc["units"]])
    json.dump(copy, open(f"{sys.argv[2]}/c{k:03d}.json", "w"), ensure_ascii=False)
PY
echo "inputs: $COUNTIES results, $(du -sh "$OUT/results" | cut -f1)"
cd "$OUT/county"
echo "rollup, JSON only:  $(measure "$ZHILI" rollup ../results/*.json --json ../rollup.json -q)"
echo "rollup, with Excel: $(measure "$ZHILI" rollup ../results/*.json --json ../rollup.json --out ../rollup.xlsx -q)"
ls -la ../rollup.json ../rollup.xlsx | awk '{print $5, $9}'
