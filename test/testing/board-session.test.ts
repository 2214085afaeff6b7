import test from 'ava';
import { BoardSession } from '../../src/testing/BoardSession.ts';

/**
 * The test API (src/testing/BoardSession.ts) as a bring-up engineer uses it:
 * registers and memory, waiting for a PC, an interrupt line or a guest's
 * console. Each test reads as an example.
 */

test('registers and memory at reset: r2 holds the DTB address and the DTB starts with its magic (Linux boot protocol)', (t) => {
  const s = BoardSession.open('boards/virt-arm.xml');
  t.is(s.register('r2'), 0x40000000);
  // The FDT header is big-endian: magic 0xd00dfeed (Devicetree Specification §5.2).
  t.deepEqual([...s.readMemory(0x40000000, 4)], [0xd0, 0x0d, 0xfe, 0xed]);
  t.is(s.read32(0x40000000), 0xedfe0dd0, 'read32 uses the board\'s (little-endian) byte order');
  s.writeMemory(0x40100000 - 16, Uint8Array.from([1, 2, 3, 4]));
  t.is(s.read32(0x40100000 - 16), 0x04030201);
  s.setRegister('r7', 0x1234);
  t.is(s.register('r7'), 0x1234);
  t.throws(() => s.register('r0', 3), { message: 'no core 3 (the board has 1)' });
});

test('waitForPc stops the core at a symbol of the firmware; the run goes on from there', (t) => {
  const s = BoardSession.open('boards/virt-arm.xml');
  const main = s.built.firmware!.symbols.addressOf('main')!;
  t.truthy(main);
  s.waitForPc(main);
  t.is(s.register('pc'), main);
  t.is(s.output, '', 'nothing printed before main');
  s.waitFor('Hello from tskvm');
  t.like(s.runToEnd(), { kind: 'poweroff', exitCode: 0 });
});

test('waitForIrq: the generic timer firmware raises the timer\'s line into the GIC', (t) => {
  const s = BoardSession.open('boards/virt-arm.xml', { firmware: 'boards/firmware/arm/timer.elf' });
  const line = s.waitForIrq(/^timer -> /);
  t.true(line.level);
  t.regex(line.name, /^timer -> intc@8000000:(27|30)$/, 'the virtual (27) or physical (30) timer PPI of core 0');
  t.throws(() => s.waitForIrq('no-such-device'), { message: /^no interrupt line matches no-such-device; the lines are: / });
});

test('guest consoles: wait for a VM\'s output, read it, and a wait that fails says what the board showed', (t) => {
  const s = BoardSession.open('boards/phone.xml');
  const text = s.waitForGuest('guest-shadow', 'All processes finished');
  t.regex(text, /^Booting tskvm phone guest OS\r\n/);
  t.regex(s.guestOutput('guest-nested'), /^Booting tskvm phone guest OS/);
  t.throws(() => s.guestOutput('guest-x'), { message: 'no VM named "guest-x" with a console (VMs: guest-nested, guest-shadow)' });
  const e = t.throws(() => s.waitFor('never printed', { maxTimeNs: 1e6 }));
  t.regex(e!.message, /the console did not show never printed within the time limit|the board stopped/);
  t.regex(e!.message, /cores: cpu0 pc=0x[0-9a-f]+; last console output:/);
});

test('waitFor with text stops right after the instruction that printed its last character', (t) => {
  const s = BoardSession.open('boards/virt-arm.xml');
  s.waitFor('Hello');
  // The UART store that printed the "o" ends the compiled block or the interpreter's step.
  t.true(s.instructions - s.instructionsAtLastOutput < 64, `${s.instructions - s.instructionsAtLastOutput} instructions after the output`);
  t.true(s.output.endsWith('Hello'), 'nothing printed after the match yet');
  // The run goes on from there as if it had not stopped.
  const whole = BoardSession.open('boards/virt-arm.xml');
  whole.runToEnd();
  s.runToEnd();
  t.is(s.output, whole.output);
  t.is(s.instructions, whole.instructions);
});
