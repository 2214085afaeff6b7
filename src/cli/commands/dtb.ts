import type { Command } from '../Command.ts';
import { ExitCode } from '../ExitCode.ts';
import { UsageError } from '../UsageError.ts';
import { loadBoardOrThrow } from '../../board/BoardFiles.ts';
import { writeDtb } from '../../../dts/blob/DtbWriter.ts';
import { writeOutputFile } from '../OutputFile.ts';

export const dtbCommand: Command = {
  name: 'dtb',
  summary: "write the board's device tree blob",
  help: `usage: tskvm-board dtb BOARD.xml -o FILE.dtb

Compile the board's device tree into a flattened device tree blob
(version 17), the file firmware and Linux read. dtc -I dtb reads it back.

options:
  -o, --output FILE   where to write the blob (required)
`,
  options: { output: { type: 'string', short: 'o' } },
  positionals: [1, 1],
  async run([file], values, _io) {
    const out = values.output as string | undefined;
    if (!out) throw new UsageError('-o FILE is required', 'dtb');
    const { board } = loadBoardOrThrow(file!);
    writeOutputFile(out, writeDtb(board.tree));
    return ExitCode.Ok;
  },
};
