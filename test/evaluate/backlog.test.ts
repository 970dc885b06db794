import { describe, expect, it } from 'vitest';
import { evaluate } from '../../scripts/evaluate/index.js';
import type { Repository } from '../../scripts/model/repository.js';
import { catalog } from '../fixtures/catalog.js';
import { control, group, native, NOW, repository, run, source } from './builders.js';
import { SCENARIO } from './scenario.js';

const actionFor = (parts: Partial<Repository>, id: string, suggestTests?: (t: string) => { guid: string; name: string }[]) => {
  const e = evaluate(repository({ groups: [group('X-test', { techniques: { add: [id] } })], ...parts }), catalog, NOW, suggestTests ? { suggestTests } : {});
  return e.backlog.find((b) => b.id === id)!;
};

describe('the backlog (SPEC §10)', () => {
  const e = evaluate(SCENARIO, catalog, NOW);

  it('lists overlay techniques with credit < 1: priority desc, then number of groups desc, then id', () => {
    expect(e.backlog.map((b) => [b.id, b.priority])).toEqual([
      ['T1566.001', 5],
      ['T1078.004', 3],
      ['T1547.015', 3],
      ['T1059', 2],
      ['T1200', 2],
      ['T1490', 2],
      ['T1059.001', 1.5],
      ['T1486', 1],
    ]);
    expect(e.backlog.some((b) => b.id === 'T1078')).toBe(false); // validated: full credit
  });

  it('puts the technique more groups use first when priorities tie', () => {
    // X-a (weight 2) brings T1200; X-b and X-c (weight 1 each) bring T1490: both weigh 2, both blind.
    const tie = evaluate(
      repository({
        groups: [
          group('X-a', { relevance: 2, techniques: { add: ['T1200'] } }),
          group('X-b', { relevance: 1, techniques: { add: ['T1490'] } }),
          group('X-c', { relevance: 'low', techniques: { add: ['T1490'] } }),
        ],
      }),
      catalog,
      NOW,
    );
    expect(tie.backlog.map((b) => [b.id, b.priority, b.groups.length])).toEqual([
      ['T1490', 2, 2],
      ['T1200', 2, 1],
    ]);
  });

  it('blind: collect telemetry, naming the missing data components', () => {
    const b = e.backlog.find((x) => x.id === 'T1078.004')!;
    expect(b.action).toBe('Collect telemetry: User Account Authentication, Logon Session Creation (none collected)');
  });

  it('blind: names the inventory sources that would provide it but are not collected', () => {
    expect(e.backlog.find((x) => x.id === 'T1200')!.action).toBe('Collect telemetry: Drive Creation (none collected; not yet collected: usb-audit (planned))');
  });

  it('blind without a data component in ATT&CK: still says what to collect', () => {
    expect(actionFor({}, 'T1650').action).toBe('Collect telemetry: a log source that records T1650 (ATT&CK names no data component for it) (none collected)');
  });

  it('visible: write a detection, naming the collected source that already sees it', () => {
    expect(e.backlog.find((x) => x.id === 'T1059')!.action).toBe('Write a detection: EDR command lines already sees it');
  });

  it('visible: mentions a mapped detection that does not count', () => {
    const b = actionFor(
      { telemetry: [source('edr', { name: 'EDR', data_components: ['DC0032'] })], detections: [native('det-ps', ['T1059.001'], { status: 'experimental' })] },
      'T1059.001',
    );
    expect(b.action).toBe('Write a detection: EDR already sees it; det-ps exists but does not count: status experimental is not in policy.counted_statuses (stable, test)');
  });

  it('visible: names at most three sources, by name', () => {
    const telemetry = ['d', 'c', 'b', 'a', 'e'].map((x) => source(`src-${x}`, { name: `Source ${x.toUpperCase()}`, data_components: ['DC0032'] }));
    expect(actionFor({ telemetry }, 'T1059.001').action).toBe('Write a detection: Source A, Source B, Source C and 2 more already see it');
  });

  it('failed: fix the detection the run names, with the date and the test', () => {
    expect(e.backlog[0].action).toBe('Fix det-phish: not detected on 2026-10-02 (atomic "Word macro spawns PowerShell")');
  });

  it('failed: says so when the run names no detection', () => {
    const b = actionFor({ validations: [run('T1486', '2026-10-03T08:00:00Z', 'not-detected', { test: { type: 'caldera', id: 'abc-123' }, host: 'ws-7' })] }, 'T1486');
    expect(b.action).toBe('Fix the detection for T1486 (the failed run names none; no detection maps it): not detected on 2026-10-03 (caldera abc-123 on ws-7)');
    const mapped = actionFor({ detections: [native('det-crypt', ['T1486'])], validations: [run('T1486', '2026-10-03', 'not-detected')] }, 'T1486');
    expect(mapped.action).toBe('Fix the detection for T1486 (the failed run names none; mapped detections: det-crypt): not detected on 2026-10-03 (no test recorded)');
  });

  it('detected: validate it with an emulation, naming the detection', () => {
    expect(e.backlog.find((x) => x.id === 'T1059.001')!.action).toBe('Validate: run an emulation of T1059.001 and check that det-ps alerts');
  });

  it('mitigated: validate the control', () => {
    expect(e.backlog.find((x) => x.id === 'T1486')!.action).toBe('Validate: run an emulation of T1486 and check that ctl-backup blocks it');
  });

  it('detected: names up to three Atomic Red Team tests when a suggester is given', () => {
    const tests = ['a', 'b', 'c', 'd'].map((x, i) => ({ guid: `0000000${i}-guid`, name: `Test ${x}` }));
    const b = actionFor({ detections: [native('det-ps', ['T1059.001'])] }, 'T1059.001', (id) => (id === 'T1059.001' ? tests : []));
    expect(b.tests).toEqual(tests.slice(0, 3));
    expect(b.action).toBe(
      'Validate: run an emulation of T1059.001 and check that det-ps alerts (Atomic Red Team: "Test a" 00000000-guid; "Test b" 00000001-guid; "Test c" 00000002-guid)',
    );
  });

  it('detected: notes a last run that fell out of the window', () => {
    const b = actionFor({ controls: [control('ctl-asr', ['T1566.001'])], validations: [run('T1566.001', '2025-01-10', 'blocked')] }, 'T1566.001');
    expect(b.action).toBe('Validate: run an emulation of T1566.001 and check that ctl-asr blocks it; the last run (2025-01-10) is older than 180 days');
  });

  it('detected: notes a run dated after today', () => {
    const b = actionFor({ detections: [native('det-ps', ['T1059.001'])], validations: [run('T1059.001', '2026-11-17', 'detected')] }, 'T1059.001');
    expect(b.action).toBe('Validate: run an emulation of T1059.001 and check that det-ps alerts; the run of 2026-11-17 is dated after today (2026-10-15) and does not count yet');
  });
});
