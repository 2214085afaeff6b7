import { HostPagePool } from './memory/HostPagePool.ts';
import { Vm, type VmOptions } from './Vm.ts';

/**
 * The hypervisor (what /dev/kvm is to KVM): creates VMs and owns the host page
 * pool they draw guest memory from.
 */
export class Hypervisor {
  readonly pagePool = new HostPagePool();
  private readonly vmList: Vm[] = [];

  /** KVM_CREATE_VM. Names are unique among live VMs. */
  createVm(options: VmOptions): Vm {
    if (options.name.length === 0) throw new Error('a VM needs a name');
    if (this.vmList.some((v) => v.name === options.name)) throw new Error(`a VM named "${options.name}" already exists`);
    const vm = new Vm(options, this.pagePool);
    this.vmList.push(vm);
    return vm;
  }

  get vms(): readonly Vm[] {
    return this.vmList;
  }

  vm(name: string): Vm | undefined {
    return this.vmList.find((v) => v.name === name);
  }

  /** Free a VM's memory and forget it. */
  destroyVm(vm: Vm): void {
    vm.destroy();
    const i = this.vmList.indexOf(vm);
    if (i >= 0) this.vmList.splice(i, 1);
  }
}
