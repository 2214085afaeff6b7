import chalk from 'chalk';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { KernelSpec } from '../../../dts/board/BoardSpec.ts';
import { formatDiagnostic, InputError } from '../../../dts/model/SourcePos.ts';
import type { CliIo, Command } from '../Command.ts';
import { ExitCode } from '../ExitCode.ts';
import { parseCount, parseDuration } from '../Quantity.ts';
import { loadBoardOrThrow } from '../../board/BoardFiles.ts';
import { buildMachine } from '../../board/MachineBuilder.ts';
import { attachGuestConsoles, describeVms } from '../../board/VmBuilder.ts';
import { ConsoleOutput } from '../ConsoleOutput.ts';
import { TerminalInput } from '../TerminalInput.ts';
import type { RunResult } from '../../machine/Machine.ts';
import { openTraces } from '../TraceOption.ts';
import { ProgressLine } from '../ProgressLine.ts';
import { TRACE_KIND_HELP, TRACE_KINDS } from '../../machine/Trace.ts';
import type { Machine } from '../../machine/Machine.ts';
import type { Cpu } from '../../machine/Cpu.ts';
import { gdbCliHelp, gdbCliOptions, startGdbStub } from '../../gdb/GdbCliOption.ts';
import { machineInstructions, parseSnapshotPoints, restoreSnapshotFile, saveSnapshotFile } from '../../snapshot/SnapshotOptions.ts';
import { Monitor } from '../../monitor/Monitor.ts';
import { MonitorLineEditor } from '../../monitor/MonitorLineEditor.ts';
import { ConsoleSwitch } from '../ConsoleSwitch.ts';
import { UsageError } from '../UsageError.ts';

const GUEST_COLOURS = [chalk.cyan, chalk.magenta, chalk.yellow, chalk.green, chalk.blue];

/** Virtual time run between two looks at stdin and stdout (deterministic: fixed in virtual time). */
const CHUNK_NS = 20_000_000;
/**
 * The same with a terminal on stdin: keys reach the board within a few
 * milliseconds of wall time, as under QEMU (a 20 ms chunk is 20M instructions,
 * most of a second before V8 has optimized the cores). Typed input is not
 * reproducible anyway; piped input keeps the 20 ms chunks, so a run with the
 * same input file stays the same run.
 */
