import { InputError, formatDiagnostic, type Diagnostic, type SourcePos } from '../model/SourcePos.ts';

/** Collects every problem of a load so that one run reports them all. */
export class DiagnosticSink {
  private readonly items: Diagnostic[] = [];

  error(pos: SourcePos | undefined, message: string): void {
    this.items.push({ severity: 'error', message, pos });
  }

  warning(pos: SourcePos | undefined, message: string): void {
    this.items.push({ severity: 'warning', message, pos });
  }

  add(diagnostics: readonly Diagnostic[]): void {
    this.items.push(...diagnostics);
  }

  /** Runs `fn`, turning an InputError it throws into diagnostics. Other exceptions are bugs and propagate. */
  catching<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (e instanceof InputError) {
        this.add(e.diagnostics);
        return undefined;
      }
      throw e;
    }
  }

  get errorCount(): number {
    return this.items.filter((d) => d.severity === 'error').length;
  }

  /**
   * The diagnostics without repeats (two checks may find the same fault), ordered by file
   * (in the order files were first mentioned), line and column; those without a position first.
   */
  result(): Diagnostic[] {
    const seen = new Set<string>();
    const fileOrder = new Map<string, number>();
    const unique: Diagnostic[] = [];
    for (const d of this.items) {
      const key = formatDiagnostic(d);
      if (seen.has(key)) continue;
      seen.add(key);
      unique.push(d);
      if (d.pos !== undefined && !fileOrder.has(d.pos.file)) fileOrder.set(d.pos.file, fileOrder.size);
    }
    const rank = (d: Diagnostic): number[] =>
      d.pos === undefined ? [-1, 0, 0] : [fileOrder.get(d.pos.file)!, d.pos.line, d.pos.column];
    return unique
      .map((d, i) => ({ d, i, r: rank(d) }))
      .sort((a, b) => a.r[0]! - b.r[0]! || a.r[1]! - b.r[1]! || a.r[2]! - b.r[2]! || a.i - b.i)
      .map((x) => x.d);
  }
}
