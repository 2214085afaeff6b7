import test from 'ava';
import { ExitKind } from '../../src/hv/ExitKind.ts';
import { Hypervisor } from '../../src/hv/Hypervisor.ts';
import { Perm } from '../../src/hv/shadow/GuestPageTableWalker.ts';
import { ShadowTranslation } from '../../src/hv/shadow/ShadowMmu.ts';
import { FakeGuestCore, enc, li32, Op, program } from './FakeGuestCore.ts';
import { FAULT_L1, FAULT_L2, FakePageTables, FakeTwoLevelWalker, U, W } from './FakeTwoLevelWalker.ts';

const ROOT = 0x10000;
const L2 = 0x11000;

function shadowVm(pageLimit?: number) {
  const hv = new Hypervisor();
  const vm = hv.createVm({
    name: 'sh', paging: 'shadow', pageTableWalker: new FakeTwoLevelWalker(), shadowPageLimit: pageLimit,
    createGuestCpu: (ctx) => new FakeGuestCore(ctx),
  });
  vm.setUserMemoryRegion({ slot: 0, guestPhysAddr: 0, size: 4 << 20, name: 'ram' });
  const pt = new FakePageTables((gpa, v) => vm.bus.write32(gpa, v));
  const shadow = vm.shadow!;
  const out = new ShadowTranslation();
  const invalidated: number[] = [];
  shadow.onInvalidate((gva) => invalidated.push(gva));
  return { vm, pt, shadow, out, counters: vm.pagingCounters, invalidated };
}

test('a miss walks the guest tables (2 references for 2 levels), fills a shadow entry and write-protects both table pages; a hit does not walk', (t) => {
  const { vm, pt, shadow, out, counters } = shadowVm();
  pt.table(ROOT, 0x00400000, L2);
  pt.map(L2, 0x00400000, 0x20000, W);
  shadow.activate(ROOT, 1);
  t.true(shadow.translate(0x00400123, Perm.Read, false, out));
  t.is(out.gpa, 0x20123);
  t.is(out.perms, Perm.Read | Perm.Write);
  t.like(counters.snapshot(), { walks: 1, walkMemoryReferences: 2, memoryReferencesPerWalk: 2, shadowFills: 1, guestPageFaults: 0 });
  t.true(vm.bus.memory.isPageTableProtected(ROOT));
  t.true(vm.bus.memory.isPageTableProtected(L2));
  t.false(vm.bus.memory.isPageTableProtected(0x20000));
  t.is(vm.bus.memoryAt(L2)!.kind, 'rom', 'stores to it must reach the bus');
  t.true(shadow.translate(0x00400ffc, Perm.Write, false, out));
  t.is(out.gpa, 0x20ffc);
  t.is(counters.walks, 1, 'the second access hit the shadow entry');
  t.deepEqual(shadow.dependentsOf(L2 + 0x10), [{ root: ROOT, asid: 1, gva: 0x00400000 }]);
  t.deepEqual(shadow.checkReverseMap(), []);
});

test('faults and permissions: invalid entries give the walker\'s fault code; a missing permission gives fault 0; both are guest page faults', (t) => {
  const { pt, shadow, out, counters } = shadowVm();
  pt.table(ROOT, 0x00400000, L2);
  pt.map(L2, 0x00400000, 0x20000); // read-only, privileged only
  shadow.activate(ROOT, 7);
  t.false(shadow.translate(0x00c00000, Perm.Read, false, out));
  t.is(out.fault, FAULT_L1);
  t.false(shadow.translate(0x00401000, Perm.Read, false, out));
  t.is(out.fault, FAULT_L2);
  t.false(shadow.translate(0x00400000, Perm.Write, false, out));
  t.is(out.fault, 0);
  t.false(shadow.translate(0x00400000, Perm.Read, true, out), 'not a user page');
  t.true(shadow.translate(0x00400000, Perm.Read, false, out));
  t.is(counters.guestPageFaults, 4);
  // Granting the permission in the guest PTE is seen at once (the page-table write resyncs the entry).
  pt.map(L2, 0x00400000, 0x20000, W | U);
  t.true(shadow.translate(0x00400000, Perm.Write, true, out));
  t.is(out.perms, Perm.Read | Perm.Write | Perm.UserRead | Perm.UserWrite);
});

