import test from 'ava';
import { GicV2 } from '../../peripherals/irqchip/GicV2.ts';
import { gicV2Model } from '../../peripherals/irqchip/gicModel.ts';
import type { Cpu } from '../../src/machine/Cpu.ts';
import { DeviceTree, DtNode } from '../../dts/model/DeviceTree.ts';
import { cellsProp, stringProp, testContext } from './support/deviceContext.ts';

// Distributor offsets (IHI 0048B table 4-1)
const CTLR = 0x000, TYPER = 0x004, IIDR = 0x008, IGROUPR = 0x080, ISENABLER = 0x100, ICENABLER = 0x180;
const ISPENDR = 0x200, ICPENDR = 0x280, ISACTIVER = 0x300, IPRIORITYR = 0x400, ITARGETSR = 0x800;
const ICFGR = 0xc00, SGIR = 0xf00, CPENDSGIR = 0xf10, SPENDSGIR = 0xf20;
// CPU interface offsets (IHI 0048B table 4-2)
const C_CTLR = 0x00, PMR = 0x04, BPR = 0x08, IAR = 0x0c, EOIR = 0x10, RPR = 0x14, HPPIR = 0x18;
const ABPR = 0x1c, AIAR = 0x20, AEOIR = 0x24, C_IIDR = 0xfc, DIR = 0x1000;

class FakeCpu {
  readonly lines = [false, false];
  constructor(readonly index: number) {}
  setIrqLevel(input: number, level: boolean): void { this.lines[input] = level; }
}

function make(numCpus = 1, numIrqs = 288) {
  let current = 0;
  const logs: string[] = [];
  const gic = new GicV2({ name: 'intc@8000000', numCpus, numIrqs, currentCpu: () => current, log: (m) => logs.push(m) });
  const cpus = Array.from({ length: numCpus }, (_, i) => new FakeCpu(i));
  gic.connectCpus(cpus as unknown as Cpu[]);
  const d = gic.distributor, c = gic.cpuInterface;
  return {
    gic, cpus, logs,
    as(cpu: number) { current = cpu; },
    dr: (off: number, w: 1 | 2 | 4 = 4) => d.read(off, w),
    dw: (off: number, v: number, w: 1 | 2 | 4 = 4) => d.write(off, w, v),
    cr: (off: number) => c.read(off, 4),
    cw: (off: number, v: number) => c.write(off, 4, v),
    irq: (cpu = 0) => cpus[cpu].lines[0],
    fiq: (cpu = 0) => cpus[cpu].lines[1],
  };
}

/** Enable the distributor and CPU 0's interface for Group 0 with PMR fully open. */
function enableAll(g: ReturnType<typeof make>, cpu = 0) {
  g.as(cpu);
  g.dw(CTLR, 1);
  g.cw(C_CTLR, 1);
  g.cw(PMR, 0xff);
}

/** Enable SPI `id` at `prio`. */
function spi(g: ReturnType<typeof make>, id: number, prio: number) {
  g.dw(ISENABLER + 4 * (id >> 5), 1 << (id & 31));
  g.dw(IPRIORITYR + id, prio, 1);
}

test('reset state: TYPER, IIDR, SGIs enabled and edge-triggered, BPR/ABPR minimums, idle priority', (t) => {
  const g = make();
  t.is(g.dr(TYPER), 8, 'ITLinesNumber 8 for 288 IDs, CPUNumber 0');
  t.is(g.dr(IIDR), 0x0200143b);
  t.is(g.dr(CTLR), 0);
  t.is(g.dr(ISENABLER), 0x0000ffff);
  t.is(g.dr(ICFGR), 0xaaaaaaaa);
  t.is(g.dr(IPRIORITYR + 40, 1), 0);
  t.is(g.cr(C_CTLR), 0);
  t.is(g.cr(PMR), 0);
  t.is(g.cr(BPR), 2, '5 priority bits: minimum binary point 2');
  t.is(g.cr(ABPR), 3);
  t.is(g.cr(RPR), 0xff);
  t.is(g.cr(IAR), 1023);
  t.is(g.cr(HPPIR), 1023);
  t.is(g.cr(C_IIDR), 0x0202143b);
  t.is(g.dr(0xfe8), 0x2b, 'ICPIDR2 ArchRev = 2');
  t.deepEqual([0xff0, 0xff4, 0xff8, 0xffc].map((o) => g.dr(o)), [0x0d, 0xf0, 0x05, 0xb1]);
});

