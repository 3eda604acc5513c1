#!/usr/bin/env bash
# Builds the Windows installer (NSIS) around ips-fidelity.exe and prints its path on its
# last line. Needs makensis (apt-get install -y nsis) and, without --exe, the Windows target
# and mingw-w64 (see README, "The Windows build").
# Usage: packaging/windows/installer.sh [--exe PATH]
#   --exe PATH  put this exe in the installer instead of building
#               `cargo build --release --target x86_64-pc-windows-gnu`
set -euo pipefail
cd "$(dirname "$0")/../.."
exe=
while [ $# -gt 0 ]; do
  case "$1" in
    --exe) exe=${2:?--exe needs a path}; shift 2 ;;
    *) echo "packaging/windows/installer.sh: unknown argument $1 (usage: packaging/windows/installer.sh [--exe PATH])" >&2; exit 2 ;;
  esac
done
command -v makensis >/dev/null || { echo "packaging/windows/installer.sh: makensis is missing (apt-get install -y nsis)" >&2; exit 1; }
if [ -z "$exe" ]; then
  cargo build --release --target x86_64-pc-windows-gnu --bin ips-fidelity >&2
  exe=target/x86_64-pc-windows-gnu/release/ips-fidelity.exe
fi
[ -f "$exe" ] || { echo "packaging/windows/installer.sh: $exe does not exist" >&2; exit 1; }
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
mkdir -p target/installer
out=$PWD/target/installer/ips-fidelity-$version-setup.exe
makensis -V2 -DVERSION="$version" -DEXE="$(realpath "$exe")" -DICON="$PWD/assets/icon.ico" \
  -DOUTFILE="$out" packaging/windows/ips-fidelity.nsi >&2
echo "target/installer/ips-fidelity-$version-setup.exe"
