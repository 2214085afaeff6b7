import type { TraceOptions } from '../../src/machine/Trace.ts';
import type { ArmProbe } from './ArmProbe.ts';
import { disassembleA32 } from './disasm/A32Disassembler.ts';
import { disassembleThumb } from './disasm/ThumbDisassembler.ts';

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

/**
 * An ArmProbe that writes the trace kinds the user asked for as text lines:
 *   [cpu0] 40100124 <main+0x4>  e59f0010  ldr r0, [pc, #16]
 *   [cpu0] exception svc from 40100130 to vector 00000008
 *   [cpu0] undefined instruction e7f000f0 at 40100200 <boot+0x10>: udf #0
 */
export function armTraceProbe(cpuName: string, options: TraceOptions): ArmProbe {
  const { kinds, sink, symbolize } = options;
  const at = (pc: number) => {
    const s = symbolize?.(pc);
    return s ? `${hex8(pc)} <${s}>` : hex8(pc);
  };
  // Thumb encodings arrive as one halfword, or as hw1:hw2 (first halfword on top) for 32-bit ones.
  const text = (pc: number, encoding: number, thumb: boolean) =>
    !thumb ? disassembleA32(encoding, pc, symbolize)
    : encoding > 0xffff ? disassembleThumb(encoding >>> 16, encoding & 0xffff, pc, symbolize).text
    : disassembleThumb(encoding, 0, pc, symbolize).text;
  const enc = (encoding: number, thumb: boolean) =>
    thumb && encoding <= 0xffff ? encoding.toString(16).padStart(4, '0') : hex8(encoding);
  return {
    traceInstructions: kinds.has('insn'),
    instruction(pc, encoding, thumb) {
      sink(`[${cpuName}] ${at(pc)}  ${enc(encoding, thumb)}  ${text(pc, encoding, thumb)}`);
    },
    undefinedInstruction(pc, encoding, thumb) {
      if (kinds.has('undef')) sink(`[${cpuName}] undefined instruction ${enc(encoding, thumb)} at ${at(pc)}: ${text(pc, encoding, thumb)}`);
    },
    exception(kind, fromPc, vector) {
      if (kinds.has('exc')) sink(`[${cpuName}] exception ${kind} from ${at(fromPc)} to vector ${hex8(vector)}`);
    },
  };
}
