import test from 'ava';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliResult } from '../cli/CliRunner.ts';

// `tskvm-board run --snapshot-at N:FILE` and `--restore FILE` as a user runs them, and the
// determinism of plain runs (output, instruction counts, instruction traces).

const dir = mkdtempSync(join(tmpdir(), 'tskvm-snapshot-cli-'));
const TIMER = ['run', 'boards/virt-arm.xml', '--firmware', 'boards/firmware/arm/timer.elf'];

/** The summary line's instruction count and virtual time. */
function ending(r: CliResult): string {
  const m = /; (\d+) instructions, ([\d.]+ \w+) virtual/.exec(r.stderr);
  return m === null ? `no summary in: ${r.stderr}` : `${m[1]} instructions, ${m[2]}`;
}

/**
 * The part of `full` after what a run stopped at N printed (`prefix`); the stopped run ends its
 * output with a newline of its own when the console was mid-line.
 */
function remainder(full: string, prefix: string): string {
  if (full.startsWith(prefix)) return full.slice(prefix.length);
  if (prefix.endsWith('\n') && full.startsWith(prefix.slice(0, -1))) return full.slice(prefix.length - 1);
  throw new Error(`the stopped run's output is not a prefix of the full run's:\n${prefix}`);
}

let full: CliResult | undefined;
const fullRun = () => (full ??= runCli(TIMER));

test('--snapshot-at saves at exactly N without changing the run; --restore goes on to the same end', (t) => {
  const reference = fullRun();
  t.is(reference.status, 0, reference.stderr);
  const early = join(dir, 'early.snap');
  const late = join(dir, 'late.snap');
  const saving = runCli([...TIMER, '--snapshot-at', `3M:${late}`, '--snapshot-at', `1234567:${early}`]);
  t.is(saving.status, 0, saving.stderr);
  t.is(saving.stdout, reference.stdout);
  t.is(ending(saving), ending(reference));
  t.regex(saving.stderr, new RegExp(`snapshot at 1234567 instructions \\(1\\.235 ms virtual\\) saved to ${early.replace(/[.\\/]/g, '\\$&')} \\(\\d+ bytes\\)\\n.*snapshot at 3000000 instructions`, 's'));
  t.is(readFileSync(early).subarray(0, 8).toString('latin1'), 'TSKVMSNP');
  for (const [n, file] of [[1234567, early], [3000000, late]] as const) {
    // A run stopped at N prints what the full run printed up to N (and saves the same snapshot).
    const stopped = runCli([...TIMER, '--max-instructions', String(n), '--snapshot-at', `${n}:${file}.again`]);
    t.deepEqual(readFileSync(`${file}.again`), readFileSync(file));
    const restored = runCli([...TIMER, '--restore', file]);
    t.is(restored.status, 0, restored.stderr);
    t.regex(restored.stderr, new RegExp(`restored .*: ${n} instructions`));
    t.is(restored.stdout, remainder(reference.stdout, stopped.stdout), `output after ${n}`);
    t.is(ending(restored), ending(reference), `end after ${n}`);
  }
});

test('--restore with --no-jit, from a snapshot the JIT took, ends the same', (t) => {
  const reference = fullRun();
  const file = join(dir, 'jit.snap');
  t.is(runCli([...TIMER, '--snapshot-at', `2M:${file}`, '--max-instructions', '2M', '-q']).status, 1);
  const restored = runCli([...TIMER, '--no-jit', '--restore', file]);
  t.is(ending(restored), ending(reference));
  t.true(reference.stdout.endsWith(restored.stdout));
});

test('two runs with --trace insn write the same trace; a restored run traces the same instructions from N', (t) => {
  const trace = (name: string, extra: string[]) => {
    const file = join(dir, name);
    const r = runCli([...TIMER, '--max-instructions', '60000', '--trace', `insn:${file}`, ...extra]);
    t.is(r.status, 1, r.stderr); // the instruction limit
    return readFileSync(file, 'utf8').trimEnd().split('\n');
  };
  const first = trace('a.trace', []);
  const second = trace('b.trace', []);
  t.is(first.length, 60000);
  t.deepEqual(second, first);
  const snap = join(dir, 'trace.snap');
  t.is(runCli([...TIMER, '--snapshot-at', `45000:${snap}`, '--max-instructions', '45000', '-q']).status, 1);
  const restored = trace('c.trace', ['--restore', snap]);
  t.deepEqual(restored, first.slice(45000));
});

