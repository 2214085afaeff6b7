import type { Command } from '../Command.ts';
import { ExitCode } from '../ExitCode.ts';
import { loadBoardOrThrow } from '../../board/BoardFiles.ts';
import { printDts } from '../../../dts/print/DtsPrinter.ts';

export const dtsCommand: Command = {
  name: 'dts',
  summary: "print the board's device tree as .dts source",
  help: `usage: tskvm-board dts BOARD.xml [-o FILE.dts]

Print the board's device tree as .dts source that dtc accepts (labels and
references kept). Writes to stdout unless -o is given.

options:
  -o, --output FILE   write the .dts to FILE
`,
  options: { output: { type: 'string', short: 'o' } },
  positionals: [1, 1],
  async run([file], values, io) {
    const { board, warnings } = loadBoardOrThrow(file!);
    void warnings;
    const text = printDts(board.tree);
    const out = values.output as string | undefined;
    if (out) {
      const { writeOutputFile } = await import('../OutputFile.ts');
      writeOutputFile(out, text);
    } else io.stdout(text);
    return ExitCode.Ok;
  },
};
