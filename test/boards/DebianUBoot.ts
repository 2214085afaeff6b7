import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../cli/CliRunner.ts';

/**
 * Path of a Debian u-boot-qemu image, e.g. uBootImage('qemu_arm/u-boot.bin'):
 * the installed package's copy, else one fetched with apt-get download + dpkg -x
 * into the ignored .cache folder (scripts/fetch-debian-package.sh).
 */
export function uBootImage(relative: string): string {
  const installed = join('/usr/lib/u-boot', relative);
  if (existsSync(installed)) return installed;
  const dir = execFileSync(join(repoRoot, 'scripts', 'fetch-debian-package.sh'), ['u-boot-qemu'], { encoding: 'utf8' }).trim();
  const cached = join(dir, 'usr/lib/u-boot', relative);
  if (!existsSync(cached)) throw new Error(`u-boot-qemu has no ${relative}`);
  return cached;
}
