/**
 * The VFPv4 / Advanced SIMD extension register file (ARM ARM A2.6, B6):
 * D0–D31 as 64 words (S0–S31 are words 0–31, i.e. D0–D15 are the pairs
 * (S2n, S2n+1) with S2n the low half), FPSCR, FPEXC and the read-only
 * identification registers with Cortex-A15's values as QEMU reports them.
 *
 * A Float64Array and a Float32Array alias the same bytes for the arithmetic
 * that comes later (the host is little-endian, so word 2n is D[n]'s low half).
 */
export class VfpRegisters {
  static readonly FPSID = 0x410430f0;
  static readonly MVFR0 = 0x10110222;
  static readonly MVFR1 = 0x11111111;
  /** FPEXC.EN: the extension is enabled. */
  static readonly FPEXC_EN = 0x40000000;

  readonly words = new Int32Array(64);
  readonly doubles = new Float64Array(this.words.buffer);
  readonly singles = new Float32Array(this.words.buffer);
  fpscr = 0;
  fpexc = 0;

  reset(): void {
    this.words.fill(0);
    this.fpscr = 0;
    this.fpexc = 0;
  }

  get enabled(): boolean {
    return (this.fpexc & VfpRegisters.FPEXC_EN) !== 0;
  }
}
