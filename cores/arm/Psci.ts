import type { ArmCpu } from './ArmCpu.ts';

/**
 * PSCI 1.0 firmware calls handled inside the core, as QEMU does for its virt
 * board (Arm DEN0022D "Arm Power State Coordination Interface"): the
 * function ID is in r0, arguments in r1–r3, the result goes to r0.
 * 64-bit (SMC64) IDs are accepted where the spec defines both conventions,
 * arguments truncated to 32 bits as a 32-bit caller passes them.
 */

export const enum PsciFunction {
  Version = 0x84000000,
  CpuSuspend = 0x84000001,
  CpuOff = 0x84000002,
  CpuOn = 0x84000003,
  AffinityInfo = 0x84000004,
  Migrate = 0x84000005,
  MigrateInfoType = 0x84000006,
  SystemOff = 0x84000008,
  SystemReset = 0x84000009,
  Features = 0x8400000a,
  CpuSuspend64 = 0xc4000001,
  CpuOn64 = 0xc4000003,
  AffinityInfo64 = 0xc4000004,
}

/** Return codes (DEN0022 5.2.2). */
export const enum PsciStatus {
  Success = 0,
  NotSupported = -1,
  InvalidParameters = -2,
  Denied = -3,
  AlreadyOn = -4,
  OnPending = -5,
  InternalFailure = -6,
  NotPresent = -7,
  Disabled = -8,
  InvalidAddress = -9,
}

/** PSCI 1.0 in the VERSION encoding (major << 16 | minor). */
const PSCI_VERSION_1_0 = 0x00010000;

/** Trusted OS not present (MIGRATE_INFO_TYPE, 5.8). */
const MIGRATE_TYPE_NOT_PRESENT = 2;

/** PSCI_FEATURES: whether this implementation provides function `fid` (shared by the in-kernel PSCI of guests). */
export function psciFunctionSupported(fid: number): boolean {
  switch (fid >>> 0) {
    case PsciFunction.Version:
    case PsciFunction.CpuSuspend:
    case PsciFunction.CpuOff:
    case PsciFunction.CpuOn:
    case PsciFunction.AffinityInfo:
    case PsciFunction.MigrateInfoType:
    case PsciFunction.SystemOff:
    case PsciFunction.SystemReset:
    case PsciFunction.Features:
    case PsciFunction.CpuSuspend64:
    case PsciFunction.CpuOn64:
    case PsciFunction.AffinityInfo64:
      return true;
    default:
      return false;
  }
}

/** Handle the PSCI call in r0–r3 of `cpu`. */
export function handlePsciCall(cpu: ArmCpu): void {
  const r = cpu.r;
  const fid = r[0] >>> 0;
  let result: number;
  switch (fid) {
    case PsciFunction.Version:
      result = PSCI_VERSION_1_0;
      break;
    case PsciFunction.Features:
      // Bits [31] clear and 0 for "supported, no feature flags" (5.15).
      result = psciFunctionSupported(r[1]) ? 0 : PsciStatus.NotSupported;
      break;
    case PsciFunction.CpuSuspend:
    case PsciFunction.CpuSuspend64:
      // A standby power state behaves like WFI: resume here on an interrupt.
      cpu.waitForInterrupt();
      result = PsciStatus.Success;
      break;
    case PsciFunction.CpuOff:
      cpu.powerOff();
      cpu.requestStopCheck();
      return;
    case PsciFunction.CpuOn:
    case PsciFunction.CpuOn64:
      result = cpu.cpuOn ? cpu.cpuOn(r[1] >>> 0, r[2] >>> 0, r[3] >>> 0) : PsciStatus.NotSupported;
      break;
    case PsciFunction.AffinityInfo:
    case PsciFunction.AffinityInfo64:
      result = affinityInfo(cpu, r[1] >>> 0, r[2] >>> 0);
      break;
    case PsciFunction.MigrateInfoType:
      result = MIGRATE_TYPE_NOT_PRESENT;
      break;
    case PsciFunction.SystemOff:
      cpu.stop.requestStop({ kind: 'poweroff', exitCode: 0, message: 'PSCI SYSTEM_OFF' });
      cpu.requestStopCheck();
      result = PsciStatus.Success;
      break;
    case PsciFunction.SystemReset:
      cpu.stop.requestStop({ kind: 'reset' });
      cpu.requestStopCheck();
      result = PsciStatus.Success;
      break;
    default:
      result = PsciStatus.NotSupported;
  }
  r[0] = result;
}

/** AFFINITY_INFO (5.7): 0 = on, 1 = off for the core whose MPIDR affinity matches at level 0. */
function affinityInfo(cpu: ArmCpu, target: number, lowestLevel: number): number {
  if (lowestLevel !== 0) return PsciStatus.InvalidParameters;
  for (const core of cpu.peers()) {
    if ((core.mpidr & 0xffffff) === (target & 0xffffff)) return core.poweredOff ? 1 : 0;
  }
  return PsciStatus.InvalidParameters;
}
