import test from 'ava';
import { PciConfigSpace } from '../../peripherals/pci/PciConfigSpace.ts';
import type { PciFunctionSpec } from '../../peripherals/pci/PciFunctionSpec.ts';
import { GPEX_ROOT_FUNCTION } from '../../peripherals/pci/gpexRootFunction.ts';

/**
 * A type 0 configuration header (PCI Local Bus Specification 3.0 §6.1–6.2) on
 * its own. What QEMU does is the reference for the gpex host bridge: the
 * values and write masks below are what U-Boot's `pci display` / `pci write`
 * showed on QEMU 7.2's virt machine (test/peripherals/fixtures/qemu-arm-virt-uboot-pci.txt).
 */

const dwords = (c: PciConfigSpace, from: number, count: number) =>
  Array.from({ length: count }, (_, i) => c.read(from + 4 * i, 4));

test('the gpex host bridge header at reset: 1b36:0008, class 06/00/00, revision 0, subsystem 1af4:1100', (t) => {
  const c = new PciConfigSpace('gpex', GPEX_ROOT_FUNCTION);
  // QEMU before U-Boot touches it (oracle trace: 0x08 reads 0x06000000, 0x2c reads 0x11001af4, command 0).
  t.deepEqual(dwords(c, 0, 16), [
    0x00081b36, 0, 0x06000000, 0, 0, 0, 0, 0, 0, 0, 0, 0x11001af4, 0, 0, 0, 0,
  ]);
  t.deepEqual(dwords(c, 0x40, 48), new Array(48).fill(0));
  t.is(c.read(0x00, 2), 0x1b36);
  t.is(c.read(0x02, 2), 0x0008);
  t.is(c.read(0x0a, 2), 0x0600, 'sub-class and base class as U-Boot reads them');
  t.is(c.read(0x0e, 1), 0, 'header type 0, single function');
});

test('write masks as QEMU: command 0x0507, status error bits RW1C, cache line and interrupt line RW, the rest fixed', (t) => {
  const c = new PciConfigSpace('gpex', GPEX_ROOT_FUNCTION);
  c.write(0x04, 2, 0xffff);
  c.write(0x06, 2, 0xffff);
  c.write(0x0c, 4, 0xffffffff);
  for (let off = 0x10; off <= 0x24; off += 4) c.write(off, 4, 0xffffffff);
  c.write(0x30, 4, 0xffffffff);
  c.write(0x3c, 4, 0xffffffff);
  c.write(0x00, 4, 0);
  c.write(0x08, 4, 0xffffffff);
  c.write(0x2c, 4, 0);
  c.write(0x34, 4, 0xffffffff);
  c.write(0x28, 4, 0xffffffff);
  // QEMU after the same writes: 00081b36 00000507 06000000 000000ff, BARs and ROM 0, 000000ff at 0x3c.
  t.deepEqual(dwords(c, 0, 16), [
    0x00081b36, 0x00000507, 0x06000000, 0x000000ff, 0, 0, 0, 0, 0, 0, 0, 0x11001af4, 0, 0, 0, 0x000000ff,
  ]);
});

test('the device-dependent region 0x40-0xff is byte-addressable storage, as on QEMU', (t) => {
  const c = new PciConfigSpace('gpex', GPEX_ROOT_FUNCTION);
  c.write(0x40, 4, 0x12345678);
  c.write(0xfc, 4, 0x87654321);
  c.write(0x81, 1, 0xaa);
  t.is(c.read(0x40, 4), 0x12345678);
  t.is(c.read(0xfc, 4), 0x87654321);
  t.is(c.read(0x80, 4), 0x0000aa00);
  t.is(c.read(0x42, 2), 0x1234);
});

test('narrow accesses see little-endian byte lanes of the dwords', (t) => {
  const c = new PciConfigSpace('gpex', GPEX_ROOT_FUNCTION);
  // U-Boot's `pci display.b 0.0.0 0 0x10` under QEMU (after enumeration set command 4, cache line 8).
  c.write(0x04, 2, 0x4);
  c.write(0x0c, 1, 0x8);
  const bytes = Array.from({ length: 16 }, (_, i) => c.read(i, 1));
  t.deepEqual(bytes, [0x36, 0x1b, 0x08, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x08, 0x00, 0x00, 0x00]);
});

