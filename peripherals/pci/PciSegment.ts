import type { MmioDevice } from '../../src/machine/MmioDevice.ts';
import type { RegisterBlockSnapshot } from '../RegisterBlock.ts';
import type { PciConfigSpace } from './PciConfigSpace.ts';

/**
 * The functions behind one host bridge: a PCI segment of buses
 * `firstBus..lastBus` (PCI Firmware Specification 3.2 §4.1.2: one ECAM region
 * per segment and bus range), each with 32 devices of 8 functions. Slots are
 * indexed by routing ID (bus << 8 | device << 3 | function), so a config
 * access finds its function with one array lookup.
 */
export class PciSegment {
  private readonly slots: Array<PciConfigSpace | undefined>;
  private readonly present: PciConfigSpace[] = [];

  /** Set by a successful decode(): the device behind the BAR hit (undefined if the BAR has none) and the BAR's base. */
  hitDevice: MmioDevice | undefined;
  hitBase = 0;

  constructor(
    readonly firstBus: number,
    readonly lastBus: number,
  ) {
    if (!Number.isInteger(firstBus) || !Number.isInteger(lastBus) || firstBus < 0 || lastBus > 255 || firstBus > lastBus) {
      throw new Error(`bad PCI bus range ${firstBus}-${lastBus} (buses are 0..255, first <= last)`);
    }
    this.slots = new Array<PciConfigSpace | undefined>((lastBus - firstBus + 1) * 256).fill(undefined);
  }

  /** Put a function at bus.device.function; the place must be free and on this segment. */
  attach(bus: number, device: number, fn: number, config: PciConfigSpace): void {
    if (bus < this.firstBus || bus > this.lastBus || device < 0 || device > 31 || fn < 0 || fn > 7) {
      throw new Error(`${config.name}: ${bdf(bus, device, fn)} is outside buses ${this.firstBus}-${this.lastBus}, devices 0-31, functions 0-7`);
    }
    const i = ((bus - this.firstBus) << 8) | (device << 3) | fn;
    const other = this.slots[i];
    if (other !== undefined) throw new Error(`${config.name}: ${bdf(bus, device, fn)} is already taken by ${other.name}`);
    this.slots[i] = config;
    this.present.push(config);
  }

  /** The function at a routing ID on bus `bus` (devfn = device << 3 | function), or undefined when absent. */
  functionAt(bus: number, devfn: number): PciConfigSpace | undefined {
    if (bus < this.firstBus || bus > this.lastBus) return undefined;
    return this.slots[((bus - this.firstBus) << 8) | (devfn & 0xff)];
  }

  /** Every attached function, in attach order. */
  functions(): readonly PciConfigSpace[] {
    return this.present;
  }

  /**
   * Whether a function's BAR of `space`, with that space enabled in its
   * Command register, claims [address, address + width) of bus address space
   * (then hitDevice and hitBase say which). When none does, the access ends in
   * a master abort (PCI 3.0 §3.3.3.1). No allocation: windows call this per access.
   */
  decode(space: 'memory' | 'io', address: number, width: number): boolean {
    for (let k = 0; k < this.present.length; k++) {
      const fn = this.present[k];
      if (!fn.decodes(space)) continue;
      const i = fn.barAt(space, address, width);
      if (i < 0) continue;
      this.hitDevice = fn.bar(i)!.device;
      this.hitBase = fn.barBase(i);
      return true;
    }
    return false;
  }

  reset(): void {
    for (const fn of this.present) fn.reset();
  }

  snapshot(): Record<string, RegisterBlockSnapshot> {
    const out: Record<string, RegisterBlockSnapshot> = {};
    for (const fn of this.present) out[fn.name] = fn.snapshot();
    return out;
  }

  restore(snapshot: Record<string, RegisterBlockSnapshot>): void {
    for (const fn of this.present) {
      const s = snapshot[fn.name];
      if (s === undefined) fn.reset();
      else fn.restore(s);
    }
  }
}

/** "bb:dd.f" as lspci writes a function's address. */
export function bdf(bus: number, device: number, fn: number): string {
  const h = (n: number) => n.toString(16).padStart(2, '0');
  return `${h(bus)}:${h(device)}.${fn}`;
}
