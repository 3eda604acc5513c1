#!/usr/bin/env bash
# Builds the Debian package of ips-fidelity with dpkg-deb (no extra tool to install): the
# binary in /usr/bin, a desktop entry, the icon and the licence note. Prints the .deb's path
# on its last line.
# Usage: packaging/deb.sh [--binary PATH]
#   --binary PATH  package this binary instead of building `cargo build --release`
#                  (the package test uses the debug build the tests already made)
set -euo pipefail
cd "$(dirname "$0")/.."
binary=
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary=${2:?--binary needs a path}; shift 2 ;;
    *) echo "packaging/deb.sh: unknown argument $1 (usage: packaging/deb.sh [--binary PATH])" >&2; exit 2 ;;
  esac
done
for tool in dpkg-deb objdump; do command -v $tool >/dev/null || { echo "packaging/deb.sh: $tool is missing (a Debian or Ubuntu machine builds the .deb)" >&2; exit 1; }; done
if [ -z "$binary" ]; then
  cargo build --release --bin ips-fidelity >&2
  binary=target/release/ips-fidelity
fi
[ -x "$binary" ] || { echo "packaging/deb.sh: $binary is not an executable" >&2; exit 1; }

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
arch=$(dpkg --print-architecture)
name=ips-fidelity_${version}_${arch}
root=target/deb/$name
rm -rf "$root"
install -Dm755 "$binary" "$root/usr/bin/ips-fidelity"
install -Dm644 packaging/linux/ips-fidelity.desktop "$root/usr/share/applications/ips-fidelity.desktop"
install -Dm644 assets/icon.png "$root/usr/share/icons/hicolor/256x256/apps/ips-fidelity.png"
install -Dm644 packaging/linux/copyright "$root/usr/share/doc/ips-fidelity/copyright"
install -Dm644 assets/fonts/LICENSE-DejaVu.txt "$root/usr/share/doc/ips-fidelity/LICENSE-DejaVu.txt"
mkdir -p "$root/DEBIAN"
size=$(du -sk "$root/usr" | cut -f1)
# The oldest glibc whose symbols the binary uses.
glibc=$(objdump -T "$binary" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
maintainer=${DEB_MAINTAINER:-ips-fidelity developers <ips-fidelity@example.org>}
# The window's libraries are opened at run time (winit, wgpu and glow load them), so they
# are not in the binary's own list: Recommends names them.
cat > "$root/DEBIAN/control" <<CONTROL
Package: ips-fidelity
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $size
Depends: libc6 (>= $glibc), libgcc-s1
Recommends: libgl1, libegl1, libvulkan1, mesa-vulkan-drivers, libx11-6, libxcursor1, libxi6, libxrandr2, libxkbcommon-x11-0, libwayland-client0, xdg-desktop-portal | zenity
Section: misc
Priority: optional
Description: IPS fidelity reviews on the IPS kvalitetsskala
 Score IPS (individuell jobbstøtte) fidelity reviews on the 25-item scale, two
 reviewers and consensus, the handlingsplan and the styringsgruppe's meetings,
 trends and regional summaries, PDF reports; in Norwegian (bokmål) and English.
CONTROL
mkdir -p target/deb
dpkg-deb --root-owner-group --build "$root" "target/deb/$name.deb" >&2
echo "target/deb/$name.deb"
