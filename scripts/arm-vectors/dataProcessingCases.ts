/**
 * Integer data-processing instructions (ARM ARM DDI 0406C A5.2 / A6.3.1):
 * immediate, register shifted by an immediate, and (A32 only) register
 * shifted by a register, each with and without S, plus the condition codes.
 */
import type { CaseList, Isa } from './CaseList.ts';

type Shape = 'rd-rn' | 'rd' | 'rn';

interface Operation {
  readonly name: string;
  readonly shape: Shape;
  /** Also has a flag-setting form written with an S suffix (compares always set flags). */
  readonly s: boolean;
}

const COMMON: readonly Operation[] = [
  { name: 'and', shape: 'rd-rn', s: true },
  { name: 'eor', shape: 'rd-rn', s: true },
  { name: 'sub', shape: 'rd-rn', s: true },
  { name: 'rsb', shape: 'rd-rn', s: true },
  { name: 'add', shape: 'rd-rn', s: true },
  { name: 'adc', shape: 'rd-rn', s: true },
  { name: 'sbc', shape: 'rd-rn', s: true },
  { name: 'orr', shape: 'rd-rn', s: true },
  { name: 'bic', shape: 'rd-rn', s: true },
  { name: 'mov', shape: 'rd', s: true },
  { name: 'mvn', shape: 'rd', s: true },
  { name: 'tst', shape: 'rn', s: false },
  { name: 'teq', shape: 'rn', s: false },
  { name: 'cmp', shape: 'rn', s: false },
  { name: 'cmn', shape: 'rn', s: false },
];

const A32_ONLY: readonly Operation[] = [{ name: 'rsc', shape: 'rd-rn', s: true }];
const T32_ONLY: readonly Operation[] = [{ name: 'orn', shape: 'rd-rn', s: true }];

/** Modified immediate constants (A5.2.4 for A32, A6.3.2 for T32), some with a rotation that sets the carry. */
const A32_IMMEDIATES = [0, 1, 0xff, 0x104, 0x3fc, 0xab000000, 0x80000000, 0xf000000f, 0xc000003f, 0x00ab0000, 0xff000000, 0x2];
const T32_IMMEDIATES = [0, 1, 0xff, 0x00ab00ab, 0xab00ab00, 0xabababab, 0x80000000, 0x3fc00, 0xff000000, 0x7f800000, 0x55, 0x1fe];

/** Shifts by an immediate, with the amounts that are edges of DecodeImmShift (A8.4.1). */
const IMMEDIATE_SHIFTS = [
  '', ', lsl #1', ', lsl #31', ', lsr #1', ', lsr #31', ', lsr #32',
  ', asr #1', ', asr #31', ', asr #32', ', ror #1', ', ror #31', ', rrx',
];

/** Register shift amounts: only the bottom byte counts (A8.4.3). */
const REGISTER_AMOUNTS = [0, 1, 31, 32, 33, 255, 0x100, 0x1020];

const hex = (v: number) => `#0x${v.toString(16)}`;

function operands(op: Operation, operand2: string): string {
  switch (op.shape) {
    case 'rd-rn': return `r0, r1, ${operand2}`;
    case 'rd': return `r0, ${operand2}`;
    case 'rn': return `r1, ${operand2}`;
  }
}

function mnemonics(op: Operation, wide: boolean): string[] {
  const w = wide ? '.w' : '';
  return op.s ? [`${op.name}${w}`, `${op.name}s${w}`] : [`${op.name}${w}`];
}

