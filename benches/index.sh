#!/usr/bin/env bash
# The local index's figures of BENCHMARKS.md: the app's overview on 300 x 20 and 3,000 x 20
# workspaces, with no index, cold (an empty index), warm, and warm after 10 review files
# changed; on the local disk and with every openat delayed 2 ms by strace (a modest network
# share); the app's peak memory and the index's size on disk.
# Needs: strace, GNU time, Xvfb (apt-get install -y strace time xvfb)
# Usage: benches/index.sh   (SIZES="300" for the small workspace only; BIN=path/to/ips-fidelity
#        to measure another build, e.g. the one before a change, in the same conditions)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BIN:-}" ]; then
  cargo build --release --bins
  BIN=$PWD/target/release/ips-fidelity
fi
WORK=${WORK:-/tmp/ips-index}
rm -rf "$WORK" && mkdir -p "$WORK/home"
for size in ${SIZES:-300 3000}; do
  "$BIN" dev generate --services "$size" --reviews 20 --seed 1 --workspace "$WORK/ws$size" >/dev/null
done
sync
if [ -z "${DISPLAY:-}" ]; then
  Xvfb :98 -screen 0 1280x800x24 >/dev/null 2>&1 &
  XVFB=$!
  export DISPLAY=:98
  sleep 1
fi
unset WAYLAND_DISPLAY

# The app's "overview after N ms" and its peak memory, for workspace $1, index $2, delay $3.
open_app() {
  local ws=$1 cache=$2 delay=$3 pre=()
  # --seccomp-bpf: only openat stops under strace, so what is measured is the delay, not
  # strace's own cost on every other call.
  if [ "$delay" = 2ms ]; then
    pre=(strace --seccomp-bpf -f -qq -o /dev/null -e trace=openat -e inject=openat:delay_enter=2000)
  fi
  IPS_FIDELITY_CACHE_DIR=$cache HOME=$WORK/home IPS_FIDELITY_EXIT_AFTER_FIRST_FRAME=1 \
    "${pre[@]}" /usr/bin/time -f "%M KB" "$BIN" --workspace "$ws" 2>&1 | grep -E "overview after|KB$" | tr '\n' ' ' \
    || echo "the app did not start (is Xvfb there?)" >&2
  echo
}

# One start first: the system's font and locale caches are made on a first start.
mkdir -p "$WORK/empty"
open_app "$WORK/empty" none local >/dev/null
echo "== the app on an empty workspace (what every open costs before the workspace)"
echo "local: $(open_app "$WORK/empty" none local)"
echo "2ms:   $(open_app "$WORK/empty" none 2ms)"

# The median of 3 runs on the local disk (a run there takes a second, and this machine's
# timings wander by 10-20 %), one run on the delayed share. $1 is what comes before each
# run: cold (an empty index), edit (10 review files changed) or nothing (warm).
measure() {
  local before=$1 ws=$2 cache=$3 delay=$4 runs=1 out=()
  if [ "$delay" = local ]; then runs=3; fi
  for _ in $(seq "$runs"); do
    case $before in
      cold) rm -rf "$cache" ;;
      edit) for f in $(find "$ws/services" -path '*/evaluations/*.json' | sort | head -10); do printf ' ' >> "$f"; done ;;
    esac
    out+=("$(open_app "$ws" "$cache" "$delay")")
  done
  printf '%s\n' "${out[@]}" | sort -t' ' -k3 -n | sed -n "$(( (runs + 1) / 2 ))p"
}

for size in ${SIZES:-300 3000}; do
  ws=$WORK/ws$size
  for delay in local 2ms; do
    cache=$WORK/cache-$size-$delay
    echo "== $size x 20, openat $delay"
    echo "no index:  $(measure none "$ws" none "$delay")"
    echo "cold:      $(measure cold "$ws" "$cache" "$delay")"
    echo "warm:      $(measure warm "$ws" "$cache" "$delay")"
    echo "10 edited: $(measure edit "$ws" "$cache" "$delay")"
    # On the local disk no index is written (reads there are fast): the folder is absent.
    if [ -d "$cache" ]; then
      echo "index: $(du -sh "$cache" | cut -f1) in $(find "$cache" -type f | wc -l) files; workspace $(du -sh "$ws" | cut -f1)"
    else
      echo "index: none written; workspace $(du -sh "$ws" | cut -f1)"
    fi
  done
done
if [ -n "${XVFB:-}" ]; then kill "$XVFB" 2>/dev/null || true; fi
