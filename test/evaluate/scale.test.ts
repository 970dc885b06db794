/**
 * The large benchmark's shape (172 groups, 5,000 detections, 300 controls, 2,000 results) on a
 * synthetic catalog of 700 techniques: evaluate and render must stay well under a second or two.
 */
import { describe, expect, it } from 'vitest';
import type { Catalog, Technique } from '../../scripts/catalog/types.js';
import { renderOutputs } from '../../scripts/emit/index.js';
import { buildReport } from '../../scripts/emit/report.js';
import { evaluate } from '../../scripts/evaluate/index.js';
import { config, control, group, native, NOW, repository, run, sigma, source } from './builders.js';

function syntheticCatalog(): Catalog {
  const techniques: Record<string, Technique> = {};
  const tactics = Array.from({ length: 14 }, (_, i) => ({ id: `TA${String(i + 1).padStart(4, '0')}`, shortname: `tactic-${i}`, name: `Tactic ${i}` }));
  for (let i = 0; i < 700; i++) {
    const id = i < 400 ? `T${1000 + i}` : `T${1000 + (i % 400)}.${String(i).padStart(3, '0').slice(-3)}`;
    techniques[id] = {
      id,
      name: `Technique ${id}`,
      tactics: [tactics[i % 14].shortname, tactics[(i * 7) % 14].shortname],
      platforms: i % 5 === 0 ? ['macOS'] : ['Windows', 'Linux'],
      ...(id.includes('.') ? { parent: id.slice(0, 5) } : {}),
      url: '',
      dataComponents: [`DC${String(i % 90).padStart(4, '0')}`, `DC${String((i * 13) % 90).padStart(4, '0')}`],
    };
  }
  const ids = Object.keys(techniques);
  const groups: Catalog['groups'] = {};
  for (let g = 0; g < 172; g++) {
    const id = `G${String(g + 1).padStart(4, '0')}`;
    groups[id] = { id, name: `Group ${g}`, aliases: [], techniques: ids.filter((_, i) => (i * 31 + g * 17) % 23 === 0).sort(), campaigns: [], software: [], url: '' };
  }
  const dataComponents = Object.fromEntries(Array.from({ length: 90 }, (_, i) => [`DC${String(i).padStart(4, '0')}`, { id: `DC${String(i).padStart(4, '0')}`, name: `Component ${i}` }]));
  return { domain: 'enterprise-attack', version: '18.1', sha256: '', tactics, techniques, groups, campaigns: {}, software: {}, mitigations: {}, dataComponents, retired: {} };
}

describe('scale', () => {
  it('evaluates and renders the large benchmark quickly', () => {
    const catalog = syntheticCatalog();
    const ids = Object.keys(catalog.techniques);
    const repo = repository({
      config: config({ organisation: { platforms: ['Windows', 'Linux'] }, profile: { baseline: 50 } }),
      groups: Object.keys(catalog.groups).map((id, i) => group(id, { relevance: (['high', 'medium', 'low'] as const)[i % 3] })),
      telemetry: Array.from({ length: 60 }, (_, i) =>
        source(`src-${i}`, { status: i % 4 === 0 ? 'planned' : 'collected', data_components: [`DC${String(i).padStart(4, '0')}`], sigma: [{ product: 'windows', category: `cat-${i}` }] }),
      ),
      detections: Array.from({ length: 5000 }, (_, i) =>
        i % 2
          ? native(`det-${i}`, [ids[i % 700], ids[(i * 3) % 700]], { telemetry: [`src-${i % 70}`] })
          : sigma(`sig-${i}`, [ids[(i * 5) % 700]], { product: 'windows', category: `cat-${i % 80}` }),
      ),
      controls: Array.from({ length: 300 }, (_, i) => control(`ctl-${i}`, [ids[(i * 11) % 700], ids[(i * 17) % 700]])),
      validations: Array.from({ length: 2000 }, (_, i) =>
        run(ids[(i * 7) % 700], `2026-${String((i % 9) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`, (['detected', 'not-detected', 'blocked'] as const)[i % 3]),
      ),
    });
    const start = performance.now();
    const evaluation = evaluate(repo, catalog, NOW);
    const report = buildReport(evaluation, { toolVersion: '0.0.0', generatedAt: NOW.toISOString() });
    const outputs = renderOutputs(report, catalog, repo.config);
    const elapsed = performance.now() - start;
    expect(evaluation.groups).toHaveLength(172);
    expect(evaluation.techniques.length).toBeGreaterThan(300);
    expect(Object.keys(outputs).filter((f) => f.startsWith('layers/group-'))).toHaveLength(172);
    expect(elapsed).toBeLessThan(3000);
  });
});
