import type { SourcePos } from '../../model/SourcePos.ts';

/**
 * Turns character offsets in a source text into 1-based line and column numbers.
 * Line breaks are LF, CRLF or a lone CR (XML 1.0 section 2.11 treats all three as one
 * end of line); a column counts UTF-16 code units, a tab counting as one column.
 */
export class LineIndex {
  /** Offset of the first character of each line. */
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly file: string,
    text: string,
  ) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a) this.lineStarts.push(i + 1);
      else if (c === 0x0d) {
        if (text.charCodeAt(i + 1) === 0x0a) i++;
        this.lineStarts.push(i + 1);
      }
    }
  }

  /** Position of the character at `offset` (binary search over line starts). */
  pos(offset: number): SourcePos {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, column: offset - starts[lo]! + 1 };
  }

  /** The offset of a 1-based line and column (the inverse of pos). */
  offset(line: number, column: number): number {
    const start = this.lineStarts[Math.max(0, Math.min(line - 1, this.lineStarts.length - 1))]!;
    return start + column - 1;
  }
}
