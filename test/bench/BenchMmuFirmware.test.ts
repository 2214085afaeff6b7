import test from 'ava';
import { readFileSync } from 'node:fs';
import { BoardSession } from '../../src/testing/BoardSession.ts';

/**
 * The bench's MMU-heavy firmware (boards/firmware/arm/bench-mmu) is a test of
 * ASID-tagged TLBs, TLBIMVA and TLBIASID as much as a workload: it checks
 * that every read through a remapped page sees the new frame, and its
 * checksum is the one a host build of the same C over plain arrays computes
 * (recorded in bench_mmu_core.h; scripts/build-firmware.sh checks the two).
 * Bare metal with the interpreter and the JIT, and as a guest under nested
 * and shadow paging, it must print the same lines and retire the same
 * instructions; the paging counters must show each mode doing its own work.
 */

const ELF = 'boards/firmware/arm/bench-mmu.elf';
const EXPECTED = /#define BENCH_MMU_EXPECTED_CHECKSUM (0x[0-9a-f]+)u/.exec(readFileSync('boards/firmware/arm/bench-mmu/bench_mmu_core.h', 'utf8'))?.[1];

function bareMetal(jit: boolean): { output: string; instructions: number } {
  const s = BoardSession.open('boards/virt-arm.xml', { firmware: ELF, jit });
  const end = s.runToEnd({ maxTimeNs: 60e9 });
  if (end.kind !== 'poweroff') throw new Error(`bench-mmu ended with ${end.kind}: ${s.output.slice(-300)}`);
  return { output: s.output, instructions: s.instructions };
}

function asGuest(paging: 'nested' | 'shadow') {
  const s = BoardSession.open(`boards/bench/guest-mmu-${paging}.xml`);
  const vms = s.built.vms!;
  let output = '';
  vms.vmms[0].attachConsole({ transmit: (b) => (output += String.fromCharCode(b)) });
  s.runToEnd({ maxTimeNs: 60e9 });
  return { output, status: vms.manager.status()[0], paging: vms.vmms[0].vm.pagingCounters.snapshot() };
}

const bare = bareMetal(false);

test('bench-mmu passes its checks bare-metal and prints the checksum of its host build', (t) => {
  t.truthy(EXPECTED);
  t.regex(bare.output, new RegExp(`BENCH-MMU checksum ${EXPECTED}`));
  t.regex(bare.output, /PASS every read through a remapped page saw its new frame/);
  t.regex(bare.output, /SUMMARY bench-mmu: 2 passed, 0 failed/);
  // 2400 quanta, each an address-space switch; 150 whole-mapping replacements (one every 16 quanta).
  t.regex(bare.output, /INFO quanta 2400\r?\n/);
  t.regex(bare.output, /INFO execs 150\r?\n/);
});

test('bench-mmu under the JIT prints the same lines and retires the same instructions as under the interpreter', (t) => {
  const jitted = bareMetal(true);
  t.is(jitted.output, bare.output);
  t.is(jitted.instructions, bare.instructions);
});

for (const paging of ['nested', 'shadow'] as const) {
  test(`bench-mmu as a guest under ${paging} paging prints the same lines and retires the same instructions as bare metal`, (t) => {
    const g = asGuest(paging);
    t.is(g.status.state, 'powered-off');
    t.is(g.output, bare.output);
    t.is(g.status.instructions, bare.instructions);
    if (paging === 'nested') {
      // The core walks the guest's own short-descriptor tables (first and second level) and translates each
      // descriptor's address and the final page through the VM's three-level stage 2: 2 × (1 + 3) + 3 = 11
      // references for a small page, fewer for walks that stop early (MMU off: 3, a stage 2 miss: 1-3).
      t.true(g.paging.walks > 0);
      t.true(g.paging.stage2Faults > 0);
      t.true(g.paging.memoryReferencesPerWalk > 3 && g.paging.memoryReferencesPerWalk <= 11, String(g.paging.memoryReferencesPerWalk));
      t.is(g.paging.writeProtectFaults, 0);
    } else {
      // Page-table stores are caught and resynchronise the shadows; TLBIASID drops whole address spaces.
      t.true(g.paging.writeProtectFaults > 0);
      t.true(g.paging.shadowSyncs > 0);
      t.true(g.paging.shadowZaps > 0);
    }
  });
}
