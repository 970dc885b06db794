/**
 * The ATT&CK release index (`index.json` beside the bundles in attack-stix-data and in a mirror):
 * `collections[].versions[{version, url, modified}]` → the newest release of each domain.
 * The domain is read from each version's URL (`…/<domain>/<domain>-<version>.json`), falling back
 * to the collection's name ("Enterprise ATT&CK" → enterprise-attack).
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AttackDataError, type FailureCode } from './errors.js';
import { readLocalFile } from './locate.js';
import { DEFAULT_FETCH_TIMEOUT_MS, fetchBytes } from './undici-fetch.js';
import { byString } from '../model/order.js';

export const DEFAULT_INDEX_URL = 'https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/index.json';

export interface Release {
  domain: string;
  version: string;
  url: string;
  modified: string;
}

/** Numeric, part by part: 18.1 > 18.0 > 9.0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] || 0) - (pb[i] || 0);
    if (d !== 0) return d;
  }
  return 0;
}

function domainOf(url: string, collectionName: string): string | undefined {
  const match = /\/([a-z0-9-]+)-(\d+(?:\.\d+)*)\.json(?:\.gz)?$/i.exec(url);
  if (match) return match[1];
  const word = /^(\w+)\s+ATT&CK/i.exec(collectionName)?.[1];
  return word ? `${word.toLowerCase()}-attack` : undefined;
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** Every release the index lists, by domain then version. Throws when the JSON is not a release index. */
export function parseReleaseIndex(index: unknown): Release[] {
  const collections = (index as { collections?: unknown } | null)?.collections;
  if (!Array.isArray(collections)) throw new TypeError('no "collections" array');
  const releases: Release[] = [];
  for (const c of collections) {
    const name = text(c?.name);
    for (const v of Array.isArray(c?.versions) ? c.versions : []) {
      const version = text(v?.version);
      const url = text(v?.url);
      const domain = domainOf(url, name);
      if (version && domain) releases.push({ domain, version, url, modified: text(v?.modified) });
    }
  }
  return releases.sort((a, b) => byString(a.domain, b.domain) || compareVersions(a.version, b.version));
}

/** The newest release of each domain (by version number, then modification date). */
export function newestByDomain(releases: readonly Release[]): Record<string, Release> {
  const newest: Record<string, Release> = {};
  for (const r of releases) {
    const current = newest[r.domain];
    const order = current ? compareVersions(r.version, current.version) || byString(r.modified, current.modified) : 1;
    if (order > 0) newest[r.domain] = r;
  }
  return newest;
}

const fail = (code: FailureCode, location: string, why: string) =>
  new AttackDataError(code, `The ATT&CK release index could not be read from ${location}: ${why}.`, [`${location}: ${why}`]);

/**
 * Reads the index from a mirror directory (its index.json), a file, an http(s) URL of the index,
 * or an http(s) mirror base URL; returns the newest release per domain.
 */
export async function readReleaseIndex(location: string = DEFAULT_INDEX_URL, timeoutMs = DEFAULT_FETCH_TIMEOUT_MS): Promise<Record<string, Release>> {
  let where = location;
  let bytes: Buffer;
  if (/^https?:\/\//i.test(location)) {
    if (!/\.json$/i.test(new URL(location).pathname)) where = `${location.replace(/\/+$/, '')}/index.json`;
    const fetched = await fetchBytes(where, timeoutMs);
    if (!fetched.ok) throw fail(fetched.code, where, fetched.why);
    bytes = fetched.bytes;
  } else {
    if (await stat(location).then((s) => s.isDirectory(), () => false)) where = join(location, 'index.json');
    const found = await readLocalFile(where);
    if (!('bytes' in found)) throw fail(found.code, where, found.why);
    bytes = found.bytes;
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw fail('invalid-json', where, `not valid JSON (${(error as Error).message})`);
  }
  try {
    return newestByDomain(parseReleaseIndex(json));
  } catch (error) {
    throw fail('not-release-index', where, `not an ATT&CK release index (${(error as Error).message})`);
  }
}
