import { spawnSync } from 'node:child_process';
import { repoRoot } from '../cli/CliRunner.ts';

/**
 * Run a long guest session (a Linux boot: billions of instructions) in a
 * child process without V8 coverage. c8 collects coverage through
 * NODE_V8_COVERAGE, which makes V8 count every block and keeps the JIT's
 * generated code from being optimised: a Linux boot then takes three times as
 * long. The script prints one JSON line with what it saw; the test checks it.
 * Coverage of these paths comes from the other tests.
 */
export function runUncovered<T>(script: string, timeoutMs = 900_000): T {
  const env = { ...process.env };
  delete env.NODE_V8_COVERAGE;
  const r = spawnSync(process.execPath, ['--import=tsx', script], { cwd: repoRoot, env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${script} failed (${r.status ?? r.signal}):\n${r.stderr}\n${r.stdout.slice(-3000)}`);
  const last = r.stdout.trim().split('\n').at(-1)!;
  return JSON.parse(last) as T;
}
