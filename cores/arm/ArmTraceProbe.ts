import { traceStamp, type TraceOptions } from '../../src/machine/Trace.ts';
import type { ArmCpu } from './ArmCpu.ts';
import type { ArmProbe } from './ArmProbe.ts';
import { ArmMode } from './ArmState.ts';
import { currentInstructionAddress } from './Exceptions.ts';
import { disassembleA32 } from './disasm/A32Disassembler.ts';
import { disassembleThumb } from './disasm/ThumbDisassembler.ts';

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;

/** "0x48", "0x0048", "0x00000048": a value as wide as its access. */
export function sizedHex(value: number, size: number): string {
  return `0x${(value >>> 0).toString(16).padStart(2 * size, '0')}`;
}

/**
 * An ArmProbe that writes the trace kinds the user asked for as text lines.
 * insn, exc and undef lines keep their short form:
 *   [cpu0] 40100124 <main+0x4>  e59f0010  ldr r0, [pc, #16]
 *   [cpu0] exception svc from 40100130 to vector 00000008
 *   [cpu0] undefined instruction e7f000f0 at 40100200 <boot+0x10>: udf #0
 * the others carry the virtual time (ns) and key=value fields:
 *   [cpu0] t=1520 mem write size=4 va=0x40100ff0 pa=0x40100ff0 value=0x00000000 pc=0x40100104 <main+0x4>
 *   [cpu0] t=2210 irq taken pc=0x40100200 <wait+0x8> vector=0x40100018
 *   [cpu0] t=900 mmu walk va=0x40100000 pa=0x40100000 level=1
 *   [cpu0] t=950 mmu TTBR0 = 0x40104000
 *   [cpu0] t=990 mmu data-abort DFSR=0x00000805 DFAR=0x80000000 pc=0x40100140 <probe+0x10>
 */
export function armTraceProbe(cpu: ArmCpu, options: TraceOptions): ArmProbe {
  const { kinds, sink, symbolize } = options;
  const name = options.name ?? cpu.name;
  const now = options.now ?? (() => cpu.nowNs());
  const at = (pc: number) => {
    const s = symbolize?.(pc);
    return s ? `${hex8(pc)} <${s}>` : hex8(pc);
  };
  const pcField = (pc: number) => {
    const s = symbolize?.(pc >>> 0);
    return s ? `pc=${hex(pc)} <${s}>` : `pc=${hex(pc)}`;
  };
  const stamped = (text: string) => sink(`[${name}] ${traceStamp(now())} ${text}`);
  // Thumb encodings arrive as one halfword, or as hw1:hw2 (first halfword on top) for 32-bit ones.
  const text = (pc: number, encoding: number, thumb: boolean) =>
    !thumb ? disassembleA32(encoding, pc, symbolize)
    : encoding > 0xffff ? disassembleThumb(encoding >>> 16, encoding & 0xffff, pc, symbolize).text
    : disassembleThumb(encoding, 0, pc, symbolize).text;
  const enc = (encoding: number, thumb: boolean) =>
    thumb && encoding <= 0xffff ? encoding.toString(16).padStart(4, '0') : hex8(encoding);
  const insn = kinds.has('insn');
  const mem = kinds.has('mem');
  const mmu = kinds.has('mmu');
  return {
    traceInstructions: insn,
    // Data and device traces name the instruction making the access: that needs the interpreter's exact pc.
    stepwise: insn || mem || kinds.has('mmio'),
    traceData: mem,
    traceMmu: mmu,
    instruction(pc, encoding, thumb) {
      sink(`[${name}] ${at(pc)}  ${enc(encoding, thumb)}  ${text(pc, encoding, thumb)}`);
    },
    undefinedInstruction(pc, encoding, thumb) {
      if (kinds.has('undef')) sink(`[${name}] undefined instruction ${enc(encoding, thumb)} at ${at(pc)}: ${text(pc, encoding, thumb)}`);
    },
    exception(kind, fromPc, vector) {
      options.onException?.(kind, fromPc, vector);
      if (kinds.has('exc')) sink(`[${name}] exception ${kind} from ${at(fromPc)} to vector ${hex8(vector)}`);
      if ((kind === 'irq' || kind === 'fiq') && kinds.has('irq')) stamped(`irq taken exception=${kind} ${pcField(fromPc)} vector=${hex(vector)}`);
      if (mmu && (kind === 'data-abort' || kind === 'prefetch-abort')) stamped(`mmu ${kind} ${faultRegisters(cpu, kind)} ${pcField(fromPc)}`);
    },
    dataAccess(va, pa, size, value, write) {
      stamped(`mem ${write ? 'write' : 'read'} size=${size} va=${hex(va)} pa=${hex(pa)} value=${sizedHex(value, size)} ${pcField(currentInstructionAddress(cpu))}`);
    },
    tableWalk(va, pa, level, hyp) {
      const regime = hyp ? ' regime=hyp' : '';
      stamped(pa < 0 ? `mmu walk va=${hex(va)} fault level=${level}${regime}` : `mmu walk va=${hex(va)} pa=${hex(pa)} level=${level}${regime}`);
    },
    systemRegisterWrite(register, low, high) {
      if (register.includes('TLBI')) stamped(`mmu ${register} ${hex(low)}`);
      else if (register === 'CONTEXTIDR') stamped(`mmu CONTEXTIDR = ${hex(low)} asid=${low & 0xff}`);
      else if (/TTBR/.test(register) && high !== 0) stamped(`mmu ${register} = ${hex(high)}${hex8(low)} asid=${(high >>> 16) & 0xff}`);
      else stamped(`mmu ${register} = ${hex(low)}`);
    },
  };
}

/**
 * The fault status and address registers the abort entry just wrote: DFSR/DFAR
 * or IFSR/IFAR in Abort mode (B4.1.52, B4.1.96), HSR with HDFAR/HIFAR and
 * HPFAR when it went to Hyp mode or to the host hypervisor (B3.13.6).
 */
function faultRegisters(cpu: ArmCpu, kind: string): string {
  const s = cpu.sys;
  const data = kind === 'data-abort';
  if (cpu.mode === ArmMode.Abt) {
    return data ? `DFSR=0x${hex8(s.dfsr)} DFAR=${hex(s.dfar)}` : `IFSR=0x${hex8(s.ifsr)} IFAR=${hex(s.ifar)}`;
  }
  return `HSR=${hex(s.hsr)} ${data ? `HDFAR=${hex(s.hdfar)}` : `HIFAR=${hex(s.hifar)}`} HPFAR=${hex(s.hpfar)}`;
}
