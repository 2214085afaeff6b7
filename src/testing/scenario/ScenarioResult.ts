import type { Diagnostic } from '../../../dts/model/SourcePos.ts';
import type { Scenario, ScenarioStep } from './Scenario.ts';

/**
 * passed: every step held. failed: a step did not (or the scenario uses something tskvm
 * cannot do yet). skipped: a file in `requires` is missing. error: the scenario cannot run
 * as written on its board (the board file has errors, a register or address it names does
 * not exist there).
 */
export type ScenarioStatus = 'passed' | 'failed' | 'skipped' | 'error';

/** The step that did not hold: what it expected and what happened instead. */
export interface StepFailure {
  /** 0-based index into the scenario's steps. */
  readonly index: number;
  readonly step: ScenarioStep;
  readonly expected: string;
  readonly got: string;
}

export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly status: ScenarioStatus;
  /** One line saying why the scenario failed, was skipped or could not run. */
  readonly message?: string;
  readonly failure?: StepFailure;
  /** For status 'error': each problem with its place in the scenario or board file. */
  readonly diagnostics: readonly Diagnostic[];
  /** Virtual time the board ran (ns) and instructions its cores retired. */
  readonly virtualNs: number;
  readonly instructions: number;
  /** Wall-clock time the scenario took, board building included. */
  readonly wallSeconds: number;
  /** Everything the console printed, one character per byte. */
  readonly output: string;
}