test('TYPER reports the CPU count in bits [7:5]', (t) => {
  t.is(make(4, 128).dr(TYPER), 3 | (3 << 5));
});

test('priority fields keep only the implemented high-order bits and are byte accessible', (t) => {
  const g = make();
  g.dw(IPRIORITYR + 33, 0xff, 1);
  t.is(g.dr(IPRIORITYR + 33, 1), 0xf8);
  g.dw(IPRIORITYR + 32, 0x11223344);
  t.is(g.dr(IPRIORITYR + 32), 0x10203040);
  g.cw(PMR, 0xff);
  t.is(g.cr(PMR), 0xf8);
  g.cw(BPR, 0);
  t.is(g.cr(BPR), 2, 'a BPR below the minimum reads as the minimum');
});

test('level-sensitive SPI: signalled, acknowledged (active and pending while the line stays high), EOI, lowered', (t) => {
  const g = make();
  enableAll(g);
  spi(g, 33, 0xa0);
  t.false(g.irq());
  g.gic.setIrqLevel(33, true);
  t.true(g.irq());
  t.is(g.cr(HPPIR), 33);
  t.is(g.cr(IAR), 33);
  t.is(g.cr(RPR), 0xa0);
  t.false(g.irq(), 'an active interrupt is not signalled again');
  t.is(g.dr(ISACTIVER + 4), 1 << 1);
  t.is(g.dr(ISPENDR + 4), 1 << 1, 'line still high: active and pending');
  g.gic.setIrqLevel(33, false);
  t.is(g.dr(ISPENDR + 4), 0);
  g.cw(EOIR, 33);
  t.is(g.dr(ISACTIVER + 4), 0);
  t.is(g.cr(RPR), 0xff);
  t.false(g.irq());
  t.is(g.cr(IAR), 1023);
});

test('a level interrupt still asserted at EOI is signalled again', (t) => {
  const g = make();
  enableAll(g);
  spi(g, 40, 0x80);
  g.gic.setIrqLevel(40, true);
  t.is(g.cr(IAR), 40);
  g.cw(EOIR, 40);
  t.true(g.irq());
  t.is(g.cr(IAR), 40);
});

test('edge-triggered SPI latches the rising edge; a second edge while active leaves it active and pending', (t) => {
  const g = make();
  enableAll(g);
  spi(g, 50, 0x80);
  g.dw(ICFGR + 4 * (50 >> 4), 2 << (2 * (50 & 15)));
  g.gic.setIrqLevel(50, true);
  g.gic.setIrqLevel(50, false);
  t.true(g.irq());
  t.is(g.cr(IAR), 50);
  t.is(g.dr(ISPENDR + 4), 0, 'acknowledge clears an edge interrupt\'s pending state');
  g.gic.setIrqLevel(50, true);
  g.gic.setIrqLevel(50, false);
  t.is(g.dr(ISPENDR + 4), 1 << (50 - 32));
  t.false(g.irq());
  g.cw(EOIR, 50);
  t.true(g.irq());
  t.is(g.cr(IAR), 50);
});

test('ISPENDR/ICPENDR set and clear the pending latch of an SPI; SGI bits ignore them', (t) => {
  const g = make();
  enableAll(g);
  spi(g, 34, 0x10);
  g.dw(ISPENDR + 4, 1 << 2);
  t.true(g.irq());
  g.dw(ICPENDR + 4, 1 << 2);
  t.false(g.irq());
  g.dw(ISPENDR, 0xffff);
  t.is(g.dr(ISPENDR) & 0xffff, 0);
  g.dw(ICENABLER, 0xffff);
  t.is(g.dr(ISENABLER) & 0xffff, 0xffff, 'SGI enables are RAO/WI');
});

test('the priority mask: an interrupt is signalled only when its priority is below PMR', (t) => {
  const g = make();
  enableAll(g);
  spi(g, 35, 0x80);
  g.cw(PMR, 0x80);
  g.gic.setIrqLevel(35, true);
  t.false(g.irq());
  t.is(g.cr(HPPIR), 1023);
  t.is(g.cr(IAR), 1023);
  g.cw(PMR, 0x88);
  t.true(g.irq());
  t.is(g.cr(IAR), 35);
});