test('a guest store to a page-table word resyncs the shadow entries read from that word (new target) or zaps them (now invalid)', (t) => {
  const { vm, pt, shadow, out, counters, invalidated } = shadowVm();
  pt.table(ROOT, 0x00400000, L2);
  pt.map(L2, 0x00400000, 0x20000, W);
  pt.map(L2, 0x00401000, 0x21000, W);
  shadow.activate(ROOT, 1);
  shadow.translate(0x00400000, Perm.Read, false, out);
  shadow.translate(0x00401000, Perm.Read, false, out);
  invalidated.length = 0;
  pt.map(L2, 0x00400000, 0x30000, W);
  t.is(counters.writeProtectFaults, 1);
  // Both entries depend on the level 2 table's page, but only 0x00400000's walk read the word written.
  t.is(counters.shadowSyncs, 1, 'only the entry read from the overwritten word was re-walked');
  t.deepEqual(shadow.entry(ROOT, 1, 0x00400000), { gpa: 0x30000, perms: Perm.Read | Perm.Write });
  t.deepEqual(shadow.entry(ROOT, 1, 0x00401000), { gpa: 0x21000, perms: Perm.Read | Perm.Write });
  t.deepEqual(invalidated, [0x00400000], 'cores were told which page to drop, once');
  const walks = counters.walks;
  t.true(shadow.translate(0x00400010, Perm.Read, false, out));
  t.is(out.gpa, 0x30010);
  t.is(counters.walks, walks, 'served from the resynced entry');

  pt.unmap(L2, 0x00401000);
  t.is(shadow.entry(ROOT, 1, 0x00401000), null, 'zapped: the guest entry is invalid now');
  t.deepEqual(shadow.dependentsOf(L2), [{ root: ROOT, asid: 1, gva: 0x00400000 }]);
  t.false(shadow.translate(0x00401000, Perm.Read, false, out));
  t.is(out.fault, FAULT_L2);
  t.deepEqual(shadow.checkReverseMap(), []);

  // Repointing the level-1 entry moves the entry's dependency to the new level-2 table.
  const l2b = 0x13000;
  pt.map(l2b, 0x00400000, 0x40000);
  pt.table(ROOT, 0x00400000, l2b);
  t.deepEqual(shadow.entry(ROOT, 1, 0x00400000), { gpa: 0x40000, perms: Perm.Read });
  t.deepEqual(shadow.dependentsOf(L2), []);
  t.false(vm.bus.memory.isPageTableProtected(L2), 'nothing depends on the old table');
  t.true(vm.bus.memory.isPageTableProtected(l2b));
  t.deepEqual(shadow.checkReverseMap(), []);
  t.is(counters.shadowFills, 2, 'resyncs update entries, they are not new fills');
});

test('reverse map: two address spaces sharing a level-2 table are both resynced; zapping one ASID unprotects only its own table pages', (t) => {
  const { vm, pt, shadow, out, counters } = shadowVm();
  const rootB = 0x12000;
  pt.table(ROOT, 0x00400000, L2);
  pt.table(rootB, 0x00400000, L2);
  pt.map(L2, 0x00400000, 0x20000);
  shadow.activate(ROOT, 1);
  shadow.translate(0x00400000, Perm.Read, false, out);
  shadow.activate(rootB, 2);
  shadow.translate(0x00400000, Perm.Read, false, out);
  t.deepEqual(
    shadow.dependentsOf(L2).sort((a, b) => a.asid - b.asid),
    [{ root: ROOT, asid: 1, gva: 0x00400000 }, { root: rootB, asid: 2, gva: 0x00400000 }],
  );
  t.deepEqual(shadow.dependentsOf(ROOT), [{ root: ROOT, asid: 1, gva: 0x00400000 }]);
  pt.map(L2, 0x00400000, 0x25000);
  t.is(counters.shadowSyncs, 2);
  t.is(shadow.entry(ROOT, 1, 0x00400000)!.gpa, 0x25000);
  t.is(shadow.entry(rootB, 2, 0x00400000)!.gpa, 0x25000);

  shadow.invalidateAsid(1);
  t.is(shadow.entry(ROOT, 1, 0x00400000), null);
  t.is(shadow.entry(rootB, 2, 0x00400000)!.gpa, 0x25000);
  t.false(vm.bus.memory.isPageTableProtected(ROOT), 'no entry depends on the first root any more');
  t.true(vm.bus.memory.isPageTableProtected(L2));
  t.deepEqual(shadow.checkReverseMap(), []);
  // Writing the unprotected root is an ordinary store.
  const faults = counters.writeProtectFaults;
  pt.table(ROOT, 0x00800000, L2);
  t.is(counters.writeProtectFaults, faults);
  t.is(vm.bus.memoryAt(ROOT)!.kind, 'ram');

  shadow.invalidateAll();
  t.is(vm.bus.memory.pageTablePagesProtected, 0);
  t.deepEqual(shadow.checkReverseMap(), []);
});

