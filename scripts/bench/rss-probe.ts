/**
 * Resident memory of a 512 MiB board (boards/bench/phone-512.xml), measured
 * in a process of its own so that nothing else the bench did is counted:
 * RSS after start-up, after the machine is built, after the host firmware
 * reached its prompt (Debian's U-Boot, when given; the guests are paused
 * until then) and after both guests ran to their power-off. Prints one line, `RSS-PROBE {json}`.
 *
 *   node --import tsx scripts/bench/rss-probe.ts [--uboot PATH] [--jit|--no-jit]
 * Used by `npm run bench` and by test/bench/LazyRamRss.test.ts.
 */
import { BoardSession } from '../../src/testing/BoardSession.ts';
import { InputError } from '../../dts/model/SourcePos.ts';

const BOARD = 'boards/bench/phone-512.xml';
const MIB = 1024 * 1024;

function rssMiB(): number {
  return Number((process.memoryUsage().rss / MIB).toFixed(1));
}

function main(): void {
  const args = process.argv.slice(2);
  const ubootAt = args.indexOf('--uboot');
  const uboot = ubootAt >= 0 ? args[ubootAt + 1] : undefined;
  const rss: Record<string, number> = { start: rssMiB() };

  const s = BoardSession.open(BOARD, { firmware: uboot, jit: !args.includes('--no-jit') });
  const vms = s.built.vms;
  if (!vms) throw new Error(`${BOARD} has no <vm>`);
  const guestText = new Map<string, string>();
  for (const vmm of vms.vmms) {
    guestText.set(vmm.spec.name, '');
    vmm.attachConsole({ transmit: (b) => guestText.set(vmm.spec.name, guestText.get(vmm.spec.name) + String.fromCharCode(b)) });
  }
  const hostRamMiB = s.machine.bus.regions().filter((r) => r.kind === 'ram').reduce((n, r) => n + r.size, 0) / MIB;
  rss.built = rssMiB();

  if (uboot) {
    // The guests wait (paused) until U-Boot is at its prompt, so that the two figures are apart.
    for (const vmm of vms.vmms) vms.manager.pause(vmm.spec.name);
    s.waitFor('Hit any key to stop autoboot: ', { maxTimeNs: 20e9 });
    s.send(' ');
    s.waitFor('\n=> ', { maxTimeNs: 20e9 });
    rss.uBootPrompt = rssMiB();
    for (const vmm of vms.vmms) vms.manager.resume(vmm.spec.name);
  }
  // Run until every guest has stopped (U-Boot keeps polling its console, so the board itself never ends).
  const deadline = s.machine.clock.now + 60e9;
  while (vms.manager.status().some((v) => v.state === 'running') && s.machine.clock.now < deadline) {
    const r = s.machine.run({ maxTimeNs: 10e6 });
    if (r.kind !== 'limit') break;
  }
  rss.vmsDone = rssMiB();
  const guests = vms.manager.status().map((v) => ({
    name: v.name,
    state: v.state,
    instructions: v.instructions,
    memoryTouchedMiB: Number((v.memoryTouched / MIB).toFixed(2)),
    checksum: /checksum (0x[0-9a-f]+)/.exec(guestText.get(v.name) ?? '')?.[1] ?? 'missing',
  }));
  const declaredMiB = hostRamMiB + vms.vmms.reduce((n, v) => n + v.spec.memory / MIB, 0);
  console.log(`RSS-PROBE ${JSON.stringify({ board: BOARD, hostRamMiB, declaredMiB, uboot: uboot !== undefined, rssMiB: rss, guests })}`);
}

try {
  main();
} catch (e) {
  if (e instanceof InputError) console.error(e.message);
  else console.error(`rss-probe: ${(e as Error).message}`);
  process.exitCode = 1;
}
