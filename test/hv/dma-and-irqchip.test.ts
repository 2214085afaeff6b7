import test from 'ava';
import { GuestMemory } from '../../peripherals/firmware-cfg/GuestMemory.ts';
import { Hypervisor } from '../../src/hv/Hypervisor.ts';
import { LevelIrqChip } from '../../src/hv/irq/LevelIrqChip.ts';
import { Perm } from '../../src/hv/shadow/GuestPageTableWalker.ts';
import { ShadowTranslation } from '../../src/hv/shadow/ShadowMmu.ts';
import { VmDmaBus } from '../../src/hv/vmm/VmDmaBus.ts';
import { FakeGuestCore } from './FakeGuestCore.ts';
import { FakePageTables, FakeTwoLevelWalker } from './FakeTwoLevelWalker.ts';

test('device DMA through the VMM\'s view: untouched pages get memory, writes are dirty-logged, shadowed page tables resync, code pages are reported', (t) => {
  const hv = new Hypervisor();
  const vm = hv.createVm({ name: 'd', paging: 'shadow', pageTableWalker: new FakeTwoLevelWalker(), createGuestCpu: (ctx) => new FakeGuestCore(ctx) });
  vm.setUserMemoryRegion({ slot: 0, guestPhysAddr: 0, size: 1 << 20, flags: { dirtyLog: true } });
  const dma = new GuestMemory(new VmDmaBus(vm.bus));

  t.true(dma.write(0x5ffe, new Uint8Array([1, 2, 3, 4])), 'a transfer across two untouched pages');
  t.deepEqual([...vm.bus.readBytes(0x5ffe, 4)], [1, 2, 3, 4]);
  t.deepEqual([...vm.getDirtyLog(0).subarray(0, 1)], [0b01100000], 'pages 5 and 6');

  // A DMA write over a guest page table the shadow MMU built entries from.
  const pt = new FakePageTables((gpa, v) => vm.bus.write32(gpa, v));
  pt.table(0x10000, 0x00400000, 0x11000);
  pt.map(0x11000, 0x00400000, 0x20000);
  const shadow = vm.shadow!;
  const out = new ShadowTranslation();
  shadow.activate(0x10000, 1);
  shadow.translate(0x00400000, Perm.Read, false, out);
  t.is(out.gpa, 0x20000);
  t.true(dma.write(0x11000, new Uint8Array([0x01, 0x00, 0x03, 0x00]))); // entry 0 → frame 0x30000 | V
  t.is(shadow.entry(0x10000, 1, 0x00400000)!.gpa, 0x30000);

  // Code decoded from a page: a DMA write into it is reported to the cores.
  const written: number[] = [];
  vm.bus.onCodeWrite((page) => written.push(page));
  vm.bus.memoryAt(0x7000)!.codePages[0] = 1;
  dma.write(0x7010, new Uint8Array([9]));
  t.deepEqual(written, [0x7000]);
  t.is(dma.read(0x200000, 4), null, 'outside guest memory: the transfer fails as a whole');
});

test('level irqchip: lines are level-sensitive, maskable and routable per vCPU', (t) => {
  const chip = new LevelIrqChip(8);
  const levels: boolean[][] = [[], []];
  chip.connectVcpu(0, { setIrqLevel: (_i, l) => levels[0].push(l) }, 0);
  chip.connectVcpu(1, { setIrqLevel: (_i, l) => levels[1].push(l) }, 0);
  t.deepEqual(chip.resolveInterrupt([3]), { sink: chip, input: 3 });
  t.is(chip.resolveInterrupt([8]), 'input 8 does not exist (the controller has 8)');
  chip.setIrqLevel(3, true);
  t.true(chip.hasPendingInterrupt(0));
  chip.setIrqLevel(5, true);
  chip.setIrqLevel(3, false);
  t.true(chip.hasPendingInterrupt(0), 'still asserted by input 5');
  chip.setEnabled(5, false);
  t.false(chip.hasPendingInterrupt(0), 'masked');
  chip.route(5, 1);
  chip.setEnabled(5, true);
  t.false(chip.hasPendingInterrupt(0));
  t.true(chip.hasPendingInterrupt(1));
  t.deepEqual(levels, [[true, false], [true]], 'outputs change only on level changes');
  chip.reset();
  t.true(chip.hasPendingInterrupt(0), 'after reset the still-high line 5 goes to vCPU 0 again');
  t.false(chip.hasPendingInterrupt(1));
});
