import type { RunResult } from '../../machine/Machine.ts';
import { showConsoleText } from './ConsoleEscapes.ts';
import type { ConsoleMatch, ScenarioStep } from './Scenario.ts';
import { formatHex } from './ScenarioNumber.ts';
import { formatVirtualTime } from './VirtualDuration.ts';

/** A step as a short line for reports, close to how it is written in the file. */
export function describeStep(step: ScenarioStep): string {
  switch (step.kind) {
    case 'expect':
      return `expect ${describeMatch(step.match)} within ${formatVirtualTime(step.withinNs)}`;
    case 'send':
      return `send "${showConsoleText(String.fromCharCode(...step.bytes))}"`;
    case 'expect-register':
      return `expect-register cpu ${step.cpu} ${step.name} = ${formatHex(step.value >>> 0, 4)}`;
    case 'expect-memory':
      return step.expected.kind === 'value'
        ? `expect-memory ${formatHex(step.address, 4)} (${step.expected.size} byte${step.expected.size > 1 ? 's' : ''}) = ${formatHex(step.expected.value, step.expected.size)}`
        : `expect-memory ${formatHex(step.address, 4)} = ${hexBytes(step.expected.bytes)}`;
    case 'expect-exit':
      return `expect-exit code ${step.code} within ${formatVirtualTime(step.withinNs)}`;
    case 'run':
      return `run for ${formatVirtualTime(step.forNs)}`;
    case 'save-snapshot':
    case 'restore-snapshot':
      return `${step.kind} "${step.name}"`;
  }
}

export function describeMatch(match: ConsoleMatch): string {
  return match.kind === 'text' ? `text "${showConsoleText(match.text)}"` : `regex ${String(match.regex)}`;
}

/** How the board stopped, as the end of a sentence starting "the board …". */
export function describeStop(result: RunResult): string {
  switch (result.kind) {
    case 'poweroff':
      return `powered off with exit code ${result.exitCode}${result.message ? ` (${result.message})` : ''}`;
    case 'guest-error':
      return `stopped on a firmware failure: ${result.message}`;
    case 'breakpoint':
      return `stopped at a breakpoint on ${result.cpu.name}`;
    case 'user-quit':
      return 'was quit';
    case 'limit':
    case 'deadlock':
      return `stopped: ${result.message}`;
  }
}

export function hexBytes(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}
