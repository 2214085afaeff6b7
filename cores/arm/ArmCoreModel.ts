import { armLinuxBoot } from './ArmLinuxBoot.ts';
import type { DtNode } from '../../dts/model/DeviceTree.ts';
import { InputError } from '../../dts/model/SourcePos.ts';
import type { CoreContext, CoreModelInfo } from '../CoreModel.ts';
import { compatibleOf } from '../CoreRegistry.ts';
import { ArmCpu } from './ArmCpu.ts';
import { PsciStatus } from './Psci.ts';
import { armTraceProbe } from './ArmTraceProbe.ts';
import { currentInstructionAddress } from './Exceptions.ts';
import { installThumb } from './thumb/index.ts';

// Every ARMv7-A core tskvm builds executes T32 as well as A32.
installThumb();

/** Whether boards compile hot A32 code unless told otherwise (`run --no-jit`, BuildOptions.jit). */
const JIT_BY_DEFAULT = true;

/** ELF e_machine of 32-bit ARM. */
const EM_ARM = 40;

function stringProperty(node: DtNode, name: string): string | undefined {
  const seg = node.property(name)?.value[0];
  return seg?.kind === 'string' ? seg.value : undefined;
}

/** The first node of the tree whose compatible list contains one of `compatibles`. */
function findCompatible(root: DtNode, compatibles: readonly string[]): DtNode | undefined {
  for (const n of root.walk()) {
    const list = compatibleOf(n);
    if (list.some((c) => compatibles.includes(c))) return n;
  }
  return undefined;
}

/**
 * The ARMv7-A core for `cpu` nodes: it finds its generic timer node
 * (arm,armv7-timer: interrupts in the order secure physical, non-secure
 * physical, virtual, hypervisor) and the PSCI node (method "hvc" or "smc"),
 * and starts secondary cores powered off when PSCI can start them.
 */
export const armCoreModel: CoreModelInfo = {
  isa: 'arm',
  compatible: ['arm,cortex-a15', 'arm,cortex-a7', 'arm,cortex-a9', 'arm,armv7'],
  elfMachines: [EM_ARM],
  bigEndian: false,
  description: 'ARMv7-A core (A32/T32, CP15, short-descriptor and LPAE MMU, Virtualization Extensions, generic timer, VFPv4 and Advanced SIMD, PSCI)',
  create(ctx: CoreContext): ArmCpu {
    const root = ctx.tree.root;
    const timerNode = findCompatible(root, ['arm,armv7-timer', 'arm,armv8-timer']);
    const lines = timerNode ? ctx.interruptLinesFor(timerNode) : [];
    const psciNode = findCompatible(root, ['arm,psci-1.0', 'arm,psci-0.2', 'arm,psci']);
    const method = psciNode ? stringProperty(psciNode, 'method') : undefined;
    if (psciNode && method !== 'hvc' && method !== 'smc') {
      throw new InputError([
        { severity: 'error', message: `${psciNode.path}: PSCI method must be "hvc" or "smc", not ${JSON.stringify(method ?? null)}`, pos: psciNode.pos },
      ]);
    }
    const virtualization = ctx.node.property('tskvm,virtualization') !== undefined;
    const cpu: ArmCpu = new ArmCpu({
      index: ctx.index,
      bus: ctx.bus,
      clock: ctx.clock,
      stop: ctx.stop,
      stopFlag: ctx.stopFlag,
      frequencyHz: ctx.frequencyHz,
      virtualization,
      jit: ctx.jit ?? JIT_BY_DEFAULT,
      psci: method as 'hvc' | 'smc' | undefined,
      timerIrqs: { sec: lines[0], phys: lines[1], virt: lines[2], hyp: lines[3] },
      cpuOn: (target, entry, contextId) => {
        for (const other of ctx.allCpus()) {
          if (!(other instanceof ArmCpu) || (other.mpidr & 0xffffff) !== (target & 0xffffff)) continue;
          if (!other.poweredOff) return PsciStatus.AlreadyOn;
          other.powerOn(entry, contextId);
          return PsciStatus.Success;
        }
        return PsciStatus.InvalidParameters;
      },
    });
    return cpu;
  },
  linuxBoot: armLinuxBoot,
  attachTrace(cpu, options) {
    if (!(cpu instanceof ArmCpu)) return;
    cpu.probe = armTraceProbe(cpu, options);
    // A data trace sends every access to the slow path: select its soft-TLB context now.
    cpu.updateTlbBases();
  },
  instructionAddress(cpu) {
    return cpu instanceof ArmCpu ? currentInstructionAddress(cpu) >>> 0 : undefined;
  },
};

/** What the machine builder and tools need to know about the ARM core without building one. */
export const armCoreInfo = { isa: 'arm' as const, compatibles: armCoreModel.compatible };