test('status error bits are write-1-to-clear and read-only bits stay', (t) => {
  const c = new PciConfigSpace('f', GPEX_ROOT_FUNCTION);
  const status = c.registers.reg('Status');
  status.value = 0xf900 | 0x10; // as if the function had reported every error (bit 4 is not an error bit)
  c.write(0x06, 2, 0x2000); // clear Received Master Abort only (PCI 3.0 §6.2.3, bit 13)
  t.is(c.read(0x06, 2), 0xd910);
  c.write(0x06, 2, 0);
  t.is(c.read(0x06, 2), 0xd910, 'writing 0 changes nothing');
  c.write(0x06, 2, 0xffff);
  t.is(c.read(0x06, 2), 0x0010, 'bit 4 (Capabilities List) is read-only');
});

const sized: PciFunctionSpec = {
  vendorId: 0x1234, deviceId: 0x5678, revisionId: 2, classCode: 0x020000, interruptPin: 1, multiFunction: true,
  bars: [
    { kind: 'memory32', size: 0x1000 },
    { kind: 'io', size: 0x20 },
    { kind: 'memory64', size: 0x100000, prefetchable: true },
    undefined,
    { kind: 'memory64', size: 0x2_0000_0000 },
  ],
  expansionRomSize: 0x10000,
};

/** PCI 3.0 §6.2.5.1: size = ~(value read back after writing ones, with the type bits masked) + 1. */
const sizeOf = (readBack: number, mask: number) => ((~(readBack & mask)) >>> 0) + 1;

test('BAR sizing: all ones written, the size and the fixed type bits read back (PCI 3.0 §6.2.5.1)', (t) => {
  const c = new PciConfigSpace('f', sized);
  t.deepEqual(dwords(c, 0x10, 6), [0x0, 0x1, 0xc, 0x0, 0x4, 0x0], 'type bits at reset: mem32, I/O, mem64 prefetchable, mem64');
  for (let off = 0x10; off <= 0x24; off += 4) c.write(off, 4, 0xffffffff);
  const [b0, b1, b2, b3, b4, b5] = dwords(c, 0x10, 6);
  t.is(b0, 0xfffff000);
  t.is(sizeOf(b0, 0xfffffff0), 0x1000);
  t.is(b1, 0xffffffe1, 'I/O: bit 0 set, bit 1 reserved 0');
  t.is(sizeOf(b1, 0xfffffffc), 0x20);
  t.is(b2, 0xfff0000c);
  t.is(b3, 0xffffffff, 'upper half of a 64-bit BAR below 4 GiB: every bit is address');
  t.is(b4, 0x00000004, 'an 8 GiB BAR has no address bit in its lower half');
  t.is(b5, 0xfffffffe, 'upper half: bit 0 is inside the 8 GiB size');
  // 64-bit size from both halves: ~(hi:lo with type bits masked) + 1.
  t.is(2 ** 64 - ((b5 * 2 ** 32) + (b4 & 0xfffffff0)), 0x2_0000_0000);
});

test('a BAR keeps the address written, without its size bits, and reports it to the decoder', (t) => {
  const c = new PciConfigSpace('f', sized);
  c.write(0x10, 4, 0x10001234);
  t.is(c.read(0x10, 4), 0x10001000);
  t.is(c.barBase(0), 0x10001000);
  c.write(0x14, 4, 0x1000 + 0x1f);
  t.is(c.read(0x14, 4), 0x1001, 'I/O base 0x1000, bit 0 stays 1');
  t.is(c.barBase(1), 0x1000);
  c.write(0x18, 4, 0x80100000);
  c.write(0x1c, 4, 0x80);
  t.is(c.barBase(2), 0x80_8010_0000);
  t.is(c.barAt('memory', 0x80_8010_0000 + 0xffffc, 4), 2);
  t.is(c.barAt('memory', 0x80_8010_0000 + 0xffffe, 4), -1, 'an access running past the BAR is not in it');
  t.is(c.barAt('io', 0x101f, 1), 1);
  c.write(0x24, 4, 0x4); // move the 8 GiB BAR4 to 0x4_0000_0000, off the low addresses
  t.is(c.barBase(4), 0x4_0000_0000);
  t.is(c.barAt('memory', 0x101f, 1), -1, 'I/O BARs do not decode memory');
  t.false(c.decodes('memory'));
  c.write(0x04, 2, 0x3);
  t.true(c.decodes('memory'));
  t.true(c.decodes('io'));
});

