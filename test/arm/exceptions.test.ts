import test from 'ava';
import { StopReason } from '../../src/machine/Cpu.ts';
import { ArmTestMachine } from './ArmTestMachine.ts';

/**
 * Reset state, exception entry and return (ARM ARM B1.8: vectors Table
 * B1-3, return addresses Table B1-7, masks Table B1-6), status register
 * access (MRS/MSR/CPS/SRS/RFE/SETEND, banked registers) and WFI/WFE idling.
 */

const NOP = 0xe320f000;

test('reset state matches QEMU cortex-a15: PC 0, CPSR 0x400001d3, registers 0', (t) => {
  const m = new ArmTestMachine();
  t.is(m.cpu.getPc(), 0);
  t.is(m.cpu.cpsr, 0x400001d3);
  for (const r of m.cpu.registerNames()) if (r !== 'cpsr') t.is(m.reg(r), 0, r);
  t.deepEqual(m.cpu.registerNames().slice(13), ['sp', 'lr', 'pc', 'cpsr']);
});

test('SVC from User mode: LR_svc = next instruction, SPSR_svc = old CPSR, I masked, vector 0x08', (t) => {
  const m = new ArmTestMachine();
  m.load([0xef000012]);
  m.cpu.setRegister('cpsr', 0x80000010); // User, N set, interrupts enabled
  m.cpu.r[14] = 0xaaaa; // User LR must survive
  m.step(1);
  t.is(m.cpu.mode, 0x13);
  t.is(m.reg('lr'), 0x1004);
  t.is(m.cpu.currentSpsr, 0x80000010);
  t.is(m.cpu.cpsr & 0x1c0, 0x080, 'I set, A and F unchanged');
  t.is(m.reg('pc'), 0x08);
  m.cpu.switchMode(0x10);
  t.is(m.reg('lr'), 0xaaaa);
});

test('Undefined Instruction: LR_und = next instruction, vector 0x04', (t) => {
  const m = new ArmTestMachine();
  m.load([0xe7f000f0]); // udf
  m.cpu.setRegister('cpsr', 0x00000010);
  m.step(1);
  t.is(m.cpu.mode, 0x1b);
  t.is(m.reg('lr'), 0x1004);
  t.is(m.cpu.currentSpsr, 0x10);
  t.is(m.reg('pc'), 0x04);
});

test('an IRQ is taken between instructions: LR_irq = next instruction + 4, A and I masked', (t) => {
  const m = new ArmTestMachine();
  m.load([NOP, NOP, NOP]);
  m.cpu.setRegister('cpsr', 0x00000013); // SVC, A/I/F clear
  m.step(1);
  m.cpu.setIrqLevel(0, true);
  m.step(1); // takes the IRQ, then runs the vector's first instruction
  t.is(m.cpu.mode, 0x12);
  t.is(m.reg('lr'), 0x1008);
  t.is(m.cpu.currentSpsr, 0x13);
  t.is(m.cpu.cpsr & 0x1c0, 0x180);
  t.is(m.reg('pc'), 0x1c, 'vector 0x18 executed');
});

test('a masked IRQ is not taken; FIQ masks F, I and A', (t) => {
  const m = new ArmTestMachine();
  m.load([NOP, NOP]);
  m.cpu.setRegister('cpsr', 0x00000093); // I set
  m.cpu.setIrqLevel(0, true);
  m.step(1);
  t.is(m.cpu.mode, 0x13);
  t.is(m.reg('pc'), 0x1004);
  m.cpu.setIrqLevel(1, true);
  m.step(1);
  t.is(m.cpu.mode, 0x11);
  t.is(m.reg('lr'), 0x1008);
  t.is(m.cpu.cpsr & 0x1c0, 0x1c0);
});

test('FIQ mode banks R8-R12', (t) => {
  const m = new ArmTestMachine();
  for (let i = 8; i <= 12; i++) m.cpu.r[i] = i;
  m.cpu.switchMode(0x11);
  for (let i = 8; i <= 12; i++) t.is(m.cpu.r[i], 0, `r${i}_fiq`);
  m.cpu.r[8] = 0x88;
  m.cpu.switchMode(0x13);
  t.is(m.cpu.r[8], 8);
  m.cpu.switchMode(0x11);
  t.is(m.cpu.r[8], 0x88);
});

test('vectors move with VBAR and to 0xffff0000 with SCTLR.V', (t) => {
  const m = new ArmTestMachine();
  m.load([0xef000000, 0xef000000]);
  m.cpu.sys.vbar = 0x2000;
  m.step(1);
  t.is(m.cpu.getPc(), 0x2008);
  m.load([0xef000000]);
  m.cpu.sys.sctlr |= 1 << 13;
  m.step(1);
  t.is(m.cpu.getPc(), 0xffff0008);
});

