/** One register as gdb sees it. */
export interface TargetRegister {
  /** Name in the target description, also the name `Cpu.getRegister` takes. */
  readonly name: string;
  /** Only 32-bit registers so far. */
  readonly bits: 32;
  /** gdb type: uint32, int, data_ptr, code_ptr… (GDB manual, G.4 "Predefined Target Types"). */
  readonly type: string;
}

/** A feature of the description: a name gdb knows and its registers. */
export interface TargetFeature {
  readonly name: string;
  readonly registers: readonly TargetRegister[];
}

/**
 * What gdb learns about a core from `qXfer:features:read:target.xml`
 * (GDB manual, G "Target Descriptions"): the architecture and the registers,
 * numbered in order from 0, which is also their order in the `g` packet.
 */
export class TargetDescription {
  readonly registers: readonly TargetRegister[];
  readonly xml: string;

  constructor(
    readonly architecture: string,
    readonly features: readonly TargetFeature[],
  ) {
    this.registers = features.flatMap((f) => f.registers);
    const lines = ['<?xml version="1.0"?>', '<!DOCTYPE target SYSTEM "gdb-target.dtd">', '<target version="1.0">'];
    lines.push(`  <architecture>${architecture}</architecture>`);
    for (const f of features) {
      lines.push(`  <feature name="${f.name}">`);
      // No regnum attributes: each register is numbered one more than the one before (G.2 "Target Description Format").
      for (const r of f.registers) lines.push(`    <reg name="${r.name}" bitsize="${r.bits}" type="${r.type}"/>`);
      lines.push('  </feature>');
    }
    lines.push('</target>', '');
    this.xml = lines.join('\n');
  }

  /** Size of the `g` packet's data in bytes. */
  get registerBytes(): number {
    return this.registers.reduce((n, r) => n + r.bits / 8, 0);
  }
}
