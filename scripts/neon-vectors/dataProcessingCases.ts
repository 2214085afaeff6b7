/**
 * Advanced SIMD data-processing cases (ARM ARM A7.4): for every form and
 * element type, a few instances with random registers (D0–D31, Q0–Q15) and
 * lane values from NeonCaseList.
 */
import type { Isa, LaneKind, NeonCaseList } from './NeonCaseList.ts';

/** Operand layouts: D/Q registers by role, s = scalar, i = immediate shift. */
type Shape = 'ddd' | 'qqq' | 'qdd' | 'qqd' | 'dqq' | 'dd' | 'qq' | 'dq' | 'qd' | 'dds' | 'qqs' | 'qds' | 'ddi' | 'qqi' | 'dqi' | 'qdi';

interface Form {
  readonly file: string;
  readonly op: string;
  readonly types: readonly string[];
  readonly shapes: readonly Shape[];
  /** Immediate range for shapes with i: [min, max] as a function of the element size. */
  readonly imm?: (size: number) => [number, number];
  /** Fixed trailing operand text (e.g. '#0'). */
  readonly suffix?: string;
}

const S = ['s8', 's16', 's32'];
const U = ['u8', 'u16', 'u32'];
const SU = [...S, ...U];
const SU64 = [...S, 's64', ...U, 'u64'];
const I = ['i8', 'i16', 'i32'];
const DQ: Shape[] = ['ddd', 'qqq'];

function sizeOf(type: string): number {
  const m = /(\d+)$/.exec(type);
  return m ? Number(m[1]) : 8;
}

function kindOf(type: string): LaneKind {
  return type.startsWith('f') ? 'float' : 'int';
}

const forms: Form[] = [];
function add(file: string, ops: string[], types: readonly string[], shapes: readonly Shape[], extra: Partial<Form> = {}): void {
  for (const op of ops) forms.push({ file, op, types, shapes, ...extra });
}

