import type { MemoryRegion, PhysicalBus, Region } from '../../src/machine/PhysicalBus.ts';

/**
 * A PhysicalBus with RAM and ROM only, for loader tests: the loader needs
 * regions, memoryAt, loadBytes and readBytes. Word accesses are composed from
 * bytes in the bus's byte order; unmapped accesses record a bus error.
 */
export class MemoryOnlyBus implements PhysicalBus {
  private readonly memory: MemoryRegion[] = [];
  readonly busErrors: number[] = [];

  constructor(readonly littleEndian: boolean) {}

  add(kind: 'ram' | 'rom', name: string, base: number, size: number, fill = 0): MemoryRegion {
    const bytes = new Uint8Array(size).fill(fill);
    const region: MemoryRegion = { kind, name, base, size, bytes, codePages: new Uint8Array(Math.ceil(size / 4096)) };
    this.memory.push(region);
    this.memory.sort((a, b) => a.base - b.base);
    return region;
  }

  memoryAt(addr: number): MemoryRegion | null {
    return this.memory.find((r) => addr >= r.base && addr < r.base + r.size) ?? null;
  }

  regionAt(addr: number): Region | null {
    return this.memoryAt(addr);
  }

  regions(): readonly Region[] {
    return this.memory;
  }

  loadBytes(addr: number, data: Uint8Array): void {
    for (let i = 0; i < data.length; i++) {
      const region = this.memoryAt(addr + i);
      if (region === null) throw new RangeError(`no memory at 0x${(addr + i).toString(16)}`);
      region.bytes[addr + i - region.base] = data[i]!;
    }
  }

  readBytes(addr: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const region = this.memoryAt(addr + i);
      out[i] = region === null ? 0 : region.bytes[addr + i - region.base]!;
    }
    return out;
  }

  private readN(addr: number, n: number): number {
    const bytes = this.readBytes(addr, n);
    if (this.memoryAt(addr) === null) this.busErrors.push(addr);
    let value = 0;
    for (let i = 0; i < n; i++) value = value * 256 + bytes[this.littleEndian ? n - 1 - i : i]!;
    return value;
  }

  private writeN(addr: number, n: number, value: number): void {
    const bytes = new Uint8Array(n);
    for (let i = 0; i < n; i++) bytes[this.littleEndian ? i : n - 1 - i] = (value >>> (8 * i)) & 0xff;
    if (this.memoryAt(addr) === null) this.busErrors.push(addr);
    else this.loadBytes(addr, bytes);
  }

  read8(addr: number): number {
    return this.readN(addr, 1);
  }
  read16(addr: number): number {
    return this.readN(addr, 2);
  }
  read32(addr: number): number {
    return this.readN(addr, 4);
  }
  write8(addr: number, value: number): void {
    this.writeN(addr, 1, value);
  }
  write16(addr: number, value: number): void {
    this.writeN(addr, 2, value);
  }
  write32(addr: number, value: number): void {
    this.writeN(addr, 4, value);
  }
  read64(addr: number, out: Uint32Array): void {
    const first = this.read32(addr);
    const second = this.read32(addr + 4);
    out[0] = this.littleEndian ? first : second;
    out[1] = this.littleEndian ? second : first;
  }
  write64(addr: number, low: number, high: number): void {
    this.write32(addr, this.littleEndian ? low : high);
    this.write32(addr + 4, this.littleEndian ? high : low);
  }

  onCodeWrite(): void {}
  codeWritten(): void {}
  onBusError(): void {}
}
