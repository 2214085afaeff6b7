/**
 * Cases for VEXT, VTBL/VTBX, VDUP (scalar and core register), VMOV between a
 * scalar and a core register (A7.4, A7.8), and the modified-immediate forms
 * VMOV/VMVN/VORR/VBIC (A7.4.6).
 */
import type { Isa, NeonCaseList } from './NeonCaseList.ts';

function registers(list: NeonCaseList): number[] {
  return Array.from({ length: 13 }, () => list.random.next());
}

export function addLaneMoves(list: NeonCaseList, isa: Isa, perCase: number): void {
  const r = list.random;
  const push = (cls: string, asm: string, d: Map<number, [number, number]>, regs = registers(list)) =>
    list.add({ file: 'lanes', cls, isa, asm, registers: regs, fpscr: 0, d, memory: null });
  for (let k = 0; k < perCase * 8; k++) {
    // VEXT
    {
      const q = r.below(2) === 1;
      const size = r.pick([8, 16, 32]);
      const bytes = q ? 16 : 8;
      const imm = r.below(bytes / (size / 8));
      const regs = [r.below(q ? 16 : 32), r.below(q ? 16 : 32), r.below(q ? 16 : 32)];
      const d = new Map<number, [number, number]>();
      for (const x of regs) {
        if (q) {
          d.set(2 * x, list.dValue(8, 'int'));
          d.set(2 * x + 1, list.dValue(8, 'int'));
        } else d.set(x, list.dValue(8, 'int'));
      }
      const p = q ? 'q' : 'd';
      push(`vext.${size} ${p}`, `vext.${size} ${p}${regs[0]}, ${p}${regs[1]}, ${p}${regs[2]}, #${imm}`, d);
    }
    // VTBL / VTBX: indices partly in range, partly beyond the table
    for (const op of ['vtbl', 'vtbx']) {
      const length = 1 + r.below(4);
      const first = r.below(32 - length + 1);
      const dd = r.below(32);
      const m = r.below(32);
      const d = new Map<number, [number, number]>();
      for (let x = 0; x < length; x++) d.set(first + x, list.dValue(8, 'int'));
      d.set(dd, list.dValue(8, 'int'));
      let lo = 0;
      let hi = 0;
      for (let b = 0; b < 4; b++) {
        lo |= (r.below(3) === 0 ? r.below(256) : r.below(8 * length + 2)) << (8 * b);
        hi |= (r.below(3) === 0 ? r.below(256) : r.below(8 * length + 2)) << (8 * b);
      }
      d.set(m, [lo >>> 0, hi >>> 0]);
      const table = length === 1 ? `d${first}` : `d${first}-d${first + length - 1}`;
      push(`${op}.8 ${length}`, `${op}.8 d${dd}, {${table}}, d${m}`, d);
    }
    // VDUP (scalar)
    {
      const size = r.pick([8, 16, 32]);
      const q = r.below(2) === 1;
      const dd = q ? r.below(16) : r.below(32);
      const m = r.below(32);
      const d = new Map<number, [number, number]>([[m, list.dValue(size, 'int')]]);
      push(`vdup.${size} scalar`, `vdup.${size} ${q ? 'q' : 'd'}${dd}, d${m}[${r.below(64 / size)}]`, d);
    }
    // VDUP (core register)
    {
      const size = r.pick([8, 16, 32]);
      const q = r.below(2) === 1;
      const dd = q ? r.below(16) : r.below(32);
      push(`vdup.${size} core`, `vdup.${size} ${q ? 'q' : 'd'}${dd}, r${r.below(13)}`, new Map());
    }
    // VMOV scalar <-> core register
    {
      const size = r.pick([8, 16, 32]);
      const dd = r.below(32);
      const index = r.below(64 / size);
      const d = new Map<number, [number, number]>([[dd, list.dValue(size, 'int')]]);
      push(`vmov.${size} to scalar`, `vmov.${size} d${dd}[${index}], r${r.below(13)}`, d);
      const type = size === 32 ? '32' : r.pick([`s${size}`, `u${size}`]);
      push(`vmov.${type} from scalar`, `vmov.${type} r${r.below(13)}, d${dd}[${index}]`, new Map(d));
    }
  }
}

/** Immediates every form can encode (A7.4.6 cmode table). */
function immediate(list: NeonCaseList, type: string): string {
  const r = list.random;
  const byte = r.below(256);
  switch (type) {
    case 'i8': return `#${byte}`;
    case 'i16': return `#0x${(byte << (8 * r.below(2))).toString(16)}`;
    case 'i32': {
      const shape = r.below(6);
      const v = shape < 4 ? byte << (8 * shape) : shape === 4 ? (byte << 8) | 0xff : (byte << 16) | 0xffff;
      return `#0x${(v >>> 0).toString(16)}`;
    }
    case 'i64': {
      let hex = '';
      for (let k = 0; k < 8; k++) hex += r.below(2) ? 'ff' : '00';
      return `#0x${hex}`;
    }
    default: {
      // VFPExpandImm values: ±(16..31)/16 × 2^(−3..4)
      const v = ((16 + r.below(16)) / 16) * 2 ** (r.below(8) - 3) * (r.below(2) ? -1 : 1);
      return `#${Number.isInteger(v) ? v.toFixed(1) : v}`;
    }
  }
}

export function addImmediates(list: NeonCaseList, isa: Isa, perCase: number): void {
  const r = list.random;
  const forms: [string, string[]][] = [
    ['vmov', ['i8', 'i16', 'i32', 'i64', 'f32']],
    ['vmvn', ['i16', 'i32']],
    ['vorr', ['i16', 'i32']],
    ['vbic', ['i16', 'i32']],
  ];
  for (const [op, types] of forms) {
    for (const type of types) {
      for (let k = 0; k < perCase * 2; k++) {
        const q = r.below(2) === 1;
        const dd = q ? r.below(16) : r.below(32);
        const d = new Map<number, [number, number]>();
        if (q) {
          d.set(2 * dd, list.dValue(32, 'int'));
          d.set(2 * dd + 1, list.dValue(32, 'int'));
        } else d.set(dd, list.dValue(32, 'int'));
        let imm = immediate(list, type);
        // VORR/VBIC only take the shifted forms (no trailing ones).
        if ((op === 'vorr' || op === 'vbic') && type === 'i32') imm = `#0x${((r.below(255) + 1) << (8 * r.below(4))) >>> 0}`.replace('#0x', '#');
        if ((op === 'vorr' || op === 'vbic') && type === 'i16') imm = `#${(r.below(255) + 1) << (8 * r.below(2))}`;
        list.add({
          file: 'immediate', cls: `${op}.${type}`, isa, asm: `${op}.${type} ${q ? 'q' : 'd'}${dd}, ${imm}`,
          registers: registers(list), fpscr: 0, d, memory: null,
        });
      }
    }
  }
}