test('over the shadow page limit the least recently used address space is zapped first, the active one last', (t) => {
  const { pt, shadow, out, counters } = shadowVm(2);
  const roots = [0x10000, 0x12000, 0x14000, 0x16000];
  for (const root of roots) for (const gva of [0x00400000, 0x00800000, 0x00c00000]) pt.table(root, gva, L2);
  pt.map(L2, 0x00400000, 0x20000); // entry 0 of the shared level-2 table: the same page at 0x400000, 0x800000 and 0xc00000
  const use = (i: number) => {
    shadow.activate(roots[i], i + 1);
    t.true(shadow.translate(0x00400000, Perm.Read, false, out));
  };
  use(0);
  use(1);
  t.is(shadow.shadowPages, 2);
  use(2); // a third leaf: space 0 (least recently used) goes
  t.is(shadow.shadowPages, 2);
  t.is(shadow.entry(roots[0], 1, 0x00400000), null);
  t.not(shadow.entry(roots[1], 2, 0x00400000), null);
  t.is(counters.shadowZaps, 1);
  use(1); // space 1 is now more recent than space 2
  use(3);
  t.is(shadow.entry(roots[2], 3, 0x00400000), null, 'space 2 was the least recently used');
  t.not(shadow.entry(roots[1], 2, 0x00400000), null);
  t.is(counters.shadowZaps, 2);
  // A second leaf for the active space: the other space goes.
  t.true(shadow.translate(0x00800000, Perm.Read, false, out));
  t.deepEqual(shadow.addressSpaces().filter((s) => s.leaves > 0).map((s) => s.root), [roots[3]]);
  t.is(counters.shadowZaps, 3);
  // A third: the active space alone is over the limit, so its own leaves go and the new one is made.
  t.true(shadow.translate(0x00c00000, Perm.Read, false, out));
  t.is(shadow.shadowPages, 1);
  t.is(shadow.entry(roots[3], 4, 0x00400000), null);
  t.not(shadow.entry(roots[3], 4, 0x00c00000), null);
  t.is(counters.shadowZaps, 5);
  t.deepEqual(shadow.checkReverseMap(), []);
});

test('a guest on the fake core changes its own page table through a virtual mapping: the write-protect fault resyncs and the next load sees the new page', (t) => {
  const hv = new Hypervisor();
  const vm = hv.createVm({ name: 'os', paging: 'shadow', pageTableWalker: new FakeTwoLevelWalker(), createGuestCpu: (ctx) => new FakeGuestCore(ctx) });
  vm.setUserMemoryRegion({ slot: 0, guestPhysAddr: 0, size: 1 << 20, name: 'ram' });
  const pt = new FakePageTables((gpa, v) => vm.bus.write32(gpa, v));
  pt.table(ROOT, 0x00400000, L2);
  pt.table(ROOT, 0x00800000, L2);
  pt.map(L2, 0x00400000, 0x20000, W);
  pt.map(L2, 0x00801000, L2, W); // the level-2 table itself, mapped at 0x801000 (its entry 1)
  vm.bus.write32(0x20000, 0xaaaa);
  vm.bus.write32(0x30000, 0xbbbb);
  const code = [
    ...li32(1, ROOT), enc(Op.LI, 2, 0, 5), enc(Op.SETPT, 1, 2),
    ...li32(3, 0x00400000), enc(Op.LW, 4, 3, 0), // r4 = [0x400000] → 0xaaaa
    ...li32(5, 0x00801000), ...li32(6, 0x30000 | 1 | W), enc(Op.SW, 6, 5, 0), // its entry 0, the PTE of 0x400000 → 0x30000
    enc(Op.LW, 7, 3, 0), // r7 = [0x400000] → 0xbbbb
    enc(Op.HLT),
  ];
  vm.bus.loadBytes(0x1000, program(code));
  const vcpu = vm.createVcpu(0);
  vcpu.setPc(0x1000);
  const core = vcpu.guest as FakeGuestCore;
  t.is(vcpu.run(1000).kind, ExitKind.Hlt);
  t.is(core.r[4], 0xaaaa);
  t.is(core.r[7], 0xbbbb, 'the load after the PTE store went to the new page');
  const c = vm.pagingCounters;
  t.is(c.writeProtectFaults, 1);
  t.true(c.shadowSyncs >= 1);
  t.is(vm.bus.read32(L2), 0x30000 | 1 | W);
  t.true(core.flushes >= 2, 'the core dropped its soft TLB on the shadow invalidation');
});

test('switching address spaces tells the cores to drop everything, unless their caches are tagged by ASID and the ASID changed', (t) => {
  const { shadow, invalidated } = shadowVm();
  shadow.activate(ROOT, 1);
  shadow.activate(ROOT + 0x4000, 2);
  t.deepEqual(invalidated, [-1, -1], 'untagged caches: every switch');
  invalidated.length = 0;
  shadow.asidTaggedCaches = true;
  shadow.activate(ROOT, 1);
  t.deepEqual(invalidated, [], 'another ASID: the cores keep that ASID\'s entries apart');
  shadow.activate(ROOT + 0x8000, 1);
  t.deepEqual(invalidated, [-1], 'other tables under the same ASID replace what was cached for it');
});
