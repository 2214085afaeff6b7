import type { Bus } from '../../src/machine/Bus.ts';
import { ArmTestMachine } from './ArmTestMachine.ts';

/**
 * Helpers for tests of the Virtualization Extensions: a test machine whose
 * core has them, and a builder of long-descriptor stage 2 tables (ARM ARM
 * B3.6.1, B3.6.5) written into its memory by hand from the descriptor
 * formats, independently of the core's walker.
 */

export const HYP = 0x1a;
export const SVC = 0x13;
export const USR = 0x10;
export const IRQ_MODE = 0x12;
export const ABT = 0x17;

/** HVBAR used by the tests (in the low RAM of ArmTestMachine). */
export const HVBAR = 0x8000;
/** VBAR used by the tests. */
export const VBAR = 0x9000;

export function hypMachine(): ArmTestMachine {
  const m = new ArmTestMachine({ virtualization: true });
  m.cpu.sys.hvbar = HVBAR;
  m.cpu.sys.vbar = VBAR;
  return m;
}

/** S2AP values (B3.7.5). */
export const S2 = { none: 0, readOnly: 1, writeOnly: 2, readWrite: 3 } as const;

/** MemAttr[3:0] for Normal write-back memory and for Device memory (B3.8.x, stage 2 attributes). */
const NORMAL = 0xf;
const DEVICE = 0x1;

/**
 * Stage 2 tables for a 32-bit IPA space starting at level 1 (VTCR.T0SZ = 0,
 * SL0 = 01): a 4-entry level 1 table at `base`, further tables allocated
 * after it, 4 KiB apart.
 */
export class Stage2Tables {
  /** VTCR for these tables: SL0 = 1 (start at level 1), T0SZ = 0. */
  readonly vtcr = 0x40;
  private next: number;
  private readonly tables = new Map<string, number>();

  constructor(
    private readonly bus: Bus,
    readonly base: number,
  ) {
    this.next = base + 0x1000;
    for (let i = 0; i < 4; i++) this.writeDescriptor(base + 8 * i, 0, 0);
  }

  private writeDescriptor(address: number, lo: number, hi: number): void {
    this.bus.write32(address, lo >>> 0);
    this.bus.write32(address + 4, hi >>> 0);
  }

  private newTable(): number {
    const t = this.next;
    this.next += 0x1000;
    for (let i = 0; i < 512; i++) this.writeDescriptor(t + 8 * i, 0, 0);
    return t;
  }

  /** The level 2 table under level 1 entry `ipa >>> 30`, made on first use. */
  private level2(ipa: number): number {
    const key = `2:${ipa >>> 30}`;
    let t = this.tables.get(key);
    if (t === undefined) {
      t = this.newTable();
      this.tables.set(key, t);
      this.writeDescriptor(this.base + 8 * (ipa >>> 30), t | 3, 0);
    }
    return t;
  }

  private level3(ipa: number): number {
    const key = `3:${ipa >>> 21}`;
    let t = this.tables.get(key);
    if (t === undefined) {
      t = this.newTable();
      this.tables.set(key, t);
      this.writeDescriptor(this.level2(ipa) + 8 * ((ipa >>> 21) & 0x1ff), t | 3, 0);
    }
    return t;
  }

  private static attributes(s2ap: number, device: boolean): number {
    // AF (bit 10) | S2AP[7:6] | MemAttr[5:2]
    return (1 << 10) | (s2ap << 6) | ((device ? DEVICE : NORMAL) << 2);
  }

  /** A 2 MiB block descriptor at level 2: IPA `ipa` → PA `pa`. */
  block(ipa: number, pa: number, s2ap: number = S2.readWrite, options: { xn?: boolean; device?: boolean } = {}): void {
    const lo = (pa & 0xffe00000) | Stage2Tables.attributes(s2ap, options.device ?? false) | 1;
    this.writeDescriptor(this.level2(ipa) + 8 * ((ipa >>> 21) & 0x1ff), lo, options.xn ? 1 << 22 : 0);
  }

  /** A 4 KiB page descriptor at level 3. */
  page(ipa: number, pa: number, s2ap: number = S2.readWrite, options: { xn?: boolean; device?: boolean } = {}): void {
    const lo = (pa & 0xfffff000) | Stage2Tables.attributes(s2ap, options.device ?? false) | 3;
    this.writeDescriptor(this.level3(ipa) + 8 * ((ipa >>> 12) & 0x1ff), lo, options.xn ? 1 << 22 : 0);
  }

  /** Remove the level 3 page mapping of `ipa`. */
  unmapPage(ipa: number): void {
    this.writeDescriptor(this.level3(ipa) + 8 * ((ipa >>> 12) & 0x1ff), 0, 0);
  }
}

/**
 * Turn stage 2 on for the core of `m` with `tables` and VMID `vmid`, as Hyp
 * software would with MCRR VTTBR / MCR VTCR / MCR HCR (set here directly;
 * the tests of those instructions are separate).
 */
export function enableStage2(m: ArmTestMachine, tables: Stage2Tables, vmid = 1, hcr = 1): void {
  const sys = m.cpu.sys;
  sys.vttbrLo = tables.base;
  sys.vttbrHi = vmid << 16;
  sys.vtcr = tables.vtcr;
  sys.hcr = hcr;
  m.cpu.hypTrapConfigChanged();
  m.cpu.translationChanged(true);
}
