import test from 'ava';
import { DtNode } from '../../dts/model/DeviceTree.ts';
import { DeviceRegistry } from '../../peripherals/DeviceRegistry.ts';
import type { DeviceModelInfo } from '../../peripherals/DeviceModel.ts';
import { UnimplementedDevice, createUnimplementedDevice } from '../../peripherals/UnimplementedDevice.ts';
import { stringProp, testContext } from './support/deviceContext.ts';

const model = (description: string, ...compatible: string[]): DeviceModelInfo =>
  ({ compatible, description, factory: () => ({ mappings: [], model: description }) });

test('a node gets the model of its first compatible string that has one, in the node\'s order', (t) => {
  const reg = new DeviceRegistry([model('primecell bus stub', 'arm,primecell'), model('PL011 UART', 'arm,pl011')]);
  const node = new DtNode('pl011@9000000');
  node.properties.push(stringProp('compatible', 'arm,pl011', 'arm,primecell'));
  const m = reg.match(node);
  t.is(m?.model.description, 'PL011 UART');
  t.is(m?.compatible, 'arm,pl011');
});

test('compatible strings imported from a DTB as NUL-separated bytes are understood', (t) => {
  const reg = new DeviceRegistry([model('PL031 RTC', 'arm,pl031')]);
  const node = new DtNode('rtc@9010000');
  node.properties.push({ name: 'compatible', value: [{ kind: 'bytes', bytes: new TextEncoder().encode('vendor,thing\0arm,pl031\0') }] });
  t.is(reg.match(node)?.compatible, 'arm,pl031');
});

test('no model, no compatible property: no match', (t) => {
  const reg = new DeviceRegistry([model('PL011 UART', 'arm,pl011')]);
  const a = new DtNode('x@0');
  a.properties.push(stringProp('compatible', 'acme,widget'));
  t.is(reg.match(a), undefined);
  t.is(reg.match(new DtNode('y@0')), undefined);
});

test('a compatible string claimed by two models is refused', (t) => {
  const reg = new DeviceRegistry([model('A', 'arm,pl011')]);
  t.throws(() => reg.register(model('B', 'arm,sbsa-uart', 'arm,pl011')), { message: /claimed by both "A" and "B"/ });
  t.is(reg.lookup('arm,sbsa-uart'), undefined);
});

test('models() keeps registration order for the models listing', (t) => {
  const reg = new DeviceRegistry([model('A', 'a,a'), model('B', 'b,b', 'b,c')]);
  t.deepEqual(reg.models().map((m) => m.description), ['A', 'B']);
  t.is(reg.lookup('b,c')?.description, 'B');
});

test('UnimplementedDevice reads zero and logs each access with address, size, value and pc', (t) => {
  const lines: string[] = [];
  const d = new UnimplementedDevice('pcie@10000000', 0x3f000000, (m) => lines.push(m), { currentPc: () => 0x1234 });
  t.is(d.read(0x8, 2), 0);
  d.write(0x10, 4, 0xffffffff);
  t.deepEqual(lines, [
    'pcie@10000000: read (unimplemented device) +0x8 (0x3f000008, 2 bytes) = 0x0 at pc 0x00001234',
    'pcie@10000000: write (unimplemented device) +0x10 (0x3f000010, 4 bytes) of 0xffffffff at pc 0x00001234',
  ]);
});

test('the unimplemented factory maps one logging window per reg entry', (t) => {
  const ctx = testContext({ name: 'dma@1000', regs: [{ address: 0x1000, size: 0x100 }, { address: 0x2000, size: 0x10 }] });
  const inst = createUnimplementedDevice(ctx);
  t.deepEqual(inst.mappings.map((m) => [m.address, m.size]), [[0x1000, 0x100], [0x2000, 0x10]]);
  inst.mappings[1].device.read(4, 4);
  t.is(ctx.logLines.length, 1);
  t.regex(ctx.logLines[0], /^dma@1000\[1\]: read \(unimplemented device\) \+0x4 \(0x00002004, 4 bytes\) = 0x0$/);
});
