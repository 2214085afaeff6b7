/**
 * Interrupt controller registers whose accesses tell which interrupt a core
 * takes, by register name (device models declare their registers as data, so
 * an access trace knows the name). GICv2 (IHI 0048B): reading GICC_IAR
 * (4.4.4) or GICC_AIAR acknowledges the highest-priority pending interrupt and
 * returns its INTID in bits [9:0] (1023 = spurious, nothing to take); writing
 * GICC_EOIR (4.4.5) or GICC_AEOIR ends it, GICC_DIR (4.4.15) deactivates it,
 * with the INTID in bits [9:0] as well. The virtual CPU interface's GICV_
 * registers have the same layout (5.3).
 */
export type InterruptStep = 'ack' | 'eoi' | 'deactivate';

const STEPS: Readonly<Record<string, { step: InterruptStep; write: boolean }>> = {
  GICC_IAR: { step: 'ack', write: false },
  GICC_AIAR: { step: 'ack', write: false },
  GICV_IAR: { step: 'ack', write: false },
  GICV_AIAR: { step: 'ack', write: false },
  GICC_EOIR: { step: 'eoi', write: true },
  GICC_AEOIR: { step: 'eoi', write: true },
  GICV_EOIR: { step: 'eoi', write: true },
  GICV_AEOIR: { step: 'eoi', write: true },
  GICC_DIR: { step: 'deactivate', write: true },
  GICV_DIR: { step: 'deactivate', write: true },
};

/** INTID 1023: no pending interrupt (the read was spurious). */
export const SPURIOUS_INTID = 1023;

/** What an access to register `name` says about an interrupt, or undefined when nothing. */
export function interruptStep(name: string | undefined, write: boolean, value: number): { step: InterruptStep; intid: number } | undefined {
  if (name === undefined) return undefined;
  const s = STEPS[name];
  if (s === undefined || s.write !== write) return undefined;
  return { step: s.step, intid: value & 0x3ff };
}
