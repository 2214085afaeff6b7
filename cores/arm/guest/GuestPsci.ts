import { SystemEventType } from '../../../src/hv/ExitKind.ts';
import { ExitKind } from '../../../src/hv/ExitKind.ts';
import type { HypercallDisposition, InKernelHypercalls, Vcpu } from '../../../src/hv/Vcpu.ts';
import type { VcpuExit } from '../../../src/hv/VcpuExit.ts';
import { PsciFunction, PsciStatus, psciFunctionSupported } from '../Psci.ts';
import { ArmGuestCpu } from './ArmGuestCpu.ts';

/** PSCI 1.0 in the VERSION encoding (major << 16 | minor). */
const PSCI_VERSION_1_0 = 0x00010000;
/** MIGRATE_INFO_TYPE: no Trusted OS (DEN0022 5.8). */
const MIGRATE_TYPE_NOT_PRESENT = 2;

/**
 * PSCI for a VM's ARM vCPUs, answered in the hypervisor as KVM does (Arm
 * DEN0022D; the guest's device tree says `method = "hvc"` or "smc"): the
 * call arrives as a HYPERCALL exit with the function ID in r0 and arguments
 * in r1–r3, and its result goes back to r0.
 *
 * - CPU_ON resets the target vCPU and starts it at the entry point with
 *   r0 = the context ID; CPU_OFF powers the caller off (it leaves run);
 * - SYSTEM_OFF and SYSTEM_RESET become SYSTEM_EVENT exits of the whole VM;
 * - CPU_SUSPEND is a standby: the vCPU halts as on WFI;
 * - calls outside PSCI's function range go on to the VMM.
 */
export class ArmPsci implements InKernelHypercalls {
  handle(vcpu: Vcpu, exit: VcpuExit): HypercallDisposition {
    const fid = exit.hypercall.nr >>> 0;
    // PSCI's SMC32 (0x84000000–0x8400001f) and SMC64 (0xc4000000–0xc400001f) function IDs.
    if ((fid & 0xbfffffe0) >>> 0 !== 0x84000000) return 'exit';
    const args = exit.hypercall.args;
    switch (fid) {
      case PsciFunction.Version:
        return this.answer(vcpu, PSCI_VERSION_1_0);
      case PsciFunction.Features:
        return this.answer(vcpu, psciFunctionSupported(args[0] >>> 0) ? PsciStatus.Success : PsciStatus.NotSupported);
      case PsciFunction.MigrateInfoType:
        return this.answer(vcpu, MIGRATE_TYPE_NOT_PRESENT);
      case PsciFunction.CpuOn:
      case PsciFunction.CpuOn64:
        return this.answer(vcpu, this.cpuOn(vcpu, args[0] >>> 0, args[1] >>> 0, args[2] >>> 0));
      case PsciFunction.AffinityInfo:
      case PsciFunction.AffinityInfo64:
        return this.answer(vcpu, this.affinityInfo(vcpu, args[0] >>> 0, args[1] >>> 0));
      case PsciFunction.CpuOff:
        vcpu.poweredOff = true;
        vcpu.kick();
        return 'resume';
      case PsciFunction.CpuSuspend:
      case PsciFunction.CpuSuspend64:
        // A standby state: the call returns Success once the vCPU is woken, as after WFI.
        vcpu.completeHypercall(PsciStatus.Success);
        exit.kind = ExitKind.Hlt;
        return 'exit';
      case PsciFunction.SystemOff:
        vcpu.vm.requestSystemEvent(SystemEventType.Shutdown);
        return 'resume';
      case PsciFunction.SystemReset:
        vcpu.vm.requestSystemEvent(SystemEventType.Reset);
        return 'resume';
      default:
        return this.answer(vcpu, PsciStatus.NotSupported);
    }
  }

  private answer(vcpu: Vcpu, result: number): HypercallDisposition {
    vcpu.completeHypercall(result);
    return 'resume';
  }

  /** The vCPU whose MPIDR affinity fields (Aff2–Aff0) are `target`'s. */
  private vcpuByMpidr(caller: Vcpu, target: number): Vcpu | undefined {
    return caller.vm.vcpus.find((v) => v.guest instanceof ArmGuestCpu && (v.guest.cpu.mpidr & 0xffffff) === (target & 0xffffff));
  }

  private cpuOn(caller: Vcpu, target: number, entry: number, contextId: number): number {
    const v = this.vcpuByMpidr(caller, target);
    if (v === undefined) return PsciStatus.InvalidParameters;
    if (!v.poweredOff) return PsciStatus.AlreadyOn;
    (v.guest as ArmGuestCpu).powerOn(entry, contextId);
    v.poweredOff = false;
    return PsciStatus.Success;
  }

  private affinityInfo(caller: Vcpu, target: number, lowestLevel: number): number {
    if (lowestLevel !== 0) return PsciStatus.InvalidParameters;
    const v = this.vcpuByMpidr(caller, target);
    if (v === undefined) return PsciStatus.InvalidParameters;
    return v.poweredOff ? 1 : 0;
  }
}
