/**
 * The derived catalog, cached as JSON under the cache dir and keyed by the sha256 of the bundle
 * file's bytes as read, so a warm run hashes the (compressed) file and never parses the bundle.
 * An entry is trusted only when its catalog still hashes to the recorded payloadSha256; anything
 * else is ignored with a warning and rebuilt. Writing is atomic and best effort: a cache that
 * cannot be written never fails a load.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../write/atomic.js';
import { fsReason } from './fs-reason.js';
import { sha256Hex } from './decode.js';
import type { Catalog } from './types.js';

/** Bump when the catalog's derivation changes, so older entries are rebuilt rather than reused. */
export const COMPACT_FORMAT = 1;

interface Entry {
  format: number;
  domain: string;
  version: string;
  /** sha256 of JSON.stringify(catalog). */
  payloadSha256: string;
  catalog: Catalog;
}

export const compactName = (key: string) => `catalog-${key}.json`;

export interface CompactRead {
  catalog?: Catalog;
  warning?: string;
}

export async function readCompact(
  dir: string,
  key: string,
  want: { domain: string; version: string },
): Promise<CompactRead> {
  const path = join(dir, compactName(key));
  const ignored = (why: string): CompactRead => ({
    warning: `ignored the cached catalog ${path} (${why}) and rebuilt it from the bundle`,
  });
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? {} : ignored(`unreadable: ${fsReason(error)}`);
  }
  let entry: Partial<Entry>;
  try {
    entry = JSON.parse(text) as Partial<Entry>;
  } catch {
    return ignored('truncated or not JSON');
  }
  if (typeof entry !== 'object' || entry === null || typeof entry.catalog !== 'object' || entry.catalog === null) {
    return ignored('no catalog in it');
  }
  // An entry from an older tidemark or for another label of the same bytes: rebuild quietly.
  if (entry.format !== COMPACT_FORMAT || entry.domain !== want.domain || entry.version !== want.version) return {};
  if (sha256Hex(JSON.stringify(entry.catalog)) !== entry.payloadSha256) return ignored('its content does not match its hash');
  return { catalog: entry.catalog };
}

/** Returns a warning instead of throwing when the entry cannot be written (EACCES, ENOSPC, EROFS…). */
export async function writeCompact(dir: string, key: string, catalog: Catalog): Promise<string | undefined> {
  const payload = JSON.stringify(catalog);
  const head = { format: COMPACT_FORMAT, domain: catalog.domain, version: catalog.version, payloadSha256: sha256Hex(payload) };
  const text = `${JSON.stringify(head).slice(0, -1)},"catalog":${payload}}`;
  try {
    await writeFileAtomic(join(dir, compactName(key)), text);
    return undefined;
  } catch (error) {
    return `could not cache the catalog in ${dir} (${fsReason(error)}); the next run will parse the bundle again`;
  }
}
