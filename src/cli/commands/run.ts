import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { KernelSpec } from '../../../dts/board/BoardSpec.ts';
import { formatDiagnostic, InputError } from '../../../dts/model/SourcePos.ts';
import type { Command } from '../Command.ts';
import { ExitCode } from '../ExitCode.ts';
import { parseCount, parseDuration } from '../Quantity.ts';
import { loadBoardOrThrow } from '../../board/BoardFiles.ts';
import { buildMachine } from '../../board/MachineBuilder.ts';
import { attachGuestConsoles, describeVms } from '../../board/VmBuilder.ts';
import { ConsoleOutput } from '../ConsoleOutput.ts';
import { TerminalInput } from '../TerminalInput.ts';
import type { RunResult } from '../../machine/Machine.ts';
import { parseTraceOption, TraceFile } from '../TraceOption.ts';
import { gdbCliHelp, gdbCliOptions, startGdbStub } from '../../gdb/GdbCliOption.ts';
import { machineInstructions, parseSnapshotPoints, restoreSnapshotFile, saveSnapshotFile } from '../../snapshot/SnapshotOptions.ts';
import { Monitor } from '../../monitor/Monitor.ts';
import { MonitorLineEditor } from '../../monitor/MonitorLineEditor.ts';
import { ConsoleSwitch } from '../ConsoleSwitch.ts';
import { UsageError } from '../UsageError.ts';

/** Virtual time run between two looks at stdin and stdout (deterministic: fixed in virtual time). */
const CHUNK_NS = 20_000_000;
/** How long (wall clock) piped input may take to arrive before the board starts anyway. */
const PIPE_GRACE_MS = 250;