const TERMINAL_CHUNK_NS = 1_000_000;
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
${TRACE_KINDS.map((k) => `                             ${k.padEnd(6)} ${TRACE_KIND_HELP[k]}`).join('\n')}
                           insn, mem and mmio run the cores without the JIT.
  --trace-out FILE.json    write a timeline in the Chrome/Perfetto trace-event
                           format (open it in ui.perfetto.dev or chrome://tracing):
                           which context ran on each core and vCPU, exits, interrupts;
                           timestamps are virtual time
  --no-progress            no status line on stderr (shown on a terminal during long runs)
  --snapshot-at N:FILE     save the whole machine to FILE when the instruction count
                           (every core and vCPU) reaches exactly N; may be repeated
  --restore FILE           start from the snapshot in FILE instead of from reset
                           (same board, firmware and guests; instruction counts and
                           virtual time go on from the snapshot's)
${gdbCliHelp}  -q, --quiet              no summary line on stderr at the end

monitor (Ctrl-A c on a terminal; Ctrl-A c again goes back to the console):
  info vms|exits|mmu|cpus|consoles, pause NAME, resume NAME, kill NAME,
  nice NAME N, console [NAME], snapshot FILE, quit, help

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
    'trace-out': { type: 'string' },
    'no-progress': { type: 'boolean' },
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

    // The status line (a terminal on stderr, not --no-progress): other output to the terminal erases it first.
    let progress: ProgressLine | undefined;
    const screen: CliIo = {
      ...io,
      stdout: (text) => {
        progress?.clear();
        io.stdout(text);
      },
      stderr: (text) => {
        progress?.clear();
        io.stderr(text);
      },
    };
    const output = new ConsoleOutput((bytes) => screen.stdout(Buffer.from(bytes).toString('latin1')));
    built.consoleDevice?.attachBackend(output);
    // Guests print through the same stdout, each line prefixed with [name]; the host's output is flushed first.
    const guestConsoles = attachGuestConsoles(
      built.vms,
      (text) => {
        output.flush();
        screen.stdout(text);
      },
      // On a terminal each guest's prefix has its own colour; pipes and files get plain text.
      (prefix, i) => (io.isTty ? GUEST_COLOURS[i % GUEST_COLOURS.length]!(prefix) : prefix),
    );
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
    // Opened after the last check of the command line, so that a file, once opened, is always closed below.
    const traces = openTraces(values.trace as string | undefined, values['trace-out'] as string | undefined, built, screen);
    // The gdb stub (--gdb): served between slices; it can hold the machine, and takes its debug stops.
    // Its threads are the host's cores and every VM's vCPUs (each read through its own address space).
    // Started after every check that can fail, since its listening socket would keep the process alive.
    let gdb: Awaited<ReturnType<typeof startGdbStub>>;
    try {
      gdb = await startGdbStub(values, { cpus: built.machine.cpus, bus: built.machine.bus }, (line) => io.stderr(`${line}\n`), () => !input.ended);
    } catch (e) {
      traces?.close();
      throw e;
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
      // Monitor commands run between slices, so the machine is at an instruction boundary here.
      snapshot: (file) => {
        output.flush();
        try {
          const size = saveSnapshotFile(built, file, guestConsoles);
          return `saved ${size} bytes at ${machineInstructions(built)} instructions (${fmtNs(machine.clock.now)} virtual) to ${file}`;
        } catch (e) {
          if (e instanceof InputError) return e.diagnostics.map((d) => d.message.replace(/^--snapshot-at: /, '')).join('; ');
          throw e;
        }
      },
    });
    const editor = new MonitorLineEditor(monitor, (text) => {
      output.flush();
      screen.stdout(text);
    });
    input = new TerminalInput(machine.console, process.stdin, editor);
    input.start();
    if (!input.isTty) await input.waitForInput(PIPE_GRACE_MS).then(() => (input.ended ? undefined : input.waitForInput(PIPE_GRACE_MS)));

    if (io.stderrIsTty && !values['no-progress']) {
      progress = new ProgressLine(
        (text) => io.stderr(text),
        () => ({ instructions: built.cpus.reduce((s, c) => s + c.retired, 0), virtualNs: machine.clock.now }),
        // Never over the monitor's prompt, nor in the middle of a console line.
        () => output.atLineStart && !input.monitorActive,
        { columns: io.stderrColumns?.() },
      );
      progress.start();
    }
    // Ctrl-C (SIGINT) or SIGTERM: end the run between two chunks, so traces are closed and the summary printed.
    let signalled: string | undefined;
    let wakeOnSignal: () => void = () => {};
    const signalArrived = new Promise<void>((resolve) => (wakeOnSignal = resolve));
    const onSignal = (name: string) => () => {
      signalled = name;
      wakeOnSignal();
    };
    const onInt = onSignal('SIGINT');
    const onTerm = onSignal('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);

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
        if (signalled !== undefined) {
          result = { kind: 'limit', message: `interrupted (${signalled})` };
          break;
        }
        // Chunks end at multiples of CHUNK_NS of virtual time, wherever the run started (a restored snapshot).
        const now = machine.clock.now;
        const chunkNs = input.isTty ? TERMINAL_CHUNK_NS : CHUNK_NS;
        const chunk = Math.min((Math.floor(now / chunkNs) + 1) * chunkNs - now, leftNs);
        const untilSnapshot = snapshotPoints.length > 0 ? snapshotPoints[0]!.instructions - retired : Infinity;
        const runInsns = Math.min(leftInsns, untilSnapshot);
        const r = progress
          ? runWithProgress(machine, chunk, runInsns, machine.cpus, progress)
          : machine.run({ maxTimeNs: chunk, ...(Number.isFinite(runInsns) ? { maxInstructions: runInsns } : {}) });
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
          await Promise.race([input.waitForInput(), signalArrived, ...(gdb ? [gdb.activity()] : [])]);
          continue;
        }
        result = r;
        break;
      }
    } catch (e) {
      await gdb?.close(ExitCode.Internal);
      throw e;
    } finally {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      progress?.stop();
      output.flush();
      input.stop();
      traces?.close();
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
      // The count is the host cores' (what --max-instructions and --snapshot-at count); the VMs' vCPUs
      // ran their own instructions in the same wall time, so a board with VMs gives both rates.
      const guests = built.vms === undefined ? 0 : built.vms.manager.status().reduce((n, v) => n + v.instructions, 0);
      const rate = (n: number) => (n / Math.max(wall, 1e-6) / 1e6).toFixed(1);
      const withVms = guests > 0 ? `; ${rate(retired + guests)} MIPS with the VMs' ${guests} instructions` : '';
      io.stderr(
        `tskvm-board: ${reason}; ${retired} instructions, ${fmtNs(machine.clock.now)} virtual, ` +
          `${wall.toFixed(2)} s wall (${rate(retired)} MIPS${withVms})\n`,
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

/** Pieces a chunk is cut into while a status line is shown, so it is redrawn a few times a second. */
const PROGRESS_PIECES = 8;

/**
 * One chunk of machine time in pieces, the status line ticking between them
 * (only on a terminal with the line on: other runs take their chunks whole).
 */
function runWithProgress(machine: Machine, chunkNs: number, leftInsns: number, cpus: readonly Cpu[], progress: ProgressLine): RunResult {
  const pieceNs = chunkNs / PROGRESS_PIECES;
  let doneNs = 0;
  let insns = leftInsns;
  for (;;) {
    const before = cpus.reduce((s, c) => s + c.retired, 0);
    const startNs = machine.clock.now;
    const r = machine.run({ maxTimeNs: Math.min(pieceNs, chunkNs - doneNs), ...(Number.isFinite(insns) ? { maxInstructions: insns } : {}) });
    doneNs += machine.clock.now - startNs;
    insns -= cpus.reduce((s, c) => s + c.retired, 0) - before;
    progress.tick();
    if (r.kind !== 'limit' || doneNs >= chunkNs || insns <= 0) return r;
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
