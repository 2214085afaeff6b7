import { spawn, spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { rounded, type BenchResult } from './BenchResult.ts';

/**
 * What a user waits for: `tskvm-board run boards/virt-arm.xml --firmware
 * u-boot.bin` in a new process (Node's start, the TypeScript loader, building
 * the board, V8 warming up on the cores), a space typed when the countdown
 * appears, until U-Boot's prompt. The rows measured in the bench's own
 * process start with the cores' code already optimized.
 */
export async function benchColdUBoot(image: string | undefined): Promise<BenchResult> {
  const name = 'arm-uboot-prompt-cold';
  if (image === undefined) return { name, figures: { skipped: 'u-boot-qemu not installed (scripts/fetch-debian-package.sh u-boot-qemu)' } };
  const t0 = performance.now();
  // On a terminal, as a user runs it (util-linux `script` gives the child one): keys then reach the
  // board within a millisecond of virtual time; piped input waits for the next 20 ms chunk.
  const command = [process.execPath, 'bin/tskvm-board.js', 'run', 'boards/virt-arm.xml', '--firmware', image, '--no-progress'];
  const terminal = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
  const child = terminal
    ? spawn('script', ['-q', '-f', '-e', '-c', command.map((a) => `'${a}'`).join(' '), '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(command[0], command.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let countdown = -1;
  const seconds = await new Promise<number>((resolve) => {
    const timer = setTimeout(() => resolve(-1), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('latin1');
      if (countdown < 0 && out.includes('Hit any key to stop autoboot: ')) {
        countdown = (performance.now() - t0) / 1000;
        child.stdin.write(' ');
      }
      if (countdown >= 0 && /\n=> $/.test(out.replace(/\r/g, ''))) {
        clearTimeout(timer);
        resolve((performance.now() - t0) / 1000);
      }
    });
    child.on('exit', () => resolve(-1));
  });
  child.kill();
  if (seconds < 0) return { name, figures: { failed: `no prompt; the console showed: ${JSON.stringify(out.slice(-200))}` } };
  return { name, figures: { seconds: rounded(seconds, 3), countdownSeconds: rounded(countdown, 3), stdin: terminal ? 'terminal' : 'pipe' } };
}
