import test from 'ava';
import { DeviceTree, DtNode } from '../../dts/model/DeviceTree.ts';
import type { GicV2 } from '../../peripherals/irqchip/GicV2.ts';
import { gicV2Model } from '../../peripherals/irqchip/gicModel.ts';
import { cellsProp, stringProp, testContext } from '../peripherals/support/deviceContext.ts';
import { hypMachine } from './HypTestMachine.ts';

// Firmware running its own hypervisor in Hyp mode on a GIC with the
// virtualization extensions (IHI 0048B chapter 5), laid out as QEMU's virt
// with virtualization=on: GICD 0x08000000, GICC 0x08010000, GICH 0x08030000,
// GICV 0x08040000, maintenance interrupt PPI 9 (INTID 25).
//
// The program (A32, at 0x1000, HVBAR 0x1800, VBAR 0x1a00):
// - Hyp sets up the distributor (SPI 40, PPI 25 enabled), its CPU interface
//   with EOImode 1, GICH_HCR.En and HCR.IMO, then ERETs to the guest in SVC.
// - The guest enables its virtual CPU interface (GICV) and makes SPI 40
//   pending. The physical IRQ goes to Hyp (IMO); Hyp acknowledges it at GICC,
//   drops its priority (EOImode 1 keeps it active) and forwards it in GICH_LR0
//   as a hardware interrupt (HW = 1, PhysicalID 40).
// - The guest takes the virtual IRQ, reads 40 from GICV_IAR, EOIs it: the
//   GIC deactivates physical SPI 40 for it (5.3.13, HW).
// - The guest makes an HVC; Hyp injects virtual interrupt 33 in GICH_LR1
//   with EOI = 1. When the guest EOIs it, the entry becomes invalid with its
//   EOI bit set: GICH_EISR0 bit 1, GICH_MISR.EOI, maintenance interrupt
//   INTID 25 to Hyp, which reads MISR/EISR0 into r7/r10, frees LR1 and
//   deactivates 25 with GICC_DIR.

const PROGRAM: Record<number, number[]> = {
  0x1000: [
    0xe3000000, 0xe3400800, // movw/movt r0, #0x08000000   GICD
    0xe3a01001, 0xe5801000, // mov r1, #1; str r1, [r0]       GICD_CTLR
    0xe3a01c01, 0xe5801104, // mov r1, #0x100; str r1, [r0, #0x104]      ISENABLER1: SPI 40
    0xe3a01402, 0xe5801100, // mov r1, #0x02000000; str r1, [r0, #0x100] ISENABLER0: INTID 25
    0xe3002000, 0xe3402801, // movw/movt r2, #0x08010000   GICC
    0xe3a010f0, 0xe5821004, // mov r1, #0xf0; str r1, [r2, #4]     GICC_PMR
    0xe3001201, 0xe5821000, // movw r1, #0x201; str r1, [r2]       GICC_CTLR: EnableGrp0 | EOImodeS
    0xe3003000, 0xe3403803, // movw/movt r3, #0x08030000   GICH
    0xe3a01001, 0xe5831000, // mov r1, #1; str r1, [r3]            GICH_HCR.En
    0xe3a01010, 0xee811f11, // mov r1, #0x10; mcr p15, 4, r1, c1, c1, 0   HCR.IMO
    0xe3a01013, 0xe16ff001, // mov r1, #0x13; msr spsr_fsxc, r1    SVC, IRQs unmasked
    0xe3011100, 0xe12ef301, // movw r1, #0x1100; msr elr_hyp, r1
    0xe160006e, // eret
  ],
  0x1100: [ // the guest
    0xe3004000, 0xe3404804, // movw/movt r4, #0x08040000   GICV
    0xe3a0ca02, // mov r12, #0x2000                            log of acknowledged IDs
    0xe3a01001, 0xe5841000, // mov r1, #1; str r1, [r4]            GICV_CTLR.EnableGrp0
    0xe3a010f0, 0xe5841004, // mov r1, #0xf0; str r1, [r4, #4]     GICV_PMR
    0xf1080080, // cpsie i
    0xe3000000, 0xe3400800, // movw/movt r0, #0x08000000
    0xe3a01c01, 0xe5801204, // mov r1, #0x100; str r1, [r0, #0x204]  GICD_ISPENDR1: SPI 40
    0xe3580001, 0x1afffffd, // 1: cmp r8, #1; bne 1b
    0xe1400070, // hvc #0
    0xe3580002, 0x1afffffd, // 2: cmp r8, #2; bne 2b
    0xeafffffe, // 3: b 3b                                     (0x1144)
  ],
  0x1200: [ // Hyp IRQ
    0xe592500c, // ldr r5, [r2, #0xc]      GICC_IAR
    0xe5825010, // str r5, [r2, #0x10]     GICC_EOIR (priority drop only)
    0xe3550019, 0x0a000005, // cmp r5, #25; beq maint
    0xe1856505, // orr r6, r5, r5, lsl #10 PhysicalID = VirtualID
    0xe3866209, // orr r6, r6, #0x90000000 HW | pending
    0xe3866302, // orr r6, r6, #0x08000000 priority 0x80
    0xe5836100, // str r6, [r3, #0x100]    GICH_LR0
    0xe2899001, // add r9, r9, #1
    0xe160006e, // eret
    0xe5937010, // maint: ldr r7, [r3, #0x10]   GICH_MISR
    0xe593a020, // ldr r10, [r3, #0x20]         GICH_EISR0
    0xe3a06000, 0xe5836104, // mov r6, #0; str r6, [r3, #0x104]   GICH_LR1 = 0
    0xe2826a01, 0xe5865000, // add r6, r2, #0x1000; str r5, [r6]  GICC_DIR
    0xe160006e, // eret
  ],
  0x1300: [ // Hyp trap (the guest's HVC)
    0xe3006021, 0xe3416808, // movw/movt r6, #0x18080021   VirtualID 33, pending, priority 0x80, EOI
    0xe5836104, // str r6, [r3, #0x104]    GICH_LR1
    0xe160006e, // eret
  ],
  0x1400: [ // the guest's IRQ handler
    0xe594b00c, // ldr r11, [r4, #0xc]     GICV_IAR
    0xe48cb004, // str r11, [r12], #4
    0xe2888001, // add r8, r8, #1
    0xe584b010, // str r11, [r4, #0x10]    GICV_EOIR
    0xe25ef004, // subs pc, lr, #4
  ],
  0x1814: [0xeafffeb9, 0xeafffe78], // HVBAR + 0x14: b 0x1300; + 0x18: b 0x1200
  0x1a18: [0xeafffe78], // VBAR + 0x18: b 0x1400
};

