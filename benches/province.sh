#!/usr/bin/env bash
# Benchmark harness for zhili (issue #7). Rerunnable from a fresh clone:
#
#   bash benches/province.sh                 # province (3,000 units, 1M records) and county scale
#   RUNS=5 bash benches/province.sh          # more runs per measurement (median is reported)
#   SCALES=county bash benches/province.sh   # only the county project
#
# For each scale it generates the project once (deterministic, under target/bench/),
# then measures in one session, RUNS times each, median reported:
#   zhili   `zhili score --period 2024` writing the full Excel report and the JSON:
#           wall time and peak RSS from /usr/bin/time -v
#   floor   examples/floor: reading the same station workbooks with calamine's streaming
#           cell reader on one thread, plus rust_xlsxwriter writing the cells of zhili's report
#   peer    benches/peer/peer.py: polars reading the same workbooks (calamine engine), grouping,
#           joining the roster and writing a far smaller result (pinned versions, installed into
#           target/bench/peer-venv on first use; set PEER=0 to skip)
# and prints a Markdown table with the ratios zhili / floor and zhili / peer, all from the same runs.
# Then, once per scale, `--per-unit` with ZHILI_TIMINGS: the 体检报告 phase against the main report's.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
SCALES=${SCALES:-"province county"}
OUT=target/bench
mkdir -p "$OUT"
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (Debian package: time)" >&2; exit 2; }

cargo build --release --quiet --bin zhili --example gen_project --example floor
ZHILI=target/release/zhili
PEER=${PEER:-1}
PY=$OUT/peer-venv/bin/python
if [ "$PEER" = 1 ] && [ ! -x "$PY" ]; then
  python3 -m venv "$OUT/peer-venv"
  "$OUT/peer-venv/bin/pip" install --quiet polars==1.9.0 fastexcel==0.12.0 xlsxwriter==3.2.0 pyarrow==17.0.0
fi

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "| scale | units | records | zhili wall (s) | zhili peak RSS (MB) | floor read (s) | floor write (s) | floor (s) | zhili / floor | peer (s) | zhili / peer |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
phases=""
for scale in $SCALES; do
  case $scale in
    province) units=3000; records=1000000 ;;
    county) units=60; records=20000 ;;
    *) echo "unknown scale $scale" >&2; exit 2 ;;
  esac
  dir="$OUT/$scale"
  if [ ! -f "$dir/zhili.toml" ]; then
    target/release/examples/gen_project --units $units --leaves 150 --records $records --out "$dir" >&2
  fi
  walls=(); rss=(); reads=(); writes=(); peers=()
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -v "$ZHILI" score "$dir" --period 2024 --quiet \
        --json "$OUT/$scale.json" --out "$OUT/$scale.xlsx" 2> "$OUT/time.txt" || [ $? -eq 3 ]
    walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$OUT/time.txt")")
    rss+=("$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$OUT/time.txt")")
    target/release/examples/floor "$dir" "$OUT/$scale.xlsx" > "$OUT/floor.txt"
    reads+=("$(awk '/^read/ {print $2}' "$OUT/floor.txt")")
    writes+=("$(awk '/^write/ {print $2}' "$OUT/floor.txt")")
    if [ "$PEER" = 1 ]; then
      peers+=("$("$PY" benches/peer/peer.py "$dir" "$OUT/peer.xlsx" | awk '/^peer/ {print $2}')")
    fi
  done
  w=$(printf '%s\n' "${walls[@]}" | median)
  m=$(printf '%s\n' "${rss[@]}" | median)
  r=$(printf '%s\n' "${reads[@]}" | median)
  wr=$(printf '%s\n' "${writes[@]}" | median)
  floor=$(awk -v a="$r" -v b="$wr" 'BEGIN {printf "%.2f", a + b}')
  ratio=$(awk -v a="$w" -v b="$floor" 'BEGIN {printf "%.2f", a / b}')
  if [ "$PEER" = 1 ]; then
    p=$(printf '%s\n' "${peers[@]}" | median)
    pratio=$(awk -v a="$w" -v b="$p" 'BEGIN {printf "%.2f", a / b}')
  else
    p="—"; pratio="—"
  fi
  echo "| $scale | $units | $records | $w | $m | $r | $wr | $floor | $ratio | $p | $pratio |"
  # The per-unit reports: one run with phase timings (the main report's xlsx phase beside the 体检报告 phase).
  rm -rf "$OUT/units-$scale"
  ZHILI_TIMINGS=1 "$ZHILI" score "$dir" --period 2024 --quiet --json "$OUT/$scale.json" --out "$OUT/$scale.xlsx" \
      --per-unit "$OUT/units-$scale" 2> "$OUT/phases.txt" || [ $? -eq 3 ]
  x=$(awk '$1 == "zhili-timing" && $2 == "xlsx" {print $3}' "$OUT/phases.txt")
  pu=$(awk '$1 == "zhili-timing" && $2 == "per-unit" {print $3}' "$OUT/phases.txt")
  phases="$phases| $scale | $units | $x | $pu | $(awk -v a="$pu" -v b="$x" 'BEGIN {printf "%.2f", a / b}') |
"
done
echo
echo "| scale | 体检报告 | main report (xlsx phase, s) | all 体检报告 (s) | ratio |"
echo "|---|---|---|---|---|"
printf '%s' "$phases"
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); runs per cell: $RUNS (median)"
