import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDiagnostic } from '../../dts/model/SourcePos.ts';
import { readScenarioFile, parseScenarioText } from '../../src/testing/scenario/ScenarioParser.ts';
import { runScenario } from '../../src/testing/scenario/ScenarioRunner.ts';
import type { Scenario } from '../../src/testing/scenario/Scenario.ts';
import { repoRoot } from '../cli/CliRunner.ts';

const fixture = (name: string) => join(repoRoot, 'test', 'scenario', 'fixtures', name);

function scenarios(file: string): Map<string, Scenario> {
  const r = readScenarioFile(fixture(file));
  if (!r.file) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'));
  return new Map(r.file.scenarios.map((s) => [s.name, s]));
}

const failing = scenarios('hello-fail.test.xml');
const run = (name: string) => runScenario(failing.get(name)!);

// The passing scenario runs twice: once watching its steps, once to compare (board builds are
// the slow part of these tests).
const [passing] = scenarios('hello-pass.test.xml').values();
const stepsSeen: string[] = [];
const first = runScenario(passing!, { onStep: (i, step, ok) => stepsSeen.push(`${i}:${step.kind}:${ok}`) });
const second = runScenario(passing!);

test('hello on virt-arm: boot registers, DTB header bytes, greeting and exit code 0 all hold', (t) => {
  t.is(first.status, 'passed', first.message);
  t.is(first.failure, undefined);
  t.is(first.output, 'Hello from tskvm on virt-arm\r\n');
  t.true(first.instructions > 0 && first.virtualNs > 0);
});

test('a scenario runs the same way twice: same virtual time, instructions and output', (t) => {
  t.deepEqual([first.virtualNs, first.instructions, first.output], [second.virtualNs, second.instructions, second.output]);
});

test('the steps are reported as they run', (t) => {
  t.is(stepsSeen.length, passing!.steps.length);
  t.deepEqual(stepsSeen.slice(-3), ['8:expect:true', '9:expect-exit:true', '10:run:true']);
});

test('text the console never prints fails at that step once the board has powered off', (t) => {
  const r = run('text never printed');
  t.is(r.status, 'failed');
  t.is(r.failure!.index, 1);
  t.deepEqual(r.failure!.step.pos, { file: fixture('hello-fail.test.xml'), line: 9, column: 5 });
  t.is(r.failure!.expected, 'console output with text "Goodbye" within 1.000 ms');
  t.regex(r.failure!.got, /^the board powered off with exit code 0/);
  t.is(r.output, 'Hello from tskvm on virt-arm\r\n');
});

test('an exit code other than the expected one fails, naming both', (t) => {
  const r = run('wrong exit code');
  t.is(r.status, 'failed');
  t.regex(r.failure!.expected, /exit code 3/);
  t.regex(r.failure!.got, /powered off with exit code 0/);
});

test('register and memory mismatches say what was there', (t) => {
  const reg = run('wrong register');
  t.is(reg.status, 'failed');
  t.deepEqual([reg.failure!.expected, reg.failure!.got], ['r2 = 0x40000004', 'r2 = 0x40000000']);
  const mem = run('wrong memory');
  t.is(mem.status, 'failed');
  t.deepEqual([mem.failure!.expected, mem.failure!.got], ['bytes d0 0d fe ee at 0x40000000', 'bytes d0 0d fe ed']);
});

test('a restored snapshot brings back the machine and the console output of its time', (t) => {
  // Saved at reset, then the firmware prints and powers off; restored, the machine is at reset
  // again, so the wait for "Goodbye" fails on the greeting printed anew, not on an empty console.
  const r = run('snapshot');
  t.is(r.status, 'failed');
  t.is(r.failure!.index, 3);
  t.is(r.failure!.step.kind, 'expect');
  t.regex(r.failure!.got, /the board powered off with exit code 0/);
  t.is(r.output, 'Hello from tskvm on virt-arm\r\n');
});

test('snapshot steps: a restore goes back to the saved instant, and the run from there repeats exactly', (t) => {
  const [scenario] = scenarios('snapshot-pass.test.xml').values();
  const r = runScenario(scenario!);
  t.is(r.status, 'passed', r.message);
  // The console shows the greeting once: the second one replaced the first when the snapshot was restored.
  t.is(r.output, 'Hello from tskvm on virt-arm\r\n');
});

test('a scenario whose required file is missing is skipped, not run', (t) => {
  const r = run('needs a missing file');
  t.is(r.status, 'skipped');
  t.is(r.message, 'requires no-such-firmware.elf, which is missing');
  t.is(r.instructions, 0);
});

test('registers, cores and addresses the board does not have are errors at their place, before anything runs', (t) => {
  const [s] = scenarios('hello-cannot-run.test.xml').values();
  const r = runScenario(s!);
  t.is(r.status, 'error');
  t.is(r.instructions, 0);
  const file = fixture('hello-cannot-run.test.xml');
  t.deepEqual(r.diagnostics.map(formatDiagnostic), [
    `${file}:4:26: error: cpu0 has no register 'r16' (its registers: r0 r1 r2 r3 r4 r5 r6 r7 r8 r9 r10 r11 r12 sp lr pc cpsr)`,
    `${file}:5:27: error: 0x9000000 is in the registers of device "pl011@9000000"; expect-memory reads RAM and ROM only, since reading a device register can change it`,
    `${file}:6:25: error: the board has no core 3 (it has 1: 0)`,
  ]);
});

test('a wait ends when the text is not printed in time while the board runs on', (t) => {
  // timer runs about 10 ms of virtual time before it powers off.
  const r = runScenario(inline('<expect text="no such line" within="2ms"/>', 'firmware/arm/timer.elf'));
  t.is(r.status, 'failed');
  t.is(r.failure!.got, 'not seen in 2.000 ms of virtual time');
  t.true(r.virtualNs >= 2e6 && r.virtualNs < 3e6, `${r.virtualNs}`);
});

test('a board idle with nothing scheduled fails the wait at once instead of hanging', (t) => {
  // A raw image for the flash at 0: WFI (0xe320f003), then B . (0xeafffffe), little-endian.
  const dir = mkdtempSync(join(tmpdir(), 'tskvm-scenario-'));
  const image = join(dir, 'wfi.bin');
  writeFileSync(image, Buffer.from([0x03, 0xf0, 0x20, 0xe3, 0xfe, 0xff, 0xff, 0xea]));
  const r = runScenario(inline('<send text="x"/><expect text="never" within="10s"/>', image));
  t.is(r.status, 'failed');
  t.regex(r.failure!.got, /^the board went idle with nothing scheduled: all cores idle/);
  t.true(r.virtualNs < 1e9, `${r.virtualNs}`);
});

test('a run step lets virtual time pass while the board runs', (t) => {
  const r = runScenario(inline('<run for="3ms"/><expect-exit within="1ms"/>', 'firmware/arm/timer.elf'));
  t.is(r.status, 'failed', 'timer is still running 4 ms after power-on');
  t.true(r.virtualNs >= 4e6 && r.virtualNs < 5e6, `${r.virtualNs}`);
  t.is(r.failure!.got, 'not seen in 1.000 ms of virtual time');
});

/** A one-scenario file in the boards folder, so board and firmware paths are those of boards/. */
function inline(body: string, firmware: string): Scenario {
  const r = parseScenarioText(`<scenario name="inline" board="virt-arm.xml" firmware="${firmware}">${body}</scenario>`, join(repoRoot, 'boards', 'inline.test.xml'));
  if (!r.file) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'));
  return r.file.scenarios[0]!;
}
