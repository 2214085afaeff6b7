import test from 'ava';
import { CfiFlashBank } from '../../peripherals/flash/CfiFlashBank.ts';
import { VmRomdSlot, isRomdDevice } from '../../src/hv/vmm/VmRomd.ts';
import { fakeVm } from './FakeGuestVm.ts';

// A CFI flash bank in a VM as QEMU's romd regions over KVM: a read-only
// memory slot while in read-array mode, no slot (every access reaches the
// bank's registers) while a command is in progress.

function setup() {
  const { vm } = fakeVm([]);
  const bank = new CfiFlashBank({ name: 'flash', size: 0x40000, bankWidth: 1, deviceWidth: 1, blockSize: 0x10000 });
  if (!isRomdDevice(bank)) throw new Error('a CfiFlashBank is a romd device');
  const slot = new VmRomdSlot(vm, 7, 0, bank, 'flash');
  return { vm, bank, slot };
}

test('in read-array mode the bank is a read-only slot; a loader\'s image reaches the bank', (t) => {
  const { vm, bank, slot } = setup();
  const s = vm.bus.memory.slotAt(0);
  t.truthy(s);
  t.true(s!.readOnly);
  t.true(slot.isMapped);
  vm.bus.loadBytes(0x1000, Uint8Array.of(0x11, 0x22, 0x33, 0x44));
  t.is(vm.bus.read32(0x1000), 0x44332211);
  slot.syncToDevice();
  t.deepEqual([...bank.bytes.subarray(0x1000, 0x1004)], [0x11, 0x22, 0x33, 0x44]);
});

test('a command leaves read-array mode: the slot goes; back in read-array mode it returns with what was programmed', (t) => {
  const { vm, bank, slot } = setup();
  vm.bus.loadBytes(0x2000, Uint8Array.of(0xaa));
  bank.write(0, 1, 0x98);                    // CFI query
  t.false(slot.isMapped);
  t.is(vm.bus.memory.slotAt(0), null, 'reads now exit to the bank');
  t.is(bank.read(0x10, 1), 0x51, 'CFI query: "Q" at 0x10');
  t.is(bank.bytes[0x2000], 0xaa, 'the image was copied to the bank before the slot went');
  bank.write(0, 1, 0xff);                    // read array
  bank.write(0x3000, 1, 0x40);               // word program setup: leaves read-array mode
  bank.write(0x3000, 1, 0x5a);               // the byte
  t.false(slot.isMapped);
  bank.write(0, 1, 0xff);
  t.true(slot.isMapped);
  t.is(vm.bus.read8(0x3000), 0x5a, 'programmed while out of array mode, seen through the new slot');
  t.is(vm.bus.read8(0x2000), 0xaa);
});

test('erased flash reads as all ones through the slot, as the bank and QEMU give it; a loader\'s page keeps its other bytes erased', (t) => {
  const { vm, bank } = setup();
  t.is(vm.bus.read32(0x8000) >>> 0, 0xffffffff, 'a page nothing wrote');
  t.is(vm.bus.read8(0x3ffff), 0xff);
  t.deepEqual([...vm.bus.readBytes(0x8ffe, 4)], [0xff, 0xff, 0xff, 0xff], 'debuggers and snapshots read the same');
  vm.bus.loadBytes(0x1000, Uint8Array.of(0x11));
  t.is(vm.bus.read32(0x1000) >>> 0, 0xffffff11, 'the page got host memory that starts erased');
  t.is(vm.memoryTouched, 4096, 'reading erased pages allocated nothing');
  t.is(bank.read(0x8000, 1), 0xff, 'the bank itself agrees');
  // Ordinary RAM slots still read zero where nothing wrote.
  vm.setUserMemoryRegion({ slot: 8, guestPhysAddr: 0x100000, size: 0x10000, name: 'ram' });
  t.is(vm.bus.read32(0x100000), 0);
});
