import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AttackDataError, loadCatalog, type LoadRequest } from '../../scripts/catalog/source.js';
import { miniBundle } from '../fixtures/attack/mini-bundle.js';
import { closedPort, serve, type LocalServer } from './local-server.js';

const DOMAIN = 'enterprise-attack';
const VERSION = '1.0';
const DOWNLOAD_PATH = `/${DOMAIN}/${DOMAIN}-${VERSION}.json`;
const json = Buffer.from(JSON.stringify(miniBundle({ spec: '2.1' })));
const gz = gzipSync(json);
const sha = createHash('sha256').update(json).digest('hex');

let dir: string;
let cacheDir: string;
let server: LocalServer | undefined;
let nowhere: string;
const savedNoProxy = process.env.NO_PROXY;

beforeAll(async () => {
  nowhere = `http://127.0.0.1:${await closedPort()}`;
  // The local server must be reached directly even where a proxy is configured.
  process.env.NO_PROXY = ['127.0.0.1', 'localhost', savedNoProxy].filter(Boolean).join(',');
});
afterAll(() => {
  if (savedNoProxy === undefined) delete process.env.NO_PROXY;
  else process.env.NO_PROXY = savedNoProxy;
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tidemark-source-'));
  cacheDir = join(dir, 'cache');
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

const request = (extra: Partial<LoadRequest> = {}): LoadRequest => ({
  domain: DOMAIN,
  version: VERSION,
  cacheDir,
  downloadBase: nowhere,
  fetchTimeoutMs: 5_000,
  ...extra,
});

async function failure(req: LoadRequest): Promise<AttackDataError> {
  const error = await loadCatalog(req).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AttackDataError);
  const e = error as AttackDataError;
  // One paragraph, no stack trace, always says how to work offline.
  expect(e.message).not.toMatch(/\n|\bat .*:\d+:\d+/);
  expect(e.message).toContain('set TIDEMARK_ATTACK_MIRROR to a directory holding enterprise-attack-1.0.json.gz or enterprise-attack-1.0.json');
  expect(e.message).toContain('--attack-file');
  return e;
}

describe('download', () => {
  it('downloads, keeps the bundle, and does not ask the server again', async () => {
    server = await serve({ [DOWNLOAD_PATH]: json });
    const first = await loadCatalog(request({ downloadBase: server.base, sha256: sha }));
    expect(first.source).toBe(`download ${server.base}${DOWNLOAD_PATH}`);
    expect(first.cached).toBe(false);
    expect(first.warnings).toEqual([]);
    expect(first.catalog.sha256).toBe(sha);
    expect(Object.keys(first.catalog.techniques)).toContain('T1001');

    const second = await loadCatalog(request({ downloadBase: server.base, sha256: sha }));
    expect(server.hits).toEqual([DOWNLOAD_PATH]);
    expect(second.source).toBe(`cache ${join(cacheDir, `${DOMAIN}-${VERSION}.json`)}`);
    expect(second.cached).toBe(true);
    expect(second.catalog).toEqual(first.catalog);
  });

  it('refuses a bundle whose sha256 differs from the pin, naming both hashes, and keeps nothing', async () => {
    server = await serve({ [DOWNLOAD_PATH]: json });
    const pin = 'a'.repeat(64);
    const e = await failure(request({ downloadBase: server.base, sha256: pin }));
    expect(e.code).toBe('sha256-mismatch');
    expect(e.message).toContain(sha);
    expect(e.message).toContain(pin);
    expect(e.message).toContain('update attack.sha256');
    expect(await readdir(cacheDir).catch(() => [])).not.toContain(`${DOMAIN}-${VERSION}.json`);
  });

  it('reports a 404', async () => {
    server = await serve({});
    const e = await failure(request({ downloadBase: server.base }));
    expect(e.code).toBe('not-found');
    expect(e.tried).toEqual([
      `cache ${cacheDir}: no bundle downloaded there yet`,
      `download ${server.base}${DOWNLOAD_PATH}: HTTP 404 Not Found, no such file`,
    ]);
  });

  it('reports a refused connection', async () => {
    const port = await closedPort();
    const e = await failure(request({ downloadBase: `http://127.0.0.1:${port}` }));
    expect(e.code).toBe('connection-refused');
    expect(e.message).toContain(`download http://127.0.0.1:${port}${DOWNLOAD_PATH}: connection refused`);
  });

  it('reports a timeout', async () => {
    server = await serve({ [DOWNLOAD_PATH]: 'hang' });
    const e = await failure(request({ downloadBase: server.base, fetchTimeoutMs: 300 }));
    expect(e.code).toBe('timeout');
    expect(e.message).toContain('timed out after 300 ms');
  });

  it('reports truncated gzip, and keeps nothing', async () => {
    server = await serve({ [DOWNLOAD_PATH]: gz.subarray(0, Math.floor(gz.length / 2)) });
    const e = await failure(request({ downloadBase: server.base }));
    expect(e.code).toBe('corrupt-gzip');
    expect(e.message).toContain('truncated');
    expect(await readdir(cacheDir).catch(() => [])).toEqual([]);
  });

  it('reports other HTTP errors with their status', async () => {
    server = await serve({ [DOWNLOAD_PATH]: 503 });
    const e = await failure(request({ downloadBase: server.base }));
    expect(e.code).toBe('http-status');
    expect(e.message).toContain('HTTP 503');
  });
});

describe('local sources', () => {
  it('reads --attack-file, telling gzip by its bytes, not its name', async () => {
    const file = join(dir, 'bundle.json');
    await writeFile(file, gz);
    const loaded = await loadCatalog(request({ attackFile: file }));
    expect(loaded.source).toBe(`--attack-file ${file}`);
    expect(loaded.catalog.sha256).toBe(sha);
  });

  it('stops at a missing --attack-file without trying anything else', async () => {
    server = await serve({ [DOWNLOAD_PATH]: json });
    const e = await failure(request({ attackFile: join(dir, 'missing.json'), downloadBase: server.base, mirror: dir }));
    expect(e.code).toBe('not-found');
    expect(e.tried).toEqual([`--attack-file ${join(dir, 'missing.json')}: no such file`]);
    expect(server.hits).toEqual([]);
  });

  it.each([
    ['invalid-json', Buffer.from('{"type": "bundle", "objects": [')],
    ['not-stix', Buffer.from('{"hello": "world"}')],
    ['not-stix', Buffer.from('{"type": "bundle", "objects": []}')],
    ['corrupt-gzip', Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7])],
  ])('reports %s', async (code, bytes) => {
    const file = join(dir, 'bad.json');
    await writeFile(file, bytes);
    expect((await failure(request({ attackFile: file }))).code).toBe(code);
  });

  it('reads a mirror directory, .json.gz before .json', async () => {
    await writeFile(join(dir, `${DOMAIN}-${VERSION}.json`), json);
    expect((await loadCatalog(request({ mirror: dir }))).source).toBe(`TIDEMARK_ATTACK_MIRROR ${join(dir, `${DOMAIN}-${VERSION}.json`)}`);
    await writeFile(join(dir, `${DOMAIN}-${VERSION}.json.gz`), gz);
    expect((await loadCatalog(request({ mirror: dir }))).source).toBe(`TIDEMARK_ATTACK_MIRROR ${join(dir, `${DOMAIN}-${VERSION}.json.gz`)}`);
  });

  it('reads an http mirror, falling back from .json.gz to .json', async () => {
    server = await serve({ [`/mirror/${DOMAIN}-${VERSION}.json`]: json });
    const loaded = await loadCatalog(request({ mirror: `${server.base}/mirror/` }));
    expect(loaded.source).toBe(`TIDEMARK_ATTACK_MIRROR ${server.base}/mirror/${DOMAIN}-${VERSION}.json`);
    expect(server.hits).toEqual([`/mirror/${DOMAIN}-${VERSION}.json.gz`, `/mirror/${DOMAIN}-${VERSION}.json`]);
  });

  it('moves past a mirror that lacks the release and names every source tried', async () => {
    const e = await failure(request({ mirror: dir }));
    expect(e.code).toBe('connection-refused');
    expect(e.tried).toHaveLength(3);
    expect(e.tried[0]).toBe(`TIDEMARK_ATTACK_MIRROR ${dir}: holds neither ${DOMAIN}-${VERSION}.json.gz nor ${DOMAIN}-${VERSION}.json`);
  });

  it('stops at a damaged mirror file rather than downloading', async () => {
    server = await serve({ [DOWNLOAD_PATH]: json });
    await writeFile(join(dir, `${DOMAIN}-${VERSION}.json.gz`), gz.subarray(0, 100));
    const e = await failure(request({ mirror: dir, downloadBase: server.base }));
    expect(e.code).toBe('corrupt-gzip');
    expect(server.hits).toEqual([]);
  });

  it('skips a damaged bundle in the cache dir and downloads again', async () => {
    server = await serve({ [DOWNLOAD_PATH]: json });
    await loadCatalog(request({ downloadBase: server.base }));
    await writeFile(join(cacheDir, `${DOMAIN}-${VERSION}.json`), json.subarray(0, 50));
    const loaded = await loadCatalog(request({ downloadBase: server.base }));
    expect(loaded.source).toMatch(/^download /);
    expect(loaded.warnings.join(' ')).toContain('not valid JSON');
    expect(server.hits).toHaveLength(2);
  });
});

