#!/usr/bin/env bash
# Whole-process budgets from BENCHMARKS.md, measured side by side on a release build.
# Needs: hyperfine, GNU time (/usr/bin/time) and, for start-up, Xvfb
#   apt-get install -y hyperfine time xvfb
# Usage: benches/measure.sh            (writes to $WORK, default /tmp/ips-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --bins --examples
BIN=$PWD/target/release/ips-fidelity
WORK=${WORK:-/tmp/ips-bench}
rm -rf "$WORK" && mkdir -p "$WORK"

echo "== generate 300 services x 20 reviews (seed 1)"
"$BIN" dev generate --services 300 --reviews 20 --seed 1 --workspace "$WORK/ws" --csv "$WORK/all.csv"
sync
echo "files: $(find "$WORK/ws" -type f | wc -l), bytes: $(du -sb "$WORK/ws" | cut -f1)"

echo "== export vs reading the same files"
hyperfine --warmup 3 --runs 20 \
  "find $WORK/ws -type f -exec cat {} + > /dev/null" \
  "find $WORK/ws -type f -name '*.json' -exec cat {} + > /dev/null" \
  "$BIN export --format csv --workspace $WORK/ws > /dev/null"

echo "== peak memory of the export"
/usr/bin/time -v "$BIN" export --format csv --workspace "$WORK/ws" 2>&1 >/dev/null | grep -E "Maximum resident|Elapsed"

echo "== import of the 6,000 evaluations from one CSV (durable)"
# Each run imports into a new folder: deleting 6,000 files between runs would keep the file
# system busy (discards) and measure the deletion instead.
sync && sleep 3
for run in 1 2 3 4 5; do
  /usr/bin/time -f "run $run: %e s wall (%U s user, %S s system)" \
    "$BIN" import "$WORK/all.csv" --workspace "$WORK/imported-$run" > /dev/null
  sleep 2
done
rm -rf "$WORK"/imported-*

echo "== report for the example service"
hyperfine --warmup 3 --runs 30 \
  "$BIN report --workspace examples/workspace --service 'IPS Nordby' -o $WORK/report.pdf"

echo "== start-up to the first painted frame, against a minimal eframe window"
if [ -z "${DISPLAY:-}" ]; then
  Xvfb :97 -screen 0 1280x800x24 >/dev/null 2>&1 &
  XVFB=$!
  export DISPLAY=:97
  sleep 1
fi
unset WAYLAND_DISPLAY
rm -rf "$WORK/app-ws" && cp -r examples/workspace "$WORK/app-ws"
IPS_FIDELITY_EXIT_AFTER_FIRST_FRAME=1 hyperfine --warmup 2 --runs 15 \
  "$PWD/target/release/examples/minimal_window" \
  "$BIN --workspace $WORK/app-ws"
if [ -n "${XVFB:-}" ]; then kill "$XVFB"; fi
