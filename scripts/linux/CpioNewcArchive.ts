/**
 * A writer for the cpio "new ASCII" (newc) format the Linux kernel unpacks
 * as an initramfs (Documentation/driver-api/early-userspace/buffer-format.rst):
 * each entry is the magic "070701", thirteen 8-digit hex fields, the NUL-ended
 * name padded to 4 bytes, then the data padded to 4 bytes; "TRAILER!!!" ends
 * the archive. Device nodes need no root here: they are only header fields.
 * Times are 0 so the same inputs give the same bytes.
 */
export type CpioEntry =
  | { readonly kind: 'dir'; readonly path: string; readonly mode?: number }
  | { readonly kind: 'file'; readonly path: string; readonly data: Uint8Array; readonly mode?: number }
  | { readonly kind: 'symlink'; readonly path: string; readonly target: string }
  | { readonly kind: 'char'; readonly path: string; readonly major: number; readonly minor: number; readonly mode?: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

export function writeCpioNewc(entries: readonly CpioEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const push = (b: Uint8Array) => {
    chunks.push(b);
    size += b.length;
  };
  const pad = () => {
    const n = (4 - (size % 4)) % 4;
    if (n > 0) push(new Uint8Array(n));
  };
  let ino = 1;
  const entry = (path: string, mode: number, data: Uint8Array, rdev: [number, number] = [0, 0]) => {
    const name = new TextEncoder().encode(`${path}\0`);
    const fields = [ino++, mode, 0, 0, (mode & 0o170000) === S_IFDIR ? 2 : 1, 0, data.length, 0, 0, rdev[0], rdev[1], name.length, 0];
    push(new TextEncoder().encode('070701' + fields.map((f) => f.toString(16).padStart(8, '0')).join('')));
    push(name);
    pad();
    push(data);
    pad();
  };
  for (const e of entries) {
    if (e.path.startsWith('/') || e.path === '') throw new RangeError(`cpio paths are relative and not empty: '${e.path}'`);
    switch (e.kind) {
      case 'dir':
        entry(e.path, S_IFDIR | (e.mode ?? 0o755), new Uint8Array(0));
        break;
      case 'file':
        entry(e.path, S_IFREG | (e.mode ?? 0o644), e.data);
        break;
      case 'symlink':
        entry(e.path, S_IFLNK | 0o777, new TextEncoder().encode(e.target));
        break;
      case 'char':
        entry(e.path, S_IFCHR | (e.mode ?? 0o600), new Uint8Array(0), [e.major, e.minor]);
        break;
    }
  }
  ino = 0;
  entry('TRAILER!!!', 0, new Uint8Array(0));
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
