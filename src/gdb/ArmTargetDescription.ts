import { TargetDescription, type TargetRegister } from './TargetDescription.ts';

function reg(name: string, type = 'uint32'): TargetRegister {
  return { name, bits: 32, type };
}

/**
 * ARMv7-A for gdb: the `org.gnu.gdb.arm.core` feature, which the GDB manual
 * (G.5.3 "ARM Features") requires of non-M-profile ARM targets: r0–r12, sp,
 * lr, pc and cpsr. Here cpsr is simply the next register (number 16, right
 * after pc in the `g` packet): gdb finds the registers of this feature by
 * name, so the historical numbering with FPA registers between pc and cpsr
 * is not needed.
 */
export const armTargetDescription = new TargetDescription('arm', [
  {
    name: 'org.gnu.gdb.arm.core',
    registers: [
      ...Array.from({ length: 13 }, (_, i) => reg(`r${i}`)),
      reg('sp', 'data_ptr'),
      reg('lr', 'code_ptr'),
      reg('pc', 'code_ptr'),
      reg('cpsr', 'int'),
    ],
  },
]);
