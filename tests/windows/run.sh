#!/usr/bin/env bash
# The Windows build, driven under Wine: builds ips-fidelity.exe for x86_64-pc-windows-gnu
# (linked by Debian's mingw-w64), builds the test fixtures beside it (never shipped: the
# ProcessPrng shim Wine 8 lacks, and hold-open.exe), then runs every documented command
# and the Windows reliability cases through the exe (tests/it/under_wine.rs), and starts
# the app on Xvfb. .ci/run calls it where Wine is there.
# Needs: rustup target add x86_64-pc-windows-gnu; apt-get install -y wine wine64 gcc-mingw-w64-x86-64 xvfb nsis
# Usage: tests/windows/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
TARGET=x86_64-pc-windows-gnu
for tool in wine x86_64-w64-mingw32-gcc Xvfb makensis; do
  command -v "$tool" >/dev/null || { echo "tests/windows/run.sh: $tool is missing (apt-get install -y wine wine64 gcc-mingw-w64-x86-64 xvfb nsis)" >&2; exit 1; }
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
# winemenubuilder would turn the installer's shortcuts into menu entries of this machine.
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
started_xvfb=
cleanup() {
  wineserver -k >/dev/null 2>&1 || true
  if [ -n "$started_xvfb" ]; then kill "$started_xvfb" 2>/dev/null || true; fi
}
trap cleanup EXIT
# The display comes first: the desktop process that wineboot starts keeps the display it
# found, and one started without any leaves every later window without a driver ("no
# driver could be loaded", the app hanging until the timeout: CI saw it on a new prefix).
if [ -z "${DISPLAY:-}" ]; then
  Xvfb :93 -screen 0 1280x800x24 >/dev/null 2>&1 &
  started_xvfb=$!
  export DISPLAY=:93
  for _ in $(seq 50); do [ -e /tmp/.X11-unix/X93 ] && break; sleep 0.1; done
  [ -e /tmp/.X11-unix/X93 ] || { echo "Xvfb did not start on :93" >&2; exit 1; }
fi
# A server left by an earlier run that was stopped would keep this one waiting.
wineserver -k >/dev/null 2>&1 || true
wineboot -i >/dev/null 2>&1
# One wine server for the whole run, started here with its output elsewhere: a server that a
# test's `wine` started would hold that test's output pipe open for seconds after it ends.
wineserver -w
wineserver -p >/dev/null 2>&1
# A program that crashes under Wine would otherwise wait on winedbg's dialog until the
# timeout, and say nothing: without the dialog winedbg prints the backtrace and it exits.
wine reg add 'HKCU\Software\Wine\WineDbg' /v ShowCrashDialog /t REG_DWORD /d 0 /f >/dev/null 2>&1
echo "== under Wine: $(wine --version)"
wine "$EXE" --version

echo "== the documented commands and the Windows reliability cases, through the exe"
IPS_FIDELITY_WINE_EXE=$EXE IPS_FIDELITY_WINE_FIXTURES=$FIXTURES timeout 1800 \
  cargo test --test it -- --ignored --test-threads 1 under_wine every_documented_command_runs_under_wine

