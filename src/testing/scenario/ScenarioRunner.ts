import { existsSync } from 'node:fs';
import { InputError, type Diagnostic } from '../../../dts/model/SourcePos.ts';
import { BoardSession } from '../BoardSession.ts';
import { bytesAsValue, memoryProblem, readMemory, registerProblem } from './MachineInspection.ts';
import type { ConsoleMatch, Scenario, ScenarioStep } from './Scenario.ts';
import { formatHex } from './ScenarioNumber.ts';
import { ScenarioBoard, type WaitOutcome } from './ScenarioBoard.ts';
import type { ScenarioResult, StepFailure } from './ScenarioResult.ts';
import { describeMatch, describeStop, hexBytes } from './StepDescription.ts';
import { formatVirtualTime } from './VirtualDuration.ts';

export interface ScenarioRunOptions {
  /** Called after each step (for --verbose): whether it held, and the virtual time then. */
  readonly onStep?: (index: number, step: ScenarioStep, ok: boolean, virtualNs: number) => void;
  /** Milliseconds of wall-clock time, for the time a scenario took (not used by the simulation). */
  readonly wallClock?: () => number;
}

type Expectation = Pick<StepFailure, 'expected' | 'got'>;

/** Build the scenario's board, run its steps in order, stop at the first that does not hold. */
export function runScenario(scenario: Scenario, options: ScenarioRunOptions = {}): ScenarioResult {
  const wallClock = options.wallClock ?? (() => performance.now());
  const started = wallClock();
  const base = { scenario, diagnostics: [] as Diagnostic[], virtualNs: 0, instructions: 0, output: '' };
  const wallSeconds = () => (wallClock() - started) / 1000;

  const missing = scenario.requires.filter((r) => !existsSync(r.path));
  if (missing.length > 0) {
    const list = missing.map((m) => m.written).join(', ');
    return { ...base, status: 'skipped', message: `requires ${list}, which ${missing.length > 1 ? 'are' : 'is'} missing`, wallSeconds: wallSeconds() };
  }

  const opened = openBoard(scenario);
  if ('diagnostics' in opened) {
    const first = opened.diagnostics.find((d) => d.severity === 'error') ?? opened.diagnostics[0];
    return { ...base, status: 'error', message: first?.message ?? 'the board cannot be built', diagnostics: opened.diagnostics, wallSeconds: wallSeconds() };
  }
  const session = opened.session;
  const problems = checkSteps(scenario, session);
  if (problems.length > 0) {
    return { ...base, status: 'error', message: problems[0]!.message, diagnostics: problems, wallSeconds: wallSeconds() };
  }

  const board = new ScenarioBoard(session);
  let failure: StepFailure | undefined;
  for (let index = 0; index < scenario.steps.length && failure === undefined; index++) {
    const step = scenario.steps[index]!;
    const unmet = runStep(board, step);
    options.onStep?.(index, step, unmet === undefined, board.now);
    if (unmet !== undefined) failure = { index, step, ...unmet };
  }
  return {
    ...base,
    status: failure ? 'failed' : 'passed',
    message: failure ? `step ${failure.index + 1}: expected ${failure.expected}; ${failure.got}` : undefined,
    failure,
    virtualNs: board.now,
    instructions: session.instructions,
    wallSeconds: wallSeconds(),
    output: session.output,
  };
}

/** The board with the scenario's firmware, or the diagnostics that keep it from being built. */
function openBoard(scenario: Scenario): { session: BoardSession } | { diagnostics: Diagnostic[] } {
  const at = (message: string): { diagnostics: Diagnostic[] } => ({ diagnostics: [{ severity: 'error', message, pos: scenario.board.pos }] });
  let session: BoardSession;
  try {
    session = BoardSession.open(scenario.board.path, { firmware: scenario.firmware?.path });
  } catch (e) {
    // Problems with no place of their own (a board no core model runs) are placed at the scenario's board attribute.
    if (e instanceof InputError) return { diagnostics: e.diagnostics.map((d) => (d.pos ? d : { ...d, pos: scenario.board.pos })) };
    throw e;
  }
  if (!scenario.firmware && !session.built.board.firmware) {
    return at(`board '${scenario.board.written}' has no <firmware>: give the scenario firmware="…"`);
  }
  return { session };
}

