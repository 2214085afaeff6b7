import { Bus } from '../../src/machine/Bus.ts';
import { VirtualClock } from '../../src/machine/VirtualClock.ts';
import type { StopRequest, StopRequester } from '../../src/machine/StopRequest.ts';
import { ArmCpu, type ArmCpuOptions } from '../../cores/arm/ArmCpu.ts';

/**
 * A minimal board for instruction tests: the machine's Bus with RAM at 0
 * (1 MiB) and at 0x40000000 (1 MiB), a VirtualClock, and one ArmCpu.
 * Programs are lists of A32 words written at `at` (default 0x1000).
 */
export class ArmTestMachine {
  readonly bus = new Bus({ littleEndian: true });
  readonly clock = new VirtualClock();
  readonly requests: StopRequest[] = [];
  readonly cpu: ArmCpu;
  readonly stopFlag = new Int32Array(1);

  constructor(options: Partial<ArmCpuOptions> = {}) {
    this.bus.addRam('low', 0, 0x100000);
    this.bus.addRam('high', 0x40000000, 0x100000);
    const stop: StopRequester = {
      requestStop: (r) => {
        this.requests.push(r);
        this.stopFlag[0] = 1;
      },
    };
    this.cpu = new ArmCpu({ index: 0, bus: this.bus, clock: this.clock, stop, stopFlag: this.stopFlag, ...options });
  }

  /** Write words at `at` and point the PC there. */
  load(words: readonly number[], at = 0x1000): void {
    for (let k = 0; k < words.length; k++) this.bus.write32(at + 4 * k, words[k] >>> 0);
    this.cpu.setPc(at);
  }

  /** Run `count` instructions. */
  step(count = 1): void {
    this.cpu.run(count);
  }

  /** Load a program and run it for as many instructions as it has words. */
  exec(words: readonly number[], setup?: (cpu: ArmCpu) => void): ArmCpu {
    this.load(words);
    setup?.(this.cpu);
    this.cpu.run(words.length);
    return this.cpu;
  }

  reg(name: string): number {
    return this.cpu.getRegister(name);
  }

  /** Flags as a string "NZCV" with '-' for clear bits, e.g. "-Z C-". */
  flags(): string {
    const c = this.cpu;
    return (c.n ? 'N' : '-') + (c.z ? 'Z' : '-') + (c.c ? 'C' : '-') + (c.v ? 'V' : '-');
  }
}
