import { Bus } from '../../src/machine/Bus.ts';
import type { DeviceModelInfo } from '../DeviceModel.ts';
import { nodeError, requireRegs, u32Property } from '../NodeProperties.ts';
import { decodePagesInto, encodePages, type PageImage } from '../../src/snapshot/PageImage.ts';
import { CfiFlashBank, type CfiFlashBankSnapshot } from './CfiFlashBank.ts';
import { FlashRomdMapper } from './FlashRomdMapper.ts';

/** The banks of one `cfi-flash` node, with their bus addresses (for loaders). */
export class CfiFlash {
  constructor(readonly banks: ReadonlyArray<{ readonly address: number; readonly bank: CfiFlashBank }>) {}

  /** Copy an image to physical address `address`; false when no bank holds the whole image. */
  load(address: number, data: Uint8Array): boolean {
    for (const { address: base, bank } of this.banks) {
      if (address >= base && address + data.length <= base + bank.size) {
        bank.load(address - base, data);
        return true;
      }
    }
    return false;
  }

  /** Machine reset: every bank back to read-array mode (contents stay). */
  reset(): void {
    for (const { bank } of this.banks) bank.reset();
  }

  /** Every bank's command state and contents (erased pages, all 0xff, are not stored). */
  snapshot(): CfiFlashSnapshot {
    return {
      banks: this.banks.map(({ bank }) => ({
        state: bank.snapshot(),
        // A bank without bytes is all erased: an image of no pages (its bytes are not made for it).
        contents: bank.allocated ? encodePages(bank.bytes, 0xff) : { size: bank.size, fill: 0xff, pages: new Uint32Array(0), data: new Uint8Array(0) },
      })),
    };
  }

  restore(s: CfiFlashSnapshot): void {
    if (s.banks.length !== this.banks.length) throw new Error(`the snapshot has ${s.banks.length} flash banks, the board ${this.banks.length}`);
    this.banks.forEach(({ bank }, i) => {
      const contents = s.banks[i].contents;
      // Restoring an erased image into a bank that has no bytes leaves it so.
      if (contents.pages.length > 0 || bank.allocated || contents.fill !== 0xff || contents.size !== bank.size) decodePagesInto(contents, bank.bytes, bank.name);
      bank.restore(s.banks[i].state);
    });
  }

  /** The banks' arrays: saved here, so the RAM section leaves their ROM windows out. */
  ownedMemory(): readonly Uint8Array[] {
    return this.banks.filter(({ bank }) => bank.allocated).map(({ bank }) => bank.bytes);
  }
}

export interface CfiFlashSnapshot {
  readonly banks: ReadonlyArray<{ readonly state: CfiFlashBankSnapshot; readonly contents: PageImage }>;
}

/**
 * Device-tree binding (mtd/mtd-physmap.yaml): `compatible = "cfi-flash"`,
 * `bank-width` (required), optional `device-width`; each reg entry is one
 * bank. QEMU's virt has two 64 MiB banks, bank width 4, x16 devices, 256 KiB
 * erase blocks; `tskvm,erase-block-size` overrides the block size.
 *
 * When the context's bus is the machine's Bus the banks are mapped on it
 * directly in QEMU's "romd" style (FlashRomdMapper): ROM while in read-array
 * mode — fast execute-in-place, and loaders can write images with
 * bus.loadBytes — and the MMIO model while a command is in progress. The
 * instance then has no mappings of its own. Otherwise each bank is an MMIO
 * window.
 */
export const cfiFlashModel: DeviceModelInfo = {
  compatible: ['cfi-flash'],
  description: 'CFI parallel NOR flash, Intel command set (query, ID, status, erase, program, buffered program, locks)',
  factory(ctx) {
    requireRegs(ctx.node, ctx.regs, 1, 'a CFI flash');
    const bankWidth = u32Property(ctx.node, 'bank-width');
    if (bankWidth === undefined) throw nodeError(ctx.node, 'cfi-flash needs a bank-width property');
    const deviceWidth = u32Property(ctx.node, 'device-width');
    const blockSize = u32Property(ctx.node, 'tskvm,erase-block-size');
    const banks = ctx.regs.map((r, i) => {
      try {
        return {
          address: r.address,
          bank: new CfiFlashBank({
            name: ctx.regs.length === 1 ? ctx.name : `${ctx.name}[${i}]`,
            size: r.size, bankWidth, deviceWidth, blockSize,
            bigEndian: ctx.bigEndian, log: (m) => ctx.log(m), pc: ctx.pc, baseAddress: r.address,
          }),
        };
      } catch (e) {
        throw nodeError(ctx.node, (e as Error).message, 'reg');
      }
    });
    const flash = new CfiFlash(banks);
    if (ctx.bus instanceof Bus) {
      const mapper = FlashRomdMapper.forBus(ctx.bus);
      for (const { address, bank } of banks) {
        try {
          mapper.add(address, bank);
        } catch (e) {
          throw nodeError(ctx.node, `cannot map ${bank.name}: ${(e as Error).message}`, 'reg');
        }
      }
      return { mappings: [], model: flash };
    }
    return {
      mappings: banks.map(({ address, bank }) => ({ address, size: bank.size, device: bank })),
      model: flash,
    };
  },
};
