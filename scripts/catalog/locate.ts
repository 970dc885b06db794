/**
 * Finding the bundle's bytes in a directory or under a base URL: `<domain>-<version>.json.gz`
 * first, then `.json`. A missing file is `not-found` (the loader moves on); anything else that
 * goes wrong is reported with its own code.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fsReason } from './fs-reason.js';
import type { FailureCode } from './errors.js';
import { fetchBytes } from './undici-fetch.js';

export interface Found {
  bytes: Buffer;
  /** The file path or URL the bytes came from. */
  where: string;
}

export interface Missing {
  code: FailureCode;
  why: string;
}

export const bundleNames = (domain: string, version: string) => [`${domain}-${version}.json.gz`, `${domain}-${version}.json`];

const isHttp = (location: string) => /^https?:\/\//i.test(location);

export async function readLocalFile(path: string): Promise<Found | Missing> {
  try {
    return { bytes: await readFile(path), where: path };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR'
      ? { code: 'not-found', why: 'no such file' }
      : { code: 'unreadable', why: `cannot read it (${fsReason(error)})` };
  }
}

export async function findInDirectory(dir: string, names: string[]): Promise<Found | Missing> {
  for (const name of names) {
    const found = await readLocalFile(join(dir, name));
    if ('bytes' in found || found.code !== 'not-found') return found;
  }
  const exists = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  return { code: 'not-found', why: exists ? `holds neither ${names.join(' nor ')}` : 'no such directory' };
}

async function findAtUrl(base: string, names: string[], timeoutMs: number): Promise<Found | Missing> {
  let last: Missing = { code: 'not-found', why: 'nothing tried' };
  for (const name of names) {
    const url = `${base.replace(/\/+$/, '')}/${name}`;
    const fetched = await fetchBytes(url, timeoutMs);
    if (fetched.ok) return { bytes: fetched.bytes, where: url };
    if (fetched.code !== 'not-found') return { code: fetched.code, why: `${url}: ${fetched.why}` };
    last = fetched;
  }
  return { code: 'not-found', why: `holds neither ${names.join(' nor ')} (${last.why})` };
}

/** A mirror is a directory, a file: URL or an http(s) base URL. */
export function findInMirror(location: string, names: string[], timeoutMs: number): Promise<Found | Missing> {
  if (isHttp(location)) return findAtUrl(location, names, timeoutMs);
  const dir = location.startsWith('file:') ? fileURLToPath(location) : location;
  return findInDirectory(dir, names);
}

export async function download(url: string, timeoutMs: number): Promise<Found | Missing> {
  const fetched = await fetchBytes(url, timeoutMs);
  return fetched.ok ? { bytes: fetched.bytes, where: url } : { code: fetched.code, why: fetched.why };
}
