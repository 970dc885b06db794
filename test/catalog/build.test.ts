import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../scripts/catalog/build.js';
import { MINI_EXPECT, MINI_TACTICS, miniBundle, stixId } from '../fixtures/attack/mini-bundle.js';

const build = (options: Parameters<typeof miniBundle>[0] = {}) =>
  buildCatalog(miniBundle(options), 'f'.repeat(64), { domain: 'enterprise-attack', version: '1.0' });

describe('buildCatalog on the mini bundle', () => {
  const catalog = build();

  it('takes tactics and their order from the matrix', () => {
    expect(catalog.tactics.map((t) => t.shortname)).toEqual(MINI_EXPECT.tactics);
    expect(catalog.tactics[1]).toEqual({ id: 'TA0002', shortname: 'execution', name: 'Execution' });
  });

  it('keeps active techniques with tactics in matrix order and sorted platforms', () => {
    expect(Object.keys(catalog.techniques)).toEqual(MINI_EXPECT.techniques);
    expect(catalog.techniques.T1001).toMatchObject({
      name: 'Alpha',
      tactics: ['execution', 'persistence'],
      platforms: ['Linux', 'Windows'],
      url: 'https://attack.mitre.org/techniques/T1001',
    });
    expect(catalog.techniques.T1001.parent).toBeUndefined();
  });

  it('finds a parent by subtechnique-of, or by the dotted id', () => {
    expect(catalog.techniques['T1001.001'].parent).toBe('T1001');
    expect(catalog.techniques['T1001.002'].parent).toBe('T1001');
  });

  it('ignores revoked or deprecated relationships and relationships to retired objects', () => {
    expect(catalog.groups.G0001.techniques).toEqual(MINI_EXPECT.groups.G0001);
    expect(catalog.groups.G0002.techniques).toEqual(MINI_EXPECT.groups.G0002);
    expect(catalog.groups.G0001.software).toEqual(['S0001']);
    expect(catalog.groups.G0001.aliases).toEqual(['Alias Uno', 'Group One']);
  });

  it('links campaigns, software and mitigations', () => {
    expect(catalog.campaigns.C0001).toMatchObject({ groups: ['G0001'], techniques: ['T1003'], software: ['S0002'] });
    expect(catalog.groups.G0001.campaigns).toEqual(['C0001']);
    expect(catalog.software.S0001).toMatchObject({ type: 'malware', techniques: ['T1001.001'] });
    expect(catalog.software.S0002).toMatchObject({ type: 'tool', techniques: ['T1002'] });
    expect(catalog.mitigations.M1001.techniques).toEqual(['T1001', 'T1002']);
  });

  it('names data sources where the bundle links one', () => {
    expect(catalog.dataComponents).toEqual({
      DC0001: { id: 'DC0001', name: 'Process Creation', dataSource: 'Process' },
      DC0002: { id: 'DC0002', name: 'Command Execution', dataSource: 'Command' },
      DC0003: { id: 'DC0003', name: 'File Modification' },
    });
  });

  it('unites both detection models for relevant data components', () => {
    const byTechnique = Object.fromEntries(Object.values(catalog.techniques).map((t) => [t.id, t.dataComponents]));
    expect(byTechnique).toEqual(MINI_EXPECT.dataComponents);
    const older = build({ dataModel: 'detects' });
    expect(older.techniques.T1001.dataComponents).toEqual(['DC0001']);
    expect(older.techniques['T1001.001'].dataComponents).toEqual([]);
    const newer = build({ dataModel: 'strategies' });
    expect(newer.techniques.T1001.dataComponents).toEqual(['DC0001', 'DC0002']);
    expect(newer.techniques.T1002.dataComponents).toEqual([]);
  });

  it('records revoked objects with their final replacement and deprecated ones without', () => {
    expect(catalog.retired.T1090).toEqual({ kind: 'revoked', replacedBy: 'T1001', name: 'Old Alpha', objectKind: 'technique' });
    expect(catalog.retired.T1091).toMatchObject({ kind: 'revoked', replacedBy: 'T1001' });
    expect(catalog.retired.T1099).toEqual({ kind: 'deprecated', name: 'Retired Thing', objectKind: 'technique' });
    expect(catalog.retired.G0009).toMatchObject({ kind: 'revoked', replacedBy: 'G0001', objectKind: 'group' });
    expect(catalog.retired.DC0009).toMatchObject({ kind: 'deprecated', objectKind: 'dataComponent' });
    expect(catalog.retired.TA0099).toMatchObject({ kind: 'deprecated', objectKind: 'tactic' });
  });

  it('reads STIX 2.0 and 2.1 bundles alike', () => {
    expect(build({ spec: '2.1' })).toEqual(catalog);
  });

  it('is deterministic: sorted arrays, records in id order', () => {
    expect(JSON.stringify(build())).toBe(JSON.stringify(catalog));
    for (const group of Object.values(catalog.groups)) expect(group.techniques).toEqual([...group.techniques].sort());
    expect(Object.keys(catalog.retired)).toEqual([...Object.keys(catalog.retired)].sort());
  });

  it('takes domain and version from the bundle when the caller does not say', () => {
    const c = buildCatalog(miniBundle({ domain: 'ics-attack', version: '9.9' }), 'x');
    expect([c.domain, c.version]).toEqual(['ics-attack', '9.9']);
  });

  it('refuses what is not a STIX bundle', () => {
    expect(() => buildCatalog({ hello: 'world' }, 'x')).toThrow(/not a STIX bundle/);
  });
});

