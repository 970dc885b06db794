/**
 * Loading the index from a path (relative to the repository) or an http(s) URL. For a local index,
 * an `atomics/` folder beside it (or the `atomics/` folder it lives in, as in the Atomic Red Team
 * repository's `atomics/Indexes/Indexes-CSV/index.csv`) supplies each test's supported platforms.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fetchBytes } from '../catalog/undici-fetch.js';
import type { Problem } from '../import/types.js';
import { applyAtomicsFile, parseAtomicIndex, type AtomicIndex } from './parse.js';

/** The index could not be had at all: an environment failure, exit 2. */
export class AtomicIndexError extends Error {
  override name = 'AtomicIndexError';
  readonly exitCode = 2;
}

export interface LoadedIndex {
  index: AtomicIndex;
  /** Rows left out (bad GUID, a test under two techniques). */
  problems: Problem[];
  /** The atomics folder read for platforms, when one was found. */
  atomicsDir?: string;
}

export const isUrl = (source: string) => /^https?:\/\//i.test(source);

const isDir = (path: string) => stat(path).then((s) => s.isDirectory(), () => false);

async function findAtomicsDir(indexPath: string): Promise<string | undefined> {
  const beside = join(dirname(indexPath), 'atomics');
  if (await isDir(beside)) return beside;
  for (let dir = dirname(indexPath), i = 0; i < 4 && dir !== dirname(dir); dir = dirname(dir), i++) {
    if (basename(dir) === 'atomics') return dir;
  }
  return undefined;
}

async function applyAtomicsDir(index: AtomicIndex, dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isDirectory() || !/^T\d{4}(\.\d{3})?$/i.test(entry.name)) continue;
    const text = await readFile(join(dir, entry.name, `${entry.name}.yaml`), 'utf8').catch(() => undefined);
    if (text !== undefined) applyAtomicsFile(index, text);
  }
}

export async function loadAtomicIndex(source: string, options: { repoDir: string; timeoutMs?: number }): Promise<LoadedIndex> {
  let text: string;
  let path: string | undefined;
  if (isUrl(source)) {
    const fetched = await fetchBytes(source, options.timeoutMs ?? 60_000);
    if (!fetched.ok) throw new AtomicIndexError(`cannot load the Atomic Red Team index from ${source}: ${fetched.why}`);
    text = fetched.bytes.toString('utf8');
  } else {
    path = resolve(options.repoDir, source);
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new AtomicIndexError(`cannot read the Atomic Red Team index ${source}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(error))}`);
    }
  }
  const { index, problems } = parseAtomicIndex(text);
  // The CSV reader yields no rows at all when the file is broken (bad quoting, missing columns).
  if (Object.keys(index.tests).length === 0) {
    // A path outside the repository may name any file of the machine (a pull request can set it):
    // say where reading failed, never what the file holds.
    const rel = path === undefined ? '' : relative(resolve(options.repoDir), path);
    const outside = rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
    const problem = problems[0];
    const why = problem ? `line ${problem.line}: ${outside ? 'not a row of an Atomic Red Team index.csv' : problem.message}` : 'it lists no tests';
    throw new AtomicIndexError(`the Atomic Red Team index ${source} is unusable: ${why}`);
  }
  const atomicsDir = path ? await findAtomicsDir(path) : undefined;
  if (atomicsDir) await applyAtomicsDir(index, atomicsDir);
  return { index, problems, ...(atomicsDir ? { atomicsDir } : {}) };
}
