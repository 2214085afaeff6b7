#!/bin/sh
# Rebuilds the loader test fixtures in test/fixtures/elf/ from fixture.c and
# one linker script per ISA. Needs the Debian cross compilers:
#   apt-get install gcc-arm-none-eabi gcc-mipsel-linux-gnu gcc-powerpc-linux-gnu gcc-i686-linux-gnu
# and the host gcc/ld (x86-64). Output is deterministic: no debug info, no
# build id, fixed flags.
set -eu
dir=$(cd "$(dirname "$0")/../test/fixtures/elf" && pwd)
cd "$dir"

common="-O1 -ffreestanding -nostdlib -static -fno-pic -fno-common -fno-asynchronous-unwind-tables -g0"
ldflags="-Wl,--build-id=none -Wl,-n"

build() { # name compiler extra-flags...
    name=$1; cc=$2; shift 2
    "$cc" $common "$@" -T "$name.ld" $ldflags -o "$name.elf" fixture.c
    echo "built $dir/$name.elf"
}

build arm-le   arm-none-eabi-gcc     -march=armv7-a -marm -mthumb-interwork -DFIXTURE_THUMB
build ppc-be   powerpc-linux-gnu-gcc -mcpu=e500mc -msdata=none -no-pie
build mipsel   mipsel-linux-gnu-gcc  -march=mips32r2 -mno-abicalls -G0 -no-pie
build i386     i686-linux-gnu-gcc    -march=i686 -no-pie -fcf-protection=none
build x86_64   gcc                   -m64 -no-pie -fcf-protection=none -mno-red-zone
