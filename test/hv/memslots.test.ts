import test from 'ava';
import { ExitKind } from '../../src/hv/ExitKind.ts';
import { Hypervisor } from '../../src/hv/Hypervisor.ts';
import { MemslotError } from '../../src/hv/memory/GuestPhysicalMemory.ts';
import type { Vm } from '../../src/hv/Vm.ts';
import { FakeGuestCore, enc, li32, Op, program } from './FakeGuestCore.ts';
import { fakeVm, RAM_BASE } from './FakeGuestVm.ts';

function emptyVm(hv = new Hypervisor()): Vm {
  return hv.createVm({ name: 'm', createGuestCpu: (ctx) => new FakeGuestCore(ctx) });
}

test('guest memory is allocated on first write; reads of untouched pages return zero and allocate nothing', (t) => {
  const hv = new Hypervisor();
  const vm = emptyVm(hv);
  vm.setUserMemoryRegion({ slot: 0, guestPhysAddr: 0x40000000, size: 16 << 20, name: 'ram' });
  t.is(vm.memoryTouched, 0);
  t.is(vm.bus.read32(0x40001000), 0);
  t.is(vm.bus.read8(0x40ffffff), 0);
  const untouched = vm.bus.memoryAt(0x40001234)!;
  t.like(untouched, { base: 0x40001000, size: 4096, kind: 'rom' }, 'a page, showing the zero page read-only');
  t.true(untouched.bytes.every((b) => b === 0));
  t.deepEqual(vm.bus.readBytes(0x40000ffe, 4), new Uint8Array(4));
  t.is(vm.memoryTouched, 0, 'nothing was allocated by reading');
  t.is(hv.pagePool.pagesInUse, 0);

  vm.bus.write32(0x40001004, 0xdeadbeef);
  t.is(vm.memoryTouched, 4096, 'one page for one store');
  t.is(hv.pagePool.pagesInUse, 1);
  t.is(vm.bus.read32(0x40001004), 0xdeadbeef);
  t.is(vm.bus.read8(0x40001004), 0xef, 'little-endian by default');
  const page = vm.bus.memoryAt(0x40001000)!;
  t.is(page, untouched, 'the same page object, now backed');
  t.is(page.kind, 'ram');
  t.is(page.bytes[4], 0xef);
  // A store straddling two pages touches both.
  vm.bus.write32(0x40002ffe, 0x11223344);
  t.is(vm.memoryTouched, 3 * 4096);
  t.is(vm.bus.read32(0x40002ffe), 0x11223344);
});

test('slots: overlapping ranges are rejected naming both; alignment is checked; size 0 deletes and frees the pages', (t) => {
  const hv = new Hypervisor();
  const vm = emptyVm(hv);
  vm.setUserMemoryRegion({ slot: 0, guestPhysAddr: 0x40000000, size: 16 << 20, name: 'ram' });
  const overlap = t.throws(() => vm.setUserMemoryRegion({ slot: 1, guestPhysAddr: 0x40800000, size: 16 << 20 }), { instanceOf: MemslotError });
  t.is(overlap.message, 'slot 1 (0x40800000-0x417fffff) overlaps slot 0 "ram" (0x40000000-0x40ffffff)');
  t.throws(() => vm.setUserMemoryRegion({ slot: 1, guestPhysAddr: 0x41000800, size: 4096 }), {
    message: 'slot 1: guest-physical address 1090521088 must be 4 KiB aligned',
  });
  t.throws(() => vm.setUserMemoryRegion({ slot: 1, guestPhysAddr: 0x41000000, size: 100 }), { message: 'slot 1: size 100 must be a multiple of 4 KiB' });
  t.throws(() => vm.setUserMemoryRegion({ slot: 0, guestPhysAddr: 0x50000000, size: 4096 }), {
    message: 'slot 0 already maps 0x40000000-0x40ffffff; delete it (size 0) before mapping 0x50000000-0x50000fff',
  });
  // Adjacent is not overlapping.
  vm.setUserMemoryRegion({ slot: 1, guestPhysAddr: 0x41000000, size: 4096, name: 'next' });
  t.deepEqual(vm.bus.memory.slots().map((s) => s.id), [0, 1]);

  vm.bus.write32(0x40000000, 1);
  vm.bus.write32(0x40005000, 2);
  t.is(hv.pagePool.pagesInUse, 2);
  vm.setUserMemoryRegion({ slot: 0, guestPhysAddr: 0x40000000, size: 0 });
  t.is(hv.pagePool.pagesInUse, 0, 'pages went back to the pool');
  t.is(vm.bus.memoryAt(0x40000000), null);
  t.is(vm.memoryTouched, 0);
  // The range is free again; a new slot there reads zero (the reused host page was cleared).
  vm.setUserMemoryRegion({ slot: 2, guestPhysAddr: 0x40000000, size: 8192 });
  vm.bus.write8(0x40001000, 7);
  t.is(vm.bus.read32(0x40000000), 0);
  t.is(vm.bus.read32(0x40001000), 7);
});

