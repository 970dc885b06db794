/**
 * The commits of a branch that changed content, oldest first, and what each changed. First-parent
 * history: the main branch as it moved, one point per merge or direct commit, never the inside of
 * a merged branch.
 */
import type { SimpleGit } from 'simple-git';
import { CONTENT_ROOTS } from '../load/reader.js';

export interface ContentCommit {
  commit: string;
  /** Committer date, ISO 8601: when it landed on the branch. */
  date: string;
}

export async function contentCommits(git: SimpleGit, ref: string): Promise<ContentCommit[]> {
  const out = await git.raw(['log', '--first-parent', '--reverse', '--format=%H%x09%cI', ref, '--', ...CONTENT_ROOTS]);
  return out
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [commit, date] = line.split('\t');
      return { commit, date: new Date(date).toISOString() };
    });
}

export interface Change {
  /** A added, M modified, D deleted, T type changed (file ↔ link); renames and copies arrive as D + A. */
  status: 'A' | 'M' | 'D' | 'T';
  path: string;
  /** Mode and blob id after the change (absent for D). */
  mode?: string;
  blob?: string;
}

/**
 * `git diff-tree -r --raw --no-renames` between two commits, paths relative to the repository
 * folder (which may be a subfolder of the work tree). Raw output is name-status plus the blob ids,
 * so a changed file is read by id without another lookup.
 */
export async function changesBetween(git: SimpleGit, from: string, to: string): Promise<Change[]> {
  const out = await git.raw(['diff-tree', '-r', '--raw', '--no-renames', '--relative', '-z', from, to, '--', ...CONTENT_ROOTS]);
  const fields = out.split('\0');
  const changes: Change[] = [];
  for (let i = 0; i < fields.length - 1; i += 2) {
    const meta = fields[i];
    if (!meta.startsWith(':')) {
      i -= 1; // not a raw record (should not happen): resynchronise on the next field
      continue;
    }
    const [, newMode, , newBlob, status] = meta.slice(1).split(' ');
    const path = fields[i + 1];
    const s = status[0] as Change['status'];
    changes.push(s === 'D' ? { status: 'D', path } : { status: s === 'A' || s === 'T' ? s : 'M', path, mode: newMode, blob: newBlob });
  }
  return changes;
}
