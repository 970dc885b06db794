/**
 * Integration: the real ATT&CK bundles of the offline mirror (TIDEMARK_ATTACK_MIRROR, set by
 * vitest.config.ts to ../shared/attack). Never the network, never a copy in the repository.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveId } from '../../scripts/catalog/lookup.js';
import { loadCatalog } from '../../scripts/catalog/source.js';
import type { Catalog } from '../../scripts/catalog/types.js';

const mirror = process.env.TIDEMARK_ATTACK_MIRROR!;
let cacheDir: string;

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'tidemark-catalog-'));
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

const load = (domain: string, version: string) => loadCatalog({ domain, version, mirror, cacheDir, downloadBase: 'http://127.0.0.1:1' });

describe('enterprise-attack 18.1', () => {
  let catalog: Catalog;
  beforeAll(async () => {
    ({ catalog } = await load('enterprise-attack', '18.1'));
  });

  it('has 14 tactics, 691 active techniques and sub-techniques, 172 active groups', () => {
    expect(catalog.tactics).toHaveLength(14);
    expect(Object.keys(catalog.techniques)).toHaveLength(691);
    expect(Object.keys(catalog.groups)).toHaveLength(172);
    expect([catalog.domain, catalog.version]).toEqual(['enterprise-attack', '18.1']);
    expect(catalog.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('orders tactics as the matrix does', async () => {
    const bundle = JSON.parse(gunzipSync(await readFile(join(mirror, 'enterprise-attack-18.1.json.gz'))).toString('utf8'));
    const byStixId = new Map(bundle.objects.map((o: { id: string }) => [o.id, o]));
    const matrix = bundle.objects.find((o: { type: string }) => o.type === 'x-mitre-matrix');
    const expected = matrix.tactic_refs.map((ref: string) => (byStixId.get(ref) as { x_mitre_shortname: string }).x_mitre_shortname);
    expect(catalog.tactics.map((t) => t.shortname)).toEqual(expected);
    expect(catalog.tactics[0].shortname).toBe('reconnaissance');
    expect(catalog.tactics.at(-1)?.shortname).toBe('impact');
  });

  it('resolves revoked T1086 to T1059.001', () => {
    expect(resolveId(catalog, 'T1086')).toEqual({ status: 'revoked', replacedBy: 'T1059.001', name: 'PowerShell' });
  });

  it('gives G0016 its 66 direct techniques', () => {
    expect(catalog.groups.G0016.techniques).toHaveLength(66);
  });

  it('finds relevant data components through detection strategies', () => {
    const components = catalog.techniques['T1059.001'].dataComponents;
    expect(components.length).toBeGreaterThan(0);
    for (const id of components) expect(catalog.dataComponents[id]).toBeDefined();
    expect(catalog.techniques['T1059.001'].parent).toBe('T1059');
  });

  it('keeps an active technique whose id an old mitigation reused', () => {
    expect(resolveId(catalog, 'T1003')).toEqual({ status: 'active' });
    expect(catalog.retired.T1003).toBeUndefined();
  });
});

describe('other releases and domains', () => {
  it('17.1 relates data components through `detects`', async () => {
    const { catalog } = await load('enterprise-attack', '17.1');
    const components = catalog.techniques['T1059.001'].dataComponents;
    expect(components.length).toBeGreaterThan(0);
    expect(components.map((id) => catalog.dataComponents[id].name)).toContain('Command Execution');
    expect(catalog.dataComponents[components[0]].dataSource).toBeTruthy();
  });

  it.each([
    ['enterprise-attack', '15.1', 14],
    ['enterprise-attack', '16.1', 14],
    ['ics-attack', '18.1', 12],
    ['mobile-attack', '18.1', 12],
  ])('%s %s loads', async (domain, version, tactics) => {
    const { catalog } = await load(domain, version);
    expect(catalog.tactics).toHaveLength(tactics);
    expect(Object.keys(catalog.techniques).length).toBeGreaterThan(50);
    expect(Object.keys(catalog.groups).length).toBeGreaterThan(5);
    for (const t of Object.values(catalog.techniques)) expect(t.tactics.length).toBeGreaterThan(0);
  });
});
