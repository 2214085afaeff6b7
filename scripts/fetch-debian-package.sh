#!/usr/bin/env bash
# Fetch a Debian package and unpack it into .cache/debian/<package>/ without root:
# `apt-get download` + `dpkg -x`. Third-party firmware (U-Boot, later Linux) is
# used from there by tests and never committed.
#
# usage: scripts/fetch-debian-package.sh PACKAGE [ARCH]
#   ARCH (e.g. armhf) fetches a foreign-architecture package through a private
#   apt lists folder, so the system's dpkg configuration is left alone.
set -euo pipefail
pkg="${1:?usage: fetch-debian-package.sh PACKAGE [ARCH]}"
arch="${2:-}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="$root/.cache/debian"
dest="$cache/$pkg${arch:+-$arch}"
if [ -f "$dest/.unpacked" ]; then echo "$dest"; exit 0; fi
mkdir -p "$cache/debs"
cd "$cache/debs"

apt_opts=()
if [ -n "$arch" ]; then
  lists="$cache/apt-$arch"
  mkdir -p "$lists/lists/partial" "$lists/archives/partial"
  apt_opts=(-o "APT::Architecture=$arch" -o "APT::Architectures=$arch"
            -o "Dir::State::Lists=$lists/lists" -o "Dir::Cache=$lists")
  # A mirror mid-sync may fail one index (e.g. security); the others are still used.
  apt-get "${apt_opts[@]}" update -qq >&2 || echo "fetch-debian-package: apt-get update reported errors; going on with the lists it got" >&2
fi
# A stale or missing package list gives "Unable to locate package": refresh once and retry.
if ! apt-get "${apt_opts[@]}" download -qq "$pkg${arch:+:$arch}" >&2 2>/dev/null; then
  [ -z "$arch" ] && apt-get update -qq >&2 || true
  apt-get "${apt_opts[@]}" download -qq "$pkg${arch:+:$arch}" >&2
fi
deb="$(ls -t "$cache"/debs/"${pkg}"_*.deb | head -n1)"
rm -rf "$dest"
mkdir -p "$dest"
dpkg -x "$deb" "$dest"
touch "$dest/.unpacked"
echo "$dest"
