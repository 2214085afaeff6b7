import type { Vm } from '../Vm.ts';

const PAGE = 4096;

/**
 * A device whose contents can be read as memory while it is in its "array"
 * mode and that becomes a register window otherwise (a CFI flash bank:
 * peripherals/flash/CfiFlashBank.ts), QEMU's "romd" regions.
 */
export interface RomdDevice {
  readonly bytes: Uint8Array;
  readonly readArrayMode: boolean;
  onModeChange(listener: (readArray: boolean) => void): void;
}

export function isRomdDevice(d: unknown): d is RomdDevice {
  const x = d as Partial<RomdDevice> | null;
  return x !== null && typeof x === 'object' && x.bytes instanceof Uint8Array && typeof x.onModeChange === 'function' && typeof x.readArrayMode === 'boolean';
}

/**
 * A romd device in a VM as QEMU puts one over KVM: while the device is in
 * array mode its contents are a read-only memory slot (the guest executes
 * and reads from it without exits; a store is an MMIO write exit that
 * reaches the device as a command); once a command leaves array mode the
 * slot is deleted, so every access exits to the device's registers, and it
 * comes back with the device's current contents when array mode returns.
 *
 * The slot's pages are the VM's own: what a loader wrote through the slot
 * (firmware in flash) is copied to the device before the slot goes away, and
 * only pages not erased (all 0xff) are copied into a new slot — untouched slot
 * pages read as zero, not as erased flash, which firmware only sees as "no
 * valid data" either way.
 */
export class VmRomdSlot {
  private mapped = false;

  constructor(
    private readonly vm: Vm,
    private readonly slot: number,
    private readonly base: number,
    private readonly device: RomdDevice,
    private readonly name: string,
  ) {
    if (device.readArrayMode) this.map();
    device.onModeChange((readArray) => (readArray ? this.map() : this.unmap()));
  }

  get isMapped(): boolean {
    return this.mapped;
  }

  private map(): void {
    if (this.mapped) return;
    const bytes = this.device.bytes;
    this.vm.setUserMemoryRegion({ slot: this.slot, guestPhysAddr: this.base, size: bytes.length, flags: { readonly: true }, name: this.name });
    this.mapped = true;
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
    for (let off = 0; off < bytes.length; off += PAGE) {
      let erased = true;
      for (let w = off >>> 2, end = (off + PAGE) >>> 2; w < end; w++) {
        if (words[w] !== 0xffffffff) { erased = false; break; }
      }
      if (!erased) this.vm.bus.loadBytes(this.base + off, bytes.subarray(off, off + PAGE));
    }
  }

  /** Copy what loaders put in the slot to the device, then delete the slot. */
  private unmap(): void {
    if (!this.mapped) return;
    this.syncToDevice();
    this.vm.setUserMemoryRegion({ slot: this.slot, guestPhysAddr: this.base, size: 0 });
    this.mapped = false;
  }

  /** The slot's pages that have memory, into the device's bytes (after a firmware load into the slot). */
  syncToDevice(): void {
    if (!this.mapped) return;
    const bytes = this.device.bytes;
    const memory = this.vm.bus.memory;
    for (let off = 0; off < bytes.length; off += PAGE) {
      const page = memory.existingPage(this.base + off);
      if (page !== null && page.backed) bytes.set(page.bytes.subarray(0, PAGE), off);
    }
  }
}
