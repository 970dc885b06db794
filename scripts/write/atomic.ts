/**
 * Writing files whole or not at all. A reader, or a crash at any instant, sees the old content or
 * the new, never a part: the data goes to a temporary file beside the target (same directory, so
 * the same file system), is flushed to disk, and is then renamed over the target, which POSIX makes
 * atomic. A process killed mid-write leaves at most a `.<name>.<pid>.<random>.tmp` file behind,
 * which no tidemark reader picks up (content files end in .yaml/.yml).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';

/** A file could not be written. An environment failure, so `exitCode` 2 (SPEC §12); the message is for people. */
export class WriteError extends Error {
  override name = 'WriteError';
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly path: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

const REASONS: Record<string, (path: string) => string> = {
  EACCES: (path) => `cannot write ${dirname(path)}: permission denied`,
  EPERM: (path) => `cannot write ${dirname(path)}: permission denied`,
  ENOSPC: (path) => `cannot write ${path}: disk full`,
  EDQUOT: (path) => `cannot write ${path}: disk quota exceeded`,
  EROFS: (path) => `cannot write ${dirname(path)}: read-only file system`,
  EISDIR: (path) => `cannot write ${path}: it is a directory`,
  ENOTDIR: (path) => `cannot write ${path}: a parent of it is a file, not a directory`,
  // mkdir -p says EEXIST when the folder to create exists as a file.
  EEXIST: (path) => `cannot write ${path}: a parent of it is a file, not a directory`,
  EMFILE: (path) => `cannot write ${path}: too many open files`,
};

/** The error a failed write becomes: a short sentence naming the place, without Node's syscall noise. */
export function describeWriteError(error: unknown, path: string): WriteError {
  if (error instanceof WriteError) return error;
  const code = (error as NodeJS.ErrnoException)?.code;
  const reason = code ? REASONS[code] : undefined;
  const message = reason ? reason(path) : `cannot write ${path}: ${code ?? (error as Error)?.message ?? String(error)}`;
  return new WriteError(message, path, code);
}

export const tempPathFor = (path: string): string =>
  join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);

/** Write `data` to a fresh temp file beside `path` and flush it; returns the temp path. */
async function writeTemp(path: string, data: string | Uint8Array): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const temp = tempPathFor(path);
  // Keep the mode of a file being replaced (an executable stays executable).
  const mode = await stat(path).then(
    (s) => s.mode & 0o7777,
    () => undefined,
  );
  const handle = await open(temp, 'wx');
  try {
    if (mode !== undefined) await handle.chmod(mode);
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await handle.close();
  return temp;
}

/** Make the renames themselves durable; not every platform lets a directory be fsynced, so best effort. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}

/** Replace (or create) `path` with `data`, whole or not at all. Creates missing parent directories. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  let temp: string | undefined;
  try {
    temp = await writeTemp(path, data);
    await rename(temp, path);
  } catch (error) {
    if (temp) await rm(temp, { force: true }).catch(() => undefined);
    throw describeWriteError(error, path);
  }
  await syncDir(dirname(path));
}

/**
 * The nearest existing folder above `path` must resolve inside `dir`: a symbolic link in the tree
 * (a `coverage -> /home/someone` committed to a repository) must not carry a write out of it.
 */
async function checkContained(dir: string, path: string): Promise<void> {
  const root = await realpath(dir).catch(() => undefined);
  if (root === undefined) return; // dir does not exist yet: everything below it will be created
  for (let probe = dirname(path); ; probe = dirname(probe)) {
    const real = await realpath(probe).catch(() => undefined);
    if (real !== undefined) {
      const rel = relative(root, real);
      if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
        throw new WriteError(`cannot write ${path}: ${probe} is a link that leads outside ${dir}`, path);
      }
      return;
    }
    if (probe === dir || dirname(probe) === probe) return;
  }
}

/**
 * Several files under `dir` (keys are relative paths with `/`), each of which must stay inside
 * `dir` also after following links. Every file is written whole; all
 * temp files are written and flushed before the first rename, so a failure while writing (disk
 * full, permissions) changes nothing. The renames that follow are each atomic but not together: a
 * crash between two of them leaves some files new and the others old, each one whole.
 */
export async function writeFilesAtomic(dir: string, files: Record<string, string | Uint8Array>): Promise<void> {
  const targets = Object.keys(files).map((relpath) => {
    const clean = normalize(relpath);
    if (isAbsolute(relpath) || clean === '..' || clean.startsWith(`..${sep}`) || clean === '.') {
      throw new WriteError(`cannot write ${relpath}: not a path inside ${dir}`, relpath);
    }
    return { path: join(dir, clean), data: files[relpath] };
  });
  for (const { path } of targets) await checkContained(dir, path);
  const temps: { temp: string; path: string }[] = [];
  let current = dir;
  try {
    for (const { path, data } of targets) {
      current = path;
      temps.push({ temp: await writeTemp(path, data), path });
    }
    while (temps.length) {
      const { temp, path } = temps[0];
      current = path;
      await rename(temp, path);
      temps.shift();
    }
  } catch (error) {
    await Promise.all(temps.map(({ temp }) => rm(temp, { force: true }).catch(() => undefined)));
    throw describeWriteError(error, current);
  }
  for (const parent of new Set(targets.map((t) => dirname(t.path)))) await syncDir(parent);
}
