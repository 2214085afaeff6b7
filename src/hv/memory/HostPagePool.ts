import { PAGE_SIZE } from '../../machine/MemoryRegions.ts';

/** Host pages are carved out of arenas this many pages long (256 KiB), so each page is not its own ArrayBuffer. */
const PAGES_PER_ARENA = 64;

/**
 * The host's supply of 4 KiB pages for guest memory. Pages come zero-filled;
 * pages handed back (a VM killed, a slot deleted) are zeroed and reused
 * before a new arena is made. One pool serves every VM of a hypervisor, so
 * its counters are the host's view of guest memory.
 *
 * Kept deliberately small: copy-on-write sharing, ballooning and swapping
 * (a later issue) work on GuestPage objects and only need `take`/`give`.
 */
export class HostPagePool {
  private readonly free: Uint8Array[] = [];
  private arenaBytes: ArrayBuffer | null = null;
  private arenaNext = PAGES_PER_ARENA;
  private arenaCount = 0;
  private inUse = 0;

  /** A zero-filled 4 KiB page (4096-byte aligned in its buffer, so word views over it work). */
  take(): Uint8Array {
    this.inUse++;
    const reused = this.free.pop();
    if (reused !== undefined) {
      reused.fill(0);
      return reused;
    }
    if (this.arenaNext === PAGES_PER_ARENA) {
      this.arenaBytes = new ArrayBuffer(PAGES_PER_ARENA * PAGE_SIZE);
      this.arenaNext = 0;
      this.arenaCount++;
    }
    return new Uint8Array(this.arenaBytes as ArrayBuffer, PAGE_SIZE * this.arenaNext++, PAGE_SIZE);
  }

  /** Return a page taken from this pool; it must no longer be referenced by any guest page. */
  give(page: Uint8Array): void {
    this.inUse--;
    this.free.push(page);
  }

  /** Pages currently backing guest memory. */
  get pagesInUse(): number {
    return this.inUse;
  }

  /** Bytes of host memory reserved for guest pages (arenas, in use or free). */
  get reservedBytes(): number {
    return this.arenaCount * PAGES_PER_ARENA * PAGE_SIZE;
  }
}
