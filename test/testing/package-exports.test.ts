import test from 'ava';

test('the package exports the test API: import { BoardSession } from "tskvm" opens a board and runs it', async (t) => {
  const api = await import('tskvm');
  t.deepEqual(Object.keys(api).sort(), ['BoardSession', 'SnapshotError', 'WaitError']);
  const s = api.BoardSession.open('boards/virt-arm.xml');
  s.waitFor('Hello from tskvm');
  t.like(s.runToEnd(), { kind: 'poweroff', exitCode: 0 });
});
