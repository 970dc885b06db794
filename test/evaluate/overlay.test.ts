import { describe, expect, it } from 'vitest';
import { baselineTechniques, buildOverlay, groupSet, platformFilter, relevanceWeight } from '../../scripts/evaluate/overlay.js';
import { catalog } from '../fixtures/catalog.js';
import { config, group, repository } from './builders.js';

const APT29_USES = ['T1059.001', 'T1078', 'T1078.004', 'T1547.015', 'T1566.001'];

describe('a group set (SPEC §4)', () => {
  it('is the ATT&CK uses plus the techniques of attributed campaigns', () => {
    const set = groupSet(group('G0016'), catalog, config());
    expect(set.techniques).toEqual(['T1003', ...APT29_USES]);
    expect(set.name).toBe('APT29');
    expect(set.reasons.T1003).toEqual([{ group: 'G0016', via: 'campaign', ref: 'C0024', file: 'groups/G0016.yaml', path: [] }]);
    expect(set.reasons['T1078.004'].map((r) => r.via)).toEqual(['uses', 'campaign']);
  });

  it('leaves campaigns out when include_campaigns is false', () => {
    const set = groupSet(group('G0016'), catalog, config({ profile: { include_campaigns: false } }));
    expect(set.techniques).toEqual(APT29_USES);
  });

  it('adds the techniques of used software when include_software is true', () => {
    const set = groupSet(group('G0016'), catalog, config({ profile: { include_campaigns: false, include_software: true } }));
    expect(set.techniques).toEqual(['T1055', ...APT29_USES]);
    expect(set.reasons.T1055).toEqual([expect.objectContaining({ via: 'software', ref: 'S0154' })]);
  });

  it('profiles a campaign by its own techniques (and its software when asked)', () => {
    expect(groupSet(group('C0024'), catalog, config()).techniques).toEqual(['T1003', 'T1078.004']);
    const withSoftware = groupSet(group('C0024'), catalog, config({ profile: { include_software: true } }));
    expect(withSoftware.techniques).toEqual(['T1003', 'T1055', 'T1059.001', 'T1078.004']);
    expect(withSoftware.name).toBe('SolarWinds Compromise');
  });

  it('takes only `add` for a custom group', () => {
    const set = groupSet(group('X-insider', { name: 'Malicious insider', techniques: { add: ['T1200', { id: 'T1078', source: 'IR-2026-014' }] } }), catalog, config());
    expect(set.techniques).toEqual(['T1078', 'T1200']);
    expect(set.name).toBe('Malicious insider');
    expect(set.reasons.T1078).toEqual([{ group: 'X-insider', via: 'add', file: 'groups/X-insider.yaml', path: ['techniques', 'add', 1] }]);
  });

  it('adds a technique observed locally', () => {
    const set = groupSet(group('G0016', { techniques: { add: [{ id: 'T1486', source: 'IR-2026-014' }] } }), catalog, config({ profile: { include_campaigns: false } }));
    expect(set.techniques).toContain('T1486');
  });

  it('drops a removed technique, even one ATT&CK records', () => {
    const set = groupSet(group('G0102', { techniques: { remove: [{ id: 'T1200', reason: 'no physical sites' }] } }), catalog, config());
    expect(set.techniques).not.toContain('T1200');
    expect(set.techniques).toEqual(['T1059', 'T1078', 'T1486', 'T1490', 'T1566.001']);
    expect(set.dropped.removed).toEqual(['T1200']);
  });

  it('remove wins over add', () => {
    const set = groupSet(group('X-a', { techniques: { add: ['T1200'], remove: ['T1200'] } }), catalog, config());
    expect(set.techniques).toEqual([]);
  });

  it('drops techniques outside organisation.platforms', () => {
    const cfg = config({ organisation: { platforms: ['Windows', 'IaaS', 'Identity Provider', 'Office Suite'] } });
    const set = groupSet(group('G0016'), catalog, cfg);
    expect(set.techniques).not.toContain('T1547.015'); // macOS only
    expect(set.dropped.platform).toEqual(['T1547.015']);
    expect(set.techniques).toEqual(['T1003', 'T1059.001', 'T1078', 'T1078.004', 'T1566.001']);
  });

  it('keeps only techniques active in the pinned release', () => {
    const set = groupSet(group('X-old', { techniques: { add: ['T1086', 'T1059.001', 'T9999'] } }), catalog, config());
    expect(set.techniques).toEqual(['T1059.001']);
    expect(set.dropped.inactive).toEqual(['T1086', 'T9999']);
  });

  it('maps relevance through policy.relevance and takes a number as is', () => {
    const { policy } = config({ policy: { relevance: { medium: 5 } } });
    expect(relevanceWeight('high', policy)).toBe(3);
    expect(relevanceWeight('medium', policy)).toBe(5);
    expect(relevanceWeight('low', policy)).toBe(1);
    expect(relevanceWeight(2.5, policy)).toBe(2.5);
  });
});

