#!/bin/sh
# Records the ARM reference vectors in test/arm/vectors/{a32,t32}-*.json from
# an independent implementation: QEMU's user-mode emulator (qemu-arm, Debian
# package qemu-user) running a Cortex-A15.
#
#   1. scripts/arm-vectors/generate-cases.ts writes the case table: one stub
#      per case holding the instruction under test, and its inputs (r0-r12,
#      r14, N Z C V Q GE, and a scratch-memory image for loads and stores),
#      from a fixed seed so the cases are the same on every run.
#   2. The harness (harness.c + runtime.S, no C library, Linux syscalls) is
#      built with arm-none-eabi-gcc and run under qemu-arm: for each case it
#      loads the inputs, runs the one instruction, captures r0-r14, the APSR
#      and the scratch memory, and prints them.
#   3. scripts/arm-vectors/collect-vectors.ts turns that output into JSON.
#
# Run by hand when the case list changes; CI only replays the committed JSON
# (test/arm/reference-vectors.test.ts). Needs: qemu-user, gcc-arm-none-eabi,
# node with the project's dependencies installed.
# Usage: scripts/record-arm-vectors.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
src="$root/scripts/arm-vectors"
out="$root/test/arm/vectors"

for tool in qemu-arm arm-none-eabi-gcc; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "record-arm-vectors: $tool not found (apt-get install -y qemu-user gcc-arm-none-eabi)" >&2
        exit 1
    fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$root"
npx tsx "$src/generate-cases.ts" "$tmp"

# A32 is the default instruction set of the harness itself; the stubs choose
# theirs with .arm/.thumb. armv7ve = ARMv7-A with the Virtualization
# Extensions and SDIV/UDIV, as the Cortex-A15 QEMU emulates below.
arm-none-eabi-gcc -march=armv7ve -marm -mfloat-abi=soft -O2 -std=gnu11 \
    -ffreestanding -fno-builtin -nostdlib -nostartfiles -static -Wall -Wextra -Werror \
    -Wl,-Ttext=0x10000 -Wl,--build-id=none \
    -o "$tmp/harness.elf" "$src/runtime.S" "$src/harness.c" "$tmp/cases.S"

qemu-arm -cpu cortex-a15 "$tmp/harness.elf" > "$tmp/results.txt"

mkdir -p "$out"
npx tsx "$src/collect-vectors.ts" "$tmp/cases.json" "$tmp/results.txt" "$out"
echo "recorded with $(qemu-arm --version | head -n 1)"
