import test from 'ava';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseScenarioText } from '../../src/testing/scenario/ScenarioParser.ts';
import type { Scenario } from '../../src/testing/scenario/Scenario.ts';
import type { ScenarioResult } from '../../src/testing/scenario/ScenarioResult.ts';
import { junitReport } from '../../src/testing/scenario/JUnitReport.ts';
import { formatResult, formatSummary } from '../../src/testing/scenario/TextReport.ts';
import { formatVirtualTime, parseVirtualDuration } from '../../src/testing/scenario/VirtualDuration.ts';
import { printableConsoleText } from '../../src/testing/scenario/ConsoleEscapes.ts';

// Reports are made from results; these are written by hand so every status and awkward
// character can be shown without running a board.
const parsed = parseScenarioText(
  `<scenarios name="suite &quot;one&quot;" board="b.xml">
  <scenario name="ok"><expect text="x"/></scenario>
  <scenario name="bad &lt;text&gt;"><send text="a"/><expect text="Goodbye" within="1ms"/></scenario>
  <scenario name="skip"><run for="1ms"/></scenario>
  <scenario name="broken"><run for="1ms"/></scenario>
</scenarios>`,
  'dir/suite.test.xml',
  () => true,
);
const [ok, bad, skip, broken] = parsed.file!.scenarios as Scenario[];

const longOutput = Array.from({ length: 40 }, (_, i) => `line ${i + 1}\r\n`).join('') + 'esc \x1b[0m nul \x00 <&> é'.replace('é', '\xc3\xa9');
const results: ScenarioResult[] = [
  { scenario: ok!, status: 'passed', diagnostics: [], virtualNs: 358, instructions: 358, wallSeconds: 0.25, output: 'x\r\n' },
  {
    scenario: bad!,
    status: 'failed',
    message: 'step 2: expected console output with text "Goodbye" within 1.000 ms; not seen in 1.000 ms of virtual time',
    failure: { index: 1, step: bad!.steps[1]!, expected: 'console output with text "Goodbye" within 1.000 ms', got: 'not seen in 1.000 ms of virtual time' },
    diagnostics: [],
    virtualNs: 1_000_000,
    instructions: 1_000_000,
    wallSeconds: 0.5,
    output: longOutput,
  },
  { scenario: skip!, status: 'skipped', message: 'requires fw.bin, which is missing', diagnostics: [], virtualNs: 0, instructions: 0, wallSeconds: 0, output: '' },
  {
    scenario: broken!,
    status: 'error',
    message: "cpu0 has no register 'r16'",
    diagnostics: [{ severity: 'error', message: "cpu0 has no register 'r16'", pos: { file: 'dir/suite.test.xml', line: 5, column: 3 } }],
    virtualNs: 0,
    instructions: 0,
    wallSeconds: 0.125,
    output: '',
  },
];

test('a failure shows the step with its place, what was expected, what happened and the last 15 console lines', (t) => {
  const text = formatResult(results[1]!);
  const lines = text.split('\n');
  t.is(lines[0], '  FAIL  bad <text>  1.000 ms virtual, 1000000 instructions');
  t.is(lines[1], '       step 2 (dir/suite.test.xml:3:53): expect text "Goodbye" within 1.000 ms');
  t.is(lines[2], '       expected: console output with text "Goodbye" within 1.000 ms');
  t.is(lines[3], '       got:      not seen in 1.000 ms of virtual time');
  t.is(lines[4], '       last 15 of 41 lines of console output:');
  t.is(lines[5], '       | line 27');
  // Control bytes are written as escapes, UTF-8 is decoded.
  t.is(lines[19], '       | esc \\x1b[0m nul \\x00 <&> é');
});

test('passed, skipped and error lines', (t) => {
  t.is(formatResult(results[0]!), '  PASS  ok  358 ns virtual, 358 instructions\n');
  t.is(formatResult(results[2]!), '  SKIP  skip  requires fw.bin, which is missing\n');
  t.is(formatResult(results[3]!), "  ERROR broken  could not run:\n       dir/suite.test.xml:5:3: error: cpu0 has no register 'r16'\n");
  t.is(formatSummary(results, 1.5), '4 scenarios: 1 passed, 1 failed, 1 skipped, 1 could not run (1.50 s wall)\n');
});

