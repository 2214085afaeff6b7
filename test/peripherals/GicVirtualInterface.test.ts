import test from 'ava';
import { GicVirtualInterface } from '../../peripherals/irqchip/GicVirtualInterface.ts';

// The GICv2 virtualization extensions against IHI 0048B chapter 5: list
// register states, GICV_IAR/EOIR/DIR, EOImode, priorities through
// GICH_VMCR/GICH_APR, maintenance interrupt conditions (GICH_MISR).

const H = { HCR: 0x00, VTR: 0x04, VMCR: 0x08, MISR: 0x10, EISR0: 0x20, ELRSR0: 0x30, APR: 0xf0, LR: (n: number) => 0x100 + 4 * n };
const V = { CTLR: 0x00, PMR: 0x04, BPR: 0x08, IAR: 0x0c, EOIR: 0x10, RPR: 0x14, HPPIR: 0x18, ABPR: 0x1c, AIAR: 0x20, AEOIR: 0x24, APR0: 0xd0, IIDR: 0xfc, DIR: 0x1000 };

/** A list register value: state 1 pending, 2 active, 3 both; priority a full 8-bit value. */
function lr(vid: number, prio: number, state: number, extra: { grp1?: boolean; hw?: boolean; pid?: number; eoi?: boolean; cpuid?: number } = {}): number {
  let v = vid | ((prio >> 3) << 23) | (state << 28);
  if (extra.grp1) v |= 1 << 30;
  if (extra.hw) v |= (1 << 31) | ((extra.pid ?? 0) << 10);
  if (extra.eoi) v |= 1 << 19;
  if (extra.cpuid !== undefined) v |= extra.cpuid << 10;
  return v >>> 0;
}

function setup(cpus = 1) {
  let current = 0;
  const deactivated: Array<[number, number]> = [];
  const vif = new GicVirtualInterface({ name: 'gic', numCpus: cpus, currentCpu: () => current, deactivatePhysical: (c, id) => deactivated.push([c, id]) });
  const levels = new Map<string, boolean>();
  for (let c = 0; c < cpus; c++) {
    vif.connectCpu(c, { setIrqLevel: (i, l) => levels.set(`cpu${c}.${i === 2 ? 'virq' : 'vfiq'}`, l) });
    vif.connectMaintenance(c, { setIrqLevel: (_i, l) => levels.set(`cpu${c}.maint`, l) }, 25);
  }
  const h = { r: (o: number) => vif.control.read(o, 4) >>> 0, w: (o: number, v: number) => vif.control.write(o, 4, v >>> 0) };
  const v = { r: (o: number) => vif.cpuInterface.read(o, 4) >>> 0, w: (o: number, x: number) => vif.cpuInterface.write(o, 4, x >>> 0) };
  /** A guest with the virtual interface enabled: Group 0 and 1 on, AckCtl, PMR 0xf8. */
  const enable = () => {
    h.w(H.HCR, 1);
    v.w(V.CTLR, 0x7);
    v.w(V.PMR, 0xff);
  };
  return { vif, h, v, enable, deactivated, levels, cpu: (c: number) => (current = c) };
}

test('GICH_VTR: 4 list registers, 5 priority and 5 preemption bits (QEMU); GICV_IIDR as the GIC-400', (t) => {
  const { h, v } = setup();
  t.is(h.r(H.VTR), 0x90000003);
  t.is(v.r(V.IIDR), 0x0202143b);
});

test('reset: list registers invalid and all empty (ELRSR), BPR/ABPR at their minimum 2/3, no outputs', (t) => {
  const { h, v, vif } = setup();
  t.is(h.r(H.ELRSR0), 0xf);
  t.is(h.r(H.EISR0), 0);
  t.is(v.r(V.BPR), 2);
  t.is(v.r(V.ABPR), 3);
  t.is(v.r(V.PMR), 0);
  t.is(v.r(V.RPR), 0xff, 'idle running priority');
  t.deepEqual(vif.outputs(0), { virq: false, vfiq: false, maintenance: false });
});

