import type { LinuxBootProtocol } from '../CoreModel.ts';

/** zImage header (arch/arm/boot/compressed/head.S): the magic word at offset 0x24. */
const ZIMAGE_MAGIC_OFFSET = 0x24;
const ZIMAGE_MAGIC = 0x016f2818;
/** Legacy U-Boot image header magic (big-endian at offset 0). */
const UIMAGE_MAGIC = 0x27051956;

/**
 * Booting ARM Linux directly, as Documentation/arch/arm/booting.rst asks of a
 * boot loader and as QEMU's -kernel does on its virt machine:
 * - the zImage anywhere in the first 128 MiB of RAM; QEMU puts it 64 KiB in
 *   (KERNEL_LOAD_ADDR), which keeps instruction counts comparable with QEMU's;
 * - r0 = 0, r1 = ~0 (machine type: "use the device tree"), r2 = the DTB's
 *   physical address;
 * - SVC mode, IRQs and FIQs masked, MMU and data cache off: the ARM reset
 *   state, which the core is in when the kernel's first instruction runs.
 */
export const armLinuxBoot: LinuxBootProtocol = {
  kernelOffset: 0x10000,
  checkImage(image) {
    if (image.length < ZIMAGE_MAGIC_OFFSET + 4) return `it is ${image.length} bytes long, too short for an ARM zImage`;
    const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
    if (view.getUint32(ZIMAGE_MAGIC_OFFSET, true) === ZIMAGE_MAGIC) return undefined;
    if (view.getUint32(0, false) === 0x7f454c46) return 'it is an ELF file (a vmlinux?): boot the zImage, or load an ELF with --firmware';
    if (view.getUint32(0, false) === UIMAGE_MAGIC) return 'it is a U-Boot uImage: boot the zImage inside it';
    return `it has no ARM zImage magic 0x016f2818 at offset 0x24`;
  },
  presetRegisters(cpu, kernelAddress, dtbAddress) {
    cpu.setRegister('r0', 0);
    cpu.setRegister('r1', 0xffffffff);
    cpu.setRegister('r2', dtbAddress);
    cpu.setPc(kernelAddress);
  },
};
