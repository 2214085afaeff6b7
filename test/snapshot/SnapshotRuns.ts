import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { loadBoard } from '../../dts/board/BoardLoader.ts';
import { InputError } from '../../dts/model/SourcePos.ts';
import { buildMachine, type BuiltMachine } from '../../src/board/MachineBuilder.ts';
import type { RunResult } from '../../src/machine/Machine.ts';
import { captureMachine } from '../../src/snapshot/MachineSnapshot.ts';
import { encodeState, type StateValue } from '../../src/snapshot/StateCodec.ts';
import { repoRoot } from '../cli/CliRunner.ts';

/**
 * A board run for determinism tests: every console's bytes kept apart (the
 * host UART and each guest's, raw, no prefixes), run to an instruction count
 * or to the end in the CLI's slices of virtual time.
 */
export class BoardRun {
  readonly built: BuiltMachine;
  /** Bytes each console printed, as latin1 text: index 0 the host's, then each guest's in board order. */
  readonly consoles: string[];

  constructor(board: string, options: { firmware?: string; jit?: boolean } = {}) {
    const { board: spec, diagnostics } = loadBoard(join(repoRoot, board));
    if (!spec) throw new InputError(diagnostics);
    this.built = buildMachine(spec, { firmwarePath: options.firmware && join(repoRoot, options.firmware), jit: options.jit });
    const vmms = this.built.vms?.vmms ?? [];
    this.consoles = new Array<string>(1 + vmms.length).fill('');
    this.built.consoleDevice?.attachBackend({ transmit: (b) => (this.consoles[0] += String.fromCharCode(b)) });
    vmms.forEach((vmm, i) => {
      if (vmm.consoleDevice !== null) vmm.attachConsole({ transmit: (b) => (this.consoles[i + 1] += String.fromCharCode(b)) });
    });
  }

  /** Instructions of every core and vCPU. */
  get instructions(): number {
    return this.built.machine.cpus.reduce((n, c) => n + c.retired, 0);
  }

  get now(): number {
    return this.built.machine.clock.now;
  }

  /** Run until `n` instructions (exactly) or the end (power-off, deadlock, `maxNs` of virtual time), in 20 ms slices aligned as the CLI's. */
  runTo(n = Infinity, maxNs = 60e9): RunResult | { kind: 'reached' } {
    const m = this.built.machine;
    const chunk = 20_000_000;
    for (;;) {
      const left = n - this.instructions;
      if (left <= 0) return { kind: 'reached' };
      if (m.clock.now >= maxNs) return { kind: 'limit', message: 'test time limit' };
      const r = m.run({ maxTimeNs: (Math.floor(m.clock.now / chunk) + 1) * chunk - m.clock.now, ...(Number.isFinite(left) ? { maxInstructions: left } : {}) });
      if (r.kind !== 'limit') return r;
    }
  }

  /**
   * SHA-256 of everything the snapshot saves: two machines with the same digest are in the same
   * state. Left out: the shadow MMU's LRU clock, which counts translations a core asks for, and a
   * restored core (its soft TLB empty) asks for more of them; it orders zaps, not results.
   */
  stateDigest(): string {
    const state = captureMachine(this.built);
    for (const vmm of state.vms?.vmms ?? []) {
      const vm = vmm.vm as { shadow?: { tick: number; tables: Array<{ lastUsed: number }> } };
      if (vm.shadow === undefined) continue;
      vm.shadow.tick = 0;
      for (const t of vm.shadow.tables) t.lastUsed = 0;
    }
    return createHash('sha256').update(encodeState(state as unknown as StateValue)).digest('hex');
  }

  /** Lengths of the consoles' output so far (where the output "from this point" starts). */
  marks(): number[] {
    return this.consoles.map((c) => c.length);
  }
}

/** Output of each console after `marks`. */
export function after(consoles: readonly string[], marks: readonly number[]): string[] {
  return consoles.map((c, i) => c.slice(marks[i]));
}