test('a pending list register is signalled as virtual IRQ only with GICH_HCR.En, the group enabled and priority below GICV_PMR', (t) => {
  const { h, v, vif } = setup();
  h.w(H.LR(0), lr(40, 0xa0, 1));
  t.false(vif.outputs(0).virq, 'HCR.En = 0');
  h.w(H.HCR, 1);
  t.false(vif.outputs(0).virq, 'GICV_CTLR.EnableGrp0 = 0');
  v.w(V.CTLR, 1);
  t.false(vif.outputs(0).virq, 'PMR 0 masks every priority');
  v.w(V.PMR, 0xa0);
  t.false(vif.outputs(0).virq, 'priority must be strictly below PMR');
  v.w(V.PMR, 0xa8);
  t.true(vif.outputs(0).virq);
  t.is(v.r(V.PMR), 0xa8, 'PMR bits [2:0] are not implemented (5 bits)');
  t.is(h.r(H.VMCR) >>> 27, 0xa8 >> 3, 'GICV_PMR is GICH_VMCR.VMPriMask');
  t.is(h.r(H.ELRSR0), 0xe, 'LR0 is in use');
});

test('GICV_IAR acknowledges the highest-priority pending list register: pending → active, GICH_APR, running priority', (t) => {
  const { h, v, vif, enable } = setup();
  enable();
  h.w(H.LR(0), lr(40, 0xa0, 1));
  h.w(H.LR(1), lr(41, 0x80, 1));
  h.w(H.LR(2), lr(42, 0x80, 1));
  t.is(v.r(V.HPPIR), 41, 'lowest priority value; the lower list register on a tie');
  t.is(v.r(V.IAR), 41);
  t.is((h.r(H.LR(1)) >>> 28) & 3, 2, 'LR1 active');
  t.is(h.r(H.APR), 1 << (0x80 >> 3), 'group priority 0x80 (BPR 2: priority[7:3])');
  t.is(v.r(V.APR0), h.r(H.APR), 'GICV_APR0 is GICH_APR');
  t.is(v.r(V.APR0 + 4), 0, 'GICV_APR1 is RAZ with 32 levels');
  t.is(v.r(V.RPR), 0x80);
  t.false(vif.outputs(0).virq, 'no pending interrupt preempts priority 0x80 (0x80 is not higher)');
  t.is(v.r(V.IAR), 1023, 'nothing can be acknowledged: spurious');
  h.w(H.LR(3), lr(43, 0x40, 1));
  t.true(vif.outputs(0).virq, '0x40 preempts 0x80');
  t.is(v.r(V.IAR), 43);
  t.is(v.r(V.RPR), 0x40);
  v.w(V.EOIR, 43);
  t.is((h.r(H.LR(3)) >>> 28) & 3, 0, 'EOImode 0: the EOI deactivates LR3');
  t.is(v.r(V.RPR), 0x80, 'priority drop: back to the interrupted one');
  v.w(V.EOIR, 41);
  t.is(h.r(H.APR), 0);
  t.is(v.r(V.IAR), 42, 'then the other 0x80 one');
});

test('binary point: with GICV_BPR 4 priorities 0x80 and 0x90 share group priority 0x80 and do not preempt each other', (t) => {
  const { h, v, vif, enable } = setup();
  enable();
  v.w(V.BPR, 4);
  t.is(v.r(V.BPR), 4);
  v.w(V.BPR, 0);
  t.is(v.r(V.BPR), 2, 'values below the minimum read as the minimum');
  v.w(V.BPR, 4);
  h.w(H.LR(0), lr(40, 0x90, 1));
  t.is(v.r(V.IAR), 40);
  t.is(h.r(H.APR), 1 << (0x80 >> 3), 'APR holds the group priority');
  h.w(H.LR(1), lr(41, 0x80, 1));
  t.false(vif.outputs(0).virq, 'same group priority: no preemption');
  v.w(V.EOIR, 40);
  t.true(vif.outputs(0).virq);
});

