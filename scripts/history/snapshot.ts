/**
 * The content of one commit, kept in parsed form and moved from commit to commit: only the files a
 * commit changed are read from git and parsed again; every other file keeps the parsed form it had.
 * The first commit is read whole through the gate's git-objects reader.
 */
import type { SimpleGit } from 'simple-git';
import { gitRevision } from '../load/git.js';
import { parseFiles, skippedFindings } from '../load/files.js';
import { isContentPath, MAX_FILE_BYTES, type Skipped } from '../load/reader.js';
import type { ParsedFile } from '../load/yaml.js';
import type { Finding } from '../model/findings.js';
import { byString } from '../model/order.js';
import { changesBetween } from './commits.js';

export interface Snapshot {
  commit: string;
  parsed: Map<string, ParsedFile>;
  skipped: Map<string, Skipped>;
}

/** Counts what was read, for tests and for the command's summary. */
export interface ReadStats {
  /** Files read and parsed (a full read counts every file). */
  filesParsed: number;
}

export async function fullSnapshot(repoDir: string, commit: string, stats: ReadStats): Promise<Snapshot> {
  const { files, skipped } = await (await gitRevision(repoDir, commit)).read();
  stats.filesParsed += files.length;
  return {
    commit,
    parsed: new Map(parseFiles(files).map((p) => [p.file, p])),
    skipped: new Map(skipped.map((s) => [s.path, s])),
  };
}

/** The snapshot of `commit`, made from `previous` by applying only what changed between them. */
export async function advance(git: SimpleGit, previous: Snapshot, commit: string, stats: ReadStats): Promise<Snapshot> {
  const parsed = new Map(previous.parsed);
  const skipped = new Map(previous.skipped);
  for (const change of await changesBetween(git, previous.commit, commit)) {
    parsed.delete(change.path);
    skipped.delete(change.path);
    if (change.status === 'D' || !isContentPath(change.path)) continue;
    if (change.mode === '120000') {
      skipped.set(change.path, { path: change.path, reason: 'symlink-outside', message: `${change.path} is a symbolic link; links are not followed when reading a revision.` });
      continue;
    }
    if (!change.mode?.startsWith('100')) continue; // submodules are not content
    const bytes = await git.binaryCatFile(['blob', change.blob!]);
    if (bytes.length > MAX_FILE_BYTES) {
      skipped.set(change.path, { path: change.path, reason: 'file-too-large', message: `${change.path} is ${bytes.length} bytes, over the ${MAX_FILE_BYTES}-byte limit.` });
      continue;
    }
    stats.filesParsed++;
    const [file] = parseFiles([{ path: change.path, bytes: new Uint8Array(bytes) }]);
    parsed.set(change.path, file);
  }
  return { commit, parsed, skipped };
}

/** The parsed files in path order (what the loader would give) and the findings for skipped ones. */
export function contents(snapshot: Snapshot): { files: ParsedFile[]; findings: Finding[] } {
  const files = [...snapshot.parsed.values()].sort((a, b) => byString(a.file, b.file));
  const skipped = [...snapshot.skipped.values()].sort((a, b) => byString(a.path, b.path));
  return { files, findings: [...skippedFindings(skipped), ...files.flatMap((f) => f.findings)] };
}
