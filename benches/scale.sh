#!/usr/bin/env bash
# The ten-times-the-data figures of BENCHMARKS.md, measured side by side in one run:
# 3,000 services x 20 reviews (60,000 reviews), the slow-share frame test (fsync delayed
# 300 ms by strace) and the editor's CPU time a frame.
# Needs: hyperfine, GNU time, strace, Xvfb (apt-get install -y hyperfine time strace xvfb)
# Usage: benches/scale.sh [BEFORE_BINARY]   (an older build to measure beside this one)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --bins
BIN=$PWD/target/release/ips-fidelity
BEFORE=${1:-}
WORK=${WORK:-/tmp/ips-scale}
rm -rf "$WORK" && mkdir -p "$WORK"
builds=("$BIN")
if [ -n "$BEFORE" ]; then builds=("$BEFORE" "$BIN"); fi

echo "== generate 3,000 services x 20 reviews and 300 x 20 (seed 1)"
"$BIN" dev generate --services 3000 --reviews 20 --seed 1 --workspace "$WORK/ws" --csv "$WORK/all.csv" >/dev/null
"$BIN" dev generate --services 300 --reviews 20 --seed 1 --workspace "$WORK/ws6k" >/dev/null
sync
echo "files: $(find "$WORK/ws" -type f | wc -l), bytes: $(du -sb "$WORK/ws" | cut -f1), on disk: $(du -sh "$WORK/ws" | cut -f1)"

echo "== export of 60,000 reviews vs reading the same files; and of 6,000"
cmds=("find $WORK/ws -type f -exec cat {} + > /dev/null")
for b in "${builds[@]}"; do
  cmds+=("$b export --format csv --workspace $WORK/ws > /dev/null" "$b export --format csv --workspace $WORK/ws6k > /dev/null")
done
hyperfine --warmup 2 --runs 10 "${cmds[@]}"

echo "== peak memory of the export (max RSS)"
for b in "${builds[@]}"; do
  for ws in ws6k ws; do
    /usr/bin/time -f "$b $ws: %M KB, %e s" "$b" export --format csv --workspace "$WORK/$ws" >/dev/null
  done
done

echo "== summary across all services"
for b in "${builds[@]}"; do
  /usr/bin/time -f "$b summary: %M KB, %e s" "$b" summary --workspace "$WORK/ws" >/dev/null
done

echo "== durable import of 60,000 reviews from one CSV (3 runs each, each into a new folder)"
# The disk is let settle before each run: the kernel writing back an earlier run's 60,000
# files would be counted in the next one's sync.
for b in "${builds[@]}"; do
  for run in 1 2 3; do
    sync && sleep 5
    /usr/bin/time -f "$b import, run $run: %e s wall (%U s user, %S s system), %M KB" \
      "$b" import "$WORK/all.csv" --workspace "$WORK/imported-$run-$(basename "$(dirname "$b")")" >/dev/null
  done
  rm -rf "$WORK"/imported-*
done

echo "== opening the app on 60,000 reviews: first painted frame and peak memory"
if [ -z "${DISPLAY:-}" ]; then
  Xvfb :97 -screen 0 1280x800x24 >/dev/null 2>&1 &
  XVFB=$!
  export DISPLAY=:97
  sleep 1
fi
unset WAYLAND_DISPLAY
for b in "${builds[@]}"; do
  HOME=$WORK/home IPS_FIDELITY_EXIT_AFTER_FIRST_FRAME=1 /usr/bin/time -f "$b app: %M KB, %e s in all" \
    "$b" --workspace "$WORK/ws" 2>&1 | grep -E "first frame|overview after|app:"
done
if [ -n "${XVFB:-}" ]; then kill "$XVFB"; fi

echo "== the slow share (fsync, fdatasync, syncfs +300 ms) and the editor's CPU time a frame"
cargo test --release --test it slow_share -- --nocapture 2>&1 | grep -E "slow share \(" | head -1
cargo test --release --test it ui_perf -- --nocapture 2>&1 | grep -E "a frame" | sort -u