test('a pending+active list register is not acknowledged again until its active state is gone', (t) => {
  const { h, v, enable } = setup();
  enable();
  h.w(H.LR(0), lr(33, 0x80, 3));
  t.is(v.r(V.IAR), 1023);
  v.w(V.DIR, 33);
  t.is((h.r(H.LR(0)) >>> 28) & 3, 3, 'GICV_DIR is ignored with EOImode 0');
  h.w(H.LR(0), lr(33, 0x80, 1));
  t.is(v.r(V.IAR), 33);
});

test('EOImode 1: GICV_EOIR only drops priority, GICV_DIR deactivates', (t) => {
  const { h, v, enable } = setup();
  enable();
  v.w(V.CTLR, 0x207);
  t.is(v.r(V.CTLR), 0x207);
  t.is(h.r(H.VMCR) & 0x21f, 0x207, 'GICV_CTLR is GICH_VMCR[9:0]');
  h.w(H.LR(0), lr(50, 0x80, 1));
  t.is(v.r(V.IAR), 50);
  v.w(V.EOIR, 50);
  t.is(h.r(H.APR), 0, 'priority dropped');
  t.is((h.r(H.LR(0)) >>> 28) & 3, 2, 'still active');
  v.w(V.DIR, 50);
  t.is((h.r(H.LR(0)) >>> 28) & 3, 0);
  t.is(h.r(H.ELRSR0), 0xf);
});

test('HW list registers: deactivation deactivates the physical interrupt; no EOI maintenance', (t) => {
  const { h, v, enable, deactivated, vif } = setup();
  enable();
  h.w(H.LR(0), lr(27, 0x80, 1, { hw: true, pid: 30 }));
  t.is(v.r(V.IAR), 27, 'HW = 1: no source CPU bits even below 16');
  v.w(V.EOIR, 27);
  t.deepEqual(deactivated, [[0, 30]]);
  t.is(h.r(H.ELRSR0), 0xf, 'an invalid HW entry is empty');
  t.false(vif.outputs(0).maintenance);
});

test('EOI maintenance: an entry with EOI = 1 and HW = 0 that becomes invalid sets GICH_EISR and GICH_MISR.EOI', (t) => {
  const { h, v, enable, vif } = setup();
  enable();
  h.w(H.LR(2), lr(34, 0x80, 1, { eoi: true }));
  t.is(v.r(V.IAR), 34);
  t.false(vif.outputs(0).maintenance);
  v.w(V.EOIR, 34);
  t.is(h.r(H.EISR0), 1 << 2);
  t.is(h.r(H.ELRSR0) & 4, 0, 'not empty until the hypervisor rewrites it');
  t.is(h.r(H.MISR) & 1, 1);
  t.true(vif.outputs(0).maintenance);
  h.w(H.HCR, 0);
  t.false(vif.outputs(0).maintenance, 'the maintenance interrupt needs GICH_HCR.En');
  h.w(H.HCR, 1);
  h.w(H.LR(2), 0);
  t.false(vif.outputs(0).maintenance);
  t.is(h.r(H.ELRSR0), 0xf);
});

test('underflow (UIE): maintenance while at most one list register is valid', (t) => {
  const { h, enable, vif } = setup();
  enable();
  h.w(H.LR(0), lr(40, 0x80, 1));
  h.w(H.LR(1), lr(41, 0x80, 1));
  h.w(H.HCR, 0x3);
  t.is(h.r(H.MISR), 0);
  h.w(H.LR(1), 0);
  t.is(h.r(H.MISR), 2);
  t.true(vif.outputs(0).maintenance);
});

