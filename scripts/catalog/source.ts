/**
 * Where the catalog comes from (SPEC §2), in order: `--attack-file`, the mirror
 * (TIDEMARK_ATTACK_MIRROR), a bundle downloaded earlier into the cache dir, a download (then kept
 * in the cache dir). Whatever the source, the derived catalog is cached by the hash of the file's
 * bytes, so a warm run never parses the bundle.
 *
 * A missing file moves on to the next source. A file that is there but unusable (damaged, not
 * STIX, not the pinned hash) stops the search, except in the cache dir, which is ours to rebuild.
 */
import { join } from 'node:path';
import { buildCatalog } from './build.js';
import { readCompact, writeCompact } from './compact-cache.js';
import { checkPin, decompress, isGzip, parseBundle, sha256Hex } from './decode.js';
import { attackDataError, BundleProblem, type Attempt } from './errors.js';
import { bundleNames, download, findInDirectory, findInMirror, readLocalFile, type Found, type Missing } from './locate.js';
import { writeFileAtomic } from '../write/atomic.js';
import { fsReason } from './fs-reason.js';
import type { Catalog } from './types.js';
import { DEFAULT_FETCH_TIMEOUT_MS } from './undici-fetch.js';

export { AttackDataError } from './errors.js';
export { DEFAULT_FETCH_TIMEOUT_MS };

export const DEFAULT_DOWNLOAD_BASE = 'https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master';

export interface LoadRequest {
  domain: string;
  version: string;
  /** sha256 (hex) of the uncompressed bundle JSON; a different bundle is refused. */
  sha256?: string;
  attackFile?: string;
  /** The value of TIDEMARK_ATTACK_MIRROR: a directory or an http(s) base URL. */
  mirror?: string;
  cacheDir: string;
  fetchTimeoutMs?: number;
  /** Where downloads come from; tests point it at a local server. */
  downloadBase?: string;
}

export interface Loaded {
  catalog: Catalog;
  /** `<source> <path or url>`, e.g. `TIDEMARK_ATTACK_MIRROR /srv/attack/enterprise-attack-18.1.json.gz`. */
  source: string;
  /** True when the derived catalog came from the cache dir instead of parsing the bundle. */
  cached: boolean;
  /** Things worth telling the user that did not stop the load (a damaged cache entry, an unwritable cache). */
  warnings: string[];
}

interface Source {
  /** How the tried list names it: `--attack-file`, `TIDEMARK_ATTACK_MIRROR`, `cache`, `download`. */
  name: string;
  location: string;
  find: () => Promise<Found | Missing>;
  /** Stop when the file is missing (an explicit --attack-file). */
  required?: boolean;
  /** Skip a damaged bundle instead of stopping (the cache dir's own copy). */
  disposable?: boolean;
  /** Keep the bytes after a successful load (a download goes into the cache dir). */
  keep?: (bytes: Buffer) => Promise<string | undefined>;
}

export const bundleUrl = (base: string, domain: string, version: string) =>
  `${base.replace(/\/+$/, '')}/${domain}/${domain}-${version}.json`;

function sourcesFor(req: LoadRequest): Source[] {
  const names = bundleNames(req.domain, req.version);
  const timeout = req.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  if (req.attackFile) {
    const path = req.attackFile;
    return [{ name: '--attack-file', location: path, find: () => readLocalFile(path), required: true }];
  }
  const sources: Source[] = [];
  if (req.mirror) {
    const mirror = req.mirror;
    sources.push({ name: 'TIDEMARK_ATTACK_MIRROR', location: mirror, find: () => findInMirror(mirror, names, timeout) });
  }
  const findCached = async () => {
    const found = await findInDirectory(req.cacheDir, names);
    return 'code' in found && found.code === 'not-found' ? { ...found, why: 'no bundle downloaded there yet' } : found;
  };
  sources.push({ name: 'cache', location: req.cacheDir, find: findCached, disposable: true });
  const url = bundleUrl(req.downloadBase ?? DEFAULT_DOWNLOAD_BASE, req.domain, req.version);
  sources.push({
    name: 'download',
    location: url,
    find: () => download(url, timeout),
    keep: async (bytes) => {
      const name = isGzip(bytes) ? names[0] : names[1];
      return writeFileAtomic(join(req.cacheDir, name), bytes).then(
        () => undefined,
        (error) => `could not keep the downloaded bundle in ${req.cacheDir} (${fsReason(error)}); the next run will download it again`,
      );
    },
  });
  return sources;
}

/** Bytes → catalog, through the compact cache. Throws BundleProblem for an unusable bundle. */
async function catalogFromBytes(bytes: Buffer, req: LoadRequest, warnings: string[]) {
  const key = sha256Hex(bytes);
  const compact = await readCompact(req.cacheDir, key, req);
  if (compact.warning) warnings.push(compact.warning);
  if (compact.catalog) {
    checkPin(compact.catalog.sha256, req.sha256);
    return { catalog: compact.catalog, cached: true };
  }
  const json = decompress(bytes);
  const sha256 = sha256Hex(json);
  checkPin(sha256, req.sha256);
  const catalog = buildCatalog(parseBundle(json), sha256, { domain: req.domain, version: req.version });
  if (catalog.tactics.length === 0 && Object.keys(catalog.techniques).length === 0) {
    throw new BundleProblem('not-stix', 'a STIX bundle without ATT&CK tactics or techniques');
  }
  const warning = await writeCompact(req.cacheDir, key, catalog);
  if (warning) warnings.push(warning);
  return { catalog, cached: false };
}

/** Domain and version become file names in the cache dir: nothing that could leave it. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export async function loadCatalog(req: LoadRequest): Promise<Loaded> {
  for (const [field, value] of [['attack.domain', req.domain], ['attack.version', req.version]] as const) {
    if (!SAFE_NAME.test(value) || value.includes('..')) {
      throw attackDataError(req, [{ source: field, code: 'invalid-request', why: `${JSON.stringify(value)} is not a release name` }]);
    }
  }
  const attempts: Attempt[] = [];
  const warnings: string[] = [];
  for (const source of sourcesFor(req)) {
    const found = await source.find();
    if (!('bytes' in found)) {
      attempts.push({ source: `${source.name} ${source.location}`, code: found.code, why: found.why });
      if (source.required) throw attackDataError(req, attempts);
      continue;
    }
    const label = `${source.name} ${found.where}`;
    try {
      const { catalog, cached } = await catalogFromBytes(found.bytes, req, warnings);
      const kept = await source.keep?.(found.bytes);
      if (kept) warnings.push(kept);
      return { catalog, source: label, cached, warnings };
    } catch (error) {
      if (!(error instanceof BundleProblem)) throw error;
      const attempt: Attempt = { source: label, code: error.code, why: error.why };
      attempts.push(attempt);
      if (!source.disposable) throw attackDataError(req, attempts, attempt);
      warnings.push(`ignored ${label}: ${error.why}`);
    }
  }
  throw attackDataError(req, attempts);
}
