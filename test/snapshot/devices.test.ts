import test from 'ava';
import { CfiFlashBank } from '../../peripherals/flash/CfiFlashBank.ts';
import { CfiFlash } from '../../peripherals/flash/cfiFlashModel.ts';
import { INT_RT, Pl011Uart } from '../../peripherals/uart/Pl011Uart.ts';
import { IrqLine } from '../../src/machine/IrqLine.ts';
import { VirtualClock } from '../../src/machine/VirtualClock.ts';
import { decodeState, encodeState, type StateValue } from '../../src/snapshot/StateCodec.ts';

// Device snapshots that hold more than registers: a timer armed from an earlier instant (PL011
// receive timeout, ARM DDI 0183 2.8.1: 32 bit periods after the last character), and flash
// contents with a buffered program (Intel 0xe8) half written.

const through = <T>(s: T): T => decodeState(encodeState(s as unknown as StateValue)) as unknown as T;
const RIS = 0x3c, IMSC = 0x38;

function uart(clock: VirtualClock) {
  const levels: boolean[] = [];
  const u = new Pl011Uart({ name: 'uart', clock, irq: new IrqLine({ setIrqLevel: (_i, l) => levels.push(l) }, 0) });
  u.write(IMSC, 4, INT_RT);
  return { u, levels };
}

test('PL011: the receive timeout fires at the instant it was due, not 32 bit periods after the restore', (t) => {
  const clockA = new VirtualClock();
  const a = uart(clockA);
  clockA.advanceTo(1000);
  a.u.receive(0x41);
  const due = clockA.pendingEvents()[0]!.when;
  // 115200 baud (IBRD never programmed): 32 bit periods = 277 778 ns after the character.
  t.is(due, 1000 + Math.ceil((32 * 1e9) / 115200));
  clockA.advanceTo(200_000);
  const state = through(a.u.snapshot());
  const clock = through(clockA.snapshot());

  const clockB = new VirtualClock();
  const b = uart(clockB);
  clockB.restoreTime(clock);
  b.u.restore(state);
  t.deepEqual(clockB.reorder(clock), []);
  t.deepEqual(clockB.pendingEvents(), [{ when: due, name: 'uart rx timeout' }]);
  clockB.advanceTo(due - 1);
  t.is(b.u.read(RIS, 4) & INT_RT, 0);
  clockB.advanceTo(due);
  t.is(b.u.read(RIS, 4) & INT_RT, INT_RT);
  t.is(b.levels.at(-1), true);
});

test('CFI flash: contents and a half-written buffered program survive; erased pages are not stored', (t) => {
  const bank = () => new CfiFlashBank({ name: 'flash', size: 1 << 20, bankWidth: 4, deviceWidth: 2, blockSize: 256 * 1024 });
  const a = new CfiFlash([{ address: 0, bank: bank() }]);
  const bankA = a.banks[0]!.bank;
  bankA.load(0x1000, Uint8Array.of(1, 2, 3, 4));
  bankA.write(0x200, 4, 0xe8); // buffered program
  bankA.write(0x200, 4, 0x00030003); // 4 bank words
  bankA.write(0x200, 4, 0x11111111);
  bankA.write(0x204, 4, 0x22222222);
  const state = through(a.snapshot());
  t.deepEqual([...state.banks[0]!.contents.pages], [1], 'only the page holding the loaded bytes');

  const b = new CfiFlash([{ address: 0, bank: bank() }]);
  b.restore(state);
  const bankB = b.banks[0]!.bank;
  bankB.write(0x208, 4, 0x33333333);
  bankB.write(0x20c, 4, 0x44444444);
  bankB.write(0x200, 4, 0xd0); // confirm
  t.is(bankB.read(0x200, 4), 0x00800080, 'status: ready, no error');
  bankB.write(0, 4, 0xff); // read array
  t.deepEqual([0, 1, 2, 3].map((i) => bankB.read(0x200 + 4 * i, 4)), [0x11111111, 0x22222222, 0x33333333, 0x44444444]);
  t.deepEqual([...bankB.bytes.subarray(0x1000, 0x1004)], [1, 2, 3, 4]);
  t.is(bankB.bytes[0x300], 0xff);
  t.deepEqual(b.ownedMemory(), [bankB.bytes]);
});
