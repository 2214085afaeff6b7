import test from 'ava';
import { join } from 'node:path';
import { formatDiagnostic } from '../../dts/model/SourcePos.ts';
import { parseScenarioText, readScenarioFile } from '../../src/testing/scenario/ScenarioParser.ts';
import type { ScenarioStep } from '../../src/testing/scenario/Scenario.ts';
import { repoRoot } from '../cli/CliRunner.ts';

const everyFileExists = () => true;

/** The formatted diagnostics of a scenario text (every referenced file taken to exist). */
function errors(source: string, file = 'case.test.xml', exists: (p: string) => boolean = everyFileExists): string[] {
  return parseScenarioText(source, file, exists).diagnostics.map(formatDiagnostic);
}

function steps(body: string): ScenarioStep[] {
  const r = parseScenarioText(`<scenario name="s" board="b.xml">\n${body}\n</scenario>`, 'case.test.xml', everyFileExists);
  assertNoErrors(r.diagnostics.map(formatDiagnostic));
  return [...r.file!.scenarios[0]!.steps];
}

function assertNoErrors(list: string[]): void {
  if (list.length > 0) throw new Error(`unexpected diagnostics:\n${list.join('\n')}`);
}

test('every step kind is read with its values and the position of its <', (t) => {
  const s = steps(
    [
      '<expect text="=> " within="250ms"/>',
      '  <expect regex="U-Boot \\d+" flags="mi"/>',
      '<send text="version\\r\\x03\\t\\e\\\\é"/>',
      '<expect-register cpu="1" name="r0" value="0xdead_beef"/>',
      '<expect-memory address="0x40000000" value="0x1234" size="2"/>',
      '<expect-memory address="4096" bytes="00 11 Ff"/>',
      '<expect-exit code="3" within="1.5s"/>',
      '<run for="10us"/>',
      '<save-snapshot name="booted"/><restore-snapshot name="booted"/>',
    ].join('\n'),
  );
  t.deepEqual(
    steps('<expect text="a"/>').map((s) => s.pos),
    [{ file: 'case.test.xml', line: 2, column: 1 }],
  );
  t.deepEqual(
    s.map((x) => [x.kind, x.pos.line, x.pos.column]),
    [
      ['expect', 2, 1],
      ['expect', 3, 3],
      ['send', 4, 1],
      ['expect-register', 5, 1],
      ['expect-memory', 6, 1],
      ['expect-memory', 7, 1],
      ['expect-exit', 8, 1],
      ['run', 9, 1],
      ['save-snapshot', 10, 1],
      ['restore-snapshot', 10, 31],
    ],
  );
  const [text, regex, send, reg, mem, bytes, exit, run, save] = s as any[];
  t.deepEqual([text.match, text.withinNs], [{ kind: 'text', text: '=> ' }, 250e6]);
  t.is(regex.match.regex.source, 'U-Boot \\d+');
  t.is(regex.match.regex.flags, 'im');
  t.is(regex.withinNs, 5e9, 'the default limit is 5 s of virtual time');
  // é is typed as its UTF-8 bytes.
  t.deepEqual([...send.bytes], [...Buffer.from('version'), 0x0d, 0x03, 0x09, 0x1b, 0x5c, 0xc3, 0xa9]);
  t.like(reg, { cpu: 1, name: 'r0', value: 0xdeadbeef, cpuPos: { line: 5, column: 23 }, namePos: { line: 5, column: 32 } });
  t.deepEqual(mem.expected, { kind: 'value', value: 0x1234n, size: 2 });
  t.is(mem.address, 0x40000000);
  t.deepEqual([...bytes.expected.bytes], [0x00, 0x11, 0xff]);
  t.is(bytes.address, 4096);
  t.like(exit, { code: 3, withinNs: 1.5e9 });
  t.is(run.forNs, 10e3);
  t.is(save.name, 'booted');
});

test('defaults: expect-register on core 0, a 4-byte memory value, exit code 0', (t) => {
  const [reg, mem, exit] = steps('<expect-register name="pc" value="0"/><expect-memory address="0" value="1"/><expect-exit/>') as any[];
  t.is(reg.cpu, 0);
  t.is(mem.expected.size, 4);
  t.is(exit.code, 0);
  t.is(exit.withinNs, 5e9);
});

test('expect text takes escapes and keeps the bytes as console characters', (t) => {
  const [a] = steps('<expect text="\\xff\\r\\n=&gt; &#10;"/>') as any[];
  // &#10; is a character reference: XML keeps it as a line feed in the attribute value.
  t.is(a.match.text, '\xff\r\n=> \n');
});

