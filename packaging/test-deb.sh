#!/usr/bin/env bash
# The package test: builds the .deb (packaging/deb.sh), installs it with dpkg -i, starts the
# installed binary (the command line, then the app on Xvfb on a copy of the example
# workspace, which must stay unchanged), and removes the package again. Needs root, dpkg
# and Xvfb; .ci/run calls it as root with the debug build the tests made.
# Usage: packaging/test-deb.sh [BINARY]   (default target/debug/ips-fidelity)
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-target/debug/ips-fidelity}
fail() { echo "packaging/test-deb.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "dpkg -i needs root"
command -v Xvfb >/dev/null || fail "Xvfb is missing (apt-get install -y xvfb)"
if dpkg -s ips-fidelity >/dev/null 2>&1; then
  fail "ips-fidelity is installed on this machine already; this test would replace it"
fi

deb=$(packaging/deb.sh --binary "$binary" | tail -1)
[ -f "$deb" ] || fail "packaging/deb.sh printed $deb, which is not a file"
echo "== $deb"
dpkg-deb --info "$deb" | sed -n 's/^ \(Package\|Version\|Depends\|Installed-Size\):/  \1:/p'
contents=$(dpkg-deb --contents "$deb")
for f in ./usr/bin/ips-fidelity ./usr/share/applications/ips-fidelity.desktop \
         ./usr/share/icons/hicolor/256x256/apps/ips-fidelity.png ./usr/share/doc/ips-fidelity/copyright \
         ./usr/share/doc/ips-fidelity/LICENSE-DejaVu.txt; do
  grep -q " $f\$" <<<"$contents" || fail "$deb has no $f"
done

xvfb=
work=
cleanup() {
  dpkg -r ips-fidelity >/dev/null 2>&1 || true
  if [ -n "$xvfb" ]; then kill "$xvfb" 2>/dev/null || true; fi
  if [ -n "$work" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT
echo "== dpkg -i"
dpkg -i "$deb"
[ "$(dpkg-query -W -f '${Status}' ips-fidelity)" = "install ok installed" ] || fail "dpkg does not list ips-fidelity as installed"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
[ "$(/usr/bin/ips-fidelity --version)" = "ips-fidelity $version" ] || fail "/usr/bin/ips-fidelity --version is not ips-fidelity $version"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate /usr/share/applications/ips-fidelity.desktop
fi

echo "== the installed app on Xvfb"
work=$(mktemp -d)
cp -r examples/workspace "$work/ws"
before=$(cd "$work/ws" && find . -type f -exec sha1sum {} + | sort)
Xvfb :94 -screen 0 1280x800x24 >/dev/null 2>&1 &
xvfb=$!
for _ in $(seq 50); do [ -e /tmp/.X11-unix/X94 ] && break; sleep 0.1; done
[ -e /tmp/.X11-unix/X94 ] || fail "Xvfb did not start on :94"
# A home of its own: the app's settings and cache go there, not into root's.
out=$(cd "$work" && HOME=$work/home DISPLAY=:94 LIBGL_ALWAYS_SOFTWARE=1 IPS_FIDELITY_EXIT_AFTER_FIRST_FRAME=1 \
  timeout 120 ips-fidelity --workspace ws 2>&1) || { echo "$out"; fail "the installed app did not start"; }
grep -E "first frame|overview after" <<<"$out" || true
grep -q "overview after" <<<"$out" || fail "the installed app showed no overview"
after=$(cd "$work/ws" && find . -type f -exec sha1sum {} + | sort)
[ "$before" = "$after" ] || fail "opening the installed app changed the workspace"

echo "== dpkg -r"
dpkg -r ips-fidelity >/dev/null
[ ! -e /usr/bin/ips-fidelity ] || fail "dpkg -r left /usr/bin/ips-fidelity"
echo "packaging/test-deb.sh: the .deb installs, starts and uninstalls"
