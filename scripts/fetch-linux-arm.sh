#!/usr/bin/env bash
# Fetch Debian 12's armhf kernel (linux-image-*-armmp) and busybox-static from Debian,
# without root or a foreign architecture in the system (scripts/fetch-debian-package.sh),
# and build the initramfs. Prints the folder holding zImage and initramfs.cpio.gz.
#   scripts/fetch-linux-arm.sh        → .cache/linux-arm/
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/.cache/linux-arm"
if [ -f "$out/zImage" ] && [ -f "$out/initramfs.cpio.gz" ] && [ "$out/initramfs.cpio.gz" -nt "$root/boards/linux/init" ]; then
  echo "$out"; exit 0
fi
fetch="$root/scripts/fetch-debian-package.sh"
# linux-image-armmp is a metapackage: the kernel is the package it depends on.
meta="$("$fetch" linux-image-armmp armhf)"
deb="$(ls -t "$root"/.cache/debian/debs/linux-image-armmp_*_armhf.deb | head -n1)"
kpkg="$(dpkg-deb -f "$deb" Depends | grep -oE 'linux-image-[0-9][^ ,]*-armmp' | head -n1)"
[ -n "$kpkg" ] || { echo "fetch-linux-arm: cannot tell the kernel package from $deb" >&2; exit 1; }
kdir="$("$fetch" "$kpkg" armhf)"
bdir="$("$fetch" busybox-static armhf)"
mkdir -p "$out"
cp "$(ls "$kdir"/boot/vmlinuz-* | head -n1)" "$out/zImage"
cd "$root"
npx tsx scripts/linux/build-initramfs.ts "$bdir/bin/busybox" "$out/initramfs.cpio.gz" >&2
echo "$kpkg" > "$out/kernel-package"
echo "$out"
