import type { BuiltMachine } from '../board/MachineBuilder.ts';
import type { ClockSnapshot } from '../machine/VirtualClock.ts';
import type { StopRequest } from '../machine/StopRequest.ts';
import type { SchedulerSnapshot } from '../machine/Scheduler.ts';
import type { VmManagerSnapshot } from '../hv/VmManager.ts';
import type { VmmSnapshot } from '../hv/Vmm.ts';
import { boardIdentity } from './BoardIdentity.ts';
import { decodePagesInto, encodePages, type PageImage } from './PageImage.ts';
import { isSnapshottable } from './Snapshottable.ts';
import { readSnapshotHeader, readSnapshotState, SnapshotError, writeSnapshot } from './SnapshotFile.ts';
import type { StateValue } from './StateCodec.ts';

/**
 * The whole machine at one instant between two scheduler slices: virtual
 * time and the order of pending events, the scheduler's lanes and the window
 * in progress, console input not yet delivered, every RAM/ROM region,
 * every device, every core, and the guests (VMMs, their devices and VMs, the
 * VM manager). `extras` carries what the caller keeps beside the machine (a
 * test session's console text, the CLI's guest console line state).
 */
export interface MachineState {
  readonly clock: ClockSnapshot;
  readonly scheduler: SchedulerSnapshot;
  readonly resetCount: number;
  /** A final stop (power-off, guest error) the machine had reported: a restored machine reports it again. */
  readonly stopRequest?: StopRequest;
  readonly console: { readonly pending: Uint8Array; readonly delivered: number };
  readonly memory: ReadonlyArray<{ readonly region: string; readonly image: PageImage }>;
  readonly devices: ReadonlyArray<{ readonly name: string; readonly state: unknown }>;
  readonly cpus: readonly unknown[];
  readonly vms?: { readonly manager: VmManagerSnapshot; readonly vmms: readonly VmmSnapshot[] };
  readonly extras: { readonly [key: string]: StateValue };
}

const hex = (n: number) => `0x${n.toString(16)}`;

/** RAM and ROM regions of the bus saved in the memory section: all but those a device saves itself. */
function savedRegions(built: BuiltMachine) {
  const owned = new Set<Uint8Array>();
  for (const name of built.machine.deviceNames()) {
    const d = built.machine.device(name);
    if (isSnapshottable(d)) for (const bytes of d.ownedMemory?.() ?? []) owned.add(bytes);
  }
  return built.machine.bus
    .regions()
    .filter((r) => r.kind !== 'mmio' && !owned.has(r.bytes))
    .map((r) => ({ key: `${r.name}@${hex(r.base)}`, bytes: (r as { bytes: Uint8Array }).bytes }));
}

/** Everything that decides the machine's future; throws when a part cannot be saved or the machine is mid-slice. */
export function captureMachine(built: BuiltMachine, extras: { readonly [key: string]: StateValue } = {}): MachineState {
  const machine = built.machine;
  if (machine.scheduler.currentCpu !== null) throw new Error('a snapshot is taken between slices, not while a core runs');
  const devices = machine.deviceNames().map((name) => {
    const d = machine.device(name);
    if (!isSnapshottable(d)) throw new Error(`device ${name} cannot be saved in a snapshot (its model has no snapshot())`);
    return { name, state: d.snapshot() };
  });
  const cpus = built.cpus.map((cpu) => {
    if (cpu.snapshot === undefined) throw new Error(`${cpu.name} (${cpu.isa}) cannot be saved in a snapshot`);
    return cpu.snapshot();
  });
  const vms = built.vms;
  return {
    clock: machine.clock.snapshot(),
    scheduler: machine.scheduler.snapshot(),
    resetCount: machine.resetCount,
    ...(machine.stopRequest !== null ? { stopRequest: { ...machine.stopRequest } } : {}),
    console: machine.console.snapshot(),
    memory: savedRegions(built).map((r) => ({ region: r.key, image: encodePages(r.bytes) })),
    devices,
    cpus,
    ...(vms !== undefined ? { vms: { manager: vms.manager.snapshot(), vmms: vms.vmms.map((v) => v.snapshot()) } } : {}),
    extras,
  };
}