test('the distributor forwards nothing while GICD_CTLR is clear, the CPU interface signals nothing while GICC_CTLR is clear', (t) => {
  const g = make();
  enableAll(g);
  spi(g, 36, 0x80);
  g.gic.setIrqLevel(36, true);
  t.true(g.irq());
  g.dw(CTLR, 0);
  t.false(g.irq());
  t.is(g.cr(IAR), 1023);
  g.dw(CTLR, 1);
  g.cw(C_CTLR, 0);
  t.false(g.irq());
  g.cw(C_CTLR, 1);
  t.true(g.irq());
});

test('preemption: a higher-priority interrupt preempts an active one, a lower one waits for the EOI', (t) => {
  const g = make();
  enableAll(g);
  spi(g, 40, 0xc0);
  spi(g, 41, 0x40);
  spi(g, 42, 0x80);
  g.gic.setIrqLevel(40, true);
  t.is(g.cr(IAR), 40);
  g.gic.setIrqLevel(41, true);
  t.true(g.irq(), '0x40 preempts running 0xc0');
  t.is(g.cr(IAR), 41);
  t.is(g.cr(RPR), 0x40);
  g.gic.setIrqLevel(42, true);
  t.false(g.irq(), '0x80 does not preempt running 0x40');
  t.is(g.cr(IAR), 1023);
  g.gic.setIrqLevel(41, false);
  g.cw(EOIR, 41);
  t.is(g.cr(RPR), 0xc0, 'the running priority drops back to the still-active 0xc0');
  t.true(g.irq(), '0x80 now preempts 0xc0');
  t.is(g.cr(IAR), 42);
});

test('equal priority never preempts', (t) => {
  const g = make();
  enableAll(g);
  spi(g, 40, 0x80);
  spi(g, 41, 0x80);
  g.gic.setIrqLevel(40, true);
  g.gic.setIrqLevel(41, true);
  t.is(g.cr(IAR), 40, 'lowest ID first among equal priorities');
  t.false(g.irq());
  t.is(g.cr(IAR), 1023);
});

test('binary point: only the group priority field decides preemption', (t) => {
  const g = make();
  enableAll(g);
  spi(g, 40, 0x48);
  spi(g, 41, 0x40);
  g.gic.setIrqLevel(40, true);
  t.is(g.cr(IAR), 40);
  g.gic.setIrqLevel(41, true);
  t.true(g.irq(), 'BPR 2: group priority [7:3], 0x40 < 0x48 preempts');
  g.gic.setIrqLevel(41, false);
  g.cw(EOIR, 40);
  g.gic.setIrqLevel(40, false);
  g.cw(BPR, 3);                                   // group priority [7:4]
  g.gic.setIrqLevel(40, true);
  t.is(g.cr(IAR), 40);
  t.is(g.cr(RPR), 0x40, 'running priority is the group priority of 0x48');
  g.gic.setIrqLevel(41, true);
  t.false(g.irq(), 'same group priority 0x40: no preemption');
});

test('SPI targets on a 2-CPU GIC; banked ITARGETSR0-7 read the accessing CPU\'s own bit', (t) => {
  const g = make(2);
  enableAll(g, 0);
  enableAll(g, 1);
  g.as(0);
  t.is(g.dr(ITARGETSR), 0x01010101);
  g.as(1);
  t.is(g.dr(ITARGETSR + 28), 0x02020202);
  spi(g, 60, 0x80);
  g.dw(ITARGETSR + 60, 0xff, 1);
  t.is(g.dr(ITARGETSR + 60, 1), 0x03, 'bits of CPU interfaces that do not exist are RAZ');
  g.dw(ITARGETSR + 60, 0x02, 1);
  g.gic.setIrqLevel(60, true);
  t.false(g.irq(0));
  t.true(g.irq(1));
  g.as(0);
  t.is(g.cr(IAR), 1023);
  g.as(1);
  t.is(g.cr(IAR), 60);
});

test('uniprocessor GIC: ITARGETSR are RAZ/WI and every SPI goes to CPU 0', (t) => {
  const g = make(1);
  enableAll(g);
  g.dw(ITARGETSR + 40, 0x0, 1);
  t.is(g.dr(ITARGETSR + 40, 1), 0);
  spi(g, 40, 0x80);
  g.gic.setIrqLevel(40, true);
  t.true(g.irq());
});