test('SCTLR.TE takes exceptions in Thumb state', (t) => {
  const m = new ArmTestMachine();
  m.load([0xef000000]);
  m.cpu.sys.sctlr |= 1 << 30;
  m.step(1);
  t.is(m.cpu.thumb, 1);
  t.is(m.cpu.cpsr & 0x20, 0x20);
});

test('BKPT is a Prefetch Abort with IFSR = debug event and LR = BKPT + 4', (t) => {
  const m = new ArmTestMachine();
  m.load([0xe1200071]);
  m.step(1);
  t.is(m.cpu.mode, 0x17);
  t.is(m.cpu.sys.ifsr, 0x2);
  t.is(m.reg('lr'), 0x1004);
  t.is(m.reg('pc'), 0x0c);
});

test('MRS reads CPSR without the execution-state bits; at PL0 only the APSR', (t) => {
  const m = new ArmTestMachine();
  m.load([0xe10f0000]);
  m.step(1);
  t.is(m.reg('r0'), 0x400001d3);
  m.load([0xe10f0000]);
  m.cpu.setRegister('cpsr', 0xf80f01d0); // User with all flags and GE
  m.step(1);
  t.is(m.reg('r0'), 0xf80f0000);
});

test('MSR CPSR_fc switches mode at PL1; at PL0 only the flags change', (t) => {
  const m = new ArmTestMachine();
  m.load([0xe129f000]); // msr cpsr_fc, r0
  m.cpu.r[0] = 0x200000d2; // IRQ mode, C
  m.step(1);
  t.is(m.cpu.mode, 0x12);
  t.is(m.cpu.cpsr, 0x200001d2, 'A (bit 8) is in the x field, not written');
  m.load([0xe129f000]);
  m.cpu.setRegister('cpsr', 0x10);
  m.cpu.r[0] = 0xf00000d3;
  m.step(1);
  t.is(m.cpu.cpsr, 0xf0000010);
});

test('MSR CPSR_f immediate and MSR SPSR', (t) => {
  const m = new ArmTestMachine();
  m.load([0xe328f20f, 0xe16ff000]); // msr cpsr_f, #0xf0000000; msr spsr_fsxc, r0
  m.cpu.r[0] = 0x12345678;
  m.step(2);
  t.is(m.flags(), 'NZCV');
  t.is(m.cpu.currentSpsr, 0x12345678);
});

test('CPS changes masks and mode', (t) => {
  const m = new ArmTestMachine();
  m.load([0xf1080080, 0xf102001f, 0xf10c00c0, 0xf10e01d2]);
  m.step(1); // cpsie i
  t.is(m.cpu.cpsr & 0x1c0, 0x140);
  m.step(1); // cps #0x1f
  t.is(m.cpu.mode, 0x1f);
  m.step(1); // cpsid if
  t.is(m.cpu.cpsr & 0xc0, 0xc0);
  m.step(1); // cpsid aif, #0x12
  t.is(m.cpu.mode, 0x12);
});

test('SRS stores LR and SPSR on another mode stack; RFE returns from it', (t) => {
  const m = new ArmTestMachine();
  m.cpu.setRegister('sp', 0x40000100); // SVC stack
  m.cpu.switchMode(0x12);
  m.cpu.r[14] = 0x2000;
  m.cpu.currentSpsr = 0x60000010;
  m.load([0xf96d0513]); // srsdb sp!, #0x13
  m.step(1);
  t.is(m.bus.read32(0x400000f8), 0x2000);
  t.is(m.bus.read32(0x400000fc), 0x60000010);
  m.cpu.switchMode(0x13);
  t.is(m.reg('sp'), 0x400000f8);
  m.load([0xf8bd0a00]); // rfeia sp!
  m.step(1);
  t.is(m.reg('pc'), 0x2000);
  t.is(m.cpu.cpsr, 0x60000010);
  m.cpu.switchMode(0x13);
  t.is(m.reg('sp'), 0x40000100);
});

test('banked MRS/MSR need the Virtualization Extensions', (t) => {
  let m = new ArmTestMachine();
  m.load([0xe1050200]); // mrs r0, sp_usr
  m.step(1);
  t.is(m.cpu.mode, 0x1b, 'UNDEFINED without them');
  m = new ArmTestMachine({ virtualization: true });
  m.cpu.switchMode(0x10);
  m.cpu.r[13] = 0x1234;
  m.cpu.switchMode(0x13);
  m.load([0xe1050200, 0xe120f301, 0xe14e0200]); // mrs r0, sp_usr; msr lr_irq, r1; mrs r0, spsr_fiq
  m.cpu.r[1] = 0x5678;
  m.step(2);
  t.is(m.reg('r0'), 0x1234);
  m.cpu.spsr[1] = 0x1d1;
  m.step(1);
  t.is(m.reg('r0'), 0x1d1);
  m.cpu.switchMode(0x12);
  t.is(m.reg('lr'), 0x5678);
});

