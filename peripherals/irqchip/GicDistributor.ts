import type { AccessWidth, MmioDevice } from '../../src/machine/MmioDevice.ts';
import { RegisterBlock, type RegisterSpec } from '../RegisterBlock.ts';
import { DeviceAccessLog } from '../DeviceAccessLog.ts';
import type { GicV2, GicV2Options } from './GicV2.ts';

/**
 * The GICv2 distributor register window (IHI 0048B 4.3). Registers for IDs
 * 0–31 (index 0 of the bit-per-interrupt arrays, the first eight priority and
 * target bytes, ICFGR0/1) are banked: the accessing CPU selects its copy.
 * The word-only registers ignore narrower writes; IPRIORITYR, ITARGETSR and
 * the SGI pending registers are byte-accessible (IHI 0048B 4.1.4).
 */
export class GicDistributor implements MmioDevice {
  readonly name: string;
  readonly widths: readonly AccessWidth[] = [1, 2, 4];
  readonly registers: RegisterBlock;

  constructor(private readonly gic: GicV2, opts: GicV2Options) {
    this.name = `${opts.name}.distributor`;
    const n = gic.numIrqs;
    const words = Math.ceil(n / 32);
    const g = gic;
    const cpu = () => g.currentCpu();

    /**
     * A bit-per-interrupt register array: reads collect `get`; a write calls
     * `set` for each bit written as 1 (set/clear registers), or for every bit
     * with its value when `assign` (GICD_IGROUPR).
     */
    const bitArray = (name: string, offset: number, get: (c: number, id: number) => boolean,
      set: (c: number, id: number, bit: number) => void, assign = false): RegisterSpec => ({
      name, offset, count: words, narrowWrites: false,
      value: (i) => {
        const c = cpu();
        let v = 0;
        for (let b = 0; b < 32; b++) {
          const id = i * 32 + b;
          if (id < n && get(c, id)) v |= 1 << b;
        }
        return v >>> 0;
      },
      onWrite: (_v, _p, i, written) => {
        const c = cpu();
        for (let b = 0; b < 32; b++) {
          const id = i * 32 + b;
          const bit = (written >>> b) & 1;
          if (id < n && (assign || bit !== 0)) set(c, id, bit);
        }
        g.updateIrq();
      },
    });

    const slot = (c: number, id: number) => g.slot(c, id);
    this.registers = new RegisterBlock(this.name, [
      {
        name: 'GICD_CTLR', offset: 0x000, writeMask: 0x3, narrowWrites: false,
        value: () => g.dctlr,
        onWrite: (v) => { g.dctlr = v & 3; g.updateIrq(); },
      },
      {
        // ITLinesNumber [4:0], CPUNumber [7:5]; no Security Extensions (bit 10 clear).
        name: 'GICD_TYPER', offset: 0x004, access: 'R',
        reset: (words - 1) | ((gic.numCpus - 1) << 5),
      },
      // GIC-400 r0p1 (ARM DDI 0471B): implementer ARM (0x43B), product 0x02.
      { name: 'GICD_IIDR', offset: 0x008, access: 'R', reset: 0x0200143b },
      bitArray('GICD_IGROUPR', 0x080,
        (c, id) => g.group[slot(c, id)] !== 0,
        (c, id, bit) => { g.group[slot(c, id)] = bit; }, true),
      bitArray('GICD_ISENABLER', 0x100,
        (c, id) => g.enabled[slot(c, id)] !== 0,
        (c, id) => { g.enabled[slot(c, id)] = 1; }),
      bitArray('GICD_ICENABLER', 0x180,
        (c, id) => g.enabled[slot(c, id)] !== 0,
        // SGI enables are RAO/WI.
        (c, id) => { if (id >= 16) g.enabled[slot(c, id)] = 0; }),
      bitArray('GICD_ISPENDR', 0x200,
        (c, id) => g.isPending(c, id),
        // SGIs are made pending through GICD_SGIR/SPENDSGIR only (IHI 0048B 4.3.7).
        (c, id) => { if (id >= 16) g.latch[slot(c, id)] = 1; }),
      bitArray('GICD_ICPENDR', 0x280,
        (c, id) => g.isPending(c, id),
        (c, id) => { if (id >= 16) g.latch[slot(c, id)] = 0; }),
      bitArray('GICD_ISACTIVER', 0x300,
        (c, id) => g.active[slot(c, id)] !== 0,
        (c, id) => { g.active[slot(c, id)] = 1; }),
      bitArray('GICD_ICACTIVER', 0x380,
        (c, id) => g.active[slot(c, id)] !== 0,
        (c, id) => { g.active[slot(c, id)] = 0; }),
      {
        name: 'GICD_IPRIORITYR', offset: 0x400, width: 1, count: n,
        value: (id) => g.priority[slot(cpu(), id)],
        // Unimplemented low-order priority bits are RAZ/WI (IHI 0048B 3.3).
        onWrite: (v, _p, id) => { g.priority[slot(cpu(), id)] = v & g.priorityMask; g.updateIrq(); },
      },
      {
        name: 'GICD_ITARGETSR', offset: 0x800, width: 1, count: n,
        value: (id) => {
          // Uniprocessor: RAZ/WI. Banked IDs 0–31 read as the accessing CPU's own bit.
          if (g.numCpus === 1) return 0;
          return id < 32 ? 1 << cpu() : g.target[id];
        },
        onWrite: (v, _p, id) => {
          if (g.numCpus === 1 || id < 32) return;
          g.target[id] = v & ((1 << g.numCpus) - 1);
          g.updateIrq();
        },
      },
      {
        // Int_config[1] of each 2-bit field: 1 = edge. SGI fields are read-only "edge".
        name: 'GICD_ICFGR', offset: 0xc00, count: words * 2, narrowWrites: false,
        value: (i) => {
          const c = cpu();
          let v = 0;
          for (let f = 0; f < 16; f++) {
            const id = i * 16 + f;
            if (id < n && g.edge[slot(c, id)] !== 0) v |= 2 << (2 * f);
          }
          return v >>> 0;
        },
        onWrite: (_v, _p, i, written) => {
          const c = cpu();
          for (let f = 0; f < 16; f++) {
            const id = i * 16 + f;
            if (id < 16 || id >= n) continue;
            g.edge[slot(c, id)] = (written >>> (2 * f + 1)) & 1;
          }
          g.updateIrq();
        },
      },
      {
        name: 'GICD_SGIR', offset: 0xf00, access: 'W', narrowWrites: false,
        onWrite: (_v, _p, _i, written) => g.sendSgi(cpu(), written),
      },
      {
        name: 'GICD_CPENDSGIR', offset: 0xf10, width: 1, count: 16,
        value: (id) => g.sgiSources[cpu() * 16 + id],
        onWrite: (_v, _p, id, written) => { g.sgiSources[cpu() * 16 + id] &= ~written; g.updateIrq(); },
      },
      {
        name: 'GICD_SPENDSGIR', offset: 0xf20, width: 1, count: 16,
        value: (id) => g.sgiSources[cpu() * 16 + id],
        onWrite: (_v, _p, id, written) => {
          g.sgiSources[cpu() * 16 + id] |= written & ((1 << g.numCpus) - 1);
          g.updateIrq();
        },
      },
      // Peripheral/Component ID of the GIC-400 (ArchRev 2 in ICPIDR2), as QEMU's GICv2 returns.
      { name: 'GICD_PIDR4', offset: 0xfd0, access: 'R', reset: 0x04 },
      { name: 'GICD_PIDR5', offset: 0xfd4, access: 'R' },
      { name: 'GICD_PIDR6', offset: 0xfd8, access: 'R' },
      { name: 'GICD_PIDR7', offset: 0xfdc, access: 'R' },
      { name: 'GICD_PIDR', offset: 0xfe0, count: 4, stride: 4, access: 'R', reset: (i) => [0x90, 0xb4, 0x2b, 0x00][i] },
      { name: 'GICD_CIDR', offset: 0xff0, count: 4, stride: 4, access: 'R', reset: (i) => [0x0d, 0xf0, 0x05, 0xb1][i] },
    ], new DeviceAccessLog(this.name, opts.log ?? (() => {}), opts.pc, opts.distributorBase), { bigEndian: opts.bigEndian });
  }

  read(offset: number, width: AccessWidth): number {
    return this.registers.read(offset, width);
  }

  write(offset: number, width: AccessWidth, value: number): void {
    this.registers.write(offset, width, value);
  }

  reset(): void {
    this.registers.reset();
    this.gic.resetDistributor();
  }
}
