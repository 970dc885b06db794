/**
 * `tidemark import navigator`: the Atomic Red Team layer of ../shared/corpora/navigator (read in
 * place) becomes a custom group that validates; threshold, unscored and disabled entries, revoked
 * ids and several layers per file on inline layers.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeRepo, run } from '../helpers/repo.js';
import { shared } from './helpers.js';

const LAYER = shared('corpora/navigator/art-navigator-layer.json');
const NOW = '2026-10-01';
const layer = JSON.parse(readFileSync(LAYER, 'utf8')) as { name: string; description: string; techniques: { techniqueID: string; score?: number; enabled?: boolean }[] };
const group = (repo: string, file: string) => parse(readFileSync(join(repo, 'groups', file), 'utf8')) as { id: string; name: string; rationale: string; relevance: string; reviewed: string; techniques: { add: string[] } };

describe('the Atomic Red Team layer', () => {
  let repo: string;
  let result: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    repo = makeRepo({});
    result = await run(['import', 'navigator', LAYER, '--repo', repo, '--now', NOW]);
  }, 120_000);

  it('becomes a custom group that validates', async () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const g = group(repo, 'x-atomic-red-team.yaml');
    expect(g).toMatchObject({ id: 'X-atomic-red-team', name: 'Atomic Red Team', relevance: 'medium', reviewed: NOW });
    expect(g.rationale).toBe(`${layer.name}: ${layer.description}`);
    const validate = await run(['validate', '--repo', repo]);
    expect(validate.stdout + validate.stderr).toContain('0 error(s)');
    expect(validate.code).toBe(0);
  });

  it('takes every technique scored above 0 that ATT&CK 18.1 knows, and names those it does not', async () => {
    // The ids 18.1 knows, from the bundle's own technique list (the catalog the repository pins).
    const { loadCatalog } = await import('../../scripts/catalog/source.js');
    const { catalog } = await loadCatalog({ domain: 'enterprise-attack', version: '18.1', mirror: process.env.TIDEMARK_ATTACK_MIRROR, cacheDir: join(repo, '.cache', 'attack') });
    const scored = layer.techniques.filter((t) => t.enabled !== false && (t.score === undefined || t.score > 0)).map((t) => t.techniqueID);
    const known = scored.filter((id) => catalog.techniques[id] || catalog.retired[id]?.replacedBy);
    const unknown = scored.filter((id) => !known.includes(id));
    expect(unknown.length).toBeGreaterThan(0); // the layer already carries ATT&CK 19 ids
    const expected = [...new Set(known.map((id) => (catalog.techniques[id] ? id : catalog.retired[id].replacedBy!)))].sort();
    expect(group(repo, 'x-atomic-red-team.yaml').techniques.add).toEqual(expected);
    expect(result.stdout).toContain(`layer "Atomic Red Team": read ${layer.techniques.length} entries; ${expected.length} techniques taken (score above 0 or unscored)`);
    expect(result.stdout).toContain(`not techniques of ATT&CK enterprise-attack 18.1, left out: ${unknown.slice(0, 12).join(', ')}`);
  });

  it('applies --threshold, and never overwrites the group it wrote', async () => {
    const copy = makeRepo({});
    cpSync(join(repo, '.cache'), join(copy, '.cache'), { recursive: true });
    const high = await run(['import', 'navigator', LAYER, '--repo', copy, '--now', NOW, '--threshold', '10']);
    expect(high.code).toBe(0);
    const above = new Set(layer.techniques.filter((t) => (t.score ?? 0) > 10).map((t) => t.techniqueID));
    const taken = group(copy, 'x-atomic-red-team.yaml').techniques.add;
    expect(taken.every((id) => above.has(id))).toBe(true);
    expect(high.stdout).toContain(`${layer.techniques.filter((t) => (t.score ?? 0) <= 10).length} at or below`);
    const again = await run(['import', 'navigator', LAYER, '--repo', copy, '--now', NOW]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('groups/x-atomic-red-team.yaml exists with other content; not overwritten');
    expect(group(copy, 'x-atomic-red-team.yaml').techniques.add).toEqual(taken);
    const same = await run(['import', 'navigator', LAYER, '--repo', copy, '--now', NOW, '--threshold', '10']);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('already imported, unchanged: groups/x-atomic-red-team.yaml');
    expect((await run(['import', 'navigator', LAYER, '--repo', copy, '--threshold', 'high'])).code).toBe(2);
  });
});

describe('layers written by hand', () => {
  let warm: string;
  beforeAll(async () => {
    warm = makeRepo({});
    await run(['import', 'navigator', LAYER, '--repo', warm, '--dry-run']);
  }, 120_000);
  const importLayer = async (value: unknown, ...args: string[]) => {
    const repo = makeRepo({});
    cpSync(join(warm, '.cache'), join(repo, '.cache'), { recursive: true });
    const path = join(repo, 'layer.json');
    writeFileSync(path, JSON.stringify(value, null, 2));
    return { repo, result: await run(['import', 'navigator', path, '--repo', repo, '--now', NOW, ...args]) };
  };
  const base = { versions: { layer: '4.5', navigator: '5.2.0', attack: '18' }, domain: 'enterprise-attack' };

  it('counts unscored enabled entries, skips disabled ones, merges per-tactic entries, replaces revoked ids', async () => {
    const { repo, result } = await importLayer({
      ...base,
      name: 'Vendor X: Healthcare ransomware 2026',
      techniques: [
        { techniqueID: 'T1486', tactic: 'impact' },
        { techniqueID: 'T1078', tactic: 'initial-access', score: 2 },
        { techniqueID: 'T1078', tactic: 'persistence', score: 0 },
        { techniqueID: 'T1059.001', score: 5, enabled: false },
        { techniqueID: 'T1574.002', score: 1 },
        { techniqueID: 'T1490', score: 0 },
      ],
    });
    expect(result.code).toBe(0);
    const g = group(repo, 'x-vendor-x-healthcare-ransomware-2026.yaml');
    expect(g.id).toBe('X-vendor-x-healthcare-ransomware-2026');
    expect(g.rationale).toBe('Vendor X: Healthcare ransomware 2026');
    expect(g.techniques.add).toEqual(['T1078', 'T1486', 'T1574.001']);
    expect(result.stdout).toContain('revoked, replaced: T1574.002 → T1574.001');
    expect(result.stdout).toContain('2 at or below, 1 disabled');
    expect((await run(['validate', '--repo', repo])).code).toBe(0);
  });

  it('reads a file holding several layers, and reports what is wrong with a line', async () => {
    const { repo, result } = await importLayer([
      { ...base, name: 'A', techniques: [{ techniqueID: 'T1486', score: 1 }] },
      { ...base, name: 'B', techniques: [{ techniqueID: 'T1490', score: 1 }] },
    ]);
    expect(result.code).toBe(0);
    expect(group(repo, 'x-a.yaml').techniques.add).toEqual(['T1486']);
    expect(group(repo, 'x-b.yaml').techniques.add).toEqual(['T1490']);
    const bad = await importLayer({ ...base, name: 'C', techniques: [{ techniqueID: 'T1486', score: '3' }, { techniqueID: 'M1040' }] });
    expect(bad.result.code).toBe(1);
    expect(bad.result.stderr).toMatch(/layer\.json:\d+: the score of T1486 is "3", not a number/);
    expect(bad.result.stderr).toContain('"M1040" is not a technique id');
    const mobile = await importLayer({ ...base, domain: 'mobile-attack', name: 'D', techniques: [] });
    expect(mobile.result.stderr).toContain('layer "D" is for mobile-attack; this repository pins enterprise-attack');
    const empty = await importLayer({ ...base, name: 'E', techniques: [{ techniqueID: 'T1486', score: 0 }] });
    expect(empty.result.code).toBe(1);
    expect(empty.result.stderr).toContain('layer "E" has no enabled technique scored above 0');
  });
});
