/** Write a file so readers see the old content or the new, never a part: temp file beside it, then rename. */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function writeAtomic(dir: string, name: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, data, { flag: 'wx' });
    await rename(temp, join(dir, name));
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** `EACCES: permission denied` without the path and syscall noise Node adds. */
export const fsReason = (error: unknown): string => {
  const e = error as NodeJS.ErrnoException;
  return e.code ? `${e.code}` : String(e.message ?? error);
};
