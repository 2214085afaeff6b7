import { existsSync } from 'node:fs';
import { loadBoard } from '../../dts/board/BoardLoader.ts';
import type { BoardSpec } from '../../dts/board/BoardSpec.ts';
import { InputError, type Diagnostic } from '../../dts/model/SourcePos.ts';

/**
 * Load and check a board file for the CLI: errors become one InputError
 * carrying every diagnostic of the file; warnings are returned for printing.
 */
export function loadBoardOrThrow(path: string): { board: BoardSpec; warnings: Diagnostic[] } {
  if (!existsSync(path)) {
    throw new InputError([{ severity: 'error', message: `board file '${path}' does not exist` }]);
  }
  const { board, diagnostics } = loadBoard(path);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || board === undefined) {
    throw new InputError(errors.length > 0 ? diagnostics : [{ severity: 'error', message: `${path}: not a board file` }]);
  }
  return { board, warnings: diagnostics.filter((d) => d.severity === 'warning') };
}
