import test from 'ava';
import { ArmPageTableWalker, faultDomainOf, faultKindOf, faultLevelOf } from '../../cores/arm/guest/ArmPageTableWalker.ts';
import { SystemRegisterState } from '../../cores/arm/SystemRegisterState.ts';
import { Perm, WalkResult, type PageTableMemory } from '../../src/hv/shadow/GuestPageTableWalker.ts';
import { VmmAction } from '../../src/hv/Vmm.ts';
import { RAM, UART, armGuest, runExits } from './ArmGuestVm.ts';

// Nested and shadow paging for ARM guests. The guest builds short-descriptor
// tables (ARM ARM B3.5) in its RAM, turns its MMU on, reads through a small
// page, prints through a section mapped onto the PL011, remaps the page by
// editing its level 2 entry and TLBIMVA, and reads again. Both paging modes
// must give the same results; their counters differ as they must.

const GUEST = [
  0xe3040000, // movw r0, #0x4000
  0xe3440000, // movt r0, #0x4000        r0 = level 1 table at RAM + 0x4000
  0xe3001c02, // movw r1, #0xc02
  0xe3441000, // movt r1, #0x4000        section → 0x40000000, AP = 11
  0xe2803a01, // add  r3, r0, #0x1000
  0xe5831000, // str  r1, [r3]           entry 0x400: VA 0x40000000
  0xe3001c02, // movw r1, #0xc02
  0xe3401900, // movt r1, #0x0900        section → 0x09000000 (the PL011)
  0xe5801408, // str  r1, [r0, #0x408]   entry 0x102: VA 0x10200000
  0xe3081001, // movw r1, #0x8001
  0xe3441000, // movt r1, #0x4000        page table at 0x40008000
  0xe5801800, // str  r1, [r0, #0x800]   entry 0x200: VA 0x20000000
  0xe3082000, // movw r2, #0x8000
  0xe3442000, // movt r2, #0x4000        r2 = level 2 table
  0xe3011032, // movw r1, #0x1032
  0xe3441000, // movt r1, #0x4000        small page → 0x40001000, AP = 11
  0xe5821004, // str  r1, [r2, #4]       level 2 entry 1: VA 0x20001000
  0xe3a01001, // mov  r1, #1
  0xee031f10, // mcr  p15, 0, r1, c3, c0, 0   DACR: domain 0 client
  0xe3a01000, // mov  r1, #0
  0xee021f50, // mcr  p15, 0, r1, c2, c0, 2   TTBCR = 0
  0xee020f10, // mcr  p15, 0, r0, c2, c0, 0   TTBR0
  0xee111f10, // mrc  p15, 0, r1, c1, c0, 0
  0xe3811001, // orr  r1, r1, #1
  0xee011f10, // mcr  p15, 0, r1, c1, c0, 0   SCTLR.M
  0xf57ff06f, // isb
  0xe3013000, // movw r3, #0x1000
  0xe3423000, // movt r3, #0x2000        r3 = VA 0x20001000
  0xe5935000, // ldr  r5, [r3]
  0xe3004000, // movw r4, #0
  0xe3414020, // movt r4, #0x1020        r4 = VA 0x10200000
  0xe3a01041, // mov  r1, #'A'
  0xe5c41000, // strb r1, [r4]           UARTDR through the section
  0xe3021032, // movw r1, #0x2032
  0xe3441000, // movt r1, #0x4000
  0xe5821004, // str  r1, [r2, #4]       remap VA 0x20001000 → 0x40002000
  0xee083f37, // mcr  p15, 0, r3, c8, c7, 1   TLBIMVA
  0xf57ff04f, // dsb
  0xf57ff06f, // isb
  0xe5936000, // ldr  r6, [r3]
  0xe3a00099, // mov  r0, #0x99
  0xe1400070, // hvc  #0
  0xe320f003, // wfi
  0xeafffffe, // b    .
];

function runPagingGuest(paging: 'nested' | 'shadow') {
  const g = armGuest(GUEST, { paging });
  g.vm.bus.loadBytes(RAM + 0x1000, new Uint8Array([0x11, 0x11, 0x11, 0x11]));
  g.vm.bus.loadBytes(RAM + 0x2000, new Uint8Array([0x22, 0x22, 0x22, 0x22]));
  const result = runExits(g.vmm, g.vcpu);
  return { ...g, ...result };
}

