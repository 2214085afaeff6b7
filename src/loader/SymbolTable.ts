import { hex } from './ImageSource.ts';

export type SymbolKind = 'function' | 'object' | 'label';

/** One named address, as the table is built from (an ELF symbol after ABI fix-ups). */
export interface SymbolDefinition {
  readonly name: string;
  readonly address: number;
  /** Size in bytes; 0 for labels without a `.size` (assembly entry points, vectors). */
  readonly size: number;
  readonly kind: SymbolKind;
  /** Global or weak binding; wins over a local symbol of the same name in `addressOf`. */
  readonly global: boolean;
  /** ARM: the function is Thumb code (the ELF value had bit 0 set; `address` is even). */
  readonly thumb?: boolean;
  /** Only for `addressOf` (absolute values), never an answer of `lookup`. */
  readonly addressOnly?: boolean;
  /** End (exclusive) of the section the symbol lives in: how far an unsized label can reach. */
  readonly limit?: number;
}

/** What `find` returns: the symbol an address falls in and the offset into it. */
export interface SymbolHit {
  readonly symbol: SymbolDefinition;
  readonly offset: number;
}

const KIND_RANK: Readonly<Record<SymbolKind, number>> = { function: 0, object: 1, label: 2 };

/**
 * Symbols of a loaded image, for traces ("memcpy+0x1c"), error messages and
 * the gdb stub. An address belongs to the sized symbol (function or object)
 * that contains it, the innermost one when they nest; failing that, to the
 * nearest label before it, which reaches up to the next symbol or the end of
 * its section.
 */
export class SymbolTable {
  /** Symbols `lookup` may answer with, by address, then functions before objects before labels. */
  private readonly byAddress: SymbolDefinition[];
  /** maxEnd[i] = the largest address + size among byAddress[0..i] (bounds the backward scan). */
  private readonly maxEnd: number[];
  private readonly byName = new Map<string, SymbolDefinition>();

  constructor(definitions: readonly SymbolDefinition[] = []) {
    for (const d of definitions) {
      const known = this.byName.get(d.name);
      if (known === undefined || (!known.global && d.global)) this.byName.set(d.name, d);
    }
    this.byAddress = definitions
      .filter((d) => !d.addressOnly)
      .sort((a, b) => a.address - b.address || KIND_RANK[a.kind] - KIND_RANK[b.kind] || Number(b.global) - Number(a.global));
    this.maxEnd = [];
    let maxEnd = -1;
    for (const d of this.byAddress) {
      maxEnd = Math.max(maxEnd, d.address + d.size);
      this.maxEnd.push(maxEnd);
    }
  }

  /** Number of distinct names. */
  get size(): number {
    return this.byName.size;
  }

  /** Address of a symbol by name, or undefined. */
  addressOf(name: string): number | undefined {
    return this.byName.get(name)?.address;
  }

  /** The definition of a name, or undefined. */
  get(name: string): SymbolDefinition | undefined {
    return this.byName.get(name);
  }

  /** Every symbol, by address. */
  all(): readonly SymbolDefinition[] {
    return this.byAddress;
  }

  /** "name" at a symbol's start, "name+0x12" inside it, undefined when no symbol covers `addr`. */
  lookup(addr: number): string | undefined {
    const hit = this.find(addr);
    if (hit === undefined) return undefined;
    return hit.offset === 0 ? hit.symbol.name : `${hit.symbol.name}+${hex(hit.offset)}`;
  }

  find(addr: number): SymbolHit | undefined {
    const last = this.lastAtOrBefore(addr);
    if (last < 0) return undefined;
    // Innermost sized symbol containing addr: the one with the greatest start.
    for (let i = last; i >= 0 && this.maxEnd[i]! > addr; i--) {
      const d = this.byAddress[i]!;
      if (d.size > 0 && addr < d.address + d.size) return this.hit(d, addr, i);
    }
    // Otherwise a label, if it is the nearest symbol before addr.
    const nearest = this.byAddress[last]!.address;
    for (let i = last; i >= 0 && this.byAddress[i]!.address === nearest; i--) {
      const d = this.byAddress[i]!;
      if (d.size === 0 && (d.limit === undefined || addr < d.limit)) return this.hit(d, addr, i);
    }
    return undefined;
  }

  /** At equal addresses prefer the better-ranked entry (functions, then globals). */
  private hit(d: SymbolDefinition, addr: number, index: number): SymbolHit {
    let best = d;
    for (let i = index - 1; i >= 0 && this.byAddress[i]!.address === d.address; i--) {
      const other = this.byAddress[i]!;
      if (other.size === d.size) best = other;
    }
    return { symbol: best, offset: addr - best.address };
  }

  /** Index of the last symbol whose address is <= addr, or -1. */
  private lastAtOrBefore(addr: number): number {
    let lo = 0;
    let hi = this.byAddress.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.byAddress[mid]!.address <= addr) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }
}
