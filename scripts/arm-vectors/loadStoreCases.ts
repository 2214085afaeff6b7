/**
 * Loads and stores (ARM ARM DDI 0406C A5.3, A5.5, A6.3.7–10): every
 * addressing mode (offset, pre-indexed and post-indexed; immediate, register
 * and scaled register; added or subtracted) of the word, byte, halfword,
 * signed and doubleword forms, and LDM/STM in each of their modes.
 *
 * Every base register points into the harness's 128-byte scratch buffer and
 * every offset keeps the access inside it; accesses are aligned to their size.
 */
import { scratchAt, type CaseList, type Isa, type RegisterInput } from './CaseList.ts';

interface Mode {
  readonly text: string;
  /** The value of r2 when the mode uses it. */
  readonly r2?: number;
  /** APSR to use (RRX reads the carry). */
  readonly apsr?: number;
}

function groupName(m: string, text: string): string {
  // "[r1, #-8]!" -> "[Rn, #-imm]!" so that a class holds one addressing mode.
  return `${m} ${text.replace(/r1/g, 'Rn').replace(/r2/g, 'Rm').replace(/#-\d+/g, '#-imm').replace(/#\d+/g, '#imm')}`;
}

function addSingle(list: CaseList, file: string, isa: Isa, m: string, rt: string, size: number, modes: readonly Mode[]): void {
  const rnd = list.random;
  const store = m.startsWith('st');
  for (const mode of modes) {
    for (let i = 0; i < 2; i++) {
      // A byte access may use an odd base; wider accesses keep the base aligned.
      const base = size === 1 && i === 1 ? 63 : 64;
      const inputs: Record<string, RegisterInput> = { r1: scratchAt(base) };
      if (mode.r2 !== undefined) inputs.r2 = mode.r2;
      if (store) {
        inputs[rt.split(',')[0].trim()] = rnd.word();
        if (size === 8) inputs[rt.split(',')[1].trim()] = rnd.word();
      }
      list.add(file, groupName(m, mode.text), isa, `${m} ${rt}, ${mode.text}`, inputs, { memory: true, apsr: mode.apsr });
    }
  }
}

/** Offsets for an access of `size` bytes: a positive and a negative one, multiples of the size. */
function a32Modes(size: number, scaled: boolean): Mode[] {
  const step = Math.min(size, 4);
  const modes: Mode[] = [
    { text: '[r1]' },
    { text: `[r1, #${step}]` },
    { text: `[r1, #${12 * step > 60 ? 56 : 12 * step}]` },
    { text: `[r1, #-${2 * step}]` },
    { text: `[r1, #-${step === 1 ? 63 : 64}]` },
    { text: `[r1, #${2 * step}]!` },
    { text: `[r1, #-${3 * step}]!` },
    { text: `[r1], #${step}` },
    { text: `[r1], #-${4 * step}` },
    { text: '[r1, r2]', r2: 5 * step },
    { text: '[r1, -r2]', r2: 6 * step },
    { text: '[r1, r2]!', r2: 3 * step },
    { text: '[r1, -r2]!', r2: 2 * step },
    { text: '[r1], r2', r2: 7 * step },
    { text: '[r1], -r2', r2: step },
  ];
  if (scaled) {
    modes.push(
      { text: '[r1, r2, lsl #2]', r2: 3 },
      { text: '[r1, -r2, lsl #3]', r2: 5 },
      { text: '[r1, r2, lsr #4]', r2: 0x80 },
      { text: '[r1, r2, asr #28]', r2: 0xc0000000 },
      { text: '[r1, -r2, asr #1]', r2: 16 },
      { text: '[r1, r2, ror #28]', r2: 1 },
      // RRX brings the carry into bit 31: with C clear the offset stays small.
      { text: '[r1, r2, rrx]', r2: 8, apsr: 0x40000000 },
      { text: '[r1, r2, lsl #2]!', r2: 2 },
      { text: '[r1], -r2, lsl #1', r2: 4 },
    );
  }
  return modes;
}

