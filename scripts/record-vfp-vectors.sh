#!/bin/sh
# Records the VFP reference vectors in test/arm/vectors/vfp-{a32,t32}-*.json
# from an independent implementation: QEMU's user-mode emulator (qemu-arm,
# Debian package qemu-user) running a Cortex-A15.
#
#   1. scripts/vfp-vectors/generate-vfp-cases.ts writes the cases from a fixed
#      seed: one stub per case holding the instruction as gas assembles its
#      mnemonic, and the FPSCR and D0-D31 going in.
#   2. The harness (vfp-harness.c + vfp-runtime.S, no C library) is built with
#      arm-none-eabi-gcc and run under qemu-arm: for each case it loads the
#      registers and FPSCR, runs the instruction, and prints the FPSCR and the
#      registers after.
#   3. scripts/vfp-vectors/collect-vfp-vectors.ts turns that into JSON.
#
# Run by hand when the case list changes; the tests only replay the committed
# JSON (test/arm/vfp-vectors.test.ts). Needs: qemu-user, gcc-arm-none-eabi,
# node with the project's dependencies installed.
# Usage: scripts/record-vfp-vectors.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
src="$root/scripts/vfp-vectors"
out="$root/test/arm/vectors"

for tool in qemu-arm arm-none-eabi-gcc; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "record-vfp-vectors: $tool not found (apt-get install -y qemu-user gcc-arm-none-eabi)" >&2
        exit 1
    fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$root"
npx tsx "$src/generate-vfp-cases.ts" "$tmp"

# neon-vfpv4: VFPv4-D32 with the fused multiply-add forms, as on Cortex-A15.
arm-none-eabi-gcc -march=armv7ve -mfpu=neon-vfpv4 -mfloat-abi=softfp -marm -O2 -std=gnu11 \
    -ffreestanding -fno-builtin -nostdlib -nostartfiles -static -Wall -Wextra -Werror \
    -Wl,-Ttext=0x10000 -Wl,--build-id=none \
    -o "$tmp/harness.elf" "$src/vfp-runtime.S" "$src/vfp-harness.c" "$tmp/vfp-cases.S"

qemu-arm -cpu cortex-a15 "$tmp/harness.elf" > "$tmp/results.txt"

mkdir -p "$out"
npx tsx "$src/collect-vfp-vectors.ts" "$tmp/vfp-cases.json" "$tmp/results.txt" "$out"
echo "recorded with $(qemu-arm --version | head -n 1)"