test('the JUnit report is well-formed XML with testsuites, testsuite counts and one testcase per scenario', (t) => {
  const xml = junitReport([{ name: parsed.file!.suiteName, file: 'dir/suite.test.xml', results }], { timestamp: '2024-01-02T03:04:05', hostname: 'ci' });
  t.is(XMLValidator.validate(xml), true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(xml);
  const root = doc.testsuites;
  t.like(root, { name: 'tskvm-board test', tests: '4', failures: '1', errors: '1', time: '0.875' });
  t.is(root.testsuite.length, 1);
  const suite = root.testsuite[0];
  t.like(suite, { name: 'suite "one"', tests: '4', failures: '1', errors: '1', skipped: '1', time: '0.875', timestamp: '2024-01-02T03:04:05', hostname: 'ci', id: '0', package: 'dir.suite' });
  const cases = suite.testcase;
  t.deepEqual(cases.map((c: any) => [c.name, c.classname, c.time]), [
    ['ok', 'dir.suite', '0.250'],
    ['bad <text>', 'dir.suite', '0.500'],
    ['skip', 'dir.suite', '0.000'],
    ['broken', 'dir.suite', '0.125'],
  ]);
  // A passed case holds only its output.
  t.deepEqual(Object.keys(cases[0]).filter((k) => !['name', 'classname', 'time'].includes(k)), ['system-out']);
  t.is(cases[0]['system-out'], '[tskvm] 358 instructions in 358 ns of virtual time\nx');
  const failure = cases[1].failure;
  t.is(failure.type, 'expect');
  t.is(failure.message, results[1]!.message);
  t.regex(failure['#text'], /^step 2 at dir\/suite\.test\.xml:3:53: expect text "Goodbye" within 1\.000 ms\nexpected: .*\ngot: not seen/);
  t.regex(cases[1]['system-out'], /line 40\nesc \\x1b\[0m nul \\x00 <&> é$/);
  t.deepEqual(cases[2].skipped, { message: 'requires fw.bin, which is missing' });
  t.is(cases[2]['system-out'], undefined);
  t.is(cases[3].error.message, "cpu0 has no register 'r16'");
  t.is(cases[3].error['#text'], "dir/suite.test.xml:5:3: error: cpu0 has no register 'r16'");
});

test('JUnit elements inside a testcase come in the schema order: skipped, error, failure, system-out', (t) => {
  const xml = junitReport([{ name: 's', file: 's.xml', results }]);
  const failed = xml.slice(xml.indexOf('<testcase name="bad'), xml.indexOf('</testcase>', xml.indexOf('<testcase name="bad')));
  t.true(failed.indexOf('<failure') < failed.indexOf('<system-out>'));
  t.false(xml.includes('\x1b'), 'no control characters reach the XML');
});

test('JUnit attribute values keep line ends and tabs as character references', (t) => {
  const r = { ...results[2]!, message: 'a\nb\tc "q" <&>' };
  const xml = junitReport([{ name: 's', file: 's.xml', results: [r] }]);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', processEntities: true, htmlEntities: true }).parse(xml);
  t.is(XMLValidator.validate(xml), true);
  t.true(xml.includes('message="a&#10;b&#9;c &quot;q&quot; &lt;&amp;&gt;"'));
  t.truthy(doc.testsuites.testsuite.testcase.skipped);
});

test('virtual durations: units required; times printed with their unit', (t) => {
  t.is(parseVirtualDuration('5s'), 5e9);
  t.is(parseVirtualDuration('1.5ms'), 1.5e6);
  t.is(parseVirtualDuration('250 us'), 250e3);
  t.is(parseVirtualDuration('2m'), 120e9);
  t.is(parseVirtualDuration('100ns'), 100);
  t.is(parseVirtualDuration('5'), undefined);
  t.is(parseVirtualDuration('0ms'), undefined);
  t.is(parseVirtualDuration('0.1ns'), undefined);
  t.deepEqual([358, 41_298, 10_048_180, 2.5e9].map(formatVirtualTime), ['358 ns', '41.298 us', '10.048 ms', '2.500 s']);
});

test('console text for reports: CRLF and lone CR become line ends, UTF-8 is decoded, controls escaped', (t) => {
  t.is(printableConsoleText('a\r\nb\r\r\nc\rd\x07\t\xc3\xa9'), 'a\nb\nc\nd\\x07\té');
});