// three registers of the same length (A7.4.1)
add('three-same', ['vhadd', 'vrhadd', 'vhsub', 'vmax', 'vmin', 'vabd', 'vaba', 'vcgt', 'vcge'], SU, DQ);
add('three-same', ['vqadd', 'vqsub', 'vshl', 'vqshl', 'vrshl', 'vqrshl'], SU64, DQ);
add('three-same', ['vadd', 'vsub'], [...I, 'i64'], DQ);
add('three-same', ['vtst'], ['8', '16', '32'], DQ);
add('three-same', ['vceq', 'vmla', 'vmls', 'vmul'], I, DQ);
add('three-same', ['vmul'], ['p8'], DQ);
add('three-same', ['vpadd'], I, ['ddd']);
add('three-same', ['vpmax', 'vpmin'], SU, ['ddd']);
add('three-same', ['vqdmulh', 'vqrdmulh'], ['s16', 's32'], DQ);
add('three-same', ['vand', 'vbic', 'vorr', 'vorn', 'veor', 'vbsl', 'vbit', 'vbif'], [''], DQ);
// floating point (A7.4.1, Standard FPSCR value)
add('float', ['vadd', 'vsub', 'vmul', 'vmla', 'vmls', 'vfma', 'vfms', 'vabd', 'vceq', 'vcge', 'vcgt', 'vacge', 'vacgt', 'vmax', 'vmin', 'vrecps', 'vrsqrts'], ['f32'], DQ);
add('float', ['vpadd', 'vpmax', 'vpmin'], ['f32'], ['ddd']);
add('float', ['vmla', 'vmls', 'vmul'], ['f32'], ['dds', 'qqs']);
add('float', ['vabs', 'vneg', 'vrecpe', 'vrsqrte'], ['f32'], ['dd', 'qq']);
add('float', ['vcgt', 'vcge', 'vceq', 'vcle', 'vclt'], ['f32'], ['dd', 'qq'], { suffix: '#0' });
add('float', ['vcvt.s32', 'vcvt.u32'], ['f32'], ['dd', 'qq']);
add('float', ['vcvt.f32'], ['s32', 'u32'], ['dd', 'qq']);
add('float', ['vcvt.s32', 'vcvt.u32'], ['f32'], ['ddi', 'qqi'], { imm: () => [1, 32] });
add('float', ['vcvt.f32'], ['s32', 'u32'], ['ddi', 'qqi'], { imm: () => [1, 32] });
add('float', ['vcvt.f16'], ['f32'], ['dq']);
add('float', ['vcvt.f32'], ['f16'], ['qd']);
// three registers of different lengths (A7.4.2) and by scalar (A7.4.3)
add('long', ['vaddl', 'vsubl', 'vabal', 'vabdl', 'vmlal', 'vmlsl', 'vmull'], SU, ['qdd']);
add('long', ['vaddw', 'vsubw'], SU, ['qqd']);
add('long', ['vqdmlal', 'vqdmlsl', 'vqdmull'], ['s16', 's32'], ['qdd', 'qds']);
add('long', ['vmull'], ['p8'], ['qdd']);
add('long', ['vaddhn', 'vraddhn', 'vsubhn', 'vrsubhn'], ['i16', 'i32', 'i64'], ['dqq']);
add('long', ['vmla', 'vmls', 'vmul'], ['i16', 'i32'], ['dds', 'qqs']);
add('long', ['vqdmulh', 'vqrdmulh'], ['s16', 's32'], ['dds', 'qqs']);
add('long', ['vmlal', 'vmlsl', 'vmull'], ['s16', 's32', 'u16', 'u32'], ['qds']);
// shifts by immediate (A7.4.4)
add('shift', ['vshr', 'vsra', 'vrshr', 'vrsra'], SU64, ['ddi', 'qqi'], { imm: (s) => [1, s] });
add('shift', ['vsri'], ['8', '16', '32', '64'], ['ddi', 'qqi'], { imm: (s) => [1, s] });
add('shift', ['vshl'], [...I, 'i64'], ['ddi', 'qqi'], { imm: (s) => [0, s - 1] });
add('shift', ['vsli'], ['8', '16', '32', '64'], ['ddi', 'qqi'], { imm: (s) => [0, s - 1] });
add('shift', ['vqshl'], SU64, ['ddi', 'qqi'], { imm: (s) => [0, s - 1] });
add('shift', ['vqshlu'], ['s8', 's16', 's32', 's64'], ['ddi', 'qqi'], { imm: (s) => [0, s - 1] });
add('shift', ['vshrn', 'vrshrn'], ['i16', 'i32', 'i64'], ['dqi'], { imm: (s) => [1, s / 2] });
add('shift', ['vqshrn', 'vqrshrn'], ['s16', 's32', 's64', 'u16', 'u32', 'u64'], ['dqi'], { imm: (s) => [1, s / 2] });
add('shift', ['vqshrun', 'vqrshrun'], ['s16', 's32', 's64'], ['dqi'], { imm: (s) => [1, s / 2] });
add('shift', ['vshll'], SU, ['qdi'], { imm: (s) => [1, s - 1] });
add('shift', ['vshll'], I, ['qdi'], { imm: (s) => [s, s] });
add('shift', ['vmovl'], SU, ['qd']);
// two registers, miscellaneous (A7.4.5)
add('misc', ['vrev64'], ['8', '16', '32'], ['dd', 'qq']);
add('misc', ['vrev32'], ['8', '16'], ['dd', 'qq']);
add('misc', ['vrev16'], ['8'], ['dd', 'qq']);
add('misc', ['vpaddl', 'vpadal'], SU, ['dd', 'qq']);
add('misc', ['vcls', 'vqabs', 'vqneg', 'vabs', 'vneg'], S, ['dd', 'qq']);
add('misc', ['vclz'], I, ['dd', 'qq']);
add('misc', ['vcnt'], ['8'], ['dd', 'qq']);
add('misc', ['vmvn', 'vswp'], [''], ['dd', 'qq']);
add('misc', ['vcgt', 'vcge', 'vceq', 'vcle', 'vclt'], S, ['dd', 'qq'], { suffix: '#0' });
add('misc', ['vtrn'], ['8', '16', '32'], ['dd', 'qq']);
add('misc', ['vuzp', 'vzip'], ['8', '16'], ['dd', 'qq']);
add('misc', ['vuzp', 'vzip'], ['32'], ['qq']);
add('misc', ['vmovn'], ['i16', 'i32', 'i64'], ['dq']);
add('misc', ['vqmovn'], ['s16', 's32', 's64', 'u16', 'u32', 'u64'], ['dq']);
add('misc', ['vqmovun'], ['s16', 's32', 's64'], ['dq']);
add('misc', ['vrecpe', 'vrsqrte'], ['u32'], ['dd', 'qq']);

