#!/usr/bin/env bash
# Assembles the macOS app bundle target/macos/ips-fidelity.app around a macOS build of the
# binary and prints its path on its last line. On a Mac: `cargo build --release` for
# aarch64-apple-darwin (and x86_64-apple-darwin, joined with `lipo`), then this script;
# signing and notarising follow in docs/release.md. The icon is made with iconutil on macOS
# or png2icns (Debian's icnsutils) elsewhere; without either the bundle has no icon and the
# script says so.
# Usage: packaging/macos/bundle.sh BINARY
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=${1:?usage: packaging/macos/bundle.sh BINARY}
[ -f "$binary" ] || { echo "packaging/macos/bundle.sh: $binary does not exist" >&2; exit 1; }
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
app=target/macos/ips-fidelity.app
rm -rf "$app"
mkdir -p "$app/Contents/MacOS" "$app/Contents/Resources"
install -m755 "$binary" "$app/Contents/MacOS/ips-fidelity"
sed "s/@VERSION@/$version/g" packaging/macos/Info.plist > "$app/Contents/Info.plist"
printf 'APPL????' > "$app/Contents/PkgInfo"
icns=$app/Contents/Resources/ips-fidelity.icns
if command -v iconutil >/dev/null; then
  set_dir=$(mktemp -d)/ips-fidelity.iconset
  mkdir -p "$set_dir"
  for size in 16 32 128 256; do
    sips -z $size $size assets/icon.png --out "$set_dir/icon_${size}x${size}.png" >/dev/null
  done
  iconutil -c icns -o "$icns" "$set_dir"
elif command -v png2icns >/dev/null; then
  png2icns "$icns" assets/icon.png >/dev/null
else
  echo "packaging/macos/bundle.sh: neither iconutil nor png2icns is here: the bundle has no icon" >&2
fi
echo "$app"
