/**
 * `diffCatalogs` on the real releases in the shared mirror, checked against facts computed in this
 * test straight from the gzipped STIX bundles (raw-bundles.ts), not through the catalog code.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../scripts/catalog/source.js';
import type { Catalog } from '../../scripts/catalog/types.js';
import { diffCatalogs } from '../../scripts/upgrade/diff.js';
import type { CatalogDiff } from '../../scripts/upgrade/types.js';
import { MIRROR, rawRelease, rawStep } from './raw-bundles.js';

const STEPS = [
  ['15.1', '16.1'],
  ['16.1', '17.1'],
  ['17.1', '18.1'],
] as const;

const cacheDir = mkdtempSync(join(tmpdir(), 'tidemark-upgrade-cache-'));
const catalogs = new Map<string, Catalog>();
const load = async (version: string) => {
  if (!catalogs.has(version)) {
    catalogs.set(version, (await loadCatalog({ domain: 'enterprise-attack', version, mirror: MIRROR, cacheDir })).catalog);
  }
  return catalogs.get(version)!;
};

describe.each(STEPS)('attack diff %s → %s on the real bundles', (from, to) => {
  let diff: CatalogDiff;
  let expected: ReturnType<typeof rawStep>;
  beforeAll(async () => {
    diff = diffCatalogs(await load(from), await load(to));
    expected = rawStep(rawRelease(from), rawRelease(to));
  });

  it('names the releases', () => {
    expect([diff.domain, diff.from, diff.to]).toEqual(['enterprise-attack', from, to]);
  });

  it('new techniques: exactly the ids active in B and not in A', () => {
    expect(diff.techniques.added.map((t) => t.id)).toEqual(expected.added);
    expect(diff.techniques.added.length).toBeGreaterThan(0);
  });

  it('revoked techniques, with their replacements', () => {
    expect(diff.techniques.revoked.map((t) => [t.id, t.replacedBy?.id] as const)).toEqual(expected.pairs);
  });

  it('deprecated techniques', () => {
    expect(diff.techniques.deprecated.map((t) => t.id)).toEqual(expected.deprecated);
  });

  it('groups whose technique sets changed', () => {
    expect(expected.changedGroups.length).toBeGreaterThan(0);
    expect(diff.actors.filter((a) => a.kind === 'group').map((g) => g.id)).toEqual(expected.changedGroups);
  });

  it('gained and lost techniques per group match the raw uses relationships', () => {
    const a = rawRelease(from).groups;
    const b = rawRelease(to).groups;
    for (const g of diff.actors.filter((x) => x.kind === 'group')) {
      expect(g.gained, g.id).toEqual([...b.get(g.id)!].filter((t) => !a.get(g.id)!.has(t)).sort());
      expect(g.lost, g.id).toEqual([...a.get(g.id)!].filter((t) => !b.get(g.id)!.has(t)).sort());
    }
  });
});

describe('the concrete facts of each step (verified from the bundles above)', () => {
  it('15.1 → 16.1: 19 new techniques, none revoked, none deprecated', async () => {
    const d = diffCatalogs(await load('15.1'), await load('16.1'));
    expect(d.techniques.added).toHaveLength(19);
    expect(d.techniques.revoked).toEqual([]);
    expect(d.techniques.deprecated).toEqual([]);
    expect(d.techniques.added.map((t) => t.id)).toContain('T1666');
  });

  it('16.1 → 17.1: 24 new, T1574.002 DLL Side-Loading revoked by T1574.001, none deprecated', async () => {
    const d = diffCatalogs(await load('16.1'), await load('17.1'));
    expect(d.techniques.added).toHaveLength(24);
    expect(d.techniques.revoked).toEqual([{ id: 'T1574.002', name: 'DLL Side-Loading', replacedBy: { id: 'T1574.001', name: 'DLL' } }]);
    expect(d.techniques.deprecated).toEqual([]);
    // The replacement took the broader meaning and a new name in the same release.
    expect(d.techniques.renamed).toContainEqual({ id: 'T1574.001', from: 'DLL Search Order Hijacking', to: 'DLL' });
  });

  it('17.1 → 18.1: 12 new, none revoked, none deprecated', async () => {
    const d = diffCatalogs(await load('17.1'), await load('18.1'));
    expect(d.techniques.added).toHaveLength(12);
    expect(d.techniques.revoked).toEqual([]);
    expect(d.techniques.deprecated).toEqual([]);
  });

  it('the raw counts agree with those numbers', () => {
    const counts = STEPS.map(([a, b]) => {
      const s = rawStep(rawRelease(a), rawRelease(b));
      return [s.added.length, s.revoked.length, s.deprecated.length];
    });
    expect(counts).toEqual([
      [19, 0, 0],
      [24, 1, 0],
      [12, 0, 0],
    ]);
  });

  it('a diff of a release with itself is empty', async () => {
    const c = await load('18.1');
    const d = diffCatalogs(c, c);
    expect(Object.values(d.techniques).every((list) => list.length === 0)).toBe(true);
    expect([d.objects, d.newGroups, d.actors]).toEqual([[], [], []]);
  });
});
