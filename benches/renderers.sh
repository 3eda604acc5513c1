#!/usr/bin/env bash
# Start-up of each renderer on Mesa's software drivers under Xvfb: the median of 5 starts
# of the first frame and of the overview (the app's own IPS_FIDELITY_EXIT_AFTER_FIRST_FRAME
# lines), and the peak memory (GNU time), on the example workspace.
# Needs: Xvfb, Mesa, GNU time (apt-get install -y xvfb time libgl1-mesa-dri libegl1 libegl-mesa0 libvulkan1 mesa-vulkan-drivers)
# Usage: benches/renderers.sh [BINARY]   (default target/release/ips-fidelity)
set -euo pipefail
cd "$(dirname "$0")/.."
binary=$(realpath "${1:-target/release/ips-fidelity}")
Xvfb :96 -screen 0 1280x800x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -e /tmp/.X11-unix/X96 ] && break; sleep 0.1; done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
work=$(mktemp -d)
cp -r examples/workspace "$work/ws"
echo "| renderer | painted with | first frame (median of 5) | overview | peak memory |"
echo "|---|---|---|---|---|"
for renderer in glow wgpu; do
  firsts=() overviews=() mems=()
  for _ in 1 2 3 4 5; do
    out=$(cd "$work" && HOME=$work/home DISPLAY=:96 LIBGL_ALWAYS_SOFTWARE=1 IPS_FIDELITY_RENDERER=$renderer \
      IPS_FIDELITY_EXIT_AFTER_FIRST_FRAME=1 IPS_FIDELITY_CACHE_DIR=none /usr/bin/time -f "%M KB" "$binary" --workspace ws 2>&1)
    firsts+=("$(sed -n 's/^first frame after \([0-9.]*\) ms.*/\1/p' <<<"$out")")
    overviews+=("$(sed -n 's/^overview after \([0-9.]*\) ms.*/\1/p' <<<"$out")")
    mems+=("$(sed -n 's/^\([0-9]*\) KB$/\1/p' <<<"$out")")
    with=$(sed -n 's/^first frame after [0-9.]* ms (\(.*\))$/\1/p' <<<"$out")
  done
  f=$(printf '%s\n' "${firsts[@]}" | median)
  o=$(printf '%s\n' "${overviews[@]}" | median)
  m=$(printf '%s\n' "${mems[@]}" | median)
  echo "| $renderer | $with | $f ms | $o ms | $((m / 1024)) MB |"
done
rm -rf "$work"