describe('nothing about ATT&CK is hard-coded', () => {
  it('loads a renamed tactic, a new tactic and a new technique with no code change', () => {
    const tactics = [
      ...MINI_TACTICS.slice(0, 3),
      { id: 'TA0005', shortname: 'stealth', name: 'Stealth' },
      { id: 'TA0112', shortname: 'defense-impairment', name: 'Defense Impairment' },
    ];
    const c = build({
      tactics,
      techniques: [
        { id: 'T1003', name: 'Charlie', tactics: ['stealth'] },
        { id: 'T1685', name: 'Disable or Modify Tools', tactics: ['defense-impairment', 'stealth'], platforms: ['Windows'] },
      ],
    });
    expect(c.tactics.map((t) => t.shortname)).toEqual(['initial-access', 'execution', 'persistence', 'stealth', 'defense-impairment']);
    expect(c.techniques.T1685).toMatchObject({ name: 'Disable or Modify Tools', tactics: ['stealth', 'defense-impairment'] });
    expect(c.techniques.T1003.tactics).toEqual(['stealth']);
  });

  it('keeps phases the matrix does not list, after the known ones', () => {
    const c = build({ techniques: [{ id: 'T1777', name: 'Future', tactics: ['zeta-new', 'execution', 'alpha-new'] }] });
    expect(c.techniques.T1777.tactics).toEqual(['execution', 'alpha-new', 'zeta-new']);
  });

  it('picks the active matrix of the domain when there are several', () => {
    const other = {
      type: 'x-mitre-matrix',
      id: stixId('x-mitre-matrix', 'other'),
      name: 'Other',
      external_references: [{ source_name: 'mitre-attack', external_id: 'other-attack' }],
      tactic_refs: [stixId('x-mitre-tactic', 'TA0002')],
    };
    const retiredMatrix = { ...other, id: stixId('x-mitre-matrix', 'old'), x_mitre_deprecated: true, external_references: [{ source_name: 'mitre-attack', external_id: 'enterprise-attack' }] };
    const bundle = miniBundle({ extraObjects: [other, retiredMatrix] });
    bundle.objects.unshift(...bundle.objects.splice(-2));
    expect(buildCatalog(bundle, 'x', { domain: 'enterprise-attack' }).tactics).toHaveLength(4);
    expect(buildCatalog(bundle, 'x', { domain: 'other-attack' }).tactics.map((t) => t.id)).toEqual(['TA0002']);
    expect(buildCatalog(bundle, 'x').tactics.map((t) => t.id)).toEqual(['TA0002']);
  });
});
