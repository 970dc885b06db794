import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildLayers, checkLayer, readLayers, STATE_COLORS } from '../../scripts/emit/navigator.js';
import { buildReport } from '../../scripts/emit/report.js';
import { evaluate } from '../../scripts/evaluate/index.js';
import { STATES } from '../../scripts/model/schemas.js';
import { catalog } from '../fixtures/catalog.js';
import { NOW } from '../evaluate/builders.js';
import { SCENARIO } from '../evaluate/scenario.js';

const SAMPLE = new URL('../../../shared/corpora/navigator/art-navigator-layer.json', import.meta.url);

const report = buildReport(evaluate(SCENARIO, catalog, NOW), { toolVersion: '0.1.0', generatedAt: NOW.toISOString() });
const site = { site: { url: 'https://defence.example.org/tidemark', base: '/tidemark/' } };
const { layers, problems } = buildLayers(report, catalog, site);

describe('Navigator layers (format 4.5)', () => {
  it('writes the coverage layer, the overlay and one layer per enabled group', () => {
    expect(Object.keys(layers).sort()).toEqual(['layers/coverage.json', 'layers/group-G0016.json', 'layers/group-G0102.json', 'layers/overlay.json']);
    expect(problems).toEqual([]);
  });

  it('passes its own checker against the catalog', () => {
    for (const [file, layer] of Object.entries(layers)) expect([file, checkLayer(layer, catalog)]).toEqual([file, []]);
  });

  it('has the versions block, domain, one entry per technique with a numeric score and a known id', () => {
    for (const layer of Object.values(layers)) {
      expect(layer.versions).toEqual({ layer: '4.5', navigator: '5.2.0', attack: '18' });
      expect(layer.domain).toBe('enterprise-attack');
      const ids = layer.techniques.map((t) => t.techniqueID);
      expect(new Set(ids).size).toBe(ids.length);
      for (const t of layer.techniques) {
        expect(catalog.techniques[t.techniqueID]).toBeDefined();
        expect(typeof t.score).toBe('number');
      }
    }
  });

  it('colours the coverage layer by state, scores the credit and explains state and next action', () => {
    const coverage = layers['layers/coverage.json'];
    expect(coverage.techniques).toHaveLength(9);
    expect(coverage.legendItems.map((l) => l.color)).toEqual(STATES.map((s) => STATE_COLORS[s]));
    const failed = coverage.techniques.find((t) => t.techniqueID === 'T1566.001')!;
    expect(failed).toMatchObject({ score: 0, color: STATE_COLORS.failed });
    expect(failed.comment).toBe('failed. Next: Fix det-phish: not detected on 2026-10-02 (atomic "Word macro spawns PowerShell")');
    const detected = coverage.techniques.find((t) => t.techniqueID === 'T1059.001')!;
    expect(detected).toMatchObject({ score: 0.5, color: STATE_COLORS.detected });
    expect(detected.comment).toBe('detected (counting detections: det-ps). Next: Validate: run an emulation of T1059.001 and check that det-ps alerts');
    expect(coverage.techniques.find((t) => t.techniqueID === 'T1078')!.comment).toBe('validated (detected on 2026-10-01 by det-logon)');
  });

  it('links the site and every technique page when config.site.url is set', () => {
    const coverage = layers['layers/coverage.json'];
    expect(coverage.links).toEqual([{ label: 'tidemark coverage site', url: 'https://defence.example.org/tidemark/' }]);
    expect(coverage.techniques[0].links).toEqual([{ label: 'T1059 on the tidemark site', url: 'https://defence.example.org/tidemark/techniques/T1059/' }]);
    const bare = buildLayers(report, catalog, { site: { base: '/' } }).layers['layers/coverage.json'];
    expect(bare.links).toBeUndefined();
    expect(bare.techniques[0].links).toBeUndefined();
  });

  it('gives each group layer only its techniques, scored by state credit', () => {
    const g = layers['layers/group-G0016.json'];
    expect(g.name).toBe('Example Regional Health: G0016 APT29');
    expect(g.techniques.map((t) => [t.techniqueID, t.score])).toEqual([
      ['T1059.001', 0.5],
      ['T1078', 1],
      ['T1078.004', 0],
      ['T1547.015', 0],
      ['T1566.001', 0],
    ]);
  });

  it('scores the overlay heat map by number of groups, on a gradient', () => {
    const overlay = layers['layers/overlay.json'];
    expect(overlay.techniques.find((t) => t.techniqueID === 'T1078')).toMatchObject({ score: 2, comment: 'Used by G0016, G0102 (weight 5)' });
    expect(overlay.techniques.find((t) => t.techniqueID === 'T1200')?.score).toBe(1);
    expect(overlay.techniques.every((t) => t.color === undefined)).toBe(true);
    expect(overlay.gradient).toMatchObject({ minValue: 0, maxValue: 2 });
  });

  it('drops and reports an entry whose technique the catalog does not know', () => {
    const ghost = { ...report.techniques[0], id: 'T9999', name: 'Ghost' };
    const { layers: out, problems: dropped } = buildLayers({ ...report, techniques: [...report.techniques, ghost] }, catalog, site);
    expect(out['layers/coverage.json'].techniques.map((t) => t.techniqueID)).not.toContain('T9999');
    expect(dropped).toEqual([
      'layers/coverage.json: T9999 is not an active technique of ATT&CK enterprise-attack 18.1; its entry was dropped.',
      'layers/overlay.json: T9999 is not an active technique of ATT&CK enterprise-attack 18.1; its entry was dropped.',
    ]);
  });
});

