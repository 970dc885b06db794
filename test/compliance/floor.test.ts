import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../scripts/emit/report.js';
import { evaluate } from '../../scripts/evaluate/index.js';
import { ReportSchema } from '../../scripts/model/report.js';
import { catalog } from '../fixtures/catalog.js';
import { control, NOW } from '../evaluate/builders.js';
import { SCENARIO } from '../evaluate/scenario.js';

const meta = { toolVersion: '0.1.0', generatedAt: NOW.toISOString() };

/**
 * The scenario of test/evaluate/scenario.ts (9 overlay techniques, Σw = 27) with compliance ids:
 * implemented and mapped: ctl-backup (T1486), ctl-mfa (T1078, T1078.004, and T1133 outside the
 * overlay); planned: ctl-usb (T1200); implemented without ids: ctl-edr (T1059), which an audit
 * never looks at.
 */
const repo = {
  ...SCENARIO,
  controls: [
    control('ctl-backup', ['T1486'], { compliance: { 'nist-800-53-r5': ['CP-09'], 'iso-27001-2022': ['A.8.13'] } }),
    control('ctl-usb', ['T1200'], { status: 'planned', compliance: { 'nist-800-53-r5': ['MP-7'] } }),
    control('ctl-mfa', ['T1078', 'T1078.004', 'T1133'], { compliance: { 'nist-800-53-r5': ['IA-02(01)', 'AC-02'], 'cis-v8': ['6.5'] } }),
    control('ctl-pam', ['T1078'], { status: 'partial', compliance: { 'nist-800-53-r5': ['AC-2'] } }),
    control('ctl-edr', ['T1059']),
  ],
};

describe('report.compliance: the floor against the overlay', () => {
  const report = buildReport(evaluate(repo, catalog, NOW), meta);
  const c = report.compliance!;

  it('matches the report schema', () => {
    expect([...Value.Errors(ReportSchema, report)].map((e) => `${e.path}: ${e.message}`)).toEqual([]);
  });

  it('counts the overlay techniques implemented compliance-mapped controls list', () => {
    expect(c.controls).toEqual(['ctl-backup', 'ctl-mfa']);
    // T1486 (w 2), T1078 (w 5), T1078.004 (w 3) of 9 techniques, Σw 27.
    expect(c.floor).toMatchObject({ overlay: 9, reached: 3, share: 0.3333, weighted_share: 0.3704 });
  });

  it('lists what every mapped control leaves uncovered, by priority, with states and gaps', () => {
    expect(c.floor.uncovered.map((u) => [u.id, u.state, u.priority, u.gap])).toEqual([
      ['T1566.001', 'failed', 5, true],
      ['T1547.015', 'blind', 3, true],
      ['T1200', 'blind', 2, true], // listed by ctl-usb, which is only planned
      ['T1490', 'visible', 2, true],
      ['T1059.001', 'detected', 1.5, false],
      ['T1059', 'mitigated', 1, false], // mitigated by ctl-edr, which carries no compliance id
    ]);
    expect(c.floor.uncovered_gaps).toBe(4);
  });

  it('groups requirements per framework in canonical form, zero padding or not', () => {
    expect(c.frameworks.map((f) => [f.key, f.name, f.controls, f.reached, f.share])).toEqual([
      ['cis-v8', 'CIS Critical Security Controls v8', ['ctl-mfa'], 2, 0.2222],
      ['iso-27001-2022', 'ISO/IEC 27001:2022 Annex A', ['ctl-backup'], 1, 0.1111],
      ['nist-800-53-r5', 'NIST SP 800-53 Rev. 5', ['ctl-backup', 'ctl-mfa', 'ctl-pam', 'ctl-usb'], 3, 0.3333],
    ]);
    expect(c.frameworks[2].requirements).toEqual([
      { id: 'AC-2', controls: ['ctl-mfa', 'ctl-pam'], reached: ['T1078', 'T1078.004'] },
      { id: 'CP-9', controls: ['ctl-backup'], reached: ['T1486'] },
      { id: 'IA-2(1)', controls: ['ctl-mfa'], reached: ['T1078', 'T1078.004'] },
      { id: 'MP-7', controls: ['ctl-usb'], reached: [] },
    ]);
  });

  it('is absent when no control carries a compliance id, and identical across runs', () => {
    expect(buildReport(evaluate(SCENARIO, catalog, NOW), meta).compliance).toBeUndefined();
    expect(JSON.stringify(buildReport(evaluate(repo, catalog, NOW), meta))).toBe(JSON.stringify(report));
  });
});
