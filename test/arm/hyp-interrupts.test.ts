import test from 'ava';
import { StopReason } from '../../src/machine/Cpu.ts';
import { ABT, HVBAR, HYP, IRQ_MODE, SVC, VBAR, hypMachine } from './HypTestMachine.ts';

// Interrupt routing with the Virtualization Extensions (ARM ARM B1.8.x
// "Virtual exceptions in the Virtualization Extensions", HCR.IMO/FMO/AMO and
// VI/VF/VA in B4.1.65): virtual interrupts are taken only in Non-secure
// PL1/PL0 modes with their routing bit set, masked by CPSR.I/F/A; physical
// ones routed to Hyp mode ignore CPSR.I/F there.

const NOP = 0xe320f000;
const HCR_IMO = 1 << 4;
const HCR_FMO = 1 << 3;
const HCR_AMO = 1 << 5;
const HCR_VF = 1 << 6;
const HCR_VI = 1 << 7;
const HCR_VA = 1 << 8;
/** SVC mode with IRQs and FIQs unmasked, asynchronous aborts unmasked. */
const SVC_UNMASKED = 0x13;

function machine(hcr: number, cpsr = SVC_UNMASKED) {
  const m = hypMachine();
  m.cpu.sys.hcr = hcr;
  m.cpu.setRegister('cpsr', cpsr);
  m.load([NOP, NOP, NOP]);
  return m;
}

test('HCR.VI with IMO: a virtual IRQ is taken to IRQ mode at VBAR + 0x18, LR = next instruction + 4', (t) => {
  const m = machine(HCR_IMO | HCR_VI);
  m.step(1);
  t.is(m.cpu.mode, IRQ_MODE);
  t.is(m.reg('pc'), VBAR + 0x18 + 4, 'taken before the first instruction, which then ran at the vector');
  t.is(m.cpu.spsr[2] >>> 0, SVC_UNMASKED);
  m.cpu.switchMode(IRQ_MODE);
  t.is(m.reg('lr'), 0x1004);
});

test('a virtual IRQ is masked by CPSR.I, needs IMO, and is never taken in Hyp mode', (t) => {
  for (const [hcr, cpsr, why] of [
    [HCR_IMO | HCR_VI, SVC_UNMASKED | 0x80, 'CPSR.I set'],
    [HCR_VI, SVC_UNMASKED, 'IMO clear'],
    [HCR_IMO | HCR_VI, 0x1a, 'Hyp mode'],
  ] as const) {
    const m = machine(hcr, cpsr);
    m.step(3);
    t.is(m.reg('pc'), 0x100c, why);
  }
});

test('the virtual IRQ input (2, from a GIC virtual CPU interface) behaves as HCR.VI', (t) => {
  const m = machine(HCR_IMO);
  m.step(1);
  t.is(m.reg('pc'), 0x1004);
  m.cpu.setIrqLevel(2, true);
  m.step(1);
  t.is(m.cpu.mode, IRQ_MODE);
  const n = machine(0);
  n.cpu.setIrqLevel(2, true);
  n.step(2);
  t.is(n.reg('pc'), 0x1008, 'ignored without IMO');
});

test('HCR.VF with FMO: a virtual FIQ goes to FIQ mode at VBAR + 0x1c; the virtual FIQ input (3) likewise', (t) => {
  const m = machine(HCR_FMO | HCR_VF);
  m.step(1);
  t.is(m.cpu.mode, 0x11);
  t.is(m.reg('pc'), VBAR + 0x1c + 4);
  const n = machine(HCR_FMO);
  n.cpu.setIrqLevel(3, true);
  n.step(1);
  t.is(n.cpu.mode, 0x11);
});

test('HCR.VA with AMO: a virtual abort is an asynchronous Data Abort (DFSR 0x406), LR = next + 8, and clears HCR.VA', (t) => {
  const m = machine(HCR_AMO | HCR_VA);
  m.step(1);
  t.is(m.cpu.mode, ABT);
  t.is(m.reg('pc'), VBAR + 0x10 + 4);
  t.is(m.cpu.sys.dfsr, 0x406); // FS = 0b10110: asynchronous external abort
  t.is(m.cpu.sys.hcr & HCR_VA, 0);
  m.cpu.switchMode(ABT);
  t.is(m.reg('lr'), 0x1008);
});

test('a physical IRQ with IMO goes to Hyp mode at HVBAR + 0x18 even with CPSR.I set; ELR_hyp = the next instruction', (t) => {
  const m = machine(HCR_IMO, SVC_UNMASKED | 0x80);
  m.step(1);
  m.cpu.setIrqLevel(0, true);
  m.step(1);
  t.is(m.cpu.mode, HYP);
  t.is(m.reg('pc'), HVBAR + 0x18 + 4);
  t.is(m.cpu.elrHyp, 0x1004);
  t.is(m.cpu.spsr[7] >>> 0, SVC_UNMASKED | 0x80);
});

test('in Hyp mode a physical IRQ is taken to Hyp mode when CPSR.I is clear, and waits while it is set', (t) => {
  const m = machine(0, 0x1a | 0x80);
  m.cpu.setIrqLevel(0, true);
  m.step(1);
  t.is(m.reg('pc'), 0x1004, 'masked');
  m.cpu.setRegister('cpsr', 0x1a);
  m.step(1);
  t.is(m.cpu.mode, HYP);
  t.is(m.reg('pc'), HVBAR + 0x18 + 4);
  t.is(m.cpu.elrHyp, 0x1004);
  t.is(m.cpu.sys.hsr, 0, 'interrupts do not write HSR');
});

test('ISR shows the virtual interrupts at PL1 when they are routed', (t) => {
  const m = machine(HCR_IMO | HCR_VI, SVC_UNMASKED | 0xc0);
  m.load([0xee1c0f11]); // mrc ISR
  m.step(1);
  t.is(m.reg('r0'), 0x80);
  const n = machine(HCR_FMO | HCR_AMO | HCR_VF | HCR_VA, SVC_UNMASKED | 0x1c0);
  n.cpu.setIrqLevel(0, true); // physical IRQ, not routed: shown as is
  n.load([0xee1c0f11]);
  n.step(1);
  t.is(n.reg('r0'), 0x1c0);
});

test('WFI completes at once when a routed virtual interrupt is pending, and an idle core wakes when HCR.VI is set', (t) => {
  const m = machine(HCR_IMO | HCR_VI, SVC_UNMASKED | 0x80);
  m.load([0xe320f003, NOP]); // wfi
  m.step(1);
  t.false(m.cpu.idle);
  t.is(m.reg('pc'), 0x1004);
  const n = machine(HCR_IMO, SVC_UNMASKED | 0x80);
  n.load([0xe320f003, NOP]);
  t.is(n.cpu.run(10), StopReason.Idle);
  t.is(n.cpu.run(10), StopReason.Idle);
  n.cpu.sys.hcr |= HCR_VI;
  n.cpu.run(1);
  t.is(n.reg('pc'), 0x1008);
  t.is(n.cpu.mode, SVC, 'still masked: WFI just ends');
});