/**
 * Put a state back into a machine built from the same board (fresh, or one
 * that ran on). Order matters: time first (timers re-arm from it), memory,
 * devices from last to first (interrupt controllers were added first and must
 * see their inputs' final levels), cores (their input lines and WFI state
 * last), guests, then the scheduler; finally the re-created clock events get
 * their saved order back, and a missing one is an error.
 */
export function restoreMachine(built: BuiltMachine, state: MachineState): void {
  const machine = built.machine;
  machine.clock.restoreTime(state.clock);

  const regions = savedRegions(built);
  const keys = (list: readonly string[]) => list.join(', ') || 'none';
  if (keys(regions.map((r) => r.key)) !== keys(state.memory.map((m) => m.region))) {
    throw new Error(`memory regions differ: the snapshot has ${keys(state.memory.map((m) => m.region))}, the board ${keys(regions.map((r) => r.key))}`);
  }
  state.memory.forEach((m, i) => decodePagesInto(m.image, regions[i].bytes, m.region));

  const names = machine.deviceNames();
  if (keys(names) !== keys(state.devices.map((d) => d.name))) {
    throw new Error(`devices differ: the snapshot has ${keys(state.devices.map((d) => d.name))}, the board ${keys(names)}`);
  }
  for (const d of [...state.devices].reverse()) {
    const device = machine.device(d.name);
    if (!isSnapshottable(device)) throw new Error(`device ${d.name} cannot be restored from a snapshot`);
    device.restore(d.state);
  }

  if (state.cpus.length !== built.cpus.length) throw new Error(`the snapshot has ${state.cpus.length} cores, the board ${built.cpus.length}`);
  built.cpus.forEach((cpu, i) => {
    if (cpu.restore === undefined) throw new Error(`${cpu.name} cannot be restored from a snapshot`);
    cpu.restore(state.cpus[i]);
  });

  const vms = built.vms;
  if ((vms === undefined) !== (state.vms === undefined)) throw new Error('the snapshot and the board differ in having guests');
  if (vms !== undefined && state.vms !== undefined) {
    if (state.vms.vmms.length !== vms.vmms.length) throw new Error(`the snapshot has ${state.vms.vmms.length} VMs, the board ${vms.vmms.length}`);
    vms.vmms.forEach((vmm, i) => vmm.restore(state.vms!.vmms[i]));
    vms.manager.restore(state.vms.manager);
  }

  machine.console.restore(state.console);
  machine.resetCount = state.resetCount;
  machine.clearStopRequest();
  machine.scheduler.restore(state.scheduler);
  if (state.stopRequest !== undefined) machine.requestStop(state.stopRequest);
  const problems = machine.clock.reorder(state.clock);
  if (problems.length > 0) throw new Error(`the restored machine's clock events differ from the snapshot's: ${problems.join('; ')}`);
}

/** The machine as a snapshot file's bytes (SnapshotFile.ts). */
export function saveMachineSnapshot(built: BuiltMachine, extras: { readonly [key: string]: StateValue } = {}): Uint8Array {
  return writeSnapshot(boardIdentity(built), captureMachine(built, extras) as unknown as StateValue);
}

/**
 * Restore the machine from a snapshot file's bytes; `what` names it in errors
 * (a file name). Returns the extras saved with it. Every problem is a
 * SnapshotError with a message for people.
 */
export function loadMachineSnapshot(built: BuiltMachine, bytes: Uint8Array, what: string): { readonly [key: string]: StateValue } {
  const header = readSnapshotHeader(bytes, what);
  const state = readSnapshotState(header, boardIdentity(built), what) as unknown as MachineState;
  try {
    restoreMachine(built, state);
  } catch (e) {
    throw new SnapshotError(`${what} does not fit this board: ${(e as Error).message}`);
  }
  return state.extras ?? {};
}
