/**
 * Quick speed check of the ARM core (not a test): runs a small loop of
 * typical firmware instructions (loads, stores, compares, branches) and
 * prints millions of instructions per second.
 *   npx tsx scripts/arm-mips.ts [instructions]
 */
import { ArmTestMachine } from '../test/arm/ArmTestMachine.ts';

const total = Number(process.argv[2] ?? 200_000_000);
const m = new ArmTestMachine();
// r0 = counter, r1 = buffer, loop body mixes ALU, load/store and a conditional branch.
m.load([
  0xe3a00000, // mov r0, #0
  0xe3a01901, // mov r1, #0x4000
  0xe5912000, // loop: ldr r2, [r1]
  0xe2822001, // add r2, r2, #1
  0xe5812000, // str r2, [r1]
  0xe2800001, // add r0, r0, #1
  0xe3500601, // cmp r0, #0x100000
  0x1afffff9, // bne loop
  0xe3a00000, // mov r0, #0
  0xeafffff7, // b loop
]);
const slice = 100_000;
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
for (let done = 0; done < total; done += slice) m.cpu.run(slice);
const ns = Number(process.hrtime.bigint() - start);
const cpu = process.cpuUsage(cpuStart);
const cpuNs = (cpu.user + cpu.system) * 1000;
// CPU time is the fairer figure on a shared machine; wall time is what a user sees.
console.log(
  `${m.cpu.retired} instructions in ${(ns / 1e6).toFixed(0)} ms wall (${((m.cpu.retired / ns) * 1e3).toFixed(1)} MIPS), ` +
    `${(cpuNs / 1e6).toFixed(0)} ms CPU (${((m.cpu.retired / cpuNs) * 1e3).toFixed(1)} MIPS)`,
);
