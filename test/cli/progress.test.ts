import test from 'ava';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ProgressLine } from '../../src/cli/ProgressLine.ts';
import { repoRoot, runCli } from './CliRunner.ts';

/** ECMA-48: CR, then EL (erase in line, CSI K). */
const ERASE = '\r\x1b[K';

function line(options: { atLineStart?: () => boolean; columns?: number } = {}) {
  let wall = 0;
  let out = '';
  const sample = { instructions: 0, virtualNs: 0 };
  const p = new ProgressLine((s) => (out += s), () => sample, options.atLineStart ?? (() => true), { now: () => wall, columns: options.columns });
  return {
    p,
    sample,
    advance(ms: number) {
      wall += ms;
      p.tick();
    },
    take() {
      const s = out;
      out = '';
      return s;
    },
  };
}

test('the status line waits a second, then shows instructions, virtual time and the MIPS of the last interval', (t) => {
  const l = line();
  l.p.start();
  l.sample.instructions = 5_000_000;
  l.sample.virtualNs = 5_000_000;
  l.advance(500);
  t.is(l.take(), '');
  l.advance(500);
  // 5e6 instructions in 1000 ms: 5 MIPS.
  t.is(l.take(), `${ERASE}[tskvm-board] 5000000 instructions, 5.000 ms virtual, 5.0 MIPS`);
  l.sample.instructions = 10_000_000;
  l.sample.virtualNs = 1_250_000_000;
  l.advance(100);
  t.is(l.take(), '', 'redrawn a few times a second, not at every tick');
  l.advance(150);
  // 5e6 more in 250 ms: 20 MIPS.
  t.is(l.take(), `${ERASE}[tskvm-board] 10000000 instructions, 1.250 s virtual, 20.0 MIPS`);
  l.p.stop();
  t.is(l.take(), ERASE, 'stop erases the line');
  l.advance(5000);
  t.is(l.take(), '', 'nothing after stop');
});

test('the status line keeps off console output that has not ended its line, and erases itself only when drawn', (t) => {
  let atLineStart = false;
  const l = line({ atLineStart: () => atLineStart, columns: 20 });
  l.p.start();
  l.p.clear();
  t.is(l.take(), '');
  l.advance(1000);
  t.is(l.take(), '');
  atLineStart = true;
  l.advance(300);
  // Cut to the terminal's width minus one, so it never wraps.
  t.is(l.take(), `${ERASE}[tskvm-board] 0 ins`);
  l.p.clear();
  t.is(l.take(), ERASE);
  l.p.clear();
  t.is(l.take(), '');
});

/** Runs tskvm-board on a pseudo-terminal (stdin, stdout and stderr all on it) until it exits. */
function onTerminal(args: string[]) {
  const r = spawnSync('python3', [join(repoRoot, 'test', 'cli', 'fixtures', 'tty-session.py'), '--', process.execPath, join(repoRoot, 'bin', 'tskvm-board.js'), ...args], {
    cwd: repoRoot,
    encoding: 'latin1',
    timeout: 240_000,
  });
  return { output: r.stdout, exit: Number(/exit (\d+)\n$/.exec(r.stdout)?.[1] ?? -1) };
}

// A long run: the benchmark firmware with every data access traced (to /dev/null), stopped after 5M instructions.
const LONG_RUN = ['run', 'boards/virt-arm.xml', '--firmware', 'boards/firmware/arm/bench.elf', '--trace', 'mem:/dev/null', '--max-instructions', '5M'];

test('on a terminal a long run shows the status line, redrawn in place and erased before the summary', (t) => {
  const { output, exit } = onTerminal(LONG_RUN);
  t.is(exit, 1, output.slice(-500));
  const draws = [...output.matchAll(/\r\x1b\[K\[tskvm-board\] (\d+) instructions, [\d.]+ (?:us|ms|s) virtual, [\d.]+ MIPS/g)];
  t.true(draws.length >= 1, output.slice(-800));
  const counts = draws.map((m) => Number(m[1]));
  t.true(counts.every((n, i) => i === 0 || n >= counts[i - 1]!) && counts.at(-1)! <= 5_000_000);
  // The last draw is erased before the summary line is written.
  const last = draws.at(-1)!;
  const after = output.slice(last.index + last[0].length);
  t.true(after.startsWith(ERASE), JSON.stringify(after.slice(0, 80)));
  t.regex(after, /tskvm-board: stopped: instruction limit of 5000000 reached/);
});

test('--no-progress on a terminal, and a run with stderr piped, show no status line', (t) => {
  const { output } = onTerminal([...LONG_RUN, '--no-progress']);
  t.regex(output, /instruction limit of 5000000 reached/);
  t.false(output.includes('[tskvm-board]'));
  t.false(output.includes('\x1b[K'));
  // The whole benchmark, interpreted: more than a second of wall time on the machines we run on.
  const piped = runCli(['run', 'boards/virt-arm.xml', '--firmware', 'boards/firmware/arm/bench.elf', '--no-jit']);
  t.is(piped.status, 0, piped.stderr);
  t.false(piped.stderr.includes('[tskvm-board]'));
  t.false(piped.stderr.includes('\x1b[K'));
});