test('<scenarios> gives its board to every scenario; a scenario may name its own', (t) => {
  const r = parseScenarioText(
    `<scenarios name="suite" board="boards/a.xml">
       <scenario name="one"><run for="1ms"/></scenario>
       <scenario name="two" board="/abs/b.xml" firmware="fw/x.elf" requires="fw/x.elf  /opt/y"><run for="1ms"/></scenario>
     </scenarios>`,
    'dir/s.test.xml',
    (p) => p === 'dir/boards/a.xml' || p === '/abs/b.xml',
  );
  t.deepEqual(r.diagnostics, []);
  const [one, two] = r.file!.scenarios;
  t.is(r.file!.suiteName, 'suite');
  t.is(one!.board.path, 'dir/boards/a.xml', 'relative to the scenario file');
  t.is(two!.board.path, '/abs/b.xml');
  t.is(two!.firmware!.path, 'dir/fw/x.elf');
  t.deepEqual(two!.requires.map((r) => [r.path, r.pos.column]), [["dir/fw/x.elf", 78], ["/opt/y", 88]]);
});

test('a file with one <scenario> root is one scenario, named in the suite by its path', (t) => {
  const r = readScenarioFile(join(repoRoot, 'test/scenario/fixtures/hello-cannot-run.test.xml'));
  t.deepEqual(r.diagnostics, []);
  t.is(r.file!.scenarios.length, 1);
  t.is(r.file!.suiteName, join(repoRoot, 'test/scenario/fixtures/hello-cannot-run.test.xml'));
  t.is(r.file!.scenarios[0]!.board.path, join(repoRoot, 'boards/virt-arm.xml'));
});

// ---- errors: each names file:line:column ------------------------------------------------

const scenario = (body: string) => `<scenario name="s" board="b.xml">\n${body}\n</scenario>`;

test('an unknown step names itself and the steps there are', (t) => {
  t.deepEqual(errors(scenario('  <wait text="x"/>')), [
    'case.test.xml:2:3: error: unknown step <wait> (the steps are <expect>, <send>, <expect-register>, <expect-memory>, <expect-exit>, <run>, <save-snapshot>, <restore-snapshot>)',
  ]);
});

test('a bad regular expression is an error at its value', (t) => {
  t.deepEqual(errors(scenario('<expect regex="a(b"/>')), ['case.test.xml:2:16: error: regex="a(b" is not a valid regular expression: Unterminated group']);
  t.is(errors(scenario('<expect regex="a" flags="gx"/>')).length, 1);
  t.regex(errors(scenario('<expect regex="a" flags="gx"/>'))[0]!, /^case\.test\.xml:2:26: error: flags="gx"/);
});

test('a bad duration is an error at its value; a unit is required', (t) => {
  for (const bad of ['5', '5 parsecs', '-1s', '0s', 'ms']) {
    t.deepEqual(errors(scenario(`<run for="${bad}"/>`)), [
      `case.test.xml:2:11: error: for="${bad}" is not a duration of virtual time (a positive number with ns, us, ms, s or m, e.g. 5s or 250ms)`,
    ]);
  }
  t.regex(errors(scenario('<expect text="x" within="soon"/>'))[0]!, /^case\.test\.xml:2:26: error: within="soon"/);
});

test('a missing board, or a board file that does not exist, is an error', (t) => {
  t.deepEqual(errors('<scenario name="s">\n<run for="1ms"/></scenario>'), [
    'case.test.xml:1:1: error: <scenario> needs board="…" (the board file, relative to this file), here or on <scenarios>',
  ]);
  t.deepEqual(errors('<scenario name="s" board="nowhere.xml"><run for="1ms"/></scenario>', 'dir/case.test.xml', () => false), [
    "dir/case.test.xml:1:27: error: board file 'nowhere.xml' does not exist (looked for dir/nowhere.xml); list it in requires=\"…\" to skip the scenario when it is missing",
  ]);
  // A file listed in requires may be missing: the scenario is then skipped when run.
  t.deepEqual(errors('<scenario name="s" board="b.xml" firmware="fw.bin" requires="fw.bin"><run for="1ms"/></scenario>', 'c.xml', (p) => p === 'b.xml'), []);
});

test('malformed XML is an error at its place, from the shared XML reader', (t) => {
  t.deepEqual(errors('<scenario name="s" board="b.xml">\n  <run for="1ms">\n</scenario>'), [
    "case.test.xml:3:1: error: malformed XML: Expected closing tag 'run' (opened in line 2, col 3) instead of closing tag 'scenario'.",
  ]);
  t.deepEqual(errors(scenario('<send text="a & b"/>')), ["case.test.xml:2:15: error: malformed XML: '&' must be written &amp; in XML"]);
});

test('unknown attributes, missing and conflicting attributes, text and children in steps', (t) => {
  t.deepEqual(errors(scenario('<expect text="a" withn="1s"/>')), [
    "case.test.xml:2:18: error: unknown attribute 'withn' on <expect> (it takes text, regex, flags, within)",
  ]);
  t.deepEqual(errors(scenario('<expect text="a" regex="b"/>')), ['case.test.xml:2:18: error: <expect> takes text="…" or regex="…", not both']);
  t.deepEqual(errors(scenario('<expect/>')), ['case.test.xml:2:1: error: <expect> needs text="…" or regex="…"']);
  t.deepEqual(errors(scenario('<expect text="a" flags="i"/>')), ['case.test.xml:2:18: error: flags="…" goes with regex="…" only']);
  t.deepEqual(errors(scenario('<send/>')), ['case.test.xml:2:1: error: <send> needs text="…" (what to type; \\r is the Enter key)']);
  t.deepEqual(errors(scenario('<send text="x">hello</send>')), ['case.test.xml:2:16: error: <send> takes no text: write its values as attributes']);
  t.deepEqual(errors(scenario('<run for="1s"><send text="x"/></run>')), ['case.test.xml:2:15: error: <run> takes no child elements (found <send>)']);
  t.deepEqual(errors(scenario('<expect text=""/>')), ['case.test.xml:2:15: error: text="" is empty: it would match at once']);
});

