import type { SourcePos } from '../../../dts/model/SourcePos.ts';

/** What an `<expect>` step looks for in the console output. */
export type ConsoleMatch =
  /** Console text as the UART sends it: one character per byte (escapes already decoded). */
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'regex'; readonly regex: RegExp };

/** One step of a scenario, as written in the file; `pos` is its element's `<`. */
export type ScenarioStep = { readonly pos: SourcePos } & (
  | { readonly kind: 'expect'; readonly match: ConsoleMatch; readonly withinNs: number }
  | { readonly kind: 'send'; readonly bytes: Uint8Array }
  | {
      readonly kind: 'expect-register';
      readonly cpu: number;
      readonly name: string;
      readonly value: number;
      /** Where `cpu` and `name` were written, for errors found once the board is built. */
      readonly cpuPos: SourcePos;
      readonly namePos: SourcePos;
    }
  | {
      readonly kind: 'expect-memory';
      /** Physical address. */
      readonly address: number;
      readonly addressPos: SourcePos;
      /**
       * `value` with `size` bytes, compared in the board's byte order; or `bytes`, compared
       * byte by byte in address order.
       */
      readonly expected: { readonly kind: 'value'; readonly value: bigint; readonly size: number } | { readonly kind: 'bytes'; readonly bytes: Uint8Array };
    }
  | { readonly kind: 'expect-exit'; readonly code: number; readonly withinNs: number }
  | { readonly kind: 'run'; readonly forNs: number }
  | { readonly kind: 'save-snapshot' | 'restore-snapshot'; readonly name: string }
);

/** A file another path in the scenario depends on, as written and as resolved. */
export interface ScenarioPath {
  readonly written: string;
  /** Relative to the scenario file's folder (joined to its path), or absolute as written. */
  readonly path: string;
  readonly pos: SourcePos;
}

export interface Scenario {
  readonly name: string;
  /** The scenario file and the `<scenario>` element's position in it. */
  readonly file: string;
  readonly pos: SourcePos;
  readonly board: ScenarioPath;
  /** Replaces the board's `<firmware>` (ELF or raw image). */
  readonly firmware?: ScenarioPath;
  /** Files that must exist for the scenario to run; when one is missing the scenario is skipped. */
  readonly requires: readonly ScenarioPath[];
  readonly steps: readonly ScenarioStep[];
}

/** Every scenario of one file, in document order. */
export interface ScenarioFile {
  readonly file: string;
  /** The `<scenarios name=…>` attribute, else the file's path: the JUnit test suite name. */
  readonly suiteName: string;
  readonly scenarios: readonly Scenario[];
}
