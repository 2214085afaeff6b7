import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../cli/CliRunner.ts';

/**
 * Folder holding Debian 12's armhf zImage and our busybox initramfs
 * (.cache/linux-arm/, filled by scripts/fetch-linux-arm.sh with apt-get
 * download + dpkg -x the first time; nothing fetched is committed).
 */
export function debianLinuxArm(): { zImage: string; initrd: string; kernelPackage: string } {
  const dir = execFileSync(join(repoRoot, 'scripts', 'fetch-linux-arm.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const zImage = join(dir, 'zImage');
  const initrd = join(dir, 'initramfs.cpio.gz');
  if (!existsSync(zImage) || !existsSync(initrd)) throw new Error(`scripts/fetch-linux-arm.sh left no zImage or initramfs in ${dir}`);
  return { zImage, initrd, kernelPackage: readFileSync(join(dir, 'kernel-package'), 'utf8').trim() };
}
