/**
 * The working tree as a RepoReader. Links are followed only while they stay inside the repository,
 * so a pull request cannot make tidemark read (and publish) a file from elsewhere on the runner.
 */
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { CONTENT_ROOTS, isContentPath, MAX_FILE_BYTES, type RepoFile, type RepoReader, type Skipped } from './reader.js';

const READ_CONCURRENCY = 64;

export function workingTree(repoDir: string): RepoReader {
  return {
    async read() {
      const root = await realpath(repoDir);
      const candidates: string[] = [];
      const skipped: Skipped[] = [];
      for (const entry of CONTENT_ROOTS) await walk(root, entry, candidates, skipped);
      const files: RepoFile[] = [];
      let next = 0;
      const worker = async () => {
        while (next < candidates.length) {
          const path = candidates[next++];
          const result = await readContained(root, path);
          if ('bytes' in result) files.push(result);
          else skipped.push(result);
        }
      };
      await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
      const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
      return { files: files.sort(byPath), skipped: skipped.sort(byPath) };
    },
  };
}

async function walk(root: string, path: string, out: string[], skipped: Skipped[]): Promise<void> {
  const full = join(root, path);
  let info;
  try {
    info = await lstat(full);
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
    const entries = await readdir(full);
    for (const name of entries.sort()) await walk(root, `${path}/${name}`, out, skipped);
  } else if (info.isFile() && isContentPath(path)) {
    out.push(path);
  }
}

async function readContained(root: string, path: string): Promise<RepoFile | Skipped> {
  const full = join(root, path);
  try {
    const info = await stat(full);
    if (info.size > MAX_FILE_BYTES) {
      return { path, reason: 'file-too-large', message: `${path} is ${(info.size / 1048576).toFixed(1)} MiB; content files are limited to ${MAX_FILE_BYTES / 1048576} MiB.` };
    }
    return { path, bytes: await readFile(full) };
  } catch (error) {
    return { path, reason: 'file-unreadable', message: `${path} could not be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}.` };
  }
}

const inside = (root: string, target: string) => {
  const rel = relative(root, target);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel);
};
