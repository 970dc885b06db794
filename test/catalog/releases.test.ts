import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AttackDataError } from '../../scripts/catalog/errors.js';
import { compareVersions, newestByDomain, parseReleaseIndex, readReleaseIndex } from '../../scripts/catalog/releases.js';
import { serve, type LocalServer } from './local-server.js';

const index = (versions: Record<string, string[]>) => ({
  collections: Object.entries(versions).map(([name, list]) => ({
    name,
    versions: list.map((version, i) => ({
      version,
      url: `https://example.test/${name.split(' ')[0].toLowerCase()}-attack/${name.split(' ')[0].toLowerCase()}-attack-${version}.json`,
      modified: `2025-01-${String(10 + i).padStart(2, '0')}T00:00:00.000Z`,
    })),
  })),
});

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('release index', () => {
  it('gives the newest release per domain from the mirror index', async () => {
    const newest = await readReleaseIndex(process.env.TIDEMARK_ATTACK_MIRROR!);
    expect(Object.keys(newest)).toEqual(['enterprise-attack', 'mobile-attack', 'ics-attack'].sort());
    expect(newest['enterprise-attack']).toMatchObject({
      version: '18.1',
      url: 'https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/enterprise-attack/enterprise-attack-18.1.json',
    });
  });

  it('compares versions as numbers, whatever the listing order', () => {
    expect(compareVersions('10.0', '9.1')).toBeGreaterThan(0);
    expect(compareVersions('18', '18.0')).toBe(0);
    const releases = parseReleaseIndex(index({ 'Enterprise ATT&CK': ['9.0', '19.0', '10.1'] }));
    expect(releases.map((r) => r.version)).toEqual(['9.0', '10.1', '19.0']);
    expect(newestByDomain(releases)['enterprise-attack'].version).toBe('19.0');
  });

  it('falls back to the collection name when the url says nothing', () => {
    const releases = parseReleaseIndex({ collections: [{ name: 'ICS ATT&CK', versions: [{ version: '1.0', url: 'https://x.test/latest' }] }] });
    expect(releases).toEqual([{ domain: 'ics-attack', version: '1.0', url: 'https://x.test/latest', modified: '' }]);
  });

  it('reads the index over http from a base URL', async () => {
    server = await serve({ '/attack/index.json': Buffer.from(JSON.stringify(index({ 'Mobile ATT&CK': ['17.0', '18.1'] }))) });
    const newest = await readReleaseIndex(`${server.base}/attack`);
    expect(newest['mobile-attack'].version).toBe('18.1');
  });

  it('says what is wrong with a bad index', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tidemark-releases-'));
    try {
      await writeFile(join(dir, 'index.json'), '{"objects": []}');
      const error = await readReleaseIndex(dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AttackDataError);
      expect((error as AttackDataError).code).toBe('not-release-index');
      expect(await readReleaseIndex(join(dir, 'nope.json')).catch((e: AttackDataError) => e.code)).toBe('not-found');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