test('bad console escapes are errors at the backslash', (t) => {
  t.deepEqual(errors(scenario('<send text="ab\\q"/>')), ["case.test.xml:2:15: error: unknown escape '\\q' (the escapes are \\r \\n \\t \\e \\\\ and \\xNN)"]);
  t.deepEqual(errors(scenario('<expect text="x\\x4"/>')), ["case.test.xml:2:16: error: \\x needs two hex digits (e.g. \\x03 for Ctrl-C), found '\\x4'"]);
  t.deepEqual(errors(scenario('<send text="x\\"/>')), ['case.test.xml:2:14: error: a lone \\ at the end of the text (write \\\\ for a backslash)']);
});

test('numbers: registers are 32-bit, memory values fit their size, bytes are hex pairs', (t) => {
  t.deepEqual(errors(scenario('<expect-register name="r0" value="0x100000000"/>')), [
    'case.test.xml:2:35: error: value="0x100000000" is not a 32-bit value (write 0x… or decimal, at most 0xffffffff)',
  ]);
  t.deepEqual(errors(scenario('<expect-register name="r0" value="ten"/>')), ['case.test.xml:2:35: error: value="ten" is not a 32-bit value (write 0x… or decimal)']);
  t.deepEqual(errors(scenario('<expect-memory address="0" value="0x10000" size="2"/>')), ['case.test.xml:2:35: error: value="0x10000" does not fit in 2 bytes']);
  t.deepEqual(errors(scenario('<expect-memory address="0" value="1" size="3"/>')), ['case.test.xml:2:44: error: size="3" is not 1, 2, 4 or 8 (bytes)']);
  t.deepEqual(errors(scenario('<expect-memory address="0" bytes="00 1 22"/>')), [
    'case.test.xml:2:38: error: bytes="…": \'1\' is not a byte (write two hex digits per byte, separated by spaces: "de ad be ef")',
  ]);
  t.deepEqual(errors(scenario('<expect-memory address="0" bytes="00" size="1"/>')), [
    'case.test.xml:2:39: error: size="…" goes with value="…" only (bytes="…" gives its own length)',
  ]);
  t.deepEqual(errors(scenario('<expect-memory value="1"/>')), ['case.test.xml:2:1: error: <expect-memory> needs address="…" (the physical address, 0x…)']);
});

test('snapshots: a restore needs an earlier save of that name in the scenario', (t) => {
  t.deepEqual(errors(scenario('<restore-snapshot name="a"/><save-snapshot name="a"/>')), [
    'case.test.xml:2:1: error: <restore-snapshot name="a"> comes before any <save-snapshot name="a"> in this scenario',
  ]);
  t.deepEqual(errors(scenario('<save-snapshot/>')), ["case.test.xml:2:1: error: <save-snapshot> needs name=\"…\" (the snapshot's name)"]);
});

test('file structure: the root, empty scenarios, duplicate names', (t) => {
  t.deepEqual(errors('<tests/>'), ["case.test.xml:1:1: error: a scenario file's root element is <scenario> or <scenarios> (found <tests>)"]);
  t.deepEqual(errors('<scenario name="s" board="b.xml"/>'), ["case.test.xml:1:1: error: scenario 's' has no steps"]);
  t.deepEqual(errors('<scenarios board="b.xml">\n<scenario name="s"><run for="1s"/></scenario>\n<scenario name="s"><run for="1s"/></scenario>\n</scenarios>'), [
    "case.test.xml:3:1: error: a second scenario named 's' (the first is at line 2): names identify scenarios in reports",
  ]);
  t.deepEqual(errors('<scenarios board="b.xml"><step/></scenarios>'), [
    'case.test.xml:1:26: error: <scenarios> holds <scenario> elements only (found <step>)',
  ]);
  t.deepEqual(errors('<scenario board="b.xml"><run for="1s"/></scenario>'), ['case.test.xml:1:1: error: <scenario> needs name="…" (what the reports call the scenario)']);
});

test('every error of a file is reported, in file order', (t) => {
  const r = readScenarioFile(join(repoRoot, 'test/scenario/fixtures/bad.test.xml'));
  t.is(r.file, undefined);
  t.deepEqual(
    r.diagnostics.map((d) => `${d.pos!.line}:${d.pos!.column}`),
    ['4:5', '4:13', '5:34', '6:5'],
  );
});

test('a scenario file that does not exist is an error naming it', (t) => {
  t.deepEqual(readScenarioFile('no/such.test.xml').diagnostics.map(formatDiagnostic), ["error: scenario file 'no/such.test.xml' does not exist"]);
});