test('phone.xml: restored mid-run, host and guest consoles print what the uninterrupted run prints', (t) => {
  const PHONE = ['run', 'boards/phone.xml'];
  const reference = runCli(PHONE);
  t.is(reference.status, 0, reference.stderr);
  t.regex(reference.stdout, /^Booting tskvm phone host kernel\r\n[^]*\[guest-shadow\] Booting tskvm phone guest OS\r\n/);
  const file = join(dir, 'phone.snap');
  // 153 500: guest-nested is in the middle of a console line (which the restored run prints whole);
  // 6 000 000: at 6 ms of virtual time, a timer expiry is due and not fired yet.
  for (const n of [153_500, 6_000_000]) {
    const stopped = runCli([...PHONE, '--snapshot-at', `${n}:${file}`, '--max-instructions', String(n)]);
    t.is(stopped.status, 1);
    const restored = runCli([...PHONE, '--restore', file]);
    t.is(restored.status, 0, restored.stderr);
    // Guest lines are printed whole, when they end: a line begun before N is printed by the restored run.
    const guestLines = (s: string) => s.split('\n').filter((l) => l.startsWith('[guest'));
    const whole = (s: string) => guestLines(s).filter((l) => l.endsWith('\r'));
    t.deepEqual([...whole(stopped.stdout), ...guestLines(restored.stdout)], guestLines(reference.stdout), `guests after ${n}`);
    t.is(ending(restored), ending(reference), `end after ${n}`);
    // The VM summary lines (state, instructions, exits) match too, but for the Intr exits a stop at N may add.
    const vmLines = (r: CliResult) => r.stderr.split('\n').filter((l) => l.includes(': vm ')).map((l) => l.replace(/exits: .*?;/, ''));
    t.deepEqual(vmLines(restored), vmLines(reference));
  }
});

test('bad snapshots are clear errors with exit code 2 and no stack trace', (t) => {
  const good = join(dir, 'good.snap');
  t.is(runCli([...TIMER, '--snapshot-at', `1000:${good}`, '--max-instructions', '1000', '-q']).status, 1);
  const bytes = readFileSync(good);
  const variant = (name: string, data: Uint8Array) => {
    const file = join(dir, name);
    writeFileSync(file, data);
    return file;
  };
  const corrupt = Buffer.from(bytes);
  corrupt[corrupt.length - 10] ^= 0x01;
  const cases: Array<[string[], RegExp]> = [
    [['run', 'boards/virt-arm.xml', '--restore', good], /error: --restore: .*good\.snap was taken on board "virt-arm" \(virt-arm\.xml, firmware timer\.elf\) \(board hash [0-9a-f]{16}…\), not on "virt-arm" \(virt-arm\.xml, firmware hello\.elf\)/],
    [['run', 'boards/phone.xml', '--restore', good], /was taken on board "virt-arm" .*not on "phone" \(phone\.xml, firmware phone-host\.elf, guests guest-nested guest-shadow\)/],
    [[...TIMER, '--restore', variant('short.snap', bytes.subarray(0, bytes.length >> 1))], /error: --restore: .*short\.snap is truncated \(\d+ bytes\): the snapshot is incomplete/],
    [[...TIMER, '--restore', variant('corrupt.snap', corrupt)], /error: --restore: .*corrupt\.snap is corrupt: its contents do not match their checksum/],
    [[...TIMER, '--restore', 'boards/firmware/arm/timer.elf'], /error: --restore: boards\/firmware\/arm\/timer\.elf is not a tskvm snapshot/],
    [[...TIMER, '--restore', join(dir, 'missing.snap')], /error: --restore: cannot read .*missing\.snap: ENOENT/],
    [[...TIMER, '--snapshot-at', '5M'], /--snapshot-at: '5M' is not N:FILE/],
    [[...TIMER, '--snapshot-at', `x:${good}`], /--snapshot-at: 'x:.*' is not N:FILE/],
    [[...TIMER, '--restore', good, '--snapshot-at', `10:${join(dir, 'past.snap')}`], /--snapshot-at 10: the restored machine is already at 1000 instructions/],
    [[...TIMER, '--snapshot-at', `10:${join(dir, 'no-such-dir', 'x.snap')}`], /--snapshot-at: cannot write .*x\.snap: ENOENT/],
  ];
  for (const [args, message] of cases) {
    const r = runCli(args);
    t.is(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    t.regex(r.stderr, message);
    t.notRegex(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('a snapshot point the run never reaches is reported, nothing is written', (t) => {
  const r = runCli([...TIMER, '--snapshot-at', `9G:${join(dir, 'never.snap')}`, '-q']);
  t.is(r.status, 0);
  t.regex(r.stderr, /--snapshot-at 9000000000: the run ended at 5\d{6} instructions; nothing was written to .*never\.snap/);
});
