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

test('on a terminal, Ctrl-A c opens the monitor and closes it again; the console goes on where it was', (t) => {
  const { output, exit } = onTerminal(
    [
      'Hit any key to stop autoboot', ' ',
      '=> ', '\\x01c',
      '(tskvm) ', 'info cpus\\r',
      'instructions', 'console\\r',
      'the keyboard types into host', 'info vms\\r',
      'this board has no VMs', '\\x01c',
      // Back at the console: U-Boot gets keys again.
      '\n', 'version\\r',
      'GNU ld', '\\x01c',
      '(tskvm) ', 'quit\\r',
    ],
    ['run', 'boards/virt-arm.xml', '--firmware', uBootImage('qemu_arm/u-boot.bin')],
  );
  t.regex(output, /tskvm monitor: 'help' lists the commands; Ctrl-A c goes back to the console\r\n\(tskvm\) /);
  t.regex(output, /\(tskvm\) info cpus\r\nvirtual time \d+ ns\r\ncore\s+pc\s+state\s+instructions\r\ncpu0\s+0x[0-9a-f]{8}\s+(idle|running)\s+\d+\r\n/);
  t.regex(output, /\(tskvm\) \r*\n+version\r*\n+U-Boot 2023\.01/);
  t.regex(output, /\(tskvm\) quit(\r*\n)+tskvm-board: quit/);
  t.notRegex(output, /=> info/, 'monitor commands never reach U-Boot');
  t.is(exit, 0, output.slice(-500));
});
