/**
 * The CFI query table one flash device answers in query mode (JEDEC JESD68,
 * Intel AP-646), by device word address. Values follow what QEMU's
 * pflash_cfi01 answered to U-Boot on the virt board (oracle trace): Intel
 * command set, 2 KiB write buffer, one erase-block region.
 */
export interface CfiGeometry {
  /** Bytes of one device (the bank holds bankWidth/deviceWidth devices side by side). */
  readonly deviceSize: number;
  /** Erase block size of one device in bytes. */
  readonly deviceBlockSize: number;
  /** Device data width in bytes (1, 2 or 4). */
  readonly deviceWidth: number;
}

interface Entry {
  readonly address: number;
  readonly value: number;
  readonly meaning: string;
}

function log2(n: number): number {
  return 31 - Math.clz32(n);
}

export function cfiEntries(g: CfiGeometry): Entry[] {
  const blocks = g.deviceSize / g.deviceBlockSize;
  const blockUnits = g.deviceBlockSize / 256;
  const iface = g.deviceWidth === 1 ? 0x00 : g.deviceWidth === 2 ? 0x02 : 0x05;
  return [
    { address: 0x10, value: 0x51, meaning: "'Q'" },
    { address: 0x11, value: 0x52, meaning: "'R'" },
    { address: 0x12, value: 0x59, meaning: "'Y'" },
    { address: 0x13, value: 0x01, meaning: 'primary command set 0x0001 (Intel/Sharp extended), low' },
    { address: 0x14, value: 0x00, meaning: 'primary command set, high' },
    { address: 0x15, value: 0x31, meaning: 'primary extended query table at 0x31, low' },
    { address: 0x16, value: 0x00, meaning: 'primary extended query table, high' },
    { address: 0x17, value: 0x00, meaning: 'no alternate command set' },
    { address: 0x18, value: 0x00, meaning: '' },
    { address: 0x19, value: 0x00, meaning: 'no alternate extended table' },
    { address: 0x1a, value: 0x00, meaning: '' },
    { address: 0x1b, value: 0x45, meaning: 'Vcc min 4.5 V' },
    { address: 0x1c, value: 0x55, meaning: 'Vcc max 5.5 V' },
    { address: 0x1d, value: 0x00, meaning: 'no Vpp pin' },
    { address: 0x1e, value: 0x00, meaning: '' },
    { address: 0x1f, value: 0x07, meaning: 'typical word program 2^7 us' },
    { address: 0x20, value: 0x07, meaning: 'typical buffer program 2^7 us' },
    { address: 0x21, value: 0x0a, meaning: 'typical block erase 2^10 ms' },
    { address: 0x22, value: 0x00, meaning: 'no chip erase' },
    { address: 0x23, value: 0x04, meaning: 'max word program 2^4 x typical' },
    { address: 0x24, value: 0x04, meaning: 'max buffer program 2^4 x typical' },
    { address: 0x25, value: 0x04, meaning: 'max block erase 2^4 x typical' },
    { address: 0x26, value: 0x00, meaning: '' },
    { address: 0x27, value: log2(g.deviceSize), meaning: 'device size 2^n bytes' },
    { address: 0x28, value: iface, meaning: 'interface: x8 (0), x8/x16 (2), x32 (5)' },
    { address: 0x29, value: 0x00, meaning: '' },
    { address: 0x2a, value: 0x0b, meaning: 'write buffer 2^11 bytes' },
    { address: 0x2b, value: 0x00, meaning: '' },
    { address: 0x2c, value: 0x01, meaning: 'one erase block region' },
    { address: 0x2d, value: (blocks - 1) & 0xff, meaning: 'region 1: blocks - 1, low' },
    { address: 0x2e, value: ((blocks - 1) >> 8) & 0xff, meaning: 'region 1: blocks - 1, high' },
    { address: 0x2f, value: blockUnits & 0xff, meaning: 'region 1: block size / 256, low' },
    { address: 0x30, value: (blockUnits >> 8) & 0xff, meaning: 'region 1: block size / 256, high' },
    { address: 0x31, value: 0x50, meaning: "'P'" },
    { address: 0x32, value: 0x52, meaning: "'R'" },
    { address: 0x33, value: 0x49, meaning: "'I'" },
    { address: 0x34, value: 0x31, meaning: "major version '1'" },
    { address: 0x35, value: 0x30, meaning: "minor version '0'" },
  ];
}

/** The table as bytes by device word address; addresses not listed read 0. */
export function cfiQueryTable(g: CfiGeometry): Uint8Array {
  const table = new Uint8Array(0x40);
  for (const e of cfiEntries(g)) table[e.address] = e.value;
  return table;
}