export const runCommand: Command = {
  name: 'run',
  summary: 'build a board, load its firmware and run it with the console on stdin/stdout',
  help: `usage: tskvm-board run BOARD.xml [options]

Build the machine the board file describes, load its firmware and run it.
The console UART is the terminal: its output goes to stdout, stdin goes to
its receiver (raw on a terminal, Ctrl-A x quits, Ctrl-A c opens the monitor;
piped input is queued until the UART can take it). Time is virtual: the same board, firmware and input
give the same output and instruction counts on every run.

options:
  --firmware FILE          boot FILE instead of the board's <firmware>
                           (an ELF, or a raw image loaded at the board's load address)
  --kernel FILE            boot a kernel directly (ARM: a zImage), as QEMU's -kernel:
                           r0 = 0, r1 = ~0, r2 = the DTB; replaces <firmware>/<kernel>
  --initrd FILE            initial RAM disk for the kernel (/chosen linux,initrd-*)
  --append TEXT            kernel command line (/chosen bootargs)
  --console NAME           give stdin to VM NAME's console instead of the host's
                           (the monitor's 'console' command switches while running)
  --max-instructions N     stop after N instructions (e.g. 5e8, 300M)
  --max-time DURATION      stop after this much virtual time (e.g. 500ms, 10s, 2m)
  --no-jit                 interpret every instruction (no compilation of hot code;
                           the same output and instruction counts, only slower)
  --trace KINDS[:FILE]     write a text trace of KINDS (comma-separated) to FILE,
                           or to stderr without one. Kinds:
                             insn   every instruction: address <symbol>, encoding, disassembly
                             exc    every exception taken (kind, from where, vector)
                             undef  every undefined instruction (address, encoding)
  --snapshot-at N:FILE     save the whole machine to FILE when the instruction count
                           (every core and vCPU) reaches exactly N; may be repeated
  --restore FILE           start from the snapshot in FILE instead of from reset
                           (same board, firmware and guests; instruction counts and
                           virtual time go on from the snapshot's)
${gdbCliHelp}  -q, --quiet              no summary line on stderr at the end

monitor (Ctrl-A c on a terminal; Ctrl-A c again goes back to the console):
  info vms|exits|mmu|cpus|consoles, pause NAME, resume NAME, kill NAME,
  nice NAME N, console [NAME], quit, help

exit codes: 0 the firmware powered the board off (with exit code 0),
            1 firmware failure or a limit reached, 2 bad input, 3 internal error
`,
  options: {
    firmware: { type: 'string' },
    kernel: { type: 'string' },
    initrd: { type: 'string' },
    append: { type: 'string' },
    console: { type: 'string' },
    'max-instructions': { type: 'string' },
    'max-time': { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    trace: { type: 'string' },
    'no-jit': { type: 'boolean' },
    'snapshot-at': { type: 'string', multiple: true },
    restore: { type: 'string' },
    ...gdbCliOptions,
  },
  positionals: [1, 1],
  async run([file], values, io) {
    const maxInstructions =
      values['max-instructions'] !== undefined ? parseCount(values['max-instructions'] as string, '--max-instructions') : Infinity;
    const maxTimeNs = values['max-time'] !== undefined ? parseDuration(values['max-time'] as string, '--max-time') : Infinity;
    const quiet = Boolean(values.quiet);
    const snapshotPoints = parseSnapshotPoints((values['snapshot-at'] as string[] | undefined) ?? []);

    const { board, warnings } = loadBoardOrThrow(file!);
    const firmwarePath = values.firmware as string | undefined;
    const kernel = kernelOption(values, board.kernel);
    if (firmwarePath !== undefined && values.kernel !== undefined) throw new UsageError('--firmware and --kernel both say what boots; give one', 'run');
    if (!firmwarePath && !kernel && !board.firmware) {
      throw new InputError([{ severity: 'error', message: `${board.file}: the board has no <firmware> or <kernel> and no --firmware or --kernel was given` }]);
    }
    const built = buildMachine(board, {
      firmwarePath,
      ...(kernel !== undefined && kernel !== board.kernel ? { kernel } : {}),
      log: (line) => io.stderr(`[${line}]\n`),
      ...(values['no-jit'] ? { jit: false } : {}),
    });
    for (const w of [...warnings, ...built.warnings]) io.stderr(`${formatDiagnostic(w)}\n`);

    if (!built.coreModel) {
      io.stderr(`tskvm-board: built ${board.name} (${built.summary})\n`);
      io.stderr(`tskvm-board: cannot run: ${built.noCore}\n`);
      return ExitCode.Failure;
    }

    // The gdb stub (--gdb): served between slices; it can hold the machine, and takes its debug stops.
    // Its threads are the host's cores and every VM's vCPUs (each read through its own address space).
    const gdb = await startGdbStub(values, { cpus: built.machine.cpus, bus: built.machine.bus }, (line) => io.stderr(`${line}\n`), () => !input.ended);

    const trace = values.trace !== undefined ? parseTraceOption(values.trace as string) : undefined;
    let traceFile: TraceFile | undefined;
    if (trace) {
      traceFile = new TraceFile(trace.file, io);
      const symbols = built.firmware?.symbols;
      for (const cpu of built.cpus) {
        built.coreModel.attachTrace?.(cpu, {
          kinds: trace.kinds,
          sink: (line) => traceFile!.line(line),
          symbolize: symbols ? (a) => symbols.lookup(a) : undefined,
        });
      }
    }

    const output = new ConsoleOutput((bytes) => io.stdout(Buffer.from(bytes).toString('latin1')));
    built.consoleDevice?.attachBackend(output);
    // Guests print through the same stdout, each line prefixed with [name]; the host's output is flushed first.
    const guestConsoles = attachGuestConsoles(built.vms, (text) => {
      output.flush();
      io.stdout(text);
    });
    const machine = built.machine;
    if (values.restore !== undefined) {
      restoreSnapshotFile(built, values.restore as string, guestConsoles);
      if (!quiet) io.stderr(`tskvm-board: restored ${values.restore as string}: ${machineInstructions(built)} instructions, ${fmtNs(machine.clock.now)} virtual\n`);
    }
    const passed = snapshotPoints.find((p) => p.instructions < machineInstructions(built));
    if (passed !== undefined) {
      throw new InputError([{ severity: 'error', message: `--snapshot-at ${passed.instructions}: the restored machine is already at ${machineInstructions(built)} instructions` }]);
    }
    const consoles = new ConsoleSwitch(machine.console, built.consoleDevice ?? null, built.vms?.vmms ?? []);
    if (values.console !== undefined) {
      const name = values.console as string;
      if (!consoles.has(name)) throw new UsageError(`--console: no console named '${name}' (consoles: ${consoles.names.join(', ')})`, 'run');
      consoles.select(name);
    }
    let input: TerminalInput;
    const monitor = new Monitor({
      cpus: built.cpus,
      clockNs: () => machine.clock.now,
      vmms: built.vms?.vmms ?? [],
      ...(built.vms ? { manager: built.vms.manager } : {}),
      consoles: () => consoles.names,
      currentConsole: () => consoles.current,
      selectConsole: (name) => consoles.select(name),
      quit: () => {
        input.quitRequested = true;
      },
    });
    const editor = new MonitorLineEditor(monitor, (text) => {
      output.flush();
      io.stdout(text);
    });
    input = new TerminalInput(machine.console, process.stdin, editor);
    input.start();
    if (!input.isTty) await input.waitForInput(PIPE_GRACE_MS).then(() => (input.ended ? undefined : input.waitForInput(PIPE_GRACE_MS)));

    const wallStart = performance.now();
    let result: RunResult;
    try {
      for (;;) {
        const killed = await gdb?.whileHeld();
        if (killed) {
          result = killed;
          break;
        }
        const retired = machineInstructions(built);
        // Runs stop at exactly N; should a core ever retire past its budget, the snapshot is taken at once, and says where.
        while (snapshotPoints.length > 0 && snapshotPoints[0]!.instructions <= retired) {
          const point = snapshotPoints.shift()!;
          output.flush();
          const size = saveSnapshotFile(built, point.file, guestConsoles);
          const late = retired > point.instructions ? ` (asked for ${point.instructions})` : '';
          if (!quiet) io.stderr(`tskvm-board: snapshot at ${retired} instructions${late} (${fmtNs(machine.clock.now)} virtual) saved to ${point.file} (${size} bytes)\n`);
        }
        const leftInsns = maxInstructions - retired;
        const leftNs = maxTimeNs - machine.clock.now;
        if (leftInsns <= 0 || leftNs <= 0) {
          result = {
            kind: 'limit',
            message: leftInsns <= 0 ? `instruction limit of ${maxInstructions} reached` : `time limit of ${fmtNs(maxTimeNs)} reached`,
          };
          break;
        }
        // Chunks end at multiples of CHUNK_NS of virtual time, wherever the run started (a restored snapshot).
        const now = machine.clock.now;
        const chunk = Math.min((Math.floor(now / CHUNK_NS) + 1) * CHUNK_NS - now, leftNs);
        const untilSnapshot = snapshotPoints.length > 0 ? snapshotPoints[0]!.instructions - retired : Infinity;
        const runInsns = Math.min(leftInsns, untilSnapshot);
        const r = machine.run({ maxTimeNs: chunk, ...(Number.isFinite(runInsns) ? { maxInstructions: runInsns } : {}) });
        output.flush();
        if (input.quitRequested) {
          result = { kind: 'user-quit' };
          break;
        }
        if (gdb?.takes(r)) continue;
        if (r.kind === 'limit') {
          // Our chunk ended; the user's limits are checked at the top of the loop.
          await yieldToEventLoop();
          continue;
        }
        if (r.kind === 'deadlock' && !input.ended) {
          await (gdb ? Promise.race([input.waitForInput(), gdb.activity()]) : input.waitForInput());
          continue;
        }
        result = r;
        break;
      }
    } catch (e) {
      await gdb?.close(ExitCode.Internal);
      throw e;
    } finally {
      output.flush();
      input.stop();
      traceFile?.close();
    }

    for (const point of snapshotPoints) {
      io.stderr(`tskvm-board: --snapshot-at ${point.instructions}: the run ended at ${machineInstructions(built)} instructions; nothing was written to ${point.file}\n`);
    }
    const retired = built.cpus.reduce((s, c) => s + c.retired, 0);
    const wall = (performance.now() - wallStart) / 1000;
    const { code, reason } = describe(result);
    await gdb?.close(code);
    if (!output.atLineStart) io.stdout('\n');
    await io.flush?.();
    for (const c of guestConsoles) c.flush();
    if (!quiet || code !== ExitCode.Ok) {
      for (const line of describeVms(built.vms)) io.stderr(`tskvm-board: ${line}\n`);
      io.stderr(
        `tskvm-board: ${reason}; ${retired} instructions, ${fmtNs(machine.clock.now)} virtual, ` +
          `${wall.toFixed(2)} s wall (${(retired / Math.max(wall, 1e-6) / 1e6).toFixed(1)} MIPS)\n`,
      );
    }
    return code;
  },
};

/**
 * --kernel/--initrd/--append: a kernel spec from the command line. --initrd and --append alone
 * change the board's own <kernel>; without a kernel to boot they are a usage error.
 */
function kernelOption(values: Record<string, unknown>, boardKernel: KernelSpec | undefined): KernelSpec | undefined {
  const image = values.kernel as string | undefined;
  const initrd = values.initrd as string | undefined;
  const append = values.append as string | undefined;
  if (image === undefined && initrd === undefined && append === undefined) return boardKernel;
  if (image === undefined && boardKernel === undefined) {
    throw new UsageError(`${initrd !== undefined ? '--initrd' : '--append'} needs a kernel: give --kernel, or a board with <kernel>`, 'run');
  }
  for (const [option, path] of [['--kernel', image], ['--initrd', initrd]] as const) {
    if (path !== undefined && !existsSync(path)) throw new UsageError(`${option}: no such file '${path}'`, 'run');
  }
  const base = image !== undefined ? { path: resolve(image) } : boardKernel!;
  const initrdPath = initrd !== undefined ? resolve(initrd) : image === undefined ? boardKernel?.initrd : undefined;
  const bootargs = append ?? (image === undefined ? boardKernel?.append : undefined);
  return {
    path: base.path,
    ...(initrdPath !== undefined ? { initrd: initrdPath } : {}),
    ...(bootargs !== undefined ? { append: bootargs } : {}),
    ...(image === undefined && boardKernel?.pos ? { pos: boardKernel.pos } : {}),
  };
}

function describe(r: RunResult): { code: number; reason: string } {
  switch (r.kind) {
    case 'poweroff':
      return { code: r.exitCode === 0 ? ExitCode.Ok : ExitCode.Failure, reason: r.message ?? `the board powered off (exit code ${r.exitCode})` };
    case 'guest-error':
      return { code: ExitCode.Failure, reason: `firmware failure: ${r.message}` };
    case 'limit':
      return { code: ExitCode.Failure, reason: `stopped: ${r.message}` };
    case 'deadlock':
      return { code: ExitCode.Failure, reason: `stopped: ${r.message}` };
    case 'user-quit':
      return { code: ExitCode.Ok, reason: 'quit (Ctrl-A x)' };
    case 'breakpoint':
      return { code: ExitCode.Failure, reason: `stopped at a breakpoint on ${r.cpu.name} (pc 0x${r.cpu.getPc().toString(16)})` };
  }
}

function fmtNs(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(3)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(3)} ms`;
  return `${(ns / 1e3).toFixed(3)} us`;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
