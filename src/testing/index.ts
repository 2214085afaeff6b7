/**
 * tskvm's test API, as the package exports it (`import { BoardSession } from 'tskvm'`):
 * open a board, run it in virtual time until its console, a PC, an interrupt line or a
 * guest's console shows what a test waits for, type into it, read and write registers
 * and memory, and take and restore snapshots. The package runs TypeScript through tsx
 * (register it with `node --import tsx`, as the tests here do).
 */
export { BoardSession, WaitError, type WaitLimits } from './BoardSession.ts';
export { SnapshotError } from '../snapshot/SnapshotFile.ts';
export type { RunResult } from '../machine/Machine.ts';
export type { Cpu } from '../machine/Cpu.ts';
export type { IrqLine } from '../machine/IrqLine.ts';