describe('compact cache', () => {
  const file = () => join(dir, 'bundle.json.gz');
  const entry = async () => {
    const names = (await readdir(cacheDir)).filter((n) => n.startsWith('catalog-'));
    expect(names).toEqual([`catalog-${createHash('sha256').update(gz).digest('hex')}.json`]);
    return join(cacheDir, names[0]);
  };
  beforeEach(async () => {
    await writeFile(file(), gz);
  });

  it('is used on the second load', async () => {
    expect((await loadCatalog(request({ attackFile: file() }))).cached).toBe(false);
    const warm = await loadCatalog(request({ attackFile: file() }));
    expect(warm.cached).toBe(true);
    expect(warm.warnings).toEqual([]);
  });

  it('detects a tampered entry, ignores it with a warning and rebuilds it', async () => {
    const cold = await loadCatalog(request({ attackFile: file() }));
    const path = await entry();
    const stored = JSON.parse(await readFile(path, 'utf8'));
    stored.catalog.techniques.T1001.name = 'Tampered';
    await writeFile(path, JSON.stringify(stored));

    const rebuilt = await loadCatalog(request({ attackFile: file() }));
    expect(rebuilt.cached).toBe(false);
    expect(rebuilt.warnings).toEqual([expect.stringContaining('does not match its hash')]);
    expect(rebuilt.catalog).toEqual(cold.catalog);
    expect((await loadCatalog(request({ attackFile: file() }))).cached).toBe(true);
  });

  it('detects a truncated entry', async () => {
    await loadCatalog(request({ attackFile: file() }));
    const path = await entry();
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.slice(0, text.length / 2));
    const rebuilt = await loadCatalog(request({ attackFile: file() }));
    expect(rebuilt.cached).toBe(false);
    expect(rebuilt.warnings).toEqual([expect.stringContaining('truncated or not JSON')]);
  });

  it('refuses a cached catalog whose bundle no longer matches the pin', async () => {
    await loadCatalog(request({ attackFile: file() }));
    expect((await loadCatalog(request({ attackFile: file(), sha256: sha.toUpperCase() }))).cached).toBe(true);
    expect((await failure(request({ attackFile: file(), sha256: 'b'.repeat(64) }))).code).toBe('sha256-mismatch');
  });

  it('never fails a load because the cache cannot be written', async () => {
    cacheDir = join(dir, 'not-a-directory');
    await writeFile(cacheDir, 'a file where the cache dir should be');
    const loaded = await loadCatalog(request({ attackFile: file() }));
    expect(loaded.catalog.sha256).toBe(sha);
    expect(loaded.warnings).toEqual([expect.stringMatching(/^could not cache the catalog in .* \((EEXIST|ENOTDIR)\)/)]);
  });

  it('leaves no temporary files behind', async () => {
    await loadCatalog(request({ attackFile: file() }));
    expect((await readdir(cacheDir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('request', () => {
  it('refuses a domain or version that could leave the cache dir', async () => {
    const e = await loadCatalog(request({ version: '../../x' })).catch((error: AttackDataError) => error);
    expect(e).toBeInstanceOf(AttackDataError);
    expect((e as AttackDataError).code).toBe('invalid-request');
    expect((e as AttackDataError).tried).toEqual(['attack.version: "../../x" is not a release name']);
  });
});