for (const paging of ['nested', 'shadow'] as const) {
  test(`${paging} paging: the guest's own page tables, MMIO through a section, a remapped page after TLBIMVA`, (t) => {
    const { exits, core, text } = runPagingGuest(paging);
    t.deepEqual(exits, [
      { kind: 'mmio', address: UART, size: 1, isWrite: true, data: 0x41 },
      { kind: 'hypercall', nr: 0x99, arg0: 0x40002032 },
      { kind: 'hlt' },
    ]);
    t.is(core.r[5], 0x11111111, 'VA 0x20000000 → 0x40001000');
    t.is(core.r[6], 0x22222222, 'after the remap and TLBIMVA → 0x40002000');
    t.is(text(), 'A');
  });
}

test('the counters differ as the modes do: nested walks stage 1 + the stage 2 tables; shadow fills, write-protect faults and resyncs', (t) => {
  const nested = runPagingGuest('nested').vm.pagingCounters.snapshot();
  const shadow = runPagingGuest('shadow').vm.pagingCounters.snapshot();
  // Nested paging walks the guest's stage 1 and then the VM's stage 2 tables: three levels
  // (Stage2PageTables), each level read counting as a reference, filled the first time the guest
  // touches a page (a stage 2 fault). The guest touches six RAM pages: its code at 0x40000000, the
  // level 1 table's pages 0x40004000 and 0x40005000, the level 2 table at 0x40008000 and the data
  // pages 0x40001000 and 0x40002000; the PL011 is not RAM and never gets an entry.
  t.is(nested.stage2Faults, 6);
  // MMU off, stage 2 alone: the code page (again after the DACR and TTBCR writes flushed the soft
  // TLB) and the three table pages it writes. The very first walk stops at an empty level 1 (1
  // read), the others read three levels: 1 + 5 × 3.
  // MMU on, both stages: each stage 1 descriptor read is itself translated by a stage 2 walk.
  //   code page 0x40000064 (section):       1 + 3 (L1 descriptor)        + 3 (page) = 7
  //   VA 0x20001000 (small page), twice:   (1 + 3) + (1 + 3) (L1, L2)    + 3        = 11 each
  //   VA 0x10200000 (section on the PL011): 1 + 3, then stage 2 stops at level 1: 1 = 5
  //   the level 2 table at 0x40008004:      1 + 3                        + 3        = 7
  t.is(nested.walks, 6 + 5);
  t.is(nested.walkMemoryReferences, 1 + 5 * 3 + (7 + 11 + 11 + 5 + 7));
  t.is(nested.shadowFills, 0);
  t.is(shadow.stage2Faults, 0, 'shadow paging has no stage 2 tables: the shadows map to host pages');
  t.is(nested.writeProtectFaults, 0);
  t.true(shadow.shadowFills >= 3, `shadow fills: ${shadow.shadowFills}`);
  t.true(shadow.writeProtectFaults >= 1, 'the store to the level 2 table hit a write-protected page');
  t.true(shadow.shadowSyncs >= 1, 'and resynchronised the entry built from it');
});

test('under shadow paging the MMU register writes and TLB maintenance are trapped (TVM/TTLB) and emulated in the kernel', (t) => {
  const { vm, core } = runPagingGuest('shadow');
  t.is(core.sys.ttbr0Lo, RAM + 0x4000, 'TTBR0 written by the hypervisor for the guest');
  t.is(core.sys.dacr, 1);
  t.is(core.sys.sctlr & 1, 1);
  const spaces = vm.shadow!.addressSpaces();
  t.true(spaces.some((s) => s.root === RAM + 0x4000 && s.asid === 0));
  t.deepEqual(vm.exitsByReason(), { mmio: 1, hypercall: 1, hlt: 1 }, 'no trap reached the VMM');
});

test('a guest page fault under either paging mode is the guest\'s own Data Abort (DFSR, DFAR), not an exit', (t) => {
  for (const paging of ['nested', 'shadow'] as const) {
    // Same guest, but the first load goes to an unmapped VA: 0x30000000 (level 1 entry 0x300 is 0).
    const code = [...GUEST];
    code[27] = 0xe3433000; // movt r3, #0x3000: VA 0x30001000, level 1 entry 0x300 is 0
    const g = armGuest(code, { paging });
    g.vm.bus.loadBytes(RAM + 0x100 + 0x10, new Uint8Array([0x00, 0xf0, 0x20, 0xe3, 0xfe, 0xff, 0xff, 0xea])); // nop; b . at VBAR + 0x10
    g.core.sys.vbar = RAM + 0x100;
    const exit = g.vcpu.run(200);
    t.is(exit.kind, 1, `${paging}: budget used in the abort handler's loop (an Intr exit)`);
    t.is(g.core.mode, 0x17, 'Abort mode');
    t.is(g.core.sys.dfar >>> 0, 0x30001000);
    t.is(g.core.sys.dfsr, 0x005, 'translation fault, section (level 1)');
  }
});

