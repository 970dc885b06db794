/**
 * A RepoReader over git objects at a revision: the gate's view of the base branch. Nothing is
 * checked out and no second working tree is made; the files come from `git ls-tree` and the blob
 * contents from one `git show` per batch of blob ids. Only content paths are read, and symbolic
 * links (mode 120000) are reported, never followed: their target could name anything.
 */
import { stat } from 'node:fs/promises';
import { simpleGit, type SimpleGit } from 'simple-git';
import { MAX_FILE_BYTES, isContentPath, type RepoFile, type RepoReader, type Skipped } from './reader.js';

/** An environment error: exit code 2 (SPEC §12), no stack trace. */
export class GitRevisionError extends Error {
  override name = 'GitRevisionError';
  readonly exitCode = 2;
}

const CI_HINT = 'In GitHub Actions, check out with actions/checkout and `fetch-depth: 0` so the base branch is available.';

export interface GitRevision extends RepoReader {
  /** The ref as given. */
  ref: string;
  /** The commit it resolved to. */
  commit: string;
}

interface TreeEntry {
  mode: string;
  type: string;
  object: string;
  size: number;
  path: string;
}

/** Blob ids per `git show` call: keeps the command line far below ARG_MAX. */
const BATCH = 500;

/**
 * Resolves `ref` in the repository at `repoDir` and returns a reader of its content files. Throws
 * GitRevisionError (exit 2) when the directory is no git repository or the ref does not exist.
 */
export async function gitRevision(repoDir: string, ref: string): Promise<GitRevision> {
  if (!(await isDirectory(repoDir))) throw new GitRevisionError(`${repoDir} is not a directory.`);
  if (ref === '' || ref.startsWith('-') || /[\0\s]/.test(ref)) {
    throw new GitRevisionError(`${JSON.stringify(ref)} is not a git revision.`);
  }
  const git = simpleGit({ baseDir: repoDir, trimmed: false });
  const inside = await git.raw(['rev-parse', '--is-inside-work-tree']).catch(() => '');
  if (inside.trim() !== 'true') {
    throw new GitRevisionError(`${repoDir} is not a git repository, so there is no base to compare with. ${CI_HINT}`);
  }
  const commit = (await git.raw(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => '')).trim();
  if (!/^[0-9a-f]{40,64}$/.test(commit)) {
    throw new GitRevisionError(`the base revision ${JSON.stringify(ref)} does not exist in ${repoDir}. ${CI_HINT}`);
  }
  // The content lives at the repository root named by --repo, which may be a subfolder of the git work tree.
  const prefix = (await git.raw(['rev-parse', '--show-prefix'])).trim();
  return { ref, commit, read: () => readRevision(git, commit, prefix) };
}

async function readRevision(git: SimpleGit, commit: string, prefix: string): Promise<{ files: RepoFile[]; skipped: Skipped[] }> {
  const tree = prefix === '' ? commit : `${commit}:${prefix.replace(/\/$/, '')}`;
  const listing = await git.raw(['ls-tree', '--full-tree', '-r', '-l', '-z', tree]).catch((error: Error) => {
    // A prefix that did not exist at that commit: the base has no content yet.
    if (prefix !== '' && /not a tree object|Not a valid object name/i.test(error.message)) return '';
    throw error;
  });
  const files: RepoFile[] = [];
  const skipped: Skipped[] = [];
  const wanted: TreeEntry[] = [];
  for (const entry of parseTree(listing)) {
    if (!isContentPath(entry.path)) continue;
    if (entry.mode === '120000') {
      skipped.push({
        path: entry.path,
        reason: 'symlink-outside',
        message: `${entry.path} is a symbolic link; links are not followed when reading the base revision.`,
      });
    } else if (entry.type !== 'blob') {
      continue; // submodules and trees are not content
    } else if (entry.size > MAX_FILE_BYTES) {
      skipped.push({ path: entry.path, reason: 'file-too-large', message: `${entry.path} is ${entry.size} bytes, over the ${MAX_FILE_BYTES}-byte limit.` });
    } else {
      wanted.push(entry);
    }
  }
  const contents = await readBlobs(git, wanted);
  for (const entry of wanted) files.push({ path: entry.path, bytes: contents.get(entry.object)! });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, skipped };
}

/** `<mode> SP <type> SP <object> SP <size>\t<path>\0`, as printed by `ls-tree -l -z`. */
export function parseTree(listing: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of listing.split('\0')) {
    if (record === '') continue;
    const tab = record.indexOf('\t');
    const [mode, type, object, size] = record.slice(0, tab).trim().split(/\s+/);
    entries.push({ mode, type, object, size: size === '-' ? 0 : Number(size), path: record.slice(tab + 1) });
  }
  return entries;
}

/**
 * Raw blob contents by object id. `git show A B C` prints the blobs back to back, so the output is
 * cut by the sizes ls-tree reported; a length mismatch means something else was printed, and fails.
 */
async function readBlobs(git: SimpleGit, entries: TreeEntry[]): Promise<Map<string, Uint8Array>> {
  const sizes = new Map(entries.map((e) => [e.object, e.size]));
  const ids = [...sizes.keys()];
  const out = new Map<string, Uint8Array>();
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const buffer = await git.showBuffer(['--no-textconv', ...batch]);
    let offset = 0;
    for (const id of batch) {
      const size = sizes.get(id)!;
      out.set(id, new Uint8Array(buffer.subarray(offset, offset + size)));
      offset += size;
    }
    if (offset !== buffer.length) throw new Error(`git show printed ${buffer.length} bytes for blobs totalling ${offset}.`);
  }
  return out;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
