#!/usr/bin/env bash
# The Windows build, driven under Wine: builds ips-fidelity.exe for x86_64-pc-windows-gnu
# (linked by Debian's mingw-w64), builds the test fixtures beside it (never shipped: the
# ProcessPrng shim Wine 8 lacks, and hold-open.exe), then runs every documented command
# and the Windows reliability cases through the exe (tests/it/under_wine.rs), and starts
# the app on Xvfb. .ci/run calls it where Wine is there.
# Needs: rustup target add x86_64-pc-windows-gnu; apt-get install -y wine64 gcc-mingw-w64-x86-64 xvfb
# Usage: tests/windows/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
TARGET=x86_64-pc-windows-gnu
for tool in wine x86_64-w64-mingw32-gcc Xvfb; do
  command -v "$tool" >/dev/null || { echo "tests/windows/run.sh: $tool is missing (apt-get install -y wine wine64 gcc-mingw-w64-x86-64 xvfb)" >&2; exit 1; }
done

echo "== cargo build --target $TARGET"
cargo build --target "$TARGET" --bin ips-fidelity
EXE=$PWD/target/$TARGET/debug/ips-fidelity.exe
FIXTURES=$PWD/target/$TARGET/wine-fixtures
mkdir -p "$FIXTURES"
# Wine looks for DLLs beside the exe first: the shim goes there, in the build folder only.
x86_64-w64-mingw32-gcc -shared -O2 -o "$(dirname "$EXE")/bcryptprimitives.dll" \
  tests/windows/prng-shim.c tests/windows/prng-shim.def -ladvapi32
x86_64-w64-mingw32-gcc -O2 -municode -o "$FIXTURES/hold-open.exe" tests/windows/hold-open.c

# A Wine prefix of its own, made once per run (no Mono or Gecko: the exe needs neither).
export WINEPREFIX=${WINEPREFIX:-$PWD/target/$TARGET/wineprefix}
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
# A server left by an earlier run that was stopped would keep this one waiting.
wineserver -k >/dev/null 2>&1 || true
wineboot -i >/dev/null 2>&1
# One wine server for the whole run, started here with its output elsewhere: a server that a
# test's `wine` started would hold that test's output pipe open for seconds after it ends.
wineserver -w
wineserver -p >/dev/null 2>&1
trap 'wineserver -k >/dev/null 2>&1 || true' EXIT
echo "== under Wine: $(wine --version)"
wine "$EXE" --version

echo "== the documented commands and the Windows reliability cases, through the exe"
IPS_FIDELITY_WINE_EXE=$EXE IPS_FIDELITY_WINE_FIXTURES=$FIXTURES timeout 1800 \
  cargo test --test it -- --ignored --test-threads 1 under_wine every_documented_command_runs_under_wine

echo "== the app under Wine on Xvfb"
started_xvfb=
if [ -z "${DISPLAY:-}" ]; then
  Xvfb :93 -screen 0 1280x800x24 >/dev/null 2>&1 &
  started_xvfb=$!
  export DISPLAY=:93
  for _ in $(seq 50); do [ -e /tmp/.X11-unix/X93 ] && break; sleep 0.1; done
fi
ws=$(mktemp -d)
cp -r examples/workspace/. "$ws/"
before=$(cd "$ws" && find . -type f -exec sha1sum {} + | sort)
out=$(IPS_FIDELITY_EXIT_AFTER_FIRST_FRAME=1 IPS_FIDELITY_CACHE_DIR=none timeout 120 wine "$EXE" --workspace "$ws" 2>&1) || {
  echo "$out"; echo "the app did not start under Wine" >&2; exit 1; }
echo "$out" | grep -E "first frame|overview after" || true
echo "$out" | grep -q "overview after" || { echo "the app under Wine showed no overview" >&2; exit 1; }
after=$(cd "$ws" && find . -type f -exec sha1sum {} + | sort)
[ "$before" = "$after" ] || { echo "opening the app under Wine changed the workspace" >&2; exit 1; }
rm -rf "$ws"
if [ -n "$started_xvfb" ]; then kill "$started_xvfb" 2>/dev/null || true; fi
echo "tests/windows/run.sh: all passed"
