import type { Command } from '../Command.ts';
import { ExitCode } from '../ExitCode.ts';
import { createCoreRegistry } from '../../../cores/models.ts';
import { createDeviceRegistry } from '../../../peripherals/models.ts';

export const modelsCommand: Command = {
  name: 'models',
  summary: 'list the core and device models and their compatible strings',
  help: `usage: tskvm-board models

List every core model and device model tskvm has, with the device-tree
compatible strings that select it. A node whose compatible matches none of
them becomes an "unimplemented" region that logs each access.
`,
  options: {},
  positionals: [0, 0],
  async run(_p, _v, io) {
    const lines: string[] = ['cores:'];
    for (const m of createCoreRegistry().models()) {
      lines.push(`  ${m.compatible.join(', ')}  (${m.isa}) ${m.description}`);
    }
    if (lines.length === 1) lines.push('  (none yet)');
    lines.push('devices:');
    for (const m of createDeviceRegistry().models()) {
      lines.push(`  ${m.compatible.join(', ')}  ${m.description}`);
    }
    io.stdout(lines.join('\n') + '\n');
    return ExitCode.Ok;
  },
};