echo "== the app under Wine on Xvfb"
# The app on a copy of the example workspace: the first frame and the overview come, and
# nothing is changed. A start that fails is shown with Wine's errors and tried once more, so
# that one lost start of Wine's (CI saw one, with no output) is told from a broken app.
start_app() { # DESCRIPTION EXPECTED-RENDERER [VAR=VALUE...]
  local what=$1 expected=$2 ws out rc before after try
  shift 2
  for try in 1 2; do
    ws=$(mktemp -d)
    cp -r examples/workspace/. "$ws/"
    before=$(cd "$ws" && find . -type f -exec sha1sum {} + | sort)
    rc=0
    out=$(env "$@" IPS_FIDELITY_EXIT_AFTER_FIRST_FRAME=1 IPS_FIDELITY_CACHE_DIR=none \
      timeout 120 wine "$EXE" --workspace "$ws" 2>&1) || rc=$?
    if [ $rc = 0 ]; then break; fi
    echo "$out"
    echo "the app did not start under Wine ($what, try $try, exit code $rc); Wine's errors:" >&2
    env "$@" IPS_FIDELITY_EXIT_AFTER_FIRST_FRAME=1 IPS_FIDELITY_CACHE_DIR=none WINEDEBUG=err+all \
      timeout 60 wine "$EXE" --workspace "$ws" 2>&1 | tail -40 >&2 || true
    rm -rf "$ws"
    [ $try = 2 ] && exit 1
  done
  echo "$what: $(grep -E "first frame|overview after|could not start" <<<"$out" | tr '\n' ' ')"
  grep -q "overview after" <<<"$out" || { echo "$out"; echo "the app under Wine showed no overview ($what)" >&2; exit 1; }
  grep "first frame after" <<<"$out" | grep -qF "($expected" \
    || { echo "$out"; echo "the app under Wine did not paint with $expected ($what)" >&2; exit 1; }
  after=$(cd "$ws" && find . -type f -exec sha1sum {} + | sort)
  [ "$before" = "$after" ] || { echo "opening the app under Wine changed the workspace ($what)" >&2; exit 1; }
  rm -rf "$ws"
  app_out=$out
}
app_out=
start_app "glow" glow IPS_FIDELITY_RENDERER=glow
# wgpu's Direct3D 12 runs on Wine's vkd3d, which loses its device at once on Mesa's software
# Vulkan; wgpu's Vulkan and GL backends are what Wine can show of the wgpu renderer.
start_app "wgpu on Vulkan" "wgpu, Vulkan" IPS_FIDELITY_RENDERER=wgpu WGPU_BACKEND=vulkan
start_app "wgpu on GL" "wgpu, Gl" IPS_FIDELITY_RENDERER=wgpu WGPU_BACKEND=gl
# As users start it: wgpu first (here its Direct3D 12 fails, as above), then glow.
start_app "as users start it" glow LC_ALL=en_US.UTF-8
grep -q "could not start" <<<"$app_out" || { echo "$app_out"; echo "the app under Wine painted with glow without saying wgpu could not start" >&2; exit 1; }

echo "== the installer (NSIS): installs silently, the installed exe runs, uninstalls"
setup=$(packaging/windows/installer.sh --exe "$EXE" | tail -1)
drive_c=$WINEPREFIX/drive_c
# What an earlier run that stopped half-way left: the test must see this run's shortcut and entry.
rm -rf "$drive_c/ips-install-test"
find "$drive_c/users" -name 'ips-fidelity.lnk' -delete
wine reg delete 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\ips-fidelity' /f >/dev/null 2>&1 || true
wine "$setup" /S '/D=C:\ips-install-test'
installed=$drive_c/ips-install-test
for f in ips-fidelity.exe uninstall.exe; do
  [ -f "$installed/$f" ] || { echo "the installer left no $f in C:\\ips-install-test" >&2; exit 1; }
done
cmp -s "$EXE" "$installed/ips-fidelity.exe" || { echo "the installed exe is not the one built" >&2; exit 1; }
find "$drive_c/users" -name 'ips-fidelity.lnk' | grep -q . || { echo "the installer made no Start menu shortcut" >&2; exit 1; }
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
[ -n "$version" ] || { echo "no version in Cargo.toml" >&2; exit 1; }
wine reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\ips-fidelity' /v DisplayVersion | grep -qF "$version" \
  || { echo "the installer wrote no uninstall entry with the version" >&2; exit 1; }
# Wine 8 needs the test-only shim beside the installed exe too; it is removed again below.
cp "$(dirname "$EXE")/bcryptprimitives.dll" "$installed/"
wine 'C:\ips-install-test\ips-fidelity.exe' --version | grep -q "^ips-fidelity " \
  || { echo "the installed exe does not run" >&2; exit 1; }
rm "$installed/bcryptprimitives.dll"
wine 'C:\ips-install-test\uninstall.exe' /S
# The uninstaller copies itself away and goes on after it returns: give it time.
for _ in $(seq 100); do [ -e "$installed" ] || break; sleep 0.2; done
[ ! -e "$installed" ] || { ls -la "$installed" >&2; echo "the uninstaller left C:\\ips-install-test" >&2; exit 1; }
! find "$drive_c/users" -name 'ips-fidelity.lnk' | grep -q . || { echo "the uninstaller left the shortcut" >&2; exit 1; }
echo "installed, ran and uninstalled $setup"
echo "tests/windows/run.sh: all passed"
