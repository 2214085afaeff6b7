#!/bin/sh
# Rebuilds every tskvm test firmware ELF from its sources:
#   boards/firmware/arm/<program>/*.c|*.S + boards/firmware/arm/common/
#   -> boards/firmware/arm/<program>.elf
# Needs gcc-arm-none-eabi (Debian). Flags are fixed and no debug info or build
# id is emitted, so the output is the same on every run.
# Usage: scripts/build-firmware.sh [program...]   (default: all)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
arm="$root/boards/firmware/arm"

CC=arm-none-eabi-gcc
# cortex-a15: ARMv7-A with the Virtualization Extensions (HVC) and the
# integer divide instructions. No unaligned accesses from compiled code:
# with the MMU off, or SCTLR.A set, they fault (ARMv7 ARM A3.2.1).
CFLAGS="-mcpu=cortex-a15 -mfloat-abi=soft -O2 -std=gnu11 -ffreestanding -fno-builtin
  -fno-common -fno-pic -fno-tree-loop-distribute-patterns -mno-unaligned-access
  -fno-asynchronous-unwind-tables -ffunction-sections -fdata-sections -g0 -Wall -Wextra -Werror
  -I$arm/common"
LDFLAGS="-nostdlib -nostartfiles -Wl,--build-id=none -Wl,-n -Wl,--gc-sections"
COMMON="common/start.S common/uart.c common/psci.c common/check.c common/exceptions.c common/string.c common/mmu.c common/gic.c"
# The small kernels (phone-host, phone-guest) start with their own entry code
# and trap frames and link their user tasks (usr_*.c) into pages of their own.
KERNEL_COMMON="common/kernel_start.S common/kernel_trap.c common/sched.c common/tick.c common/pagetable.c
  common/fdt.c common/kernel_info.c common/calendar.c common/psci_call.c common/uart.c common/gic.c
  common/string.c common/usr_lib.c common/pl011_port.c"

# program: sources (relative to boards/firmware/arm); "thumb:" marks files
# compiled as Thumb-2 (everything else is A32); "vfp:" marks files whose C
# floating point is compiled to VFPv4 instructions (soft-float calling
# convention, so they link with the rest; no contraction into fused
# multiply-adds, so the expected values gcc folds use the same operations).
sources() {
    case "$1" in
    hello) echo "hello/hello.c" ;;
    arith) echo "arith/arith.c arith/arith_checks.c" ;;
    thumb) echo "thumb:thumb/thumb.c thumb:arith/arith_checks.c thumb/interwork.S" ;;
    exceptions) echo "exceptions/exceptions.c exceptions/thumb_faults.S" ;;
    mmu) echo "mmu/mmu_test.c" ;;
    timer) echo "timer/timer.c" ;;
    exclusives) echo "exclusives/exclusives.c exclusives/thumb_exclusive.S" ;;
    bench) echo "bench/bench.c bench/bench_core.c" ;;
    phone-host) echo "phone-host/host_main.c phone-host/usr_tasks.c" ;;
    phone-guest) echo "phone-guest/guest_main.c phone-guest/usr_tasks.c" ;;
    bench-mmu) echo "bench-mmu/bench_mmu.c bench-mmu/bench_mmu_core.c bench-mmu/switch_mm.S" ;;
    bench-idle) echo "bench-idle/idle.c" ;;
    bench-thumb) echo "thumb:bench-thumb/bench_thumb.c thumb:bench/bench_core.c" ;;
    float) echo "float/float.c vfp:float/float_checks.c" ;;
    *) echo "unknown program $1" >&2; exit 1 ;;
    esac
}

all="hello arith thumb exceptions mmu timer exclusives bench phone-host phone-guest"
all="$all bench-mmu bench-idle"
all="$all bench-thumb"
all="$all float"
programs=${*:-$all}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The bench checksum must be what the same C computes on the host.
check_bench_checksum() {
    hostcc=${HOSTCC:-gcc}
    "$hostcc" -O2 -std=c11 -o "$tmp/bench-host" "$arm/bench/host_main.c" "$arm/bench/bench_core.c"
    got=$("$tmp/bench-host" | tail -n 1)
    want=$(sed -n 's/^#define BENCH_EXPECTED_CHECKSUM \(0x[0-9a-f]*\)u$/\1/p' "$arm/bench/bench_core.h")
    if [ "$got" != "$want" ]; then
        echo "bench: host build computes $got but bench_core.h expects $want" >&2
        exit 1
    fi
    echo "bench checksum $got confirmed by a host build"
}

# The same for bench-mmu: its host build runs the kernel's work over plain arrays.
check_bench_mmu_checksum() {
    hostcc=${HOSTCC:-gcc}
    "$hostcc" -O2 -std=c11 -o "$tmp/bench-mmu-host" "$arm/bench-mmu/host_main.c" "$arm/bench-mmu/bench_mmu_core.c"
    got=$("$tmp/bench-mmu-host" | tail -n 1)
    want=$(sed -n 's/^#define BENCH_MMU_EXPECTED_CHECKSUM \(0x[0-9a-f]*\)u$/\1/p' "$arm/bench-mmu/bench_mmu_core.h")
    if [ "$got" != "$want" ]; then
        echo "bench-mmu: host build computes $got but bench_mmu_core.h expects $want" >&2
        exit 1
    fi
    echo "bench-mmu checksum $got confirmed by a host build"
}

for program in $programs; do
    [ "$program" = bench ] && check_bench_checksum
    [ "$program" = bench-mmu ] && check_bench_mmu_checksum
    objs=""
    common=$COMMON
    script="$arm/common/firmware.ld"
    case "$program" in phone-*) common=$KERNEL_COMMON; script="$arm/common/kernel.ld" ;; esac
    for entry in $common $(sources "$program"); do
        mode=-marm
        case "$entry" in thumb:*) mode=-mthumb; entry=${entry#thumb:} ;; esac
        case "$entry" in vfp:*) mode="-marm -mfloat-abi=softfp -mfpu=vfpv4 -mfp16-format=ieee -fno-math-errno -ffp-contract=off"; entry=${entry#vfp:} ;; esac
        obj="$tmp/$(echo "$entry" | tr / _).o"
        (cd "$arm" && $CC $CFLAGS -I"$arm/$(dirname "$entry")" -I"$arm/arith" $mode -c "$entry" -o "$obj")
        objs="$objs $obj"
    done
    $CC $CFLAGS $LDFLAGS -T "$script" $objs -lgcc -o "$arm/$program.elf"
    echo "built boards/firmware/arm/$program.elf"
done
