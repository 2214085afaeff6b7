import test from 'ava';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { inShard, parseShard } from '../../src/testing/scenario/Shard.ts';
import { repoRoot } from '../cli/CliRunner.ts';

const files = ['shard-a.test.xml', 'shard-b.test.xml'].map((f) => join(repoRoot, 'test', 'scenario', 'fixtures', f));

/** Run `tskvm-board test` in this process; returns the exit code and what it printed. */
async function testCommand(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['test', ...args], { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTty: false });
  return { code, stdout, stderr };
}

/** Names of the scenarios a report lists (these fixtures' scenarios are all skipped). */
const listed = (report: string) => [...report.matchAll(/^ {2}SKIP {2}(\S+)/gm)].map((m) => m[1]);

test('--shard i/n runs the scenarios whose index, over all files in order, is i-1 modulo n', async (t) => {
  // Indices: a1 0, a2 1, a3 2, b1 3, b2 4.
  const one = await testCommand([...files, '--shard', '1/2']);
  t.is(one.code, 0, one.stderr);
  t.deepEqual(listed(one.stdout), ['a1', 'a3', 'b2']);
  t.regex(one.stdout, /^shard 1\/2: 3 of 5 scenarios$/m);
  const two = await testCommand([...files, '--shard', '2/2']);
  t.deepEqual(listed(two.stdout), ['a2', 'b1']);
  const all = await testCommand(files);
  t.deepEqual(listed(all.stdout), ['a1', 'a2', 'a3', 'b1', 'b2']);
});

test('the order of the files given decides the indices', async (t) => {
  const r = await testCommand([files[1]!, files[0]!, '--shard', '1/2']);
  // b1 0, b2 1, a1 2, a2 3, a3 4; the report lists files in the order given.
  t.deepEqual(listed(r.stdout), ['b1', 'a1', 'a3']);
});

test('a shard with no scenarios runs nothing and passes', async (t) => {
  const r = await testCommand([files[1]!, '--shard', '3/3']);
  t.is(r.code, 0);
  t.deepEqual(listed(r.stdout), []);
  t.regex(r.stdout, /0 scenarios: 0 passed/);
});

test('every scenario is in exactly one shard', (t) => {
  for (const n of [1, 2, 3, 7]) {
    for (let position = 0; position < 20; position++) {
      const shards = Array.from({ length: n }, (_, i) => i + 1).filter((index) => inShard(position, { index, count: n }));
      t.deepEqual(shards, [(position % n) + 1]);
    }
  }
});

test('shard specs: i/n with 1 <= i <= n', async (t) => {
  t.deepEqual(parseShard('1/2'), { index: 1, count: 2 });
  t.deepEqual(parseShard(' 3 / 3 '), { index: 3, count: 3 });
  for (const bad of ['0/2', '3/2', '1/0', '1', '1/2/3', 'a/b', '-1/2', '']) t.is(parseShard(bad), undefined, bad);
  const r = await testCommand([...files, '--shard', '0/2']);
  t.is(r.code, 2);
  t.regex(r.stderr, /--shard: '0\/2' is not a shard \(expected I\/N with 1 <= I <= N, e\.g\. 1\/4\)/);
  t.is(r.stdout, '', 'nothing runs');
});
