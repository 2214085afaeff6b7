import type { Command } from '../Command.ts';
import { runCommand } from './run.ts';
import { checkCommand } from './check.ts';
import { dtsCommand } from './dts.ts';
import { dtbCommand } from './dtb.ts';
import { importCommand } from './import.ts';
import { modelsCommand } from './models.ts';
import { testCommand } from './test.ts';

/** Every subcommand, in the order the overview lists them. */
export const commands: readonly Command[] = [
  runCommand,
  checkCommand,
  dtsCommand,
  dtbCommand,
  importCommand,
  modelsCommand,
  testCommand,
];