describe('checkLayer', () => {
  it('accepts the real Atomic Red Team layer', () => {
    const text = readFileSync(SAMPLE, 'utf8');
    const { layers: read, problems: found } = readLayers(text);
    expect(found).toEqual([]);
    expect(read).toHaveLength(1);
    expect(checkLayer(JSON.parse(text))).toEqual([]);
  });

  it('accepts an array of layers', () => {
    expect(checkLayer(Object.values(layers), catalog)).toEqual([]);
  });

  it('reports what Navigator would misread', () => {
    const sample = JSON.parse(readFileSync(SAMPLE, 'utf8'));
    const broken = {
      ...sample,
      versions: { layer: '4.4', navigator: '4.9.1', attack: 18 },
      domain: 'enterprise',
      sorting: 7,
      gradient: { colors: ['#ffffff'], minValue: 5, maxValue: 5 },
      extra: true,
      techniques: [
        { techniqueID: 'T1003', score: '3' },
        { techniqueID: 'T1003.001', showSubtechniques: true },
        { techniqueID: 'T10', enabled: 'yes' },
        { score: 1 },
        { techniqueID: 'T1059', links: [{ label: 'x', url: 'example.org' }], metadata: [{ name: 'n' }, { divider: true }] },
      ],
    };
    expect(checkLayer(broken)).toEqual([
      'versions.attack: must be a string, found number 18',
      'versions.layer: must be "4.5", found "4.4"',
      'versions.navigator: must be 5.2.0 or newer, found "4.9.1"',
      'domain: must be one of enterprise-attack | mobile-attack | ics-attack, found "enterprise"',
      'gradient.colors: needs at least 2 entries',
      'gradient: maxValue must be greater than minValue',
      'techniques[0].score: must be a number, found string "3"',
      'techniques[1].showSubtechniques: only valid on a parent technique (T1003.001 is a sub-technique)',
      'techniques[2].enabled: must be a boolean, found string "yes"',
      'techniques[2].techniqueID: must be T#### or T####.###, found "T10"',
      'techniques[3]: missing required "techniqueID"',
      'techniques[4].links[0].url: must be a URL with a protocol (https://…), found "example.org"',
      'techniques[4].metadata[0]: missing required "value"',
      'sorting: must be 0, 1, 2 or 3, found 7',
      'extra: unknown field',
    ]);
  });

  it('with a catalog: unknown and revoked ids, a wrong tactic, another domain or major version', () => {
    const layer = {
      name: 'x',
      domain: 'ics-attack',
      versions: { layer: '4.5', navigator: '5.3.0', attack: '17' },
      techniques: [{ techniqueID: 'T1086' }, { techniqueID: 'T9999' }, { techniqueID: 'T1059', tactic: 'impact' }, { techniqueID: 'T1059', tactic: 'execution' }],
    };
    expect(checkLayer(layer, catalog)).toEqual([
      'techniques[0].techniqueID: T1086 is not an active technique of ATT&CK enterprise-attack 18.1 (revoked, replaced by T1059.001); Navigator drops it silently',
      'techniques[1].techniqueID: T9999 is not an active technique of ATT&CK enterprise-attack 18.1 (unknown); Navigator drops it silently',
      'techniques[2].tactic: T1059 is not under tactic "impact" (its tactics: execution)',
      'domain: "ics-attack" but the catalog is enterprise-attack',
      'versions.attack: "17" but the catalog is ATT&CK 18.1',
    ]);
  });

  it('reports JSON that is not a layer', () => {
    expect(readLayers('{').problems[0]).toMatch(/^not JSON/);
    expect(checkLayer(null)).toEqual(['layer: must be an object, found null']);
    expect(checkLayer({})).toEqual(['layer: missing required "name"', 'layer: missing required "domain"', 'layer: missing required "versions"']);
  });
});