test('slots cannot cover an in-kernel device, and devices cannot cover slots', (t) => {
  const vm = emptyVm();
  const device = { name: 'dev', widths: [4] as const, read: () => 0x1234, write: () => {}, reset: () => {} };
  vm.registerMmio('dev', 0x9000000, 0x1000, device);
  t.throws(() => vm.setUserMemoryRegion({ slot: 0, guestPhysAddr: 0x8000000, size: 0x2000000 }), {
    message: 'slot 0 overlaps the in-kernel device "dev" at 0x9000000',
  });
  vm.setUserMemoryRegion({ slot: 0, guestPhysAddr: 0, size: 0x1000000 });
  t.throws(() => vm.registerMmio('dev2', 0x800000, 0x1000, device), { message: /overlaps memory slot 0/ });
  t.is(vm.bus.read32(0x9000000), 0x1234, 'the in-kernel device answers without an exit');
});

test('read-only slot: loaders fill it, guest reads see it, a guest store exits as MMIO and changes nothing', (t) => {
  const code = [
    ...li32(1, 0x10000000),
    enc(Op.LW, 2, 1, 8), // r2 = rom[8]
    enc(Op.SW, 2, 1, 0), // rom[0] = r2 → MMIO write exit
    enc(Op.HLT),
  ];
  const { vm, vcpu, core } = fakeVm(code);
  vm.setUserMemoryRegion({ slot: 1, guestPhysAddr: 0x10000000, size: 0x10000, flags: { readonly: true }, name: 'flash' });
  vm.bus.loadBytes(0x10000000, program([0xaaaaaaaa, 0xbbbbbbbb, 0xcafef00d]));
  t.is(vm.bus.memoryAt(0x10000000)!.kind, 'rom');
  const exit = vcpu.run(100);
  t.is(exit.kind, ExitKind.Mmio);
  t.like(exit.mmio, { address: 0x10000000, size: 4, isWrite: true, data: 0xcafef00d });
  t.is(core.r[2], 0xcafef00d);
  t.is(vm.bus.read32(0x10000000), 0xaaaaaaaa, 'memory unchanged');
  t.is(vcpu.run(100).kind, ExitKind.Hlt, 'the store completes when run again (the VMM did the write)');
  t.is(vm.bus.read32(0x10000000), 0xaaaaaaaa);
  t.is(core.retired, 5);
  // With no vCPU running, a store to ROM is a bus error.
  const errors: number[] = [];
  vm.bus.onBusError((addr) => errors.push(addr));
  vm.bus.write32(0x10000004, 1);
  t.deepEqual(errors, [0x10000004]);
});

