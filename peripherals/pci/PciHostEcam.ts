import type { PcProvider } from '../../src/machine/MmioDevice.ts';
import type { RegisterBlockSnapshot } from '../RegisterBlock.ts';
import { PciBusWindow } from './PciBusWindow.ts';
import { PciConfigSpace } from './PciConfigSpace.ts';
import { PciEcamWindow } from './PciEcamWindow.ts';
import type { PciFunctionSpec } from './PciFunctionSpec.ts';
import type { PciHostWindow } from './PciHostRanges.ts';
import { PciSegment } from './PciSegment.ts';

export interface PciHostEcamOptions {
  readonly name: string;
  readonly firstBus: number;
  readonly lastBus: number;
  /** Outbound windows, from the node's `ranges`. */
  readonly windows?: readonly PciHostWindow[];
  readonly bigEndian?: boolean;
  readonly log?: (message: string) => void;
  readonly pc?: PcProvider;
  /** CPU address of the ECAM window, for log lines. */
  readonly ecamAddress?: number;
}

/**
 * A generic ECAM PCI host bridge: one segment of buses, its configuration
 * space reached through an ECAM window, and outbound windows into PCI memory
 * and I/O space. Functions are attached by bus/device/function; the machine
 * resets them all through this object.
 */
export class PciHostEcam {
  readonly name: string;
  readonly segment: PciSegment;
  readonly ecam: PciEcamWindow;
  readonly windows: ReadonlyArray<{ readonly window: PciHostWindow; readonly device: PciBusWindow }>;
  private readonly log: (message: string) => void;

  constructor(opts: PciHostEcamOptions) {
    this.name = opts.name;
    this.log = opts.log ?? (() => {});
    this.segment = new PciSegment(opts.firstBus, opts.lastBus);
    const common = { log: this.log, pc: opts.pc };
    this.ecam = new PciEcamWindow(`${opts.name}.ecam`, this.segment, opts.bigEndian ?? false, { ...common, baseAddress: opts.ecamAddress });
    this.windows = (opts.windows ?? []).map((w, i) => ({
      window: w,
      device: new PciBusWindow(`${opts.name}.${w.space}${i}`, this.segment, w.space, w.pciAddress, opts.bigEndian ?? false,
        { ...common, baseAddress: w.cpuAddress }),
    }));
  }

  /** Create a function's configuration space from its description and put it at bus.device.function. */
  addFunction(bus: number, device: number, fn: number, spec: PciFunctionSpec, name?: string): PciConfigSpace {
    const h = (n: number) => n.toString(16).padStart(2, '0');
    const config = new PciConfigSpace(name ?? `${this.name} ${h(bus)}:${h(device)}.${fn}`, spec, this.log);
    this.segment.attach(bus, device, fn, config);
    return config;
  }

  reset(): void {
    this.segment.reset();
  }

  snapshot(): Record<string, RegisterBlockSnapshot> {
    return this.segment.snapshot();
  }

  restore(snapshot: Record<string, RegisterBlockSnapshot>): void {
    this.segment.restore(snapshot);
  }
}