test('SGIs: target list, all-but-self and self filters; IAR gives the source CPU in bits [12:10]', (t) => {
  const g = make(4);
  for (let c = 0; c < 4; c++) enableAll(g, c);
  g.as(1);
  g.dw(SGIR, (0 << 24) | (0b0100 << 16) | 3);     // CPU1 → CPU2, SGI 3
  t.true(g.irq(2));
  t.false(g.irq(0));
  g.as(2);
  t.is(g.cr(IAR), (1 << 10) | 3);
  g.cw(EOIR, (1 << 10) | 3);
  g.as(3);
  g.dw(SGIR, (1 << 24) | 7);                       // all but CPU3
  t.deepEqual([0, 1, 2, 3].map((c) => g.irq(c)), [true, true, true, false]);
  g.as(0);
  g.dw(SGIR, (2 << 24) | 9);                       // CPU0 itself
  t.is(g.cr(HPPIR), 7 | (3 << 10), 'SGI 7 (lower ID) first, from CPU3');
  t.is(g.cr(IAR), 7 | (3 << 10));
  g.cw(EOIR, 7 | (3 << 10));
  t.is(g.cr(IAR), 9);
});

test('one SGI pending from two sources is acknowledged once per source, lowest source first', (t) => {
  const g = make(3);
  for (let c = 0; c < 3; c++) enableAll(g, c);
  g.as(2); g.dw(SGIR, (1 << 16) | 5);
  g.as(1); g.dw(SGIR, (1 << 16) | 5);
  g.as(0); g.dw(SGIR, (2 << 24) | 5);
  t.is(g.dr(SPENDSGIR + 5, 1), 0b111, 'SPENDSGIR byte of SGI 5 lists sources 0,1,2');
  t.is(g.dr(SPENDSGIR + 4), 0b111 << 8, 'word access: SGIs 4..7, one byte each');
  t.is(g.cr(IAR), 5 | (0 << 10));
  g.cw(EOIR, 5);
  t.is(g.cr(IAR), 5 | (1 << 10));
  g.cw(EOIR, 5 | (1 << 10));
  g.dw(CPENDSGIR + 5, 0b100, 1);
  t.is(g.dr(SPENDSGIR + 5, 1), 0);
  t.is(g.cr(IAR), 1023);
});

test('SPENDSGIR sets SGI pending state per source for the accessing CPU', (t) => {
  const g = make(2);
  enableAll(g, 1);
  g.as(1);
  g.dw(SPENDSGIR, 0x01 << 8, 4);                   // SGI 1 pending from CPU 0
  t.true(g.irq(1));
  t.is(g.cr(IAR), 1);
});

test('Group 1 with AckCtl=0: IAR and HPPIR say 1022, the aliased AIAR acknowledges it', (t) => {
  const g = make();
  g.dw(CTLR, 3);
  g.cw(C_CTLR, 3);                                 // EnableGrp0 | EnableGrp1
  g.cw(PMR, 0xff);
  spi(g, 44, 0x80);
  g.dw(IGROUPR + 4, 1 << 12);
  t.is(g.dr(IGROUPR + 4), 1 << 12);
  g.gic.setIrqLevel(44, true);
  t.true(g.irq());
  t.is(g.cr(HPPIR), 1022);
  t.is(g.cr(IAR), 1022);
  t.is(g.dr(ISACTIVER + 4), 0, 'not acknowledged');
  t.is(g.cr(AIAR), 44);
  g.gic.setIrqLevel(44, false);
  g.cw(AEOIR, 44);
  t.is(g.dr(ISACTIVER + 4), 0);
  g.cw(C_CTLR, 3 | 4);                              // AckCtl
  g.gic.setIrqLevel(44, true);
  t.is(g.cr(IAR), 44);
});

test('Group 0 goes out as FIQ when FIQEn is set, Group 1 stays IRQ', (t) => {
  const g = make();
  g.dw(CTLR, 3);
  g.cw(C_CTLR, 3 | (1 << 3));
  g.cw(PMR, 0xff);
  spi(g, 45, 0x80);
  g.gic.setIrqLevel(45, true);
  t.true(g.fiq());
  t.false(g.irq());
  g.dw(IGROUPR + 4, 1 << 13);
  t.false(g.fiq());
  t.true(g.irq());
});

