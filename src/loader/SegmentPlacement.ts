import type { PhysicalBus } from '../machine/PhysicalBus.ts';
import { hexRange, imageError, type ImageSource } from './ImageSource.ts';

/** A piece of an image to copy into physical memory. */
export interface PlacedSegment {
  /** Name for messages: "segment 2", "raw image". */
  readonly label: string;
  readonly physAddr: number;
  readonly memSize: number;
}

/**
 * True when [start, start + size) is entirely RAM or ROM (possibly several
 * adjacent regions). MMIO and holes do not count: firmware bytes written
 * there would go nowhere or reach a device.
 */
export function isBackedByMemory(bus: PhysicalBus, start: number, size: number): boolean {
  const end = start + size;
  let addr = start;
  while (addr < end) {
    const region = bus.memoryAt(addr);
    if (region === null) return false;
    addr = region.base + region.size;
  }
  return true;
}

/** Checks every segment lies in RAM/ROM and that no two overlap; throws an InputError naming the ranges. */
export function checkPlacement(bus: PhysicalBus, segments: readonly PlacedSegment[], source: ImageSource): void {
  const used = segments.filter((s) => s.memSize > 0);
  for (const s of used) {
    bus.materializeMemory?.(s.physAddr, s.memSize);
    if (!isBackedByMemory(bus, s.physAddr, s.memSize)) {
      throw imageError(
        source,
        `${s.label} at physical ${hexRange(s.physAddr, s.memSize)} is outside the board's RAM and ROM ` +
          `(${describeMemory(bus)})`,
      );
    }
  }
  const sorted = [...used].sort((a, b) => a.physAddr - b.physAddr);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const next = sorted[i]!;
    if (next.physAddr < prev.physAddr + prev.memSize) {
      throw imageError(
        source,
        `${prev.label} (${hexRange(prev.physAddr, prev.memSize)}) and ${next.label} ` +
          `(${hexRange(next.physAddr, next.memSize)}) overlap`,
      );
    }
  }
}

function describeMemory(bus: PhysicalBus): string {
  const memory = bus.regions().filter((r) => r.kind !== 'mmio');
  if (memory.length === 0) return 'the board has none';
  return memory.map((r) => `${r.kind} ${r.name} ${hexRange(r.base, r.size)}`).join(', ');
}
