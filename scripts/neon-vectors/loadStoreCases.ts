/**
 * VLD1–VLD4 / VST1–VST4 cases (A7.7): every structure count, register
 * list shape (spacing 1 or 2), element size, single-lane and all-lanes
 * forms, with and without alignment qualifiers, and the three writeback
 * forms ([r0], [r0]!, [r0], r1). The base register points into the
 * harness's 128-byte scratch buffer: aligned to the qualifier when one is
 * given, otherwise often misaligned (element accesses are MemU).
 */
import type { Isa, NeonCaseList } from './NeonCaseList.ts';

interface Shape {
  readonly op: string;
  readonly sizes: readonly number[];
  /** Register list for the first register d. */
  readonly list: (d: number, size: number, lane: number) => string;
  readonly span: number;
  readonly aligns: readonly number[];
  readonly lanes?: boolean;
  readonly loadOnly?: boolean;
}

const range = (d: number, n: number) => (n === 1 ? `d${d}` : `d${d}-d${d + n - 1}`);
const spaced = (d: number, n: number, inc: number, suffix: string) =>
  Array.from({ length: n }, (_, k) => `d${d + k * inc}${suffix}`).join(', ');

const shapes: Shape[] = [
  { op: '1', sizes: [8, 16, 32, 64], list: (d) => range(d, 1), span: 1, aligns: [64] },
  { op: '1', sizes: [8, 16, 32, 64], list: (d) => range(d, 2), span: 2, aligns: [64, 128] },
  { op: '1', sizes: [8, 16, 32, 64], list: (d) => range(d, 3), span: 3, aligns: [64] },
  { op: '1', sizes: [8, 16, 32, 64], list: (d) => range(d, 4), span: 4, aligns: [64, 128, 256] },
  { op: '2', sizes: [8, 16, 32], list: (d) => spaced(d, 2, 1, ''), span: 2, aligns: [64, 128] },
  { op: '2', sizes: [8, 16, 32], list: (d) => spaced(d, 2, 2, ''), span: 3, aligns: [64, 128] },
  { op: '2', sizes: [8, 16, 32], list: (d) => range(d, 4), span: 4, aligns: [64, 128, 256] },
  { op: '3', sizes: [8, 16, 32], list: (d) => spaced(d, 3, 1, ''), span: 3, aligns: [64] },
  { op: '3', sizes: [8, 16, 32], list: (d) => spaced(d, 3, 2, ''), span: 5, aligns: [64] },
  { op: '4', sizes: [8, 16, 32], list: (d) => spaced(d, 4, 1, ''), span: 4, aligns: [64, 128, 256] },
  { op: '4', sizes: [8, 16, 32], list: (d) => spaced(d, 4, 2, ''), span: 7, aligns: [64, 128, 256] },
  // single lane
  { op: '1', sizes: [8, 16, 32], list: (d, _s, l) => `d${d}[${l}]`, span: 1, aligns: [], lanes: true },
  { op: '2', sizes: [8, 16, 32], list: (d, _s, l) => spaced(d, 2, 1, `[${l}]`), span: 2, aligns: [], lanes: true },
  { op: '2', sizes: [16, 32], list: (d, _s, l) => spaced(d, 2, 2, `[${l}]`), span: 3, aligns: [], lanes: true },
  { op: '3', sizes: [8, 16, 32], list: (d, _s, l) => spaced(d, 3, 1, `[${l}]`), span: 3, aligns: [], lanes: true },
  { op: '3', sizes: [16, 32], list: (d, _s, l) => spaced(d, 3, 2, `[${l}]`), span: 5, aligns: [], lanes: true },
  { op: '4', sizes: [8, 16, 32], list: (d, _s, l) => spaced(d, 4, 1, `[${l}]`), span: 4, aligns: [], lanes: true },
  { op: '4', sizes: [16, 32], list: (d, _s, l) => spaced(d, 4, 2, `[${l}]`), span: 7, aligns: [], lanes: true },
  // all lanes
  { op: '1', sizes: [8, 16, 32], list: (d) => `d${d}[]`, span: 1, aligns: [], loadOnly: true },
  { op: '1', sizes: [8, 16, 32], list: (d) => `d${d}[], d${d + 1}[]`, span: 2, aligns: [], loadOnly: true },
  { op: '2', sizes: [8, 16, 32], list: (d) => spaced(d, 2, 1, '[]'), span: 2, aligns: [], loadOnly: true },
  { op: '2', sizes: [8, 16, 32], list: (d) => spaced(d, 2, 2, '[]'), span: 3, aligns: [], loadOnly: true },
  { op: '3', sizes: [8, 16, 32], list: (d) => spaced(d, 3, 1, '[]'), span: 3, aligns: [], loadOnly: true },
  { op: '3', sizes: [8, 16, 32], list: (d) => spaced(d, 3, 2, '[]'), span: 5, aligns: [], loadOnly: true },
  { op: '4', sizes: [8, 16, 32], list: (d) => spaced(d, 4, 1, '[]'), span: 4, aligns: [], loadOnly: true },
  { op: '4', sizes: [8, 16, 32], list: (d) => spaced(d, 4, 2, '[]'), span: 7, aligns: [], loadOnly: true },
];

/**
 * The alignment qualifiers (in bits) the single-lane and all-lanes forms
 * accept, the same for both (A8.8.322–A8.8.331): VLD1 the element size (not
 * for bytes), VLD2 two elements, VLD3 none, VLD4 four elements (64 or 128
 * for words).
 */
function laneAlignment(op: string, size: number): number[] {
  switch (Number(op)) {
    case 1: return size === 8 ? [] : [size];
    case 2: return [2 * size];
    case 3: return [];
    default: return size === 32 ? [64, 128] : [4 * size];
  }
}

export function addLoadStore(list: NeonCaseList, isa: Isa, perCase: number): void {
  const r = list.random;
  for (const shape of shapes) {
    for (const size of shape.sizes) {
      for (const load of shape.loadOnly ? [true] : [true, false]) {
        for (let k = 0; k < perCase; k++) {
          const allLanes = shape.loadOnly === true;
          const dFirst = r.below(32 - shape.span + 1);
          const lane = r.below(64 / size);
          const aligns = shape.lanes || allLanes ? laneAlignment(shape.op, size) : shape.aligns;
          const align = aligns.length > 0 && r.below(2) === 1 ? r.pick(aligns) : 0;
          // Base offset: aligned to the qualifier, else anything that keeps the transfer inside the buffer.
          const offset = align ? (align / 8) * r.below(Math.max(1, 64 / (align / 8))) : r.below(64);
          const writeback = r.below(3);
          const registers: (number | string)[] = Array.from({ length: 13 }, () => r.next());
          registers[0] = `scratch+${offset}`;
          registers[1] = (r.below(64) - 32) | 0;
          const address = `[r0${align ? `:${align}` : ''}]${writeback === 1 ? '!' : writeback === 2 ? ', r1' : ''}`;
          const d = new Map<number, [number, number]>();
          for (let x = dFirst; x < dFirst + shape.span; x++) d.set(x, list.dValue(size, 'int'));
          const memory = Array.from({ length: 128 }, () => r.below(256));
          const op = `${load ? 'vld' : 'vst'}${shape.op}.${size}`;
          const kind = shape.lanes ? 'lane' : allLanes ? 'all lanes' : 'multiple';
          list.add({
            file: 'load-store',
            cls: `${op} ${kind} ${shape.span}`,
            isa,
            asm: `${op} {${shape.list(dFirst, size, lane)}}, ${address}`,
            registers,
            fpscr: 0,
            d,
            memory,
          });
        }
      }
    }
  }
}
