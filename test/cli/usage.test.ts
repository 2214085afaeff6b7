import test from 'ava';
import { runCli } from './CliRunner.ts';

test('no command prints the overview to stderr and exits 2', (t) => {
  const r = runCli([]);
  t.is(r.status, 2);
  t.regex(r.stderr, /usage: tskvm-board <command>/);
  for (const c of ['run', 'check', 'dts', 'dtb', 'import', 'models']) t.regex(r.stderr, new RegExp(`^  ${c} `, 'm'));
});

test('--help prints the overview to stdout and exits 0', (t) => {
  const r = runCli(['--help']);
  t.is(r.status, 0);
  t.regex(r.stdout, /commands:/);
});

test('an unknown command is bad input (exit 2) and is named', (t) => {
  const r = runCli(['frobnicate']);
  t.is(r.status, 2);
  t.regex(r.stderr, /unknown command 'frobnicate'/);
});

for (const c of ['run', 'check', 'dts', 'dtb', 'import', 'models']) {
  test(`${c} --help explains the command and exits 0`, (t) => {
    const r = runCli([c, '--help']);
    t.is(r.status, 0);
    t.regex(r.stdout, new RegExp(`^usage: tskvm-board ${c}`));
    t.is(r.stderr, '');
  });
}

test('an unknown option is bad input with the command usage, never a stack trace', (t) => {
  const r = runCli(['check', '--frob', 'x.xml']);
  t.is(r.status, 2);
  t.regex(r.stderr, /Unknown option '--frob'/);
  t.regex(r.stderr, /usage: tskvm-board check/);
  t.notRegex(r.stderr, /\n\s+at /);
});

test('a missing positional argument is bad input', (t) => {
  const r = runCli(['check']);
  t.is(r.status, 2);
  t.regex(r.stderr, /missing argument/);
});

test('too many arguments are bad input', (t) => {
  const r = runCli(['check', 'a.xml', 'b.xml']);
  t.is(r.status, 2);
  t.regex(r.stderr, /unexpected argument 'b.xml'/);
});

test('a board file that does not exist is named and exits 2', (t) => {
  const r = runCli(['check', 'no/such/board.xml']);
  t.is(r.status, 2);
  t.regex(r.stderr, /board file 'no\/such\/board.xml' does not exist/);
});

test('dtb and import require -o', (t) => {
  t.regex(runCli(['dtb', 'boards/virt-arm.xml']).stderr, /-o FILE is required/);
  t.is(runCli(['import', 'x.dtb']).status, 2);
});

test('bad --max-time and --max-instructions values are bad input', (t) => {
  const a = runCli(['run', 'boards/virt-arm.xml', '--max-time', 'soon']);
  t.is(a.status, 2);
  t.regex(a.stderr, /--max-time: 'soon' is not a duration/);
  const b = runCli(['run', 'boards/virt-arm.xml', '--max-instructions=-5']);
  t.is(b.status, 2);
  t.regex(b.stderr, /--max-instructions: '-5' is not a count/);
});
