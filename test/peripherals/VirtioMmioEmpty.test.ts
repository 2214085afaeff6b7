import test from 'ava';
import { VirtioMmioEmpty, virtioMmioModel } from '../../peripherals/virtio/VirtioMmioEmpty.ts';
import { testContext } from './support/deviceContext.ts';

test('the identification registers U-Boot reads on each virt slot: magic "virt", version 1, device 0', (t) => {
  const d = new VirtioMmioEmpty('virtio_mmio@a000000');
  t.is(d.read(0x0, 4), 0x74726976);
  t.is(d.read(0x4, 4), 1);
  t.is(d.read(0x8, 4), 0);
  t.is(d.read(0xc, 4), 0x554d4551, 'vendor "QEMU"');
});

test('the magic value reads as the bytes "virt" in memory order on a little-endian bus', (t) => {
  const d = new VirtioMmioEmpty('v');
  t.deepEqual([0, 1, 2, 3].map((i) => String.fromCharCode(d.read(i, 1))).join(''), 'virt');
});

test('with no device every other register and the config space read 0 and ignore writes, silently', (t) => {
  const lines: string[] = [];
  const d = new VirtioMmioEmpty('v', { log: (m) => lines.push(m) });
  for (const off of [0x10, 0x34, 0x40, 0x60, 0x70]) {
    d.write(off, 4, 0xffffffff);
    t.is(d.read(off, 4), 0, `offset ${off.toString(16)}`);
  }
  d.write(0x0, 4, 0);
  t.is(d.read(0x0, 4), 0x74726976);
  d.write(0x100, 1, 0xaa);
  t.is(d.read(0x100, 4), 0);
  t.deepEqual(lines, []);
});

test('factory maps the node\'s window', (t) => {
  const ctx = testContext({ name: 'virtio_mmio@a003e00', regs: [{ address: 0xa003e00, size: 0x200 }] });
  const inst = virtioMmioModel.factory(ctx);
  t.deepEqual(inst.mappings.map((m) => [m.address, m.size]), [[0xa003e00, 0x200]]);
  t.is(inst.mappings[0].device.read(0, 4), 0x74726976);
});