test('SETEND BE makes data accesses big-endian', (t) => {
  const m = new ArmTestMachine();
  m.bus.write32(0x40000000, 0x11223344);
  m.load([0xf1010200, 0xe5901000, 0xf1010000, 0xe5902000]); // setend be; ldr r1,[r0]; setend le; ldr r2,[r0]
  m.cpu.r[0] = 0x40000000;
  m.step(4);
  t.is(m.reg('r1'), 0x44332211);
  t.is(m.reg('r2'), 0x11223344);
});

test('WFI idles until an interrupt is pending, even a masked one, without spinning', (t) => {
  const m = new ArmTestMachine();
  m.load([0xe320f003, NOP, NOP]); // wfi
  t.is(m.cpu.run(100), StopReason.Idle);
  t.true(m.cpu.idle);
  const retired = m.cpu.retired;
  t.is(m.cpu.run(100), StopReason.Idle);
  t.is(m.cpu.retired, retired, 'an idle core executes nothing');
  m.cpu.setIrqLevel(0, true); // IRQs are masked at reset
  t.false(m.cpu.idle);
  m.cpu.run(1);
  t.is(m.reg('pc'), 0x1008, 'continues after WFI');
  t.is(m.cpu.mode, 0x13);
});

test('WFE consumes a pending event from SEV instead of idling', (t) => {
  const m = new ArmTestMachine();
  m.load([0xe320f004, 0xe320f002, 0xe320f002]); // sev; wfe; wfe
  t.is(m.cpu.run(2), StopReason.Budget);
  t.false(m.cpu.idle);
  t.is(m.cpu.run(1), StopReason.Idle);
  t.true(m.cpu.idle);
});

test('SEV from another core wakes a core waiting in WFE, not one waiting in WFI', async (t) => {
  const { ArmCpu } = await import('../../cores/arm/ArmCpu.ts');
  const m = new ArmTestMachine();
  const other = new ArmCpu({ index: 1, bus: m.bus, clock: m.clock, stop: { requestStop() {} } });
  m.load([0xe320f002, 0xe320f003, NOP]); // wfe; wfi; nop
  t.is(m.cpu.run(10), StopReason.Idle);
  m.bus.write32(0x3000, 0xe320f004); // sev
  other.setPc(0x3000);
  other.run(1);
  t.false(m.cpu.idle, 'WFE woken by the event');
  t.is(m.cpu.run(10), StopReason.Idle, 'then WFI idles');
  other.setPc(0x3000);
  other.run(1);
  t.true(m.cpu.idle, 'an event does not end WFI');
});

test('an IRQ handler returning with SUBS pc, lr, #4 resumes the interrupted loop without skipping an instruction', (t) => {
  const m = new ArmTestMachine();
  // Vector 0x18: add r1, r1, #1; subs pc, lr, #4
  m.bus.write32(0x18, 0xe2811001);
  m.bus.write32(0x1c, 0xe25ef004);
  // 0x1000: cpsie i; loop: add r0, r0, #1; b loop
  m.load([0xf1080080, 0xe2800001, 0xeafffffd]);
  m.step(1 + 2 * 5); // five iterations
  t.is(m.reg('r0'), 5);
  m.cpu.setIrqLevel(0, true);
  m.step(1); // IRQ entry, then the handler's add
  t.is(m.reg('r1'), 1);
  m.cpu.setIrqLevel(0, false);
  m.step(1); // subs pc, lr, #4
  t.is(m.cpu.mode, 0x13);
  t.is(m.reg('pc'), 0x1004, 'back at the add that had not run yet');
  t.is(m.cpu.cpsr & 0x80, 0, 'IRQs unmasked again from SPSR');
  m.step(2);
  t.is(m.reg('r0'), 6);
});

test('a core whose vectors cannot be fetched keeps taking Prefetch Aborts but run() still returns', (t) => {
  const m = new ArmTestMachine();
  m.cpu.sys.vbar = 0x30000000; // nothing mapped there
  m.load([0xe7f000f0]); // udf: to the unfetchable vector
  t.is(m.cpu.run(1000), StopReason.Budget);
  t.is(m.cpu.mode, 0x17);
  t.is(m.cpu.sys.ifsr, 0x008, 'synchronous external abort on the fetch');
  t.is(m.cpu.sys.ifar >>> 0, 0x3000000c);
});
