/** Where something came from in a board or include file (1-based line and column). */
export interface SourcePos {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly severity: Severity;
  readonly message: string;
  /** Absent only for problems that have no place in a file (e.g. a missing board file). */
  readonly pos?: SourcePos;
}

/** `file:line:column: error: message`, the form every tool in tskvm prints. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.pos ? `${d.pos.file}:${d.pos.line}:${d.pos.column}: ` : '';
  return `${where}${d.severity}: ${d.message}`;
}

/** Thrown (and caught at the CLI boundary) when input is bad; carries every diagnostic found. */
export class InputError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'InputError';
  }

  static at(pos: SourcePos | undefined, message: string): InputError {
    return new InputError([{ severity: 'error', message, pos }]);
  }
}
