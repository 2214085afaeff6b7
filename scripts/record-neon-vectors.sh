#!/bin/sh
# Records the Advanced SIMD reference vectors in test/arm/vectors/neon-*.json
# from an independent implementation: QEMU's user-mode emulator (qemu-arm,
# Debian package qemu-user) running a Cortex-A15 (NEON, VFPv4).
#
#   1. scripts/neon-vectors/generate-cases.ts writes the case table (one stub
#      per instruction and its inputs: r0-r12, FPSCR, D0-D31, scratch memory)
#      from a fixed seed.
#   2. The harness (harness.c + runtime.S, no C library) is built with
#      arm-linux-gnueabihf-gcc and run under qemu-arm; it prints each case's
#      r0-r12, FPSCR, D0-D31 and scratch memory after the instruction.
#   3. scripts/neon-vectors/collect-vectors.ts joins both into JSON.
#
# Run by hand when the case list changes; the tests replay the committed
# JSON (test/arm/neon-vectors.test.ts). Needs: qemu-user,
# gcc-arm-linux-gnueabihf, node with the project's dependencies.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
src="$root/scripts/neon-vectors"
out="$root/test/arm/vectors"

for tool in qemu-arm arm-linux-gnueabihf-gcc; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "record-neon-vectors: $tool not found (apt-get install -y qemu-user gcc-arm-linux-gnueabihf)" >&2
        exit 1
    fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$root"
npx tsx "$src/generate-cases.ts" "$tmp"

arm-linux-gnueabihf-gcc -march=armv7-a -mfpu=neon-vfpv4 -mfloat-abi=hard -marm -O2 -std=gnu11 \
    -ffreestanding -fno-builtin -nostdlib -nostartfiles -static -Wall -Wextra -Werror \
    -Wl,-Ttext=0x10000 -Wl,--build-id=none \
    -o "$tmp/harness.elf" "$src/runtime.S" "$src/harness.c" "$tmp/cases.S"

qemu-arm -cpu cortex-a15 "$tmp/harness.elf" > "$tmp/results.txt"

mkdir -p "$out"
npx tsx "$src/collect-vectors.ts" "$tmp/cases.json" "$tmp/results.txt" "$out"
echo "recorded with $(qemu-arm --version | head -n 1)"
