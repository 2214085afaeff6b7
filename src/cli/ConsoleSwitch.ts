import type { ConsoleQueue } from '../machine/ConsoleQueue.ts';
import type { SerialDevice } from '../machine/SerialPort.ts';
import type { Vmm } from '../hv/Vmm.ts';

/**
 * Which UART the keyboard (the machine's console input queue) types into:
 * "host" is the board's console, every VM with a `<console>` is one more.
 * Output is unaffected: every console always prints (guests prefixed).
 */
export class ConsoleSwitch {
  private readonly devices = new Map<string, SerialDevice>();
  private selected = 'host';

  constructor(
    private readonly queue: ConsoleQueue,
    host: SerialDevice | null,
    vmms: readonly Vmm[],
  ) {
    if (host !== null) this.devices.set('host', host);
    for (const vmm of vmms) if (vmm.consoleDevice !== null) this.devices.set(vmm.vm.name, vmm.consoleDevice);
    if (host === null) this.selected = this.devices.keys().next().value ?? 'host';
  }

  get names(): readonly string[] {
    return [...this.devices.keys()];
  }

  get current(): string {
    return this.selected;
  }

  has(name: string): boolean {
    return this.devices.has(name);
  }

  /** Bytes still queued go to the newly chosen UART, in order. */
  select(name: string): void {
    const device = this.devices.get(name);
    if (device === undefined) throw new RangeError(`no console named '${name}'`);
    this.selected = name;
    this.queue.attach(device);
  }
}