function t32Modes(size: number, dual: boolean): Mode[] {
  const step = Math.min(size, 4);
  const modes: Mode[] = [
    { text: '[r1]' },
    { text: `[r1, #${step}]` },
    { text: `[r1, #${dual ? 56 : 60 - (60 % step)}]` },
    { text: `[r1, #-${2 * step}]` },
    { text: `[r1, #-${dual ? 64 : 60}]` },
    { text: `[r1, #${2 * step}]!` },
    { text: `[r1, #-${3 * step}]!` },
    { text: `[r1], #${step}` },
    { text: `[r1], #-${4 * step}` },
  ];
  if (!dual) {
    modes.push(
      { text: '[r1, r2]', r2: 5 * step },
      { text: '[r1, r2, lsl #1]', r2: 2 * step },
      { text: '[r1, r2, lsl #2]', r2: 3 },
      { text: '[r1, r2, lsl #3]', r2: 0xfffffffe },
    );
  }
  return modes;
}

const REGISTER_LISTS = ['{r0}', '{r2-r5}', '{r0, r2, r4, r6-r8, r12}', '{r0, r2-r12}'];

export function addLoadStore(list: CaseList, isa: Isa): void {
  const file = `${isa}-loadstore`;
  const t32 = isa === 't32';
  const w = t32 ? '.w' : '';
  for (const [m, size] of [['ldr', 4], ['str', 4], ['ldrb', 1], ['strb', 1]] as const) {
    addSingle(list, file, isa, `${m}${w}`, 'r0', size, t32 ? t32Modes(size, false) : a32Modes(size, true));
  }
  for (const [m, size] of [['ldrh', 2], ['strh', 2], ['ldrsb', 1], ['ldrsh', 2]] as const) {
    addSingle(list, file, isa, `${m}${w}`, 'r0', size, t32 ? t32Modes(size, false) : a32Modes(size, false));
  }
  // A32 LDRD/STRD need an even first register and the next one (A8.8.72); T32 takes any pair.
  for (const m of ['ldrd', 'strd']) {
    addSingle(list, file, isa, m, t32 ? 'r4, r6' : 'r4, r5', 8, t32 ? t32Modes(8, true) : a32Modes(8, false));
  }

  // LDM/STM (A8.8.57 ff, A8.8.197 ff). T32 has only IA and DB, and needs two registers or more.
  const multipleFile = `${isa}-ldm-stm`;
  const modes = t32 ? ['ia', 'db'] : ['ia', 'ib', 'da', 'db'];
  const lists = t32 ? REGISTER_LISTS.slice(1) : REGISTER_LISTS;
  for (const kind of ['ldm', 'stm']) {
    for (const mode of modes) {
      for (const writeback of ['', '!']) {
        for (const regs of lists) {
          const m = `${kind}${mode}${w}`;
          const inputs: Record<string, RegisterInput> = { r1: scratchAt(64) };
          list.add(multipleFile, `${kind}${mode}${writeback}`, isa, `${m} r1${writeback}, ${regs}`, inputs, { memory: true });
        }
      }
    }
  }
  // The base in the list: LDM without writeback loads it; STM stores its original value (A8.8.199).
  list.add(multipleFile, 'ldm base in list', isa, `ldmia${w} r1, {r0-r3}`, { r1: scratchAt(64) }, { memory: true });
  list.add(multipleFile, 'ldm base in list', isa, `ldmdb${w} r1, {r0, r1, r5}`, { r1: scratchAt(64) }, { memory: true });
  list.add(multipleFile, 'stm base in list', isa, `stmia${w} r1, {r0-r3}`, { r1: scratchAt(64) }, { memory: true });
  if (!t32) list.add(multipleFile, 'stm base in list', isa, 'stmia r1!, {r1-r3}', { r1: scratchAt(64) }, { memory: true });
}
