import { readFileSync, writeFileSync } from 'node:fs';
import { InputError } from '../../dts/model/SourcePos.ts';
import type { BuiltMachine } from '../board/MachineBuilder.ts';
import type { PrefixedConsole } from '../board/VmBuilder.ts';
import { UsageError } from '../cli/UsageError.ts';
import { loadMachineSnapshot, saveMachineSnapshot } from './MachineSnapshot.ts';
import { SnapshotError } from './SnapshotFile.ts';
import type { StateValue } from './StateCodec.ts';

/** One `--snapshot-at N:FILE`. */
export interface SnapshotPoint {
  readonly instructions: number;
  readonly file: string;
}

/**
 * Parse the `--snapshot-at` values: N (a count as --max-instructions takes,
 * or 0) and a file, separated by the first colon; sorted by N (several files
 * at one N are all written).
 */
export function parseSnapshotPoints(values: readonly string[]): SnapshotPoint[] {
  const points = values.map((text) => {
    const colon = text.indexOf(':');
    const count = colon < 0 ? '' : text.slice(0, colon).trim();
    const file = colon < 0 ? '' : text.slice(colon + 1);
    const m = /^(\d+(?:\.\d+)?(?:e\d+)?)([kmg]?)$/i.exec(count);
    const n = m ? Number(m[1]) * { '': 1, k: 1e3, m: 1e6, g: 1e9 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'] : NaN;
    if (!m || !Number.isSafeInteger(n) || file === '') {
      throw new UsageError(`--snapshot-at: '${text}' is not N:FILE (an instruction count such as 5000000 or 5M, a colon, a file name)`);
    }
    return { instructions: n, file };
  });
  return points.sort((a, b) => a.instructions - b.instructions);
}

/** Instructions retired by every core and vCPU of the machine (what --snapshot-at and the scheduler's limits count). */
export function machineInstructions(built: BuiltMachine): number {
  return built.machine.cpus.reduce((n, cpu) => n + cpu.retired, 0);
}

const CONSOLES_KEY = 'cli.guestConsoles';

/** Write a snapshot of the machine (and the guest consoles' unfinished lines) to `file`; returns its size. */
export function saveSnapshotFile(built: BuiltMachine, file: string, guestConsoles: readonly PrefixedConsole[]): number {
  let bytes: Uint8Array;
  try {
    const lines: StateValue = guestConsoles.map((c) => ({ ...c.lineState }));
    bytes = saveMachineSnapshot(built, { [CONSOLES_KEY]: lines });
  } catch (e) {
    throw new InputError([{ severity: 'error', message: `--snapshot-at: cannot save this machine: ${(e as Error).message}` }]);
  }
  try {
    writeFileSync(file, bytes);
  } catch (e) {
    throw new InputError([{ severity: 'error', message: `--snapshot-at: cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }]);
  }
  return bytes.length;
}

/** Restore the machine from `file` (every problem an InputError naming the file). */
export function restoreSnapshotFile(built: BuiltMachine, file: string, guestConsoles: readonly PrefixedConsole[]): void {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new InputError([{ severity: 'error', message: `--restore: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }]);
  }
  let extras;
  try {
    extras = loadMachineSnapshot(built, bytes, file);
  } catch (e) {
    if (e instanceof SnapshotError) throw new InputError([{ severity: 'error', message: `--restore: ${e.message}` }]);
    throw e;
  }
  const lines = extras[CONSOLES_KEY];
  if (Array.isArray(lines) && lines.length === guestConsoles.length) {
    guestConsoles.forEach((c, i) => {
      c.lineState = lines[i] as { pending: string; atLineStart: boolean };
    });
  }
}
