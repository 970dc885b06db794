/**
 * The working tree as a RepoReader. Links are followed only while they stay inside the repository,
 * so a pull request cannot make tidemark read (and publish) a file from elsewhere on the runner.
 */
import { readFileSync, statSync, type Dirent } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { CONTENT_ROOTS, isContentPath, MAX_FILE_BYTES, type RepoFile, type RepoReader, type Skipped } from './reader.js';

/** `--repo` names no directory: an environment error (exit 2, SPEC §12), not a crash. */
export class RepositoryDirError extends Error {
  override name = 'RepositoryDirError';
  readonly exitCode = 2;
}

export function workingTree(repoDir: string): RepoReader {
  return {
    async read() {
      const root = await realpath(repoDir).catch(() => undefined);
      if (root === undefined || !(await stat(root)).isDirectory()) {
        throw new RepositoryDirError(`${repoDir} is not a directory; --repo names the folder of the repository (default: the current one).`);
      }
      const candidates: string[] = [];
      const skipped: Skipped[] = [];
      for (const entry of CONTENT_ROOTS) await walk(root, entry, candidates, skipped);
      const files: RepoFile[] = [];
      for (const path of candidates) {
        const result = readContained(root, path);
        if ('bytes' in result) files.push(result);
        else skipped.push(result);
      }
      const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
      return { files: files.sort(byPath), skipped: skipped.sort(byPath) };
    },
  };
}

/** What walk needs to know of an entry: a directory listing's entry, or lstat for the roots. */
type EntryKind = Pick<Dirent, 'isSymbolicLink' | 'isDirectory' | 'isFile'>;

async function walk(root: string, path: string, out: string[], skipped: Skipped[], known?: EntryKind): Promise<void> {
  const full = join(root, path);
  let info: EntryKind;
  try {
    // The type from the directory listing saves one lstat per file (a large repository has many).
    info = known ?? (await lstat(full));
  } catch {
    return;
  }
  if (info.isSymbolicLink()) {
    const target = await realpath(full).catch(() => undefined);
    if (!target || !inside(root, target)) {
      if (isContentPath(path) || path.split('/').length === 1) {
        skipped.push({ path, reason: 'symlink-outside', message: `${path} is a link that leads outside the repository; it was not followed.` });
      }
      return;
    }
    // A link inside the repository: read a file through it; directories are walked at their real place only.
    if ((await stat(target)).isFile() && isContentPath(path)) out.push(path);
    return;
  }
  if (info.isDirectory()) {
    let entries: Dirent[];
    try {
      entries = await readdir(full, { withFileTypes: true });
    } catch (error) {
      skipped.push({ path, reason: 'file-unreadable', message: `${path} could not be listed: ${(error as NodeJS.ErrnoException).code ?? String(error)}.` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) await walk(root, `${path}/${entry.name}`, out, skipped, entry);
  } else if (info.isFile() && isContentPath(path)) {
    out.push(path);
  }
}

/**
 * Synchronous on purpose: nothing else runs meanwhile, and for many small files the thread-pool
 * round trips of fs/promises (stat, open, fstat, read, close) cost about eight times as much.
 */
function readContained(root: string, path: string): RepoFile | Skipped {
  const full = join(root, path);
  try {
    const info = statSync(full);
    if (info.size > MAX_FILE_BYTES) {
      return { path, reason: 'file-too-large', message: `${path} is ${(info.size / 1048576).toFixed(1)} MiB; content files are limited to ${MAX_FILE_BYTES / 1048576} MiB.` };
    }
    return { path, bytes: readFileSync(full) };
  } catch (error) {
    return { path, reason: 'file-unreadable', message: `${path} could not be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}.` };
  }
}

const inside = (root: string, target: string) => {
  const rel = relative(root, target);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel);
};