test('EOImode 1: EOIR only drops priority, DIR deactivates', (t) => {
  const g = make();
  enableAll(g);
  g.cw(C_CTLR, 1 | (1 << 9));
  spi(g, 46, 0x80);
  g.dw(ICFGR + 4 * (46 >> 4), 2 << (2 * (46 & 15)));
  g.gic.setIrqLevel(46, true);
  t.is(g.cr(IAR), 46);
  g.cw(EOIR, 46);
  t.is(g.cr(RPR), 0xff);
  t.is(g.dr(ISACTIVER + 4), 1 << 14, 'still active after the priority drop');
  g.cw(DIR, 46);
  t.is(g.dr(ISACTIVER + 4), 0);
});

test('DIR is ignored with EOImode 0; EOI with nothing active is ignored; spurious IDs are ignored', (t) => {
  const g = make();
  enableAll(g);
  spi(g, 47, 0x80);
  g.gic.setIrqLevel(47, true);
  t.is(g.cr(IAR), 47);
  g.cw(DIR, 47);
  t.is(g.dr(ISACTIVER + 4), 1 << 15);
  g.cw(EOIR, 1023);
  t.is(g.cr(RPR), 0x80);
  g.cw(EOIR, 47);
  g.cw(EOIR, 47);
  t.true(g.logs.some((l) => /no active interrupt/.test(l)));
});

test('PPIs are banked per CPU; ppiInput wires one core\'s private line', (t) => {
  const g = make(2);
  enableAll(g, 0);
  enableAll(g, 1);
  g.as(1);
  g.dw(ISENABLER, 1 << 30);
  g.dw(IPRIORITYR + 30, 0x20, 1);
  const { sink, input } = g.gic.ppiInput(1, 14);
  t.is(input, 30);
  sink.setIrqLevel(input, true);
  t.true(g.irq(1));
  t.false(g.irq(0));
  g.as(0);
  t.is(g.dr(ISPENDR) & (1 << 30), 0, 'CPU 0\'s bank of PPI 14 is not pending');
  g.as(1);
  t.is(g.cr(IAR), 30);
});

test('resolveInterrupt maps the 3-cell GIC specifier, with errors for bad cells', (t) => {
  const g = make(2);
  const s = g.gic.resolveInterrupt([0, 1, 4]);
  t.true(typeof s !== 'string' && s.sink === g.gic && s.input === 33);
  const p = g.gic.resolveInterrupt([1, 13, 0x304]);
  t.true(typeof p !== 'string' && p.input === 29);
  if (typeof p !== 'string') {
    g.as(0); g.dw(CTLR, 1); g.cw(C_CTLR, 1); g.cw(PMR, 0xff); g.dw(ISENABLER, 1 << 29);
    g.as(1); g.dw(CTLR, 1); g.cw(C_CTLR, 1); g.cw(PMR, 0xff); g.dw(ISENABLER, 1 << 29);
    p.sink.setIrqLevel(p.input, true);
    t.true(g.irq(0) && g.irq(1), 'CPU mask 0x3 reaches both banks');
  }
  t.regex(g.gic.resolveInterrupt([0, 256, 4]) as string, /SPI 256 is out of range/);
  t.regex(g.gic.resolveInterrupt([0, 1, 2]) as string, /SPI trigger/);
  t.regex(g.gic.resolveInterrupt([1, 16, 4]) as string, /PPI 16/);
  t.regex(g.gic.resolveInterrupt([2, 0, 4]) as string, /type must be 0 \(SPI\) or 1 \(PPI\)/);
  t.regex(g.gic.resolveInterrupt([0, 1]) as string, /3 cells/);
  t.regex(g.gic.resolveInterrupt([1, 1, 0x404]) as string, /names no CPU/);
});

test('word-only registers ignore byte writes', (t) => {
  const g = make();
  g.dw(CTLR, 1, 1);
  t.is(g.dr(CTLR), 0);
  t.true(g.logs.some((l) => /1-byte write to 4-byte register GICD_CTLR ignored/.test(l)));
  g.dw(ISENABLER + 4, 0xff, 1);
  t.is(g.dr(ISENABLER + 4), 0);
});

