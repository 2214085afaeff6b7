/**
 * Build the gzip'd cpio initramfs for tskvm's Linux boots:
 *   tsx scripts/linux/build-initramfs.ts BUSYBOX OUT.cpio.gz
 * BUSYBOX is a static busybox for the target (Debian's busybox-static);
 * /init is boards/linux/init, our own script. The archive holds /dev/console
 * so the kernel can open the console before devtmpfs is mounted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { writeCpioNewc } from './CpioNewcArchive.ts';

const [busyboxPath, outPath] = process.argv.slice(2);
if (busyboxPath === undefined || outPath === undefined) {
  process.stderr.write('usage: build-initramfs.ts BUSYBOX OUT.cpio.gz\n');
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const archive = writeCpioNewc([
  { kind: 'dir', path: 'bin' },
  { kind: 'file', path: 'bin/busybox', data: readFileSync(busyboxPath), mode: 0o755 },
  { kind: 'symlink', path: 'bin/sh', target: 'busybox' },
  { kind: 'dir', path: 'dev' },
  { kind: 'char', path: 'dev/console', major: 5, minor: 1 },
  { kind: 'char', path: 'dev/null', major: 1, minor: 3, mode: 0o666 },
  { kind: 'dir', path: 'proc' },
  { kind: 'dir', path: 'sys' },
  { kind: 'dir', path: 'sbin' },
  { kind: 'dir', path: 'usr' },
  { kind: 'dir', path: 'usr/bin' },
  { kind: 'dir', path: 'usr/sbin' },
  { kind: 'file', path: 'init', data: readFileSync(join(root, 'boards', 'linux', 'init')), mode: 0o755 },
]);
writeFileSync(outPath, gzipSync(archive, { level: 9 }));
process.stdout.write(`${outPath}: ${archive.length} bytes of cpio, ${readFileSync(outPath).length} gzip'd\n`);
