import { PAGE_SIZE } from '../../machine/MemoryRegions.ts';
import type { MemoryRegion } from '../../machine/PhysicalBus.ts';
import type { Memslot } from './Memslot.ts';

/** Why writes to a page must go through the bus instead of a core's soft TLB. Bits of GuestPage.track. */
export const WriteTrack = {
  /** Dirty logging is on and the page was not written since the last getDirtyLog. */
  Dirty: 1,
  /** The shadow MMU built shadow entries from guest page-table entries in this page. */
  PageTable: 2,
} as const;

/** The page every untouched guest page reads from. Never written: pages that show it are 'rom'. */
export const ZERO_PAGE = new Uint8Array(PAGE_SIZE);
const ZERO_VIEW = new DataView(ZERO_PAGE.buffer);
/** The same for slots of erased flash (MemslotFlags.erased): all ones. */
export const ERASED_PAGE = new Uint8Array(PAGE_SIZE).fill(0xff);
const ERASED_VIEW = new DataView(ERASED_PAGE.buffer);

/**
 * One 4 KiB page of guest-physical memory as a core sees it: a MemoryRegion
 * whose base is the page's guest-physical address and whose `bytes` are the
 * host page behind it. The object stays the same for the slot's life; what
 * changes is:
 *
 * - `bytes`: ZERO_PAGE until the guest first writes the page (first-touch
 *   allocation, as Linux maps the zero page for reads of untouched anonymous
 *   memory), then a host page of its own;
 * - `kind`: 'ram' when a core may store into `bytes` directly; 'rom' when
 *   stores must go through the bus's write path: the page is untouched, in a
 *   read-only slot, or write-tracked (dirty logging, shadowed page table).
 *
 * The bus tells its onMapChange listeners whenever a change could leave a
 * core holding a stale pointer (a page becomes 'rom' again, or its bytes
 * change while a core may have cached the zero page for reads).
 */
export class GuestPage implements MemoryRegion {
  kind: 'ram' | 'rom' = 'rom';
  readonly size = PAGE_SIZE;
  bytes: Uint8Array;
  view: DataView;
  /** One flag: non-zero once a core decoded instructions from this page (see MemoryRegion.codePages). */
  readonly codePages = new Uint8Array(1);
  /** WriteTrack bits. */
  track = 0;
  /** True while the page shows ZERO_PAGE and a core may have cached that for reads. */
  exposed = false;

  constructor(
    readonly slot: Memslot,
    /** Guest-physical address of the page. */
    readonly base: number,
  ) {
    this.bytes = slot.erased ? ERASED_PAGE : ZERO_PAGE;
    this.view = slot.erased ? ERASED_VIEW : ZERO_VIEW;
  }

  get name(): string {
    return this.slot.name;
  }

  /** True once the page has a host page of its own. */
  get backed(): boolean {
    return this.bytes !== ZERO_PAGE && this.bytes !== ERASED_PAGE;
  }

  /** Give the page its own host bytes (a copy of what it showed). */
  attach(host: Uint8Array): void {
    host.set(this.bytes);
    this.bytes = host;
    this.view = new DataView(host.buffer, host.byteOffset, host.byteLength);
  }

  /** Go back to showing the zero page (slot deletion, and later ballooning); returns the host page. */
  detach(): Uint8Array | null {
    if (!this.backed) return null;
    const host = this.bytes;
    this.bytes = this.slot.erased ? ERASED_PAGE : ZERO_PAGE;
    this.view = this.slot.erased ? ERASED_VIEW : ZERO_VIEW;
    return host;
  }

  /** The kind the page's state calls for. */
  wantedKind(): 'ram' | 'rom' {
    return !this.backed || this.slot.readOnly || this.track !== 0 ? 'rom' : 'ram';
  }
}
