import type { BuiltMachine } from '../../board/MachineBuilder.ts';
import type { PhysicalBus } from '../../machine/PhysicalBus.ts';

const hex = (n: number) => `0x${n.toString(16)}`;

/**
 * Why a register cannot be read on this board, and which attribute is wrong (no such core,
 * no such register name); undefined when `getRegister` knows it.
 */
export function registerProblem(built: BuiltMachine, cpu: number, name: string): { readonly message: string; readonly wrong: 'cpu' | 'name' } | undefined {
  const core = built.cpus[cpu];
  if (core === undefined) {
    return { message: `the board has no core ${cpu} (it has ${built.cpus.length}: ${built.cpus.map((c) => c.index).join(', ')})`, wrong: 'cpu' };
  }
  try {
    core.getRegister(name);
    return undefined;
  } catch {
    return { message: `${core.name} has no register '${name}' (its registers: ${core.registerNames().join(' ')})`, wrong: 'name' };
  }
}

/**
 * Why `length` bytes at physical `address` cannot be read without touching a device, or
 * undefined when they all lie in RAM or ROM. Device registers are not read: a read can
 * change them (a UART's data register, read-to-clear status bits).
 */
export function memoryProblem(bus: PhysicalBus, address: number, length: number): string | undefined {
  let at = address;
  const end = address + length;
  while (at < end) {
    const region = bus.memoryAt(at);
    if (region === null) {
      const other = bus.regionAt(at);
      return other === null
        ? `nothing is mapped at ${hex(at)}`
        : `${hex(at)} is in the registers of device "${other.name}"; expect-memory reads RAM and ROM only, since reading a device register can change it`;
    }
    at = region.base + region.size;
  }
  return undefined;
}

/** `length` bytes of RAM/ROM at physical `address`, read as a debugger does: no device sees it. */
export function readMemory(bus: PhysicalBus, address: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; ) {
    const region = bus.memoryAt(address + i)!;
    const offset = address + i - region.base;
    const n = Math.min(length - i, region.size - offset);
    out.set(region.bytes.subarray(offset, offset + n), i);
    i += n;
  }
  return out;
}

/** Bytes in memory order as a number, in the bus's byte order. */
export function bytesAsValue(bytes: Uint8Array, littleEndian: boolean): bigint {
  let v = 0n;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[littleEndian ? bytes.length - 1 - i : i]!;
    v = (v << 8n) | BigInt(b);
  }
  return v;
}
