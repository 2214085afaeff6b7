import { readFileSync, existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from '../Command.ts';
import { ExitCode } from '../ExitCode.ts';
import { UsageError } from '../UsageError.ts';
import { InputError } from '../../../dts/model/SourcePos.ts';
import { readDtb } from '../../../dts/blob/DtbReader.ts';
import { writeBoardXml } from '../../../dts/print/BoardXmlWriter.ts';
import { writeOutputFile } from '../OutputFile.ts';

export const importCommand: Command = {
  name: 'import',
  summary: 'turn a device tree blob into a board file',
  help: `usage: tskvm-board import FILE.dtb -o BOARD.xml

Read a flattened device tree blob (for example the .dtb of a real board, or
one QEMU dumps with -machine dumpdtb=FILE) and write an equivalent board
file. The conversion is lossless: 'tskvm-board dtb' of the result gives a
blob with the same content. Add <firmware> and <console> to run it.

options:
  -o, --output FILE   where to write the board XML (required)
`,
  options: { output: { type: 'string', short: 'o' } },
  positionals: [1, 1],
  async run([file], values, _io) {
    const out = values.output as string | undefined;
    if (!out) throw new UsageError('-o FILE is required', 'import');
    if (!existsSync(file!)) throw new InputError([{ severity: 'error', message: `'${file}' does not exist` }]);
    const tree = readDtb(new Uint8Array(readFileSync(file!)), file!);
    writeOutputFile(out, writeBoardXml(tree, { name: basename(file!).replace(/\.dtb$/i, '') }));
    return ExitCode.Ok;
  },
};
