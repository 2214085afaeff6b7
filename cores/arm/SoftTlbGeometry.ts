/**
 * The soft TLB's shape (ArmCpu): direct-mapped contexts of 2048 slots, indexed
 * by the low bits of the virtual page number. Compiled code (the JIT) indexes
 * the same arrays, so it takes the mask from here.
 */
export const SOFT_BITS = 11;
export const SOFT_SIZE = 1 << SOFT_BITS;
export const SOFT_TLB_MASK = SOFT_SIZE - 1;
