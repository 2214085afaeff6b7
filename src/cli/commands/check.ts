import { formatDiagnostic } from '../../../dts/model/SourcePos.ts';
import type { Command } from '../Command.ts';
import { ExitCode } from '../ExitCode.ts';
import { loadBoardOrThrow } from '../../board/BoardFiles.ts';
import { buildMachine } from '../../board/MachineBuilder.ts';

export const checkCommand: Command = {
  name: 'check',
  summary: 'check a board file and report every problem with file:line:column',
  help: `usage: tskvm-board check BOARD.xml

Parse the board file and its includes, check the device tree (references,
reg and interrupt cells, overlapping regions, firmware files…) and try to
build the machine. Every problem is printed as file:line:column: message.
Nodes whose compatible has no device model are warnings.

exit codes: 0 the board is fine (warnings allowed), 2 it has errors
`,
  options: {},
  positionals: [1, 1],
  async run([file], _values, io) {
    const { board, warnings } = loadBoardOrThrow(file!);
    const built = buildMachine(board, { dryRun: true });
    for (const w of [...warnings, ...built.warnings]) io.stderr(`${formatDiagnostic(w)}\n`);
    io.stdout(`${board.file}: ok (${built.summary})\n`);
    return ExitCode.Ok;
  },
};