export function addDataProcessing(list: CaseList, isa: Isa): void {
  const rnd = list.random;
  const t32 = isa === 't32';
  const ops = [...COMMON, ...(t32 ? T32_ONLY : A32_ONLY)];
  const immediates = t32 ? T32_IMMEDIATES : A32_IMMEDIATES;
  const file = `${isa}-dp`;

  for (const op of ops) {
    for (const m of mnemonics(op, t32)) {
      const flags = op.shape === 'rn' || m.startsWith(`${op.name}s`);
      // Immediate operand.
      const immCount = flags ? 6 : 3;
      for (let i = 0; i < immCount; i++) {
        const imm = rnd.choose(immediates);
        list.add(`${file}-imm`, `${m} imm`, isa, `${m} ${operands(op, hex(imm))}`, { r1: rnd.word() });
      }
      // Register shifted by an immediate (all shift kinds: the carry-out differs for each).
      for (const shift of IMMEDIATE_SHIFTS) {
        // T32 writes MOV with a shift as the shift instruction (covered below).
        if (t32 && op.name === 'mov' && shift !== '' && shift !== ', rrx') continue;
        const group = `${m} reg${shift === '' ? '' : shift.replace(/#\d+/, '#n').replace(', ', ' ')}`;
        list.add(`${file}-reg`, group, isa, `${m} ${operands(op, `r2${shift}`)}`, { r1: rnd.word(), r2: rnd.word() });
      }
      // Register shifted by a register: A32 only (T32 has separate shift instructions).
      if (!t32) {
        for (const kind of ['lsl', 'lsr', 'asr', 'ror']) {
          const amounts = flags ? REGISTER_AMOUNTS : [rnd.choose(REGISTER_AMOUNTS), rnd.choose(REGISTER_AMOUNTS), rnd.next() & 0x3f];
          for (const amount of amounts) {
            list.add(`${file}-rsr`, `${m} reg ${kind} Rs`, isa, `${m} ${operands(op, `r2, ${kind} r3`)}`, { r1: rnd.word(), r2: rnd.word(), r3: amount });
          }
        }
      }
    }
  }

  // Carry in: add/subtract with carry on the operand pairs where the carry decides the result.
  const carryOps = t32 ? ['adc.w', 'adcs.w', 'sbc.w', 'sbcs.w'] : ['adc', 'adcs', 'sbc', 'sbcs', 'rsc', 'rscs'];
  const pairs: Array<[number, number]> = [[0xffffffff, 0], [0x7fffffff, 0], [0x80000000, 0], [0, 0], [0x80000000, 0x7fffffff], [0, 0xffffffff]];
  for (const m of carryOps) {
    for (const [a, b] of pairs) {
      for (const carry of [0, 0x20000000]) {
        list.add(`${file}-reg`, `${m} carry-in`, isa, `${m} r0, r1, r2`, { r1: a, r2: b }, { apsr: carry | (rnd.apsr() & 0xd80f0000) });
      }
    }
  }

  if (t32) {
    // Plain 12-bit immediates (ADDW/SUBW, A8.8.4 T4 / A8.8.222 T4), never setting flags.
    for (const m of ['addw', 'subw']) {
      for (const imm of [0, 1, 0xfff, 0x800, 0x123]) list.add(`${file}-imm`, `${m}`, isa, `${m} r0, r1, ${hex(imm)}`, { r1: rnd.word() });
    }
    // Shifts as instructions: by an immediate and by a register (A8.8.94 ff).
    for (const kind of ['lsl', 'lsr', 'asr', 'ror']) {
      for (const s of ['', 's']) {
        const m = `${kind}${s}.w`;
        for (const amount of REGISTER_AMOUNTS) list.add(`${file}-reg`, `${m} Rs`, isa, `${m} r0, r1, r2`, { r1: rnd.word(), r2: amount });
        const imms = kind === 'lsl' ? [1, 31] : kind === 'ror' ? [1, 31] : [1, 31, 32];
        for (const imm of imms) list.add(`${file}-reg`, `${m} #n`, isa, `${m} r0, r1, #${imm}`, { r1: rnd.word() });
      }
    }
    for (const m of ['rrx', 'rrxs']) {
      for (let i = 0; i < 4; i++) list.add(`${file}-reg`, m, isa, `${m} r0, r1`, { r1: rnd.word() });
    }
  }

  // A32 immediates written as imm8 and an explicit rotation: a non-zero
  // rotation gives the shifter carry-out = bit 31 even for a value that a
  // zero rotation could also encode (ARMExpandImm_C, A5.2.4).
  if (!t32) {
    for (const m of ['movs', 'mvns', 'ands', 'orrs', 'eors', 'bics', 'tst', 'teq']) {
      for (const [imm8, rot] of [[4, 2], [0, 2], [0x3f, 30], [0x80, 2], [0xff, 4]]) {
        const op = ops.find((o) => m.startsWith(o.name));
        if (op === undefined) throw new Error(`no operation for ${m}`);
        list.add(`${file}-imm`, `${m} imm rotated`, isa, `${m} ${operands(op, `#${imm8}, ${rot}`)}`, { r1: rnd.word() });
      }
    }
  }

  // Condition codes (A8.3): every condition on random flags, passing or not.
  const conds = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le'];
  if (!t32) {
    for (const c of conds) {
      for (let i = 0; i < 4; i++) {
        list.add(`${file}-reg`, `condition ${c}`, isa, `add${c} r0, r1, r2`, { r1: rnd.word(), r2: rnd.word() }, { apsr: (i << 30) | (rnd.apsr() & 0x3fffffff) });
      }
    }
  }
}
