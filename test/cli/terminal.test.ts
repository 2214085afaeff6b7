import test from 'ava';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './CliRunner.ts';
import { uBootImage } from '../boards/DebianUBoot.ts';

/**
 * Runs tskvm-board on a pseudo-terminal (Python's pty module) and types at it.
 * The progress line is off: these tests read the console's output byte for byte
 * (progress.test.ts tests the line).
 */
function onTerminal(steps: string[], args: string[]) {
  const r = spawnSync('python3', [join(repoRoot, 'test', 'cli', 'fixtures', 'tty-session.py'), ...steps, '--', process.execPath, join(repoRoot, 'bin', 'tskvm-board.js'), ...args, '--no-progress'], {
    cwd: repoRoot,
    encoding: 'latin1',
    timeout: 240_000,
  });
  const exit = Number(/exit (\d+)\n$/.exec(r.stdout)?.[1] ?? -1);
  return { output: r.stdout, exit };
}

test('on a terminal, keys reach the console UART raw and Ctrl-A x quits with exit code 0', (t) => {
  const { output, exit } = onTerminal(
    ['Hit any key to stop autoboot', ' ', '=> ', 'version\\r', 'GNU ld', '\\x01x'],
    ['run', 'boards/virt-arm.xml', '--firmware', uBootImage('qemu_arm/u-boot.bin')],
  );
  t.regex(output, /=> version\r*\n+U-Boot 2023\.01/);
  t.regex(output, /quit \(Ctrl-A x\)/);
  t.is(exit, 0, output.slice(-500));
});

test('on a terminal, Ctrl-A Ctrl-A sends one Ctrl-A to the firmware', (t) => {
  // U-Boot's command line treats Ctrl-A as "move to start of line": typing "rsion", Ctrl-A, "ve"
  // gives "version" only if exactly one Ctrl-A reached it.
  const { output, exit } = onTerminal(
    ['Hit any key to stop autoboot', ' ', '=> ', 'rsion\\x01\\x01ve\\r', 'GNU ld', '\\x01x'],
    ['run', 'boards/virt-arm.xml', '--firmware', uBootImage('qemu_arm/u-boot.bin')],
  );
  t.regex(output, /arm-linux-gnueabihf-gcc/);
  t.is(exit, 0);
});
