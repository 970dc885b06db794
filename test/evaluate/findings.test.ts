import { describe, expect, it } from 'vitest';
import { evaluate } from '../../scripts/evaluate/index.js';
import { CODES } from '../../scripts/model/findings.js';
import { catalog } from '../fixtures/catalog.js';
import { config, group, native, NOW, repository, run, source } from './builders.js';
import { SCENARIO } from './scenario.js';

const codes = (e: ReturnType<typeof evaluate>, code: string) => e.findings.filter((f) => f.code === code);

describe('findings that name the failure modes (SPEC §9)', () => {
  it('shallow-profile: an enabled group that contributes no technique', () => {
    const e = evaluate(
      repository({
        config: config({ organisation: { platforms: ['Windows'] } }),
        groups: [group('X-mac', { techniques: { add: ['T1547.015'] } }), group('X-off', { enabled: false, techniques: { add: ['T1547.015'] } })],
      }),
      catalog,
      NOW,
    );
    const [f] = codes(e, 'shallow-profile');
    expect(codes(e, 'shallow-profile')).toHaveLength(1);
    expect(f).toMatchObject({ severity: 'warning', file: 'groups/X-mac.yaml', path: [] });
    expect(f.message).toContain('1 outside organisation.platforms');
  });

  it('validated-but-blind: validated in a lab, no collected source sees it; points at the run', () => {
    const e = evaluate(SCENARIO, catalog, NOW);
    const [f] = codes(e, 'validated-but-blind');
    expect(f).toMatchObject({ file: 'coverage/validations/2026.yaml', path: [0] });
    expect(f.message).toContain('T1078');
    // Once a collected source provides its data components, the finding goes.
    const seen = evaluate({ ...SCENARIO, telemetry: [...SCENARIO.telemetry, source('idp', { data_components: ['DC0067'] })] }, catalog, NOW);
    expect(codes(seen, 'validated-but-blind')).toEqual([]);
  });

  it('validated-but-blind also for blocked', () => {
    const e = evaluate(repository({ groups: [group('X-a', { techniques: { add: ['T1486'] } })], validations: [run('T1486', '2026-10-01', 'blocked')] }), catalog, NOW);
    expect(codes(e, 'validated-but-blind')).toHaveLength(1);
  });

  it('stale-profile: reviewed longer ago than review_max_age_days; points at `reviewed`', () => {
    const e = evaluate(repository({ groups: [group('G0016', { reviewed: '2025-10-14' }), group('G0102', { reviewed: '2025-10-15' })] }), catalog, NOW);
    expect(codes(e, 'stale-profile')).toEqual([expect.objectContaining({ file: 'groups/G0016.yaml', path: ['reviewed'] })]);
    expect(e.groups.map((g) => [g.id, g.stale])).toEqual([
      ['G0016', true],
      ['G0102', false],
    ]);
    expect(e.summary.staleProfiles).toBe(1);
  });

  it('untested-coverage: always reported, as a figure', () => {
    const e = evaluate(SCENARIO, catalog, NOW);
    // covered: T1078 validated, T1059.001 detected, T1486 mitigated → 2 of 3 untested.
    expect(e.summary.untestedCoverage).toBe(0.6667);
    expect(codes(e, 'untested-coverage')).toEqual([expect.objectContaining({ severity: 'info', message: expect.stringContaining('2 of 3') })]);
    expect(codes(evaluate(repository(), catalog, NOW), 'untested-coverage')).toHaveLength(1);
  });

  it('parent-and-sub: one detection maps a parent and its own sub-technique', () => {
    const e = evaluate(repository({ detections: [native('det-both', ['T1059', 'T1059.001']), native('det-fine', ['T1059', 'T1078.004'])] }), catalog, NOW);
    expect(codes(e, 'parent-and-sub')).toEqual([expect.objectContaining({ severity: 'warning', file: 'detections/det-both.yaml', path: ['techniques', 1] })]);
  });

  it('uses only codes from the catalogue', () => {
    const e = evaluate(SCENARIO, catalog, NOW);
    for (const f of e.findings) expect(Object.keys(CODES)).toContain(f.code);
  });
});