/** Registers and addresses the steps name must exist on this board: found before anything runs. */
function checkSteps(scenario: Scenario, session: BoardSession): Diagnostic[] {
  const problems: Diagnostic[] = [];
  for (const step of scenario.steps) {
    if (step.kind === 'expect-register') {
      const problem = registerProblem(session.built, step.cpu, step.name);
      if (problem) problems.push({ severity: 'error', message: problem.message, pos: problem.wrong === 'cpu' ? step.cpuPos : step.namePos });
    } else if (step.kind === 'expect-memory') {
      const length = step.expected.kind === 'value' ? step.expected.size : step.expected.bytes.length;
      const problem = memoryProblem(session.machine.bus, step.address, length);
      if (problem) problems.push({ severity: 'error', message: problem, pos: step.addressPos });
    }
  }
  return problems;
}

/** Carry out one step; what was expected and what happened when it does not hold. */
function runStep(board: ScenarioBoard, step: ScenarioStep): Expectation | undefined {
  switch (step.kind) {
    case 'expect': {
      const outcome = board.waitFor(matcher(step.match), step.withinNs);
      if (outcome.kind === 'seen') return undefined;
      return { expected: `console output with ${describeMatch(step.match)} within ${formatVirtualTime(step.withinNs)}`, got: missed(outcome, step.withinNs) };
    }
    case 'send':
      board.send(step.bytes);
      return undefined;
    case 'expect-register': {
      const got = board.session.built.cpus[step.cpu]!.getRegister(step.name) >>> 0;
      if (got === step.value >>> 0) return undefined;
      return { expected: `${step.name} = ${formatHex(step.value, 4)}`, got: `${step.name} = ${formatHex(got, 4)}` };
    }
    case 'expect-memory': {
      const bus = board.session.machine.bus;
      const e = step.expected;
      const got = readMemory(bus, step.address, e.kind === 'value' ? e.size : e.bytes.length);
      const where = formatHex(step.address, 4);
      if (e.kind === 'value') {
        const value = bytesAsValue(got, bus.littleEndian);
        if (value === e.value) return undefined;
        return { expected: `${formatHex(e.value, e.size)} at ${where}`, got: `${formatHex(value, e.size)} (bytes ${hexBytes(got)})` };
      }
      if (got.every((b, i) => b === e.bytes[i])) return undefined;
      return { expected: `bytes ${hexBytes(e.bytes)} at ${where}`, got: `bytes ${hexBytes(got)}` };
    }
    case 'expect-exit': {
      const expected = `the board powers off with exit code ${step.code} within ${formatVirtualTime(step.withinNs)}`;
      const outcome = board.waitForStop(step.withinNs);
      if (outcome.kind === 'stopped' && outcome.result.kind === 'poweroff' && outcome.result.exitCode >>> 0 === step.code >>> 0) return undefined;
      return { expected, got: missed(outcome, step.withinNs) };
    }
    case 'run':
      board.runFor(step.forNs);
      return undefined;
    case 'save-snapshot':
      try {
        board.saveSnapshot(step.name);
        return undefined;
      } catch (e) {
        return { expected: `to save the machine state as snapshot "${step.name}"`, got: `it cannot be saved: ${(e as Error).message}` };
      }
    case 'restore-snapshot':
      // The parser made sure a save of this name comes first; it may not have run if that step failed.
      if (board.restoreSnapshot(step.name)) return undefined;
      return { expected: `to restore the machine state from snapshot "${step.name}"`, got: 'no snapshot of that name was saved' };
  }
}

function missed(outcome: WaitOutcome, withinNs: number): string {
  switch (outcome.kind) {
    case 'seen':
      return 'it was seen';
    case 'timeout':
      return `not seen in ${formatVirtualTime(withinNs)} of virtual time`;
    case 'stopped':
      return `the board ${describeStop(outcome.result)}`;
    case 'idle':
      return `the board went idle with nothing scheduled: ${outcome.message}`;
  }
}

/** The end of the first match of `match` in a text, for ScenarioBoard.waitFor. */
function matcher(match: ConsoleMatch): (text: string) => number | undefined {
  if (match.kind === 'text') {
    return (text) => {
      const i = text.indexOf(match.text);
      return i < 0 ? undefined : i + match.text.length;
    };
  }
  const re = new RegExp(match.regex.source, match.regex.flags);
  return (text) => {
    const m = re.exec(text);
    return m === null ? undefined : m.index + m[0].length;
  };
}
