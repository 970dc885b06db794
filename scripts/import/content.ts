/**
 * What the content importers (`import mappings-explorer | dettect | navigator`) share: the shape
 * of a kind, reading the repository's content files as they are (an import must work on a
 * repository that does not validate yet), and placing new files without ever overwriting one.
 *
 * New files: a target that exists with the same content is left alone (importing twice adds
 * nothing); a target that exists with other content, or an id another file already uses, is a
 * conflict, and then nothing at all is written (exit 1) — the person decides whether to delete,
 * rename or merge. Writes go through `writeFilesAtomic`.
 */
import { posix } from 'node:path';
import type { Catalog } from '../catalog/types.js';
import { isObject, str } from './json.js';
import { parseQuietly, readContent, type RepoFile } from './repository.js';

export { readContent, type RepoFile };

export interface ContentRequest {
  /** Absolute path of the input. */
  file: string;
  repoDir: string;
  now: Date;
  dryRun: boolean;
  /** `--write` (mappings-explorer: add proposals to the controls). */
  write: boolean;
  /** `--threshold` (navigator). */
  threshold?: number;
  /** The repository's pinned catalog (exit 2 when unavailable). */
  pinned(): Promise<Catalog>;
  /** Another release of the pinned domain, or why it could not be loaded. */
  release(domain: string, version: string): Promise<Catalog | { unavailable: string }>;
}

export interface ContentOutcome {
  /** 0 done (or nothing to do), 1 the input or the repository is in the way (nothing written). */
  code: 0 | 1;
  out: string[];
  err: string[];
}

export interface ContentKind {
  describes: string;
  /** Flags of `tidemark import` this kind takes besides --dry-run. */
  flags: readonly ('write' | 'threshold')[];
  run(req: ContentRequest): Promise<ContentOutcome>;
}

/** Single files (e.g. coverage/telemetry.yaml); undefined when absent. */
export async function readOne(repoDir: string, path: string): Promise<RepoFile | undefined> {
  return (await readContent(repoDir, posix.dirname(path))).find((f) => f.path === path);
}

/** `id` → file, for every file under `dir` whose top level has an `id`. */
export function idsOf(files: readonly RepoFile[]): Map<string, string> {
  const ids = new Map<string, string>();
  for (const f of files) {
    const id = isObject(f.value) ? str(f.value.id) : undefined;
    if (id && !ids.has(id)) ids.set(id, f.path);
  }
  return ids;
}

export interface NewFile {
  path: string;
  text: string;
  /** The id the file defines, which must not be used by another file of its kind. */
  id: string;
}

export interface Placement {
  write: Record<string, string>;
  /** Targets that already hold the same content. */
  unchanged: string[];
  conflicts: string[];
}

const same = (a: string, b: string) => JSON.stringify(parseQuietly(a)) === JSON.stringify(parseQuietly(b));

/** Where each new file goes, given what the repository holds (`existing` by path, `ids` id → path). */
export function placeNewFiles(files: readonly NewFile[], existing: ReadonlyMap<string, string>, ids: ReadonlyMap<string, string>): Placement {
  const placement: Placement = { write: {}, unchanged: [], conflicts: [] };
  const claimed = new Map<string, string>();
  for (const f of files) {
    const current = existing.get(f.path);
    const owner = ids.get(f.id);
    if (claimed.has(f.path.toLowerCase())) {
      placement.conflicts.push(`${f.path}: two entries of the input make the same file (${claimed.get(f.path.toLowerCase())} and ${f.id})`);
      continue;
    }
    claimed.set(f.path.toLowerCase(), f.id);
    if (current !== undefined) {
      if (same(current, f.text)) placement.unchanged.push(f.path);
      else placement.conflicts.push(`${f.path} exists with other content; not overwritten (delete or rename it to import again)`);
    } else if (owner !== undefined && owner !== f.path) {
      placement.conflicts.push(`${f.path}: id ${f.id} is already defined in ${owner}`);
    } else placement.write[f.path] = f.text;
  }
  return placement;
}

/** Lower-case slug for ids and file names: letters and digits, words joined by `-`. */
export function slugify(text: string, max = 60): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s.slice(0, max).replace(/-+$/, '') || 'unnamed';
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A list of ids for a summary line, shortened after `max`. */
export function listIds(ids: readonly string[], max = 12): string {
  const shown = ids.slice(0, max).join(', ');
  return ids.length > max ? `${shown}, … (${ids.length - max} more)` : shown;
}

/** A long list of ids wrapped into indented lines, all of them. */
export function wrapIds(ids: readonly string[], indent = '    ', width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const id of ids) {
    const next = line ? `${line}, ${id}` : id;
    if (indent.length + next.length > width && line) {
      lines.push(`${indent}${line},`);
      line = id;
    } else line = next;
  }
  if (line) lines.push(`${indent}${line}`);
  return lines;
}
