import type { Cpu } from '../machine/Cpu.ts';
import type { PhysicalBus } from '../machine/PhysicalBus.ts';
import { UsageError } from '../cli/UsageError.ts';
import { GdbRunControl } from './GdbRunControl.ts';

/** The run command's options for the stub (merged into its option table). */
export const gdbCliOptions = {
  gdb: { type: 'string' },
  'gdb-wait': { type: 'boolean' },
} as const;

export const gdbCliHelp = `  --gdb PORT               serve the GDB remote protocol on 127.0.0.1:PORT
                           (gdb-multiarch: target remote :PORT; each core is a thread)
  --gdb-wait               with --gdb: hold the cores at reset until gdb attaches
                           and continues them
`;

/** A TCP port number 0–65535 (0: any free port, printed when listening). */
export function parseGdbPort(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new UsageError(`--gdb: '${text}' is not a TCP port number (0-65535)`, 'run');
  return Number(text);
}

/**
 * Start the stub when the command line asks for it (--gdb PORT, --gdb-wait);
 * undefined otherwise. Bad options are UsageErrors, a port in use an InputError.
 */
export async function startGdbStub(
  values: Record<string, unknown>,
  machine: { readonly cpus: readonly Cpu[]; readonly bus: PhysicalBus },
  log: (line: string) => void,
  consoleInputOpen: () => boolean,
): Promise<GdbRunControl | undefined> {
  const port = values.gdb;
  if (port === undefined) {
    if (values['gdb-wait']) throw new UsageError('--gdb-wait needs --gdb PORT', 'run');
    return undefined;
  }
  return GdbRunControl.start({
    port: parseGdbPort(String(port)),
    waitForDebugger: Boolean(values['gdb-wait']),
    cpus: machine.cpus,
    bus: machine.bus,
    log,
    consoleInputOpen,
  });
}
