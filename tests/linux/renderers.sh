#!/usr/bin/env bash
# The app starts with each renderer on Mesa's software drivers under Xvfb, and as users start
# it (wgpu, else glow): each paints its first frame and shows the overview of a copy of the
# example workspace, which stays unchanged. Needs Xvfb and Mesa (apt-get install -y xvfb
# libgl1-mesa-dri libegl1 libegl-mesa0 libvulkan1 mesa-vulkan-drivers).
# Usage: tests/linux/renderers.sh [BINARY]   (default target/debug/ips-fidelity)
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=$(realpath "${1:-target/debug/ips-fidelity}")
fail() { echo "tests/linux/renderers.sh: $*" >&2; exit 1; }
command -v Xvfb >/dev/null || fail "Xvfb is missing (apt-get install -y xvfb)"
[ -x "$binary" ] || fail "$binary is not built"
Xvfb :95 -screen 0 1280x800x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -e /tmp/.X11-unix/X95 ] && break; sleep 0.1; done
[ -e /tmp/.X11-unix/X95 ] || fail "Xvfb did not start on :95"
work=$(mktemp -d)
for renderer in glow wgpu ""; do
  rm -rf "$work/ws" "$work/home"
  cp -r examples/workspace "$work/ws"
  before=$(cd "$work/ws" && find . -type f -exec sha1sum {} + | sort)
  rc=0
  out=$(cd "$work" && HOME=$work/home DISPLAY=:95 LIBGL_ALWAYS_SOFTWARE=1 IPS_FIDELITY_RENDERER=$renderer \
    IPS_FIDELITY_EXIT_AFTER_FIRST_FRAME=1 IPS_FIDELITY_CACHE_DIR=none timeout 120 "$binary" --workspace ws 2>&1) || rc=$?
  [ $rc = 0 ] || { echo "$out"; fail "the app did not start with renderer '${renderer:-default}' (exit code $rc)"; }
  line=$(grep "first frame after" <<<"$out") || { echo "$out"; fail "no first frame with renderer '${renderer:-default}'"; }
  case "${renderer:-wgpu}" in
    glow) grep -q "(glow)" <<<"$line" || fail "IPS_FIDELITY_RENDERER=glow painted with another renderer: $line" ;;
    wgpu) grep -q "(wgpu, " <<<"$line" || fail "renderer '${renderer:-default}' did not paint with wgpu: $line" ;;
  esac
  grep -q "overview after" <<<"$out" || { echo "$out"; fail "no overview with renderer '${renderer:-default}'"; }
  after=$(cd "$work/ws" && find . -type f -exec sha1sum {} + | sort)
  [ "$before" = "$after" ] || fail "opening the app with renderer '${renderer:-default}' changed the workspace"
  echo "renderer '${renderer:-default}': $(grep -E "first frame|overview after" <<<"$out" | tr '\n' ' ')"
done
# As users start it where wgpu finds no backend (WGPU_BACKEND=dx12 has none on Linux): the
# app says so and paints with glow.
rm -rf "$work/ws" "$work/home"
cp -r examples/workspace "$work/ws"
rc=0
out=$(cd "$work" && HOME=$work/home LC_ALL=en_US.UTF-8 DISPLAY=:95 LIBGL_ALWAYS_SOFTWARE=1 WGPU_BACKEND=dx12 \
  IPS_FIDELITY_EXIT_AFTER_FIRST_FRAME=1 IPS_FIDELITY_CACHE_DIR=none timeout 120 "$binary" --workspace ws 2>&1) || rc=$?
[ $rc = 0 ] && grep -q "could not start" <<<"$out" && grep "first frame after" <<<"$out" | grep -q "(glow)" \
  || { echo "$out"; fail "with no wgpu backend the app did not fall back to glow (exit code $rc)"; }
echo "no wgpu backend: $(grep -E "could not start|first frame" <<<"$out" | tr '\n' ' ')"
# A forced renderer that is not one is refused, in the user's language.
rc=0
out=$(cd "$work" && HOME=$work/home LC_ALL=en_US.UTF-8 DISPLAY=:95 IPS_FIDELITY_RENDERER=vulkan IPS_FIDELITY_EXIT_AFTER_FIRST_FRAME=1 \
  IPS_FIDELITY_CACHE_DIR=none timeout 30 "$binary" --workspace ws 2>&1) || rc=$?
rm -rf "$work"
[ $rc = 1 ] && grep -q "IPS_FIDELITY_RENDERER=vulkan is not a renderer" <<<"$out" \
  || fail "IPS_FIDELITY_RENDERER=vulkan gave exit code $rc and: $out"
echo "tests/linux/renderers.sh: glow, wgpu and the default each painted the overview"
