import test from 'ava';
import { Stage2PageTables } from '../../cores/arm/guest/Stage2PageTables.ts';
import { S2Perm } from '../../cores/arm/mmu/WalkResult.ts';
import { MemslotStage2 } from '../../cores/arm/guest/MemslotStage2.ts';
import { armGuest, RAM } from '../hv/ArmGuestVm.ts';

// The nested-paging stage 2 tables tskvm keeps per VM, in the long-descriptor
// stage 2 format (ARM ARM B3.6): three levels for a 40-bit IPA space.

test('an empty table: the walk stops at the invalid level 1 descriptor after one read', (t) => {
  const tables = new Stage2PageTables();
  const counter = { walkMemoryReferences: 0 };
  t.is(tables.lookup(0x40000000, counter), -1);
  t.is(counter.walkMemoryReferences, 1);
});

test('a mapped page is found after three descriptor reads with its S2AP and XN permissions', (t) => {
  const tables = new Stage2PageTables();
  tables.map(0x40001000, S2Perm.All);
  tables.map(0x40002000, S2Perm.Read | S2Perm.Exec);
  tables.map(0x40003000, S2Perm.Read | S2Perm.Write);
  const counter = { walkMemoryReferences: 0 };
  t.is(tables.lookup(0x40001abc, counter), S2Perm.All);
  t.is(counter.walkMemoryReferences, 3);
  t.is(tables.lookup(0x40002000, counter), S2Perm.Read | S2Perm.Exec);
  t.is(tables.lookup(0x40003ffc, counter), S2Perm.Read | S2Perm.Write);
  // Same level 3 table, empty entry: three reads, no page.
  t.is(tables.lookup(0x40004000, counter), -1);
  t.is(counter.walkMemoryReferences, 12);
  // Another 2 MiB region of the same 1 GiB: its level 2 entry is empty, two reads.
  t.is(tables.lookup(0x40200000, counter), -1);
  t.is(counter.walkMemoryReferences, 14);
  t.is(tables.tableCount, 4, 'the two concatenated level 1 tables, one level 2, one level 3');
});

test('IPAs up to 40 bits: pages above 4 GiB get their own tables; beyond the input range is refused', (t) => {
  const tables = new Stage2PageTables();
  const high = 0xff_4000_1000;
  tables.map(high, S2Perm.All);
  const counter = { walkMemoryReferences: 0 };
  t.is(tables.lookup(high, counter), S2Perm.All);
  t.is(tables.lookup(high - 2 ** 32, counter), -1, 'the same low 32 bits in another GiB are not the page');
  t.is(tables.lookup(2 ** 40, counter), -1);
  t.throws(() => tables.map(2 ** 40, S2Perm.All), { instanceOf: RangeError });
});

test('many pages grow the table pool; clear empties every entry', (t) => {
  const tables = new Stage2PageTables();
  const counter = { walkMemoryReferences: 0 };
  for (let i = 0; i < 64; i++) tables.map(i * 0x200000, S2Perm.All);
  t.is(tables.tableCount, 2 + 1 + 64);
  for (let i = 0; i < 64; i++) t.is(tables.lookup(i * 0x200000 + 0x123, counter), S2Perm.All);
  tables.clear();
  t.is(tables.tableCount, 2);
  t.is(tables.lookup(0x200000, counter), -1);
});

test('a VM under nested paging fills its stage 2 on first touch and drops it when a memory slot changes (as KVM unmaps stage 2)', (t) => {
  const { vm } = armGuest([0xe320f003]);
  const counters = vm.pagingCounters;
  const stage2 = new MemslotStage2(vm.bus, new Int32Array(1), counters);
  t.true(stage2.walksTables);
  t.is(stage2.stage2Permissions(RAM + 0x10), S2Perm.All);
  t.is(counters.stage2Faults, 1);
  t.is(stage2.stage2Permissions(RAM + 0x20), S2Perm.All, 'the same page: found in the tables');
  t.is(counters.stage2Faults, 1);
  t.is(stage2.stage2Permissions(0x09000000), 0, 'the PL011 window is not memory: no entry, a stage 2 Translation fault');
  t.is(counters.stage2Faults, 1);
  // A read-only slot beside the RAM: read and execute only (a store there is an MMIO exit).
  vm.setUserMemoryRegion({ slot: 7, guestPhysAddr: 0x100000, size: 0x1000, flags: { readonly: true } });
  t.is(stage2.stage2Permissions(0x100000), S2Perm.Read | S2Perm.Exec);
  t.is(counters.stage2Faults, 2);
  vm.setUserMemoryRegion({ slot: 7, guestPhysAddr: 0x100000, size: 0 });
  t.is(stage2.stage2Permissions(0x100000), 0, 'deleted: its entry went with the tables');
  t.is(stage2.stage2Permissions(RAM + 0x10), S2Perm.All);
  t.is(counters.stage2Faults, 3, 'the RAM page was mapped again after the slot change');
});

test('under shadow paging the slots are looked up directly: no tables, nothing counted', (t) => {
  const { vm } = armGuest([0xe320f003], { paging: 'shadow' });
  const stage2 = new MemslotStage2(vm.bus, new Int32Array(1), null);
  const before = vm.pagingCounters.walkMemoryReferences;
  t.false(stage2.walksTables);
  t.is(stage2.stage2Permissions(RAM), S2Perm.All);
  t.is(vm.pagingCounters.walkMemoryReferences, before);
  t.is(vm.pagingCounters.stage2Faults, 0);
});