test('no pending (NPIE) and EOICount (LRENPIE): an EOI matching no list register counts, and raises LRENP', (t) => {
  const { h, v, enable } = setup();
  enable();
  h.w(H.HCR, 0x1 | 0x4 | 0x8);
  t.is(h.r(H.MISR), 0x8, 'no pending entry');
  h.w(H.LR(0), lr(40, 0x80, 1));
  t.is(h.r(H.MISR), 0);
  t.is(v.r(V.IAR), 40);
  t.is(h.r(H.MISR), 0x8, 'the acknowledged one is active, not pending');
  // The hypervisor took the active interrupt out of the list registers (it had to make room).
  h.w(H.LR(0), 0);
  v.w(V.EOIR, 40);
  t.is(h.r(H.HCR) >>> 27, 1, 'EOICount incremented');
  t.is(h.r(H.MISR), 0x8 | 0x4);
  t.is(h.r(H.APR), 0, 'the priority drop still happened');
});

test('VGrp0E/D and VGrp1E/D report the guest enabling or disabling its groups', (t) => {
  const { h, v } = setup();
  h.w(H.HCR, 0x1 | 0xf0);
  t.is(h.r(H.MISR), 0x20 | 0x80, 'both disabled');
  v.w(V.CTLR, 0x1);
  t.is(h.r(H.MISR), 0x10 | 0x80);
  v.w(V.CTLR, 0x3);
  t.is(h.r(H.MISR), 0x10 | 0x40);
});

test('Group 0 is a virtual FIQ with FIQEn; Group 1 needs AckCtl for GICV_IAR, GICV_AIAR takes only Group 1', (t) => {
  const { h, v, vif } = setup();
  h.w(H.HCR, 1);
  v.w(V.PMR, 0xff);
  v.w(V.CTLR, 0x1 | 0x2 | 0x8);
  h.w(H.LR(0), lr(40, 0x80, 1));
  t.deepEqual(vif.outputs(0), { virq: false, vfiq: true, maintenance: false });
  h.w(H.LR(0), lr(40, 0x80, 1, { grp1: true }));
  t.deepEqual(vif.outputs(0), { virq: true, vfiq: false, maintenance: false });
  t.is(v.r(V.IAR), 1022, 'Group 1 without AckCtl');
  t.is(v.r(V.AIAR), 40);
  v.w(V.AEOIR, 40);
  t.is(h.r(H.ELRSR0), 0xf);
});

test('software-generated interrupts carry their source CPU in GICV_IAR and must name it to be deactivated', (t) => {
  const { h, v, enable } = setup();
  enable();
  h.w(H.LR(0), lr(3, 0x80, 1, { cpuid: 2 }));
  t.is(v.r(V.IAR), 3 | (2 << 10));
  v.w(V.EOIR, 3 | (1 << 10));
  t.is((h.r(H.LR(0)) >>> 28) & 3, 2, 'another source: no list register matched');
  t.is(h.r(H.HCR) >>> 27, 1);
  h.w(H.APR, 1 << 16);
  v.w(V.EOIR, 3 | (2 << 10));
  t.is((h.r(H.LR(0)) >>> 28) & 3, 0);
});

test('registers are banked per processor: GICH_* and GICV_* of the accessing CPU', (t) => {
  const { h, v, vif, cpu } = setup(2);
  cpu(1);
  h.w(H.HCR, 1);
  v.w(V.CTLR, 1);
  v.w(V.PMR, 0xff);
  h.w(H.LR(0), lr(40, 0x80, 1));
  t.true(vif.outputs(1).virq);
  t.false(vif.outputs(0).virq);
  cpu(0);
  t.is(h.r(H.LR(0)), 0);
  t.is(v.r(V.IAR), 1023);
  cpu(1);
  t.is(v.r(V.IAR), 40);
});

test('reserved list register bits read as zero; snapshot and restore keep the state', (t) => {
  const { h, v, vif, enable } = setup();
  enable();
  h.w(H.LR(1), 0x10700000 | 0x7e000 | 41);
  t.is(h.r(H.LR(1)), 0x10000000 | 41);
  t.is(v.r(V.IAR), 41);
  const snap = JSON.parse(JSON.stringify(vif.snapshot()));
  const other = setup();
  other.vif.restore(snap);
  t.is(other.h.r(H.LR(1)), 0x20000000 | 41);
  t.is(other.v.r(V.RPR), 0);
  t.is(other.h.r(H.HCR), 1);
});
