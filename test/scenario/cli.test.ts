import test from 'ava';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { runCli } from '../cli/CliRunner.ts';

// `tskvm-board test` as a user or a CI job runs it: exit codes, the report, the JUnit file.
const fixture = (name: string) => `test/scenario/fixtures/${name}`;

test('exit code 0 when every scenario passes; one line per scenario and a summary', (t) => {
  const r = runCli(['test', fixture('hello-pass.test.xml')]);
  t.is(r.status, 0, r.stderr);
  t.is(r.stderr, '');
  t.regex(r.stdout, /^test\/scenario\/fixtures\/hello-pass\.test\.xml\n {2}PASS {2}boot state, DTB header, greeting and power-off {2}\d+ ns virtual, \d+ instructions\n/);
  t.regex(r.stdout, /\n1 scenario: 1 passed, 0 failed, 0 skipped \(\d+\.\d\d s wall\)\n$/);
});

test('exit code 1 on a failure; --junit writes a report CI systems read', (t) => {
  const out = join(mkdtempSync(join(tmpdir(), 'tskvm-junit-')), 'report.xml');
  const r = runCli(['test', fixture('hello-pass.test.xml'), fixture('hello-fail.test.xml'), '--junit', out]);
  t.is(r.status, 1, r.stderr);
  t.regex(r.stdout, / {2}FAIL {2}text never printed .*\n {7}step 2 \(test\/scenario\/fixtures\/hello-fail\.test\.xml:9:5\): expect text "Goodbye" within 1\.000 ms\n {7}expected: .*\n {7}got: {6}the board powered off with exit code 0.*\n {7}console output:\n {7}\| Hello from tskvm on virt-arm\n/);
  t.regex(r.stdout, / {2}SKIP {2}needs a missing file {2}requires no-such-firmware\.elf, which is missing/);
  t.regex(r.stdout, /8 scenarios: 2 passed, 5 failed, 1 skipped/);

  const xml = readFileSync(out, 'utf8');
  t.is(XMLValidator.validate(xml), true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testsuite' || n === 'testcase' }).parse(xml);
  t.like(doc.testsuites, { tests: '8', failures: '5', errors: '0' });
  const [pass, fail] = doc.testsuites.testsuite;
  t.like(pass, { name: 'hello passes', tests: '1', failures: '0', errors: '0', skipped: '0', package: 'test.scenario.fixtures.hello-pass' });
  t.like(fail, { name: 'hello fails', tests: '7', failures: '5', errors: '0', skipped: '1', id: '1' });
  const byName = new Map<string, any>(fail.testcase.map((c: any) => [c.name, c]));
  t.deepEqual([...byName.keys()], ['passes', 'text never printed', 'wrong exit code', 'wrong register', 'wrong memory', 'snapshot', 'needs a missing file']);
  t.deepEqual(
    [...byName.values()].map((c) => (c.failure ? c.failure.type : c.skipped ? 'skipped' : 'passed')),
    ['passed', 'expect', 'expect-exit', 'expect-register', 'expect-memory', 'expect', 'skipped'],
  );
  t.regex(byName.get('snapshot').failure.message, /step 4: expected console output with text "Goodbye"/);
  t.regex(byName.get('text never printed')['system-out'], /Hello from tskvm on virt-arm$/);
  for (const c of [...byName.values()]) t.regex(c.time, /^\d+\.\d{3}$/);
});

test('exit code 2 for a bad scenario file: every problem with file:line:column, nothing runs', (t) => {
  const r = runCli(['test', fixture('hello-pass.test.xml'), fixture('bad.test.xml')]);
  t.is(r.status, 2);
  t.is(r.stdout, '');
  t.deepEqual(r.stderr.trimEnd().split('\n'), [
    'test/scenario/fixtures/bad.test.xml:4:5: error: <expect> needs text="…" or regex="…"',
    "test/scenario/fixtures/bad.test.xml:4:13: error: unknown attribute 'txt' on <expect> (it takes text, regex, flags, within)",
    'test/scenario/fixtures/bad.test.xml:5:34: error: within="5 parsecs" is not a duration of virtual time (a positive number with ns, us, ms, s or m, e.g. 5s or 250ms)',
    'test/scenario/fixtures/bad.test.xml:6:5: error: unknown step <wait-for> (the steps are <expect>, <send>, <expect-register>, <expect-memory>, <expect-exit>, <run>, <save-snapshot>, <restore-snapshot>)',
  ]);
});

test('exit code 2 for a scenario its board cannot run, a missing file and a bad command line', (t) => {
  const cannot = runCli(['test', fixture('hello-cannot-run.test.xml')]);
  t.is(cannot.status, 2);
  t.regex(cannot.stdout, /ERROR names a register and an address the board lacks {2}could not run:\n.*hello-cannot-run\.test\.xml:4:26: error: cpu0 has no register 'r16'/);
  const missing = runCli(['test', 'nothing-here.test.xml']);
  t.is(missing.status, 2);
  t.is(missing.stderr, "error: scenario file 'nothing-here.test.xml' does not exist\n");
  const usage = runCli(['test']);
  t.is(usage.status, 2);
  t.regex(usage.stderr, /^tskvm-board test: missing argument/);
});

test("the board's own scenarios pass (Debian U-Boot's is skipped where u-boot-qemu is not installed)", (t) => {
  const r = runCli(['test', 'boards/virt-arm.test.xml'], { timeoutMs: 300_000 });
  t.is(r.status, 0, r.stdout + r.stderr);
  for (const name of ['hello prints its line', 'arith: every', 'mmu: every', 'timer: every']) t.regex(r.stdout, new RegExp(`  PASS  ${name}`));
  const uBoot = existsSync('/usr/lib/u-boot/qemu_arm/u-boot.bin') ? 'PASS' : 'SKIP';
  t.regex(r.stdout, new RegExp(`  ${uBoot}  Debian U-Boot: boot, stop autoboot, version, poweroff`));
});