function board() {
  const m = hypMachine();
  m.cpu.sys.hvbar = 0x1800;
  m.cpu.sys.vbar = 0x1a00;
  const tree = new DeviceTree();
  const cpus = tree.root.addChild(new DtNode('cpus'));
  cpus.addChild(new DtNode('cpu@0')).properties.push(stringProp('device_type', 'cpu'));
  const ctx = testContext({
    name: 'intc@8000000', tree,
    regs: [0x08000000, 0x08010000, 0x08030000, 0x08040000].map((address) => ({ address, size: 0x10000 })),
    props: [stringProp('compatible', 'arm,cortex-a15-gic'), cellsProp('interrupts', 1, 9, 4)],
  });
  const inst = gicV2Model.factory(ctx);
  for (const w of inst.mappings) m.bus.mapMmio(w.device.name, w.address, w.size, w.device);
  const gic = inst.model as GicV2;
  gic.connectCpus([m.cpu]);
  for (const [at, words] of Object.entries(PROGRAM)) words.forEach((w, i) => m.bus.write32(Number(at) + 4 * i, w >>> 0));
  m.cpu.setPc(0x1000);
  m.cpu.setRegister('cpsr', 0x1a | 0xc0);
  return { m, gic };
}

/** Run until `done` or `limit` instructions. */
function runUntil(m: ReturnType<typeof hypMachine>, done: () => boolean, limit = 2000): void {
  for (let i = 0; i < limit && !done(); i++) m.step(1);
}

test('the GIC node with four reg entries maps GICH and GICV; the maintenance interrupt is the PPI in its interrupts', (t) => {
  const { gic } = board();
  t.not(gic.virtualInterface, null);
  const vif = gic.virtualInterface!;
  t.is(vif.control.read(0x04, 4) >>> 0, 0x90000003, 'GICH_VTR');
  vif.control.write(0x00, 4, 1 | 0x8);     // En | NPIE: no pending entries → maintenance
  t.true(gic.isPending(0, 25), 'INTID 25 pending at the distributor');
  vif.control.write(0x00, 4, 0);
  t.false(gic.isPending(0, 25), 'a level-sensitive PPI: pending follows the line');
});

test('a Hyp-mode hypervisor forwards a physical SPI through a HW list register; the guest\'s EOI deactivates it', (t) => {
  const { m, gic } = board();
  const r = (n: string) => m.reg(n) >>> 0;
  runUntil(m, () => r('r9') === 1);
  t.is(r('r5'), 40, 'Hyp acknowledged SPI 40 at GICC_IAR');
  t.is(m.cpu.mode, 0x1a, 'the physical IRQ was taken to Hyp mode (HCR.IMO)');
  t.true(gic.active[gic.slot(0, 40)] === 1, 'EOImode 1: GICC_EOIR dropped the priority but SPI 40 stays active');
  runUntil(m, () => r('r8') === 1);
  t.is(m.bus.read32(0x2000), 40, 'the guest read 40 from GICV_IAR');
  t.is(m.cpu.mode, 0x12, 'in the guest\'s IRQ mode');
  runUntil(m, () => m.cpu.mode === 0x13);
  t.is(gic.active[gic.slot(0, 40)], 0, 'the guest\'s GICV_EOIR deactivated physical SPI 40 (HW = 1)');
  t.is(gic.virtualInterface!.control.read(0x30, 4), 0xf, 'GICH_ELRSR0: every list register empty again');
});

test('EOI maintenance: the guest ends a virtual interrupt with LR.EOI set; Hyp takes INTID 25 and reads MISR and EISR0', (t) => {
  const { m, gic } = board();
  const r = (n: string) => m.reg(n) >>> 0;
  runUntil(m, () => r('r8') === 2 && m.cpu.mode === 0x13 && r('r5') === 25, 5000);
  t.is(m.bus.read32(0x2004), 33, 'the virtual interrupt Hyp injected after the HVC');
  t.is(r('r5'), 25, 'the maintenance interrupt, INTID 25, at GICC_IAR');
  t.is(r('r7'), 1, 'GICH_MISR: EOI');
  t.is(r('r10'), 2, 'GICH_EISR0: list register 1');
  t.is(gic.active[gic.slot(0, 25)], 0, 'deactivated with GICC_DIR');
  t.false(gic.isPending(0, 25), 'LR1 rewritten: the maintenance condition is gone');
  t.is(r('r9'), 1, 'no other physical interrupt');
  runUntil(m, () => false, 20);
  t.is(m.cpu.mode, 0x13);
  t.is(r('pc'), 0x1144, 'the guest sits in its final loop');
});