test('dirty logging: getDirtyLog returns pages written since the last call and clears the log', (t) => {
  const vm = emptyVm();
  vm.setUserMemoryRegion({ slot: 3, guestPhysAddr: 0x80000000, size: 64 * 4096, flags: { dirtyLog: true } });
  vm.bus.write32(0x80000000, 1);
  vm.bus.write8(0x80005fff, 2);
  vm.bus.loadBytes(0x80009000, new Uint8Array([1, 2, 3]));
  const first = vm.getDirtyLog(3);
  t.is(first.length, 8, '64 pages, one bit each');
  t.deepEqual([...first], [0b00100001, 0b00000010, 0, 0, 0, 0, 0, 0], 'pages 0, 5 and 9');
  t.deepEqual([...vm.getDirtyLog(3)], [0, 0, 0, 0, 0, 0, 0, 0], 'cleared by the previous call');
  // Reads do not dirty a page; a second write to page 5 does, even though the page already has memory.
  t.is(vm.bus.read32(0x80005ffc), 0x02000000);
  t.is(vm.bus.memoryAt(0x80005000)!.kind, 'rom', 'write-tracked again after getDirtyLog');
  vm.bus.write32(0x80005000, 3);
  t.deepEqual([...vm.getDirtyLog(3)], [0b00100000, 0, 0, 0, 0, 0, 0, 0]);
  t.throws(() => vm.getDirtyLog(4), { message: 'getDirtyLog: there is no memory slot 4' });
  vm.setUserMemoryRegion({ slot: 3, guestPhysAddr: 0x80000000, size: 64 * 4096 });
  t.throws(() => vm.getDirtyLog(3), { message: /does not log dirty pages/ });
  t.is(vm.bus.memoryAt(0x80005000)!.kind, 'ram', 'no longer tracked');
});

test('dirty logging sees stores a core makes through its soft TLB: the log clear drops cached store pointers', (t) => {
  // The second store of each pair goes through the core's cached pointer to the page; getDirtyLog runs between the HLTs.
  const store = (offset: number) => enc(Op.SW, 1, 1, offset);
  const code = [...li32(1, RAM_BASE + 0x8000), store(0), store(4), enc(Op.HLT), store(8), store(12), enc(Op.HLT), store(16), enc(Op.HLT)];
  const { vm, vcpu } = fakeVm(code, { ramSize: 0x10000 });
  vm.setUserMemoryRegion({ slot: 0, guestPhysAddr: RAM_BASE, size: 0x10000, flags: { dirtyLog: true }, name: 'ram' });
  vm.getDirtyLog(0); // the code load dirtied page 0
  t.is(vcpu.run(100).kind, ExitKind.Hlt);
  t.deepEqual([...vm.getDirtyLog(0)], [0x00, 0x01], 'page 8 written');
  t.is(vcpu.run(100).kind, ExitKind.Hlt);
  t.deepEqual([...vm.getDirtyLog(0)], [0x00, 0x01], 'written again after the log was cleared');
  t.is(vcpu.run(100).kind, ExitKind.Hlt);
  t.deepEqual([...vm.getDirtyLog(0)], [0x00, 0x01]);
  t.is(vm.bus.read32(RAM_BASE + 0x8008), RAM_BASE + 0x8000);
});

test('a page getting host memory or losing write access tells the cores which page; slot changes tell them everything changed', (t) => {
  const vm = emptyVm();
  const told: Array<number | undefined> = [];
  vm.bus.onMapChange((pageAddr) => told.push(pageAddr));
  vm.setUserMemoryRegion({ slot: 0, guestPhysAddr: 0x40000000, size: 1 << 20, name: 'ram' });
  t.deepEqual(told, [undefined], 'a new slot');
  told.length = 0;
  vm.bus.memoryAt(0x40003000); // a core looked at the zero page there
  vm.bus.write32(0x40003010, 1);
  t.deepEqual(told, [0x40003000], 'backed: only that page');
  told.length = 0;
  vm.bus.memory.protectPageTable(0x40003000);
  t.deepEqual(told, [0x40003000], 'write-protected for a shadow MMU: only that page');
});
