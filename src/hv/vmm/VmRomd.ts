import type { Vm } from '../Vm.ts';

const PAGE = 4096;

/**
 * A device whose contents can be read as memory while it is in its "array"
 * mode and that becomes a register window otherwise (a CFI flash bank:
 * peripherals/flash/CfiFlashBank.ts), QEMU's "romd" regions.
 */
export interface RomdDevice {
  /** The contents (may be made on first use: read only when needed). */
  readonly bytes: Uint8Array;
  /** Bytes of contents. */
  readonly size: number;
  readonly readArrayMode: boolean;
  onModeChange(listener: (readArray: boolean) => void): void;
  /** Program/erase/load changed `length` bytes at `offset` (optional: without it the contents are fixed). */
  onContentChange?(listener: (offset: number, length: number) => void): void;
}

export function isRomdDevice(d: unknown): d is RomdDevice {
  const x = d as Partial<RomdDevice> | null;
  return x !== null && typeof x === 'object' && typeof x.size === 'number' && 'bytes' in x && typeof x.onModeChange === 'function' && typeof x.readArrayMode === 'boolean';
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
 * only pages not erased (all 0xff) are copied into a new slot. The slot is
 * an erased one (MemslotFlags.erased): its untouched pages read as all ones,
 * as the erased flash they stand for.
 */
export class VmRomdSlot {
  private mapped = false;
  /** Per 4 KiB page of the device: 1 when it holds anything but erased (0xff) bytes. */
  private readonly hasData: Uint8Array;

  constructor(
    private readonly vm: Vm,
    private readonly slot: number,
    private readonly base: number,
    private readonly device: RomdDevice,
    private readonly name: string,
  ) {
    // A device just built is erased; what changes it later is tracked (and its bytes, which a flash
    // bank makes on first use, are not touched until then).
    this.hasData = new Uint8Array(Math.ceil(device.size / PAGE));
    device.onContentChange?.((offset, length) => this.scan(offset, length));
    if (device.readArrayMode) this.map();
    device.onModeChange((readArray) => (readArray ? this.map() : this.unmap()));
  }

  /** Recompute `hasData` for the pages of [offset, offset + length). */
  private scan(offset: number, length: number): void {
    const bytes = this.device.bytes;
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
    const last = Math.min(this.hasData.length, Math.ceil((offset + length) / PAGE));
    for (let p = Math.floor(offset / PAGE); p < last; p++) {
      let erased = 1;
      for (let w = (p * PAGE) >>> 2, end = Math.min(words.length, ((p + 1) * PAGE) >>> 2); w < end; w++) {
        if (words[w] !== 0xffffffff) { erased = 0; break; }
      }
      this.hasData[p] = erased ^ 1;
    }
  }

  get isMapped(): boolean {
    return this.mapped;
  }

  private map(): void {
    if (this.mapped) return;
    this.vm.setUserMemoryRegion({ slot: this.slot, guestPhysAddr: this.base, size: this.device.size, flags: { readonly: true, erased: true }, name: this.name });
    this.mapped = true;
    for (let p = 0; p < this.hasData.length; p++) {
      if (this.hasData[p] !== 0) this.vm.bus.loadBytes(this.base + p * PAGE, this.device.bytes.subarray(p * PAGE, (p + 1) * PAGE));
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
    const memory = this.vm.bus.memory;
    for (let off = 0; off < this.device.size; off += PAGE) {
      const page = memory.existingPage(this.base + off);
      if (page !== null && page.backed) {
        this.device.bytes.set(page.bytes.subarray(0, PAGE), off);
        this.scan(off, PAGE);
      }
    }
  }
}
