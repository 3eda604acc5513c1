#!/usr/bin/env bash
# The macOS bundle's layout, as far as Linux can check it: packaging/macos/bundle.sh run on a
# stand-in binary (no macOS binary can be built here) makes ips-fidelity.app with the binary
# in Contents/MacOS, an Info.plist that parses and names that binary, the icon and the
# version from Cargo.toml. Needs python3 and png2icns (apt-get install -y icnsutils).
set -euo pipefail
cd "$(dirname "$0")/../.."
fail() { echo "tests/macos/bundle.sh: $*" >&2; exit 1; }
command -v python3 >/dev/null || fail "python3 is missing (apt-get install -y python3)"
command -v png2icns >/dev/null || fail "png2icns is missing (apt-get install -y icnsutils)"
stand_in=$(mktemp)
printf '#!/bin/sh\necho stand-in\n' > "$stand_in"
app=$(packaging/macos/bundle.sh "$stand_in" | tail -1)
rm -f "$stand_in"
[ "$app" = target/macos/ips-fidelity.app ] || fail "bundle.sh printed $app"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
python3 - "$app" "$version" <<'PY' || fail "the bundle is not what macOS expects (above)"
import os, plistlib, sys
app, version = sys.argv[1], sys.argv[2]
with open(os.path.join(app, "Contents", "Info.plist"), "rb") as f:
    info = plistlib.load(f)
problems = []
exe = os.path.join(app, "Contents", "MacOS", info.get("CFBundleExecutable", ""))
if not (os.path.isfile(exe) and os.access(exe, os.X_OK)):
    problems.append(f"CFBundleExecutable {info.get('CFBundleExecutable')!r} is not an executable in Contents/MacOS")
icon = os.path.join(app, "Contents", "Resources", info.get("CFBundleIconFile", "") + ".icns")
if not (os.path.isfile(icon) and open(icon, "rb").read(4) == b"icns"):
    problems.append(f"CFBundleIconFile {info.get('CFBundleIconFile')!r} names no .icns file")
for key in ("CFBundleVersion", "CFBundleShortVersionString"):
    if info.get(key) != version:
        problems.append(f"{key} is {info.get(key)!r}, Cargo.toml says {version!r}")
if info.get("CFBundlePackageType") != "APPL":
    problems.append("CFBundlePackageType is not APPL")
if open(os.path.join(app, "Contents", "PkgInfo")).read() != "APPL????":
    problems.append("PkgInfo is not APPL????")
for p in problems:
    print(p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
echo "tests/macos/bundle.sh: $app has its binary, Info.plist (version $version) and icon"