describe('the baseline', () => {
  const all = platformFilter(undefined);

  it('takes the N techniques with the most ATT&CK groups using them directly', () => {
    expect(baselineTechniques(catalog, 1, all)).toEqual(['T1078']);
    expect(baselineTechniques(catalog, 0, all)).toEqual([]);
  });

  it('breaks ties by id', () => {
    // T1059.001, T1200 and T1566.001 are all used by two groups.
    expect(baselineTechniques(catalog, 2, all)).toEqual(['T1078', 'T1059.001']);
    expect(baselineTechniques(catalog, 4, all)).toEqual(['T1078', 'T1059.001', 'T1200', 'T1566.001']);
  });

  it('counts direct uses only, not campaigns or software', () => {
    // T1003 is used only through campaign C0024, T1055 only through software: never in the baseline.
    expect(baselineTechniques(catalog, 100, all)).not.toContain('T1003');
    expect(baselineTechniques(catalog, 100, all)).not.toContain('T1055');
  });

  it('applies the platform filter first', () => {
    expect(baselineTechniques(catalog, 2, platformFilter(['IaaS']))).toEqual(['T1078', 'T1078.004']);
  });
});

describe('the overlay', () => {
  it('is the union of enabled groups, weighted by the sum of their weights', () => {
    const repo = repository({
      config: config({ profile: { include_campaigns: false } }),
      groups: [group('G0016', { relevance: 'high' }), group('G0102', { relevance: 'medium' }), group('G0007', { enabled: false })],
    });
    const overlay = buildOverlay(repo, catalog);
    const byId = Object.fromEntries(overlay.techniques.map((t) => [t.id, t]));
    expect(overlay.techniques.map((t) => t.id)).toEqual(['T1059', 'T1059.001', 'T1078', 'T1078.004', 'T1200', 'T1486', 'T1490', 'T1547.015', 'T1566.001']);
    expect(byId.T1078).toMatchObject({ groups: ['G0016', 'G0102'], weight: 5, baseline: false });
    expect(byId.T1486).toMatchObject({ groups: ['G0102'], weight: 2 });
    // The disabled group is listed with its set but contributes nothing.
    expect(overlay.groups.find((g) => g.id === 'G0007')).toMatchObject({ enabled: false, techniques: ['T1059.001', 'T1078', 'T1200'] });
  });

  it('adds the baseline; a technique only the baseline brings has weight 1', () => {
    const repo = repository({
      config: config({ profile: { baseline: 2 } }),
      groups: [group('X-a', { relevance: 'low', techniques: { add: ['T1486'] } }), group('X-b', { relevance: 'high', techniques: { add: ['T1078'] } })],
    });
    const overlay = buildOverlay(repo, catalog);
    expect(overlay.baseline).toEqual(['T1078', 'T1059.001']);
    expect(overlay.techniques.map((t) => [t.id, t.weight, t.baseline])).toEqual([
      ['T1059.001', 1, true],
      ['T1078', 3, false],
      ['T1486', 1, false],
    ]);
    expect(overlay.techniques[0].reasons).toEqual([{ group: 'baseline', via: 'baseline' }]);
  });
});