test('expansion ROM: address bits above its size and the enable bit are writable (PCI 3.0 §6.2.5.2)', (t) => {
  const c = new PciConfigSpace('f', sized);
  c.write(0x30, 4, 0xfffffffe); // U-Boot's sizing write
  t.is(c.read(0x30, 4), 0xffff0000);
  c.write(0x30, 4, 0xffffffff);
  t.is(c.read(0x30, 4), 0xffff0001);
});

test('header type, interrupt pin and latency timer of a conventional PCI function', (t) => {
  const conventional = new PciConfigSpace('f', { ...sized, latencyTimerWritable: true });
  t.is(conventional.read(0x0e, 1), 0x80, 'multi-function');
  t.is(conventional.read(0x3d, 1), 1, 'INTA#');
  conventional.write(0x3d, 1, 4);
  t.is(conventional.read(0x3d, 1), 1, 'pin is read-only');
  conventional.write(0x0d, 1, 0x40);
  t.is(conventional.read(0x0d, 1), 0x40);
  const express = new PciConfigSpace('g', sized);
  express.write(0x0d, 1, 0x40);
  t.is(express.read(0x0d, 1), 0, 'PCIe: Latency Timer hardwired to 0');
});

test('reset returns every register to its power-on value; a snapshot restores them', (t) => {
  const c = new PciConfigSpace('f', sized);
  c.write(0x04, 2, 0x7);
  c.write(0x10, 4, 0xabcd0000);
  c.write(0x3c, 1, 9);
  c.write(0x60, 4, 0x5a5a5a5a);
  const snap = c.snapshot();
  c.reset();
  t.deepEqual([c.read(0x04, 2), c.read(0x10, 4), c.read(0x3c, 1), c.read(0x60, 4)], [0, 0, 0, 0]);
  c.restore(snap);
  t.deepEqual([c.read(0x04, 2), c.read(0x10, 4), c.read(0x3c, 1), c.read(0x60, 4)], [0x7, 0xabcd0000, 9, 0x5a5a5a5a]);
});

test('writes to read-only registers are dropped without a log line (BAR sizing writes them all the time)', (t) => {
  const lines: string[] = [];
  const c = new PciConfigSpace('gpex', GPEX_ROOT_FUNCTION, (m) => lines.push(m));
  for (let off = 0; off < 0x40; off += 4) c.write(off, 4, 0xffffffff);
  t.deepEqual(lines, []);
});

test('impossible BAR layouts are refused when the function is described', (t) => {
  const id = { vendorId: 1, deviceId: 2, revisionId: 0, classCode: 0 };
  t.throws(() => new PciConfigSpace('f', { ...id, bars: [{ kind: 'memory32', size: 0x1800 }] }), { message: /BAR0 size 6144 is not a power of two/ });
  t.throws(() => new PciConfigSpace('f', { ...id, bars: [{ kind: 'memory32', size: 8 }] }), { message: /between 16/ });
  t.throws(() => new PciConfigSpace('f', { ...id, bars: [{ kind: 'io', size: 512 }] }), { message: /between 4 and 256/ });
  t.throws(() => new PciConfigSpace('f', { ...id, bars: [undefined, undefined, undefined, undefined, undefined, { kind: 'memory64', size: 16 }] }),
    { message: /BAR5 cannot be a 64-bit BAR/ });
  t.throws(() => new PciConfigSpace('f', { ...id, bars: [{ kind: 'memory64', size: 16 }, { kind: 'io', size: 4 }] }),
    { message: /BAR1 is the upper half of 64-bit BAR0/ });
  t.throws(() => new PciConfigSpace('f', { ...id, bars: new Array(7).fill(undefined) }), { message: /6 BARs, not 7/ });
  t.throws(() => new PciConfigSpace('f', { ...id, expansionRomSize: 0x400 }), { message: /expansion ROM size 1024/ });
});
