import { writeFileSync } from 'node:fs';
import { InputError } from '../../dts/model/SourcePos.ts';

/** Write a command's output file; a failure is the user's input problem (bad path), not a crash. */
export function writeOutputFile(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'its folder does not exist' : (e as Error).message;
    throw new InputError([{ severity: 'error', message: `cannot write ${path}: ${why}` }]);
  }
}
