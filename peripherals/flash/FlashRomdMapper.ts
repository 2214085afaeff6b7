import type { Bus } from '../../src/machine/Bus.ts';
import type { Region } from '../../src/machine/PhysicalBus.ts';
import type { CfiFlashBank } from './CfiFlashBank.ts';

const PAGE = 4096;

/**
 * Maps CFI flash banks on a Bus the way QEMU's "romd" regions behave, so that
 * firmware executing in place from flash runs at ROM speed:
 *
 * - in read-array mode the bank's bytes are mapped as ROM (loads and
 *   instruction fetch take the bus's memory fast path), once the bank has
 *   them (an erased bank nothing wrote reads 0xff through its registers);
 * - CPU writes to that ROM reach the bank as commands, through the bus's
 *   ROM-write hook (this mapper takes that hook over; writes to other ROM go
 *   to `otherRomWrite`);
 * - a command that leaves read-array mode swaps the window for the bank's
 *   MMIO model until read-array mode returns;
 * - programming and erasing tell the bus which pages changed, so decoded
 *   code from them is dropped.
 *
 * The cfi-flash factory uses it when the context's bus is a Bus; mapping the
 * banks' MMIO windows alone gives the same behaviour, only slower, but then
 * loaders cannot write images into the flash through the bus.
 */
export class FlashRomdMapper {
  private static readonly perBus = new WeakMap<Bus, FlashRomdMapper>();

  /** The one mapper of `bus` (the bus has a single ROM-write hook), created on first use. */
  static forBus(bus: Bus): FlashRomdMapper {
    let m = FlashRomdMapper.perBus.get(bus);
    if (m === undefined) {
      m = new FlashRomdMapper(bus);
      FlashRomdMapper.perBus.set(bus, m);
    }
    return m;
  }

  private readonly entries: Array<{ base: number; bank: CfiFlashBank; region: Region | null }> = [];

  constructor(
    private readonly bus: Bus,
    private readonly otherRomWrite: ((addr: number, width: number, value: number) => void) | null = null,
  ) {
    bus.onRomWrite((addr, width, value) => this.romWrite(addr, width, value));
    // A loader placing an image in an erased bank: the bank makes its bytes and becomes ROM.
    bus.onMaterialize((addr, size) => {
      for (const e of this.entries) {
        if (addr < e.base + e.bank.size && addr + size > e.base && !e.bank.allocated) void e.bank.bytes;
      }
    });
  }

  /** Map `bank` at `base` and keep its window in step with its mode. */
  add(base: number, bank: CfiFlashBank): void {
    const entry = { base, bank, region: null as Region | null };
    this.entries.push(entry);
    // An erased bank whose bytes were never made stays a register window (its
    // reads answer 0xff) until they are: mapping it would make them.
    const remap = (readArray: boolean) => {
      if (entry.region !== null) this.bus.unmap(entry.region);
      entry.region = readArray && bank.allocated
        ? this.bus.mapMemory(bank.name, base, bank.bytes, true)
        : this.bus.mapMmio(bank.name, base, bank.size, bank);
    };
    remap(bank.readArrayMode);
    bank.onModeChange(remap);
    bank.onAllocate(() => remap(bank.readArrayMode));
    bank.onContentChange((offset, length) => {
      const first = Math.floor((base + offset) / PAGE);
      const last = Math.floor((base + offset + length - 1) / PAGE);
      for (let p = first; p <= last; p++) this.bus.codeWritten(p * PAGE);
    });
  }

  private romWrite(addr: number, width: number, value: number): void {
    for (const e of this.entries) {
      if (addr >= e.base && addr < e.base + e.bank.size) {
        e.bank.write(addr - e.base, width as 1 | 2 | 4, value);
        return;
      }
    }
    if (this.otherRomWrite !== null) this.otherRomWrite(addr, width, value);
  }
}