test('snapshot and restore carry the whole state', (t) => {
  const a = make();
  enableAll(a);
  spi(a, 40, 0x80);
  a.gic.setIrqLevel(40, true);
  a.cr(IAR);
  const snap = JSON.parse(JSON.stringify(a.gic.snapshot()));
  const b = make();
  b.gic.restore(snap);
  t.is(b.cr(RPR), 0x80);
  t.is(b.dr(ISACTIVER + 4), 1 << 8);
  b.gic.setIrqLevel(40, false);
  b.cw(EOIR, 40);
  t.is(b.cr(RPR), 0xff);
});

test('factory: CPU count from /cpus, windows for distributor and CPU interface, interrupt controller role', (t) => {
  const tree = new DeviceTree();
  const cpus = tree.root.addChild(new DtNode('cpus'));
  for (const n of ['cpu@0', 'cpu@1']) {
    const c = cpus.addChild(new DtNode(n));
    c.properties.push(stringProp('device_type', 'cpu'));
  }
  let current = 0;
  const ctx = testContext({
    name: 'intc@8000000', tree,
    regs: [{ address: 0x8000000, size: 0x10000 }, { address: 0x8010000, size: 0x10000 }, { address: 0x8030000, size: 0x10000 }],
    props: [stringProp('compatible', 'arm,cortex-a15-gic'), cellsProp('tskvm,num-irqs', 128)],
  });
  const inst = gicV2Model.factory({ ...ctx, pc: { currentPc: () => undefined, currentCpu: () => current } });
  t.deepEqual(inst.mappings.map((m) => m.address), [0x8000000, 0x8010000, 0x8030000]);
  const gic = inst.model as GicV2;
  t.is(inst.interruptController, gic);
  t.is(gic.numCpus, 2);
  t.is(inst.mappings[0].device.read(TYPER, 4), 3 | (1 << 5));
  current = 1;
  t.is(inst.mappings[0].device.read(ITARGETSR, 1), 2, 'banked by the core the machine says is running');
  inst.mappings[2].device.read(0, 4);
  t.regex(ctx.logLines.at(-1)!, /virtual-interface-control/);
});

test('factory: bad tskvm,num-irqs is an input error', (t) => {
  const ctx = testContext({
    regs: [{ address: 0, size: 0x1000 }, { address: 0x1000, size: 0x1000 }],
    props: [cellsProp('tskvm,num-irqs', 100)],
  });
  t.throws(() => gicV2Model.factory(ctx), { message: /multiple of 32/ });
});

test('reset of the two windows returns distributor and CPU interfaces to their reset state', (t) => {
  const g = make();
  enableAll(g);
  spi(g, 40, 0x80);
  g.gic.setIrqLevel(40, true);
  t.is(g.cr(IAR), 40);
  g.gic.distributor.reset();
  g.gic.cpuInterface.reset();
  t.is(g.dr(CTLR), 0);
  t.is(g.dr(ISENABLER + 4), 0);
  t.is(g.cr(RPR), 0xff);
  t.is(g.cr(PMR), 0);
  t.is(g.cr(BPR), 2);
  t.false(g.irq());
});

test('resolveInterruptForCpu sends a core\'s timer PPI to that core\'s bank only', (t) => {
  const g = make(2);
  for (const c of [0, 1]) {
    g.as(c); g.dw(CTLR, 1); g.cw(C_CTLR, 1); g.cw(PMR, 0xff); g.dw(ISENABLER, 1 << 30);
  }
  // The virt DT's timer: <1 14 0x304> (CPU mask 0x3); the builder asks once per core.
  const r1 = g.gic.resolveInterruptForCpu([1, 14, 0x304], 1);
  t.true(typeof r1 !== 'string' && r1.input === 30);
  if (typeof r1 !== 'string') r1.sink.setIrqLevel(r1.input, true);
  t.false(g.irq(0));
  t.true(g.irq(1));
  const spi = g.gic.resolveInterruptForCpu([0, 5, 4], 1);
  t.true(typeof spi !== 'string' && spi.sink === g.gic && spi.input === 37);
  t.regex(g.gic.resolveInterruptForCpu([1, 14, 0x304], 2) as string, /CPU 2 has no interface/);
});