/** Lane size of an operand in each role: narrow, wide (double) or as the type says. */
function roleSize(type: string, op: string, shape: Shape, role: number): number {
  const size = sizeOf(type);
  if (op === 'vcvt.f16') return 32;
  if (type === 'f16') return role === 0 ? 32 : 16;
  const narrowing = /hn$|^vmovn|^vqmovn|^vqmovun|shrn$|shrun$/.test(op);
  if (narrowing) return role === 0 ? size / 2 : size;
  if (shape === 'qdd' || shape === 'qds' || shape === 'qd' || shape === 'qdi') return role === 0 ? 2 * size : size;
  if (shape === 'qqd') return role === 2 ? size : 2 * size;
  return size;
}

export function addDataProcessing(list: NeonCaseList, isa: Isa, perCase: number): void {
  const r = list.random;
  for (const form of forms) {
    for (const type of form.types) {
      for (const shape of form.shapes) {
        const count = form.file === 'float' ? 4 * perCase : perCase;
        for (let k = 0; k < count; k++) {
          const d = new Map<number, [number, number]>();
          const kind = kindOf(type) === 'float' || form.op.startsWith('vcvt.s32') || form.op.startsWith('vcvt.u32') ? 'float' : 'int';
          const operands: string[] = [];
          for (let role = 0; role < shape.length; role++) {
            const letter = shape[role];
            const size = roleSize(type, form.op, shape, role);
            const laneKind: LaneKind = form.op === 'vcvt.f32' && role > 0 && type !== 'f16' ? 'int' : type === 'f16' ? 'int' : kind;
            if (letter === 'd') {
              const n = r.below(32);
              operands.push(`d${n}`);
              d.set(n, list.dValue(size, laneKind));
            } else if (letter === 'q') {
              const n = r.below(16);
              operands.push(`q${n}`);
              d.set(2 * n, list.dValue(size, laneKind));
              d.set(2 * n + 1, list.dValue(size, laneKind));
            } else if (letter === 's') {
              const scalarSize = sizeOf(type);
              const n = scalarSize === 16 ? r.below(8) : r.below(16);
              const index = r.below(scalarSize === 16 ? 4 : 2);
              operands.push(`d${n}[${index}]`);
              d.set(n, list.dValue(scalarSize, laneKind));
            } else {
              const [lo, hi] = form.imm!(sizeOf(type));
              operands.push(`#${lo + r.below(hi - lo + 1)}`);
            }
          }
          if (form.suffix) operands.push(form.suffix);
          const mnemonic = type === '' ? form.op : `${form.op}.${type}`;
          list.add({
            file: form.file,
            cls: `${mnemonic} ${shape}`,
            isa,
            asm: `${mnemonic} ${operands.join(', ')}`,
            registers: Array.from({ length: 13 }, () => r.next()),
            fpscr: list.fpscr(),
            d,
            memory: null,
          });
        }
      }
    }
  }
}