// ---- the walker on its own ---------------------------------------------------------------------

/** Guest memory for the walker: words by address, and the addresses read. */
function memory(words: Record<number, number>): PageTableMemory & { reads: number[] } {
  const reads: number[] = [];
  return {
    reads,
    read32(gpa) {
      reads.push(gpa);
      return (words[gpa] ?? 0) >>> 0;
    },
    isMemory: (gpa) => gpa >= 0x40000000 && gpa < 0x40100000,
  };
}

function walker(setup: (r: SystemRegisterState) => void): ArmPageTableWalker {
  const w = new ArmPageTableWalker();
  const regs = new SystemRegisterState();
  setup(regs);
  w.registers = regs;
  return w;
}

test('walker, short descriptors: a small page through a level 2 table, permissions as PL1/PL0 read/write/execute, the entries read', (t) => {
  const w = walker((r) => { r.dacr = 1; });
  const mem = memory({
    [0x40004000 + 4 * 0x200]: 0x40008001, // page table, domain 0
    [0x40008000 + 4 * 5]: 0x40003022, // small page 0x40003000, AP = 10 (PL1 RW, PL0 RO), XN = 0
  });
  const out = new WalkResult();
  w.walk(0x40004000, 0x20005abc, mem, out);
  t.is(out.fault, 0);
  t.is(out.gpa, 0x40003abc);
  t.is(out.perms, Perm.Read | Perm.Write | Perm.Exec | Perm.UserRead | Perm.UserExec);
  t.deepEqual(mem.reads, [0x40004800, 0x40008014]);
});

test('walker, short descriptors: faults carry kind, level and domain (translation, domain no-access)', (t) => {
  const out = new WalkResult();
  walker((r) => { r.dacr = 1; }).walk(0x40004000, 0x30000000, memory({}), out);
  t.is(faultKindOf(out.fault), 2, 'Translation');
  t.is(faultLevelOf(out.fault), 1);
  const noAccess = walker((r) => { r.dacr = 0; }); // domain 3 below: DACR field 0 = no access
  noAccess.walk(0x40004000, 0x10000000, memory({ [0x40004000 + 4 * 0x100]: 0x09000c62 }), out);
  t.is(faultKindOf(out.fault), 4, 'Domain');
  t.is(faultDomainOf(out.fault), 3);
  t.is(faultLevelOf(out.fault), 1);
});

test('walker, long descriptors (TTBCR.EAE): three levels, AP[2:1], XN, the root is TTBR0', (t) => {
  const w = walker((r) => { r.ttbcr = 0x80000000; });
  const desc = (pa: number, low: number) => [(pa | low) >>> 0, 0];
  const words: Record<number, number> = {};
  const put = (at: number, pair: number[]) => { words[at] = pair[0]; words[at + 4] = pair[1]; };
  put(0x40010000 + 8 * 0, desc(0x40011000, 3)); // level 1 [0]: table
  put(0x40011000 + 8 * 0x80, desc(0x40012000, 3)); // level 2 [0x80] (VA 0x10000000): table
  put(0x40012000 + 8 * 2, desc(0x40005000, 0x400 | 0x80 | 3)); // level 3 [2]: page, AF, AP[2:1] = 10 (PL1 read-only)
  const mem = memory(words);
  const out = new WalkResult();
  w.walk(0x40010000, 0x10002010, mem, out);
  t.is(out.fault, 0);
  t.is(out.gpa, 0x40005010);
  t.is(out.perms, Perm.Read | Perm.Exec);
  t.is(mem.reads.length, 6, 'three 64-bit descriptors');
  words[0x40012000 + 8 * 2] = (0x40005000 | 3) >>> 0; // AF clear
  w.walk(0x40010000, 0x10002010, memory(words), out);
  t.is(faultKindOf(out.fault), 3, 'Access flag');
  t.is(faultLevelOf(out.fault), 3);
});

test('walker: a table outside guest memory is an external abort on the walk', (t) => {
  const out = new WalkResult();
  walker((r) => { r.dacr = 1; }).walk(0x80000000, 0x1000, memory({}), out);
  t.is(faultKindOf(out.fault), 7);
});

test('the shadow and nested guests end the same way: the VMM sees the same exit sequence', (t) => {
  const a = runPagingGuest('nested');
  const b = runPagingGuest('shadow');
  t.deepEqual(a.exits, b.exits);
  t.is(a.action, VmmAction.Halt);
  t.is(b.action, VmmAction.Halt);
  t.is(a.core.getPc(), b.core.getPc());
});
