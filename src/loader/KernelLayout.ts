/** Where a directly booted kernel, its initrd and the DTB go in RAM. */
export interface KernelLayout {
  readonly kernel: number;
  readonly initrd?: { readonly start: number; readonly end: number };
  readonly dtb: number;
}

const MIB = 1 << 20;

/**
 * QEMU's placement for -kernel on ARM (hw/arm/boot.c), so that a kernel
 * finds the same memory layout it finds there: the image at RAM base +
 * the ISA's offset, the initrd at RAM base + min(RAM / 2, 128 MiB) — far
 * enough up that the kernel's decompressor and early page tables do not
 * overwrite it — and the DTB on the next 4 KiB boundary after the initrd.
 * Returns a sentence saying what does not fit, or the layout.
 */
export function planKernelLayout(p: {
  ramBase: number;
  ramSize: number;
  kernelOffset: number;
  kernelSize: number;
  initrdSize?: number;
  dtbSize: number;
}): KernelLayout | string {
  const kernel = p.ramBase + p.kernelOffset;
  const kernelEnd = kernel + p.kernelSize;
  const initrdStart = p.ramBase + Math.min(Math.floor(p.ramSize / 2), 128 * MIB);
  const ramEnd = p.ramBase + p.ramSize;
  const mib = (n: number) => `${(n / MIB).toFixed(1)} MiB`;
  if (kernelEnd > initrdStart) {
    return `the kernel image (${mib(p.kernelSize)}) does not fit below the initrd at RAM + ${mib(initrdStart - p.ramBase)}; the board needs more RAM`;
  }
  const initrdEnd = initrdStart + (p.initrdSize ?? 0);
  const dtb = Math.ceil(initrdEnd / 4096) * 4096;
  if (dtb + p.dtbSize > ramEnd) {
    return `the initrd (${mib(p.initrdSize ?? 0)}) and the DTB do not fit in RAM above RAM + ${mib(initrdStart - p.ramBase)} (${mib(p.ramSize)} of RAM)`;
  }
  return { kernel, ...(p.initrdSize !== undefined ? { initrd: { start: initrdStart, end: initrdEnd } } : {}), dtb };
}
