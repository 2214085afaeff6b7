import { DeviceTree, DtNode, type DtProperty } from '../../../dts/model/DeviceTree.ts';
import { IrqLine, type IrqSink } from '../../../src/machine/IrqLine.ts';
import type { DeviceContext, PhysRange } from '../../../peripherals/DeviceModel.ts';
import type { StopRequest } from '../../../src/machine/StopRequest.ts';
import { VirtualClock } from '../../../src/machine/VirtualClock.ts';

/** Records every level change it is told about, per input. */
export class RecordingSink implements IrqSink {
  readonly levels = new Map<number, boolean>();
  readonly changes: Array<[number, boolean]> = [];
  setIrqLevel(input: number, level: boolean): void {
    this.levels.set(input, level);
    this.changes.push([input, level]);
  }
  level(input: number): boolean {
    return this.levels.get(input) ?? false;
  }
}

export function stringProp(name: string, ...values: string[]): DtProperty {
  return { name, value: values.map((value) => ({ kind: 'string' as const, value })) };
}

export function cellsProp(name: string, ...cells: number[]): DtProperty {
  return { name, value: [{ kind: 'cells', bits: 32, cells: cells.map((c) => BigInt(c)) }] };
}

export interface TestContext extends DeviceContext {
  readonly logLines: string[];
  readonly clock: VirtualClock;
  readonly sink: RecordingSink;
  readonly stops: StopRequest[];
}

/** A DeviceContext for one node, its interrupts wired to inputs 0.. of a RecordingSink. */
export function testContext(opts: {
  name?: string;
  regs?: PhysRange[];
  irqCount?: number;
  props?: DtProperty[];
  bigEndian?: boolean;
  tree?: DeviceTree;
  pc?: number;
  bus?: DeviceContext['bus'];
} = {}): TestContext {
  const name = opts.name ?? 'dev@9000000';
  const node = new DtNode(name);
  node.properties.push(...(opts.props ?? []));
  const tree = opts.tree ?? new DeviceTree();
  tree.root.addChild(node);
  const sink = new RecordingSink();
  const irqs = Array.from({ length: opts.irqCount ?? 1 }, (_, i) => new IrqLine(sink, i, `${name}:${i}`));
  const logLines: string[] = [];
  const stops: StopRequest[] = [];
  return {
    node, tree, name,
    regs: opts.regs ?? [{ address: 0x9000000, size: 0x1000 }],
    irqs,
    clock: new VirtualClock(),
    bigEndian: opts.bigEndian ?? false,
    stop: { requestStop: (r) => stops.push(r) },
    pc: { currentPc: () => opts.pc },
    log: (m) => logLines.push(m),
    logLines, sink, stops,
    bus: opts.bus,
  };
}

/** Move a virtual clock forward by `ns`, firing what falls due. */
export function advance(clock: VirtualClock, ns: number): void {
  clock.advanceTo(clock.now + ns);
}
