import { describe, expect, it } from 'vitest';
import { compare, diffFiles } from '../../scripts/gate/compare.js';
import { locateRecord } from '../../scripts/gate/locate.js';
import { DEFAULT_GATE_POLICY } from '../../scripts/gate/types.js';
import { snapshot } from './reports.js';

const DET = 'detections/powershell.yaml';
const detText = (status: string) => `id: det-ps\ntitle: Encoded PowerShell\nstatus: ${status}\ntechniques: [T1059.001]\n`;
const TEL = 'coverage/telemetry.yaml';
const telText = (status: string) =>
  `sources:\n  - id: edr\n    name: EDR\n    status: collected\n    data_components: [DC0001]\n  - id: sysmon\n    name: Sysmon\n    status: ${status}\n    data_components: [DC0032]\n`;

describe('compare (SPEC §12 gate rules)', () => {
  it('deleting a detection is a regression caused by the deleted file', () => {
    const base = snapshot(
      { techniques: [{ id: 'T1059.001', state: 'detected', detections: ['det-ps'], telemetry: ['sysmon'] }], detections: [{ id: 'det-ps', file: DET }] },
      { [DET]: detText('stable'), [TEL]: telText('collected') },
    );
    const head = snapshot({ techniques: [{ id: 'T1059.001', state: 'visible', telemetry: ['sysmon'] }] }, { [TEL]: telText('collected') });
    const result = compare(base, head);
    expect(result.verdict).toBe('fail');
    expect(result.failed).toEqual(['regression', 'new_gap']);
    expect(result.regressions.map((c) => c.id)).toEqual(['T1059.001']);
    expect(result.regressions[0].cause).toMatchObject({ kind: 'detection', file: DET, change: 'removed', detail: 'detection det-ps removed' });
    expect(result.regressions[0].cause!.line).toBeUndefined();
    expect(result.changedFiles).toEqual([DET]);
  });

  it('downgrading a status is a regression pointing at the status line', () => {
    const base = snapshot(
      { techniques: [{ id: 'T1059.001', state: 'detected', detections: ['det-ps'] }], detections: [{ id: 'det-ps', file: DET }] },
      { [DET]: detText('stable') },
    );
    const head = snapshot(
      {
        techniques: [{ id: 'T1059.001', state: 'blind', detections: ['det-ps'] }],
        detections: [{ id: 'det-ps', file: DET, status: 'experimental', counts: false, reason: 'status experimental is not counted' }],
      },
      { [DET]: detText('experimental') },
    );
    const [change] = compare(base, head).regressions;
    expect(change.before).toEqual({ state: 'detected', credit: 0.5 });
    expect(change.after).toEqual({ state: 'blind', credit: 0 });
    expect(change.cause).toMatchObject({ kind: 'detection', change: 'changed', file: DET, line: 3, col: 1 });
    expect(change.cause!.detail).toMatch(/status stable → experimental/);
  });

  it('telemetry going to planned regresses only the techniques it alone saw, caused by the telemetry file', () => {
    const base = snapshot(
      {
        techniques: [
          { id: 'T1059.001', state: 'visible', telemetry: ['sysmon'] },
          { id: 'T1003.001', state: 'visible', telemetry: ['edr', 'sysmon'] },
          { id: 'T1078', state: 'detected', detections: ['det-ps'], telemetry: ['sysmon'] },
        ],
        detections: [{ id: 'det-ps', file: DET }],
      },
      { [TEL]: telText('collected'), [DET]: detText('stable') },
    );
    const head = snapshot(
      {
        techniques: [
          { id: 'T1059.001', state: 'blind' },
          { id: 'T1003.001', state: 'visible', telemetry: ['edr'] },
          { id: 'T1078', state: 'blind', detections: ['det-ps'] },
        ],
        detections: [{ id: 'det-ps', file: DET, counts: false, reason: 'telemetry sysmon is not collected' }],
        telemetry: [{ id: 'edr' }, { id: 'sysmon', status: 'planned' }],
      },
      { [TEL]: telText('planned'), [DET]: detText('stable') },
    );
    const result = compare(base, head);
    // T1059.001 was already a gap (visible → blind, credit 0 → 0): state change, not a regression.
    expect(result.regressions.map((c) => c.id)).toEqual(['T1078']);
    expect(result.changes.map((c) => c.id)).toEqual(['T1059.001', 'T1078']);
    const cause = result.regressions[0].cause!;
    expect(cause).toMatchObject({ kind: 'telemetry', id: 'sysmon', file: TEL, change: 'removed', line: 8, col: 5 });
    expect(cause.detail).toBe('telemetry source sysmon is now planned');
  });

  it('a failed emulation result is a new gap pointing at its line', () => {
    const file = 'coverage/validations/2026-q3.yaml';
    const base = snapshot({ techniques: [{ id: 'T1059.001', state: 'detected', detections: ['det-ps'] }], detections: [{ id: 'det-ps', file: DET }] }, {});
    const head = snapshot(
      {
        techniques: [
          {
            id: 'T1059.001',
            state: 'failed',
            detections: ['det-ps'],
            validations: [{ date: '2026-09-30', outcome: 'not-detected', fresh: true, file, line: 4 }],
          },
        ],
        detections: [{ id: 'det-ps', file: DET }],
      },
      { [file]: '- technique: T1059.001\n  date: 2026-09-30\n  outcome: not-detected\n' },
    );
    const result = compare(base, head);
    expect(result.newGaps.map((c) => c.id)).toEqual(['T1059.001']);
    expect(result.regressions.map((c) => c.id)).toEqual(['T1059.001']);
    expect(result.newGaps[0].cause).toMatchObject({ kind: 'validation', file, line: 4, change: 'added' });
  });

  it('gaps brought only by a newly profiled group are warnings and pass', () => {
    const base = snapshot({ techniques: [{ id: 'T1059.001', state: 'detected' }] }, { 'groups/g0001.yaml': 'id: G0001\n' });
    const head = snapshot(
      {
        techniques: [
          { id: 'T1059.001', state: 'detected', groups: ['G0001', 'G0016'] },
          { id: 'T1566.001', state: 'blind', groups: ['G0016'] },
          { id: 'T1110', state: 'mitigated', groups: ['G0016'] },
        ],
        groups: [{ id: 'G0001' }, { id: 'G0016', file: 'groups/apt29.yaml' }],
      },
      { 'groups/g0001.yaml': 'id: G0001\n', 'groups/apt29.yaml': 'id: G0016\nrelevance: high\n' },
    );
    const result = compare(base, head);
    expect(result.verdict).toBe('pass');
    expect(result.newGroups).toEqual(['G0016']);
    expect(result.newGroupGaps.map((c) => c.id)).toEqual(['T1566.001']);
    expect(result.newGroupGaps[0].cause).toMatchObject({ kind: 'group', file: 'groups/apt29.yaml', line: 1 });
    expect(result.changes.map((c) => c.id)).toEqual(['T1110', 'T1566.001']);

    const strict = compare(base, head, { ...DEFAULT_GATE_POLICY, new_groups_may_add_gaps: false });
    expect(strict.verdict).toBe('fail');
    expect(strict.newGaps.map((c) => c.id)).toEqual(['T1566.001']);
  });

  it('a gap an existing group also brings is a new gap even when a new group arrives with it', () => {
    const base = snapshot({ techniques: [{ id: 'T1059.001', state: 'detected' }] });
    const head = snapshot({
      techniques: [
        { id: 'T1059.001', state: 'detected' },
        { id: 'T1566.001', state: 'blind', groups: ['G0001', 'G0016'] },
      ],
      groups: [{ id: 'G0001' }, { id: 'G0016' }],
    });
    expect(compare(base, head).newGaps.map((c) => c.id)).toEqual(['T1566.001']);
  });

  it('errors in head are invalid; warnings are reported, not failed', () => {
    const base = snapshot({ techniques: [{ id: 'T1059.001', state: 'detected' }] });
    const head = snapshot(undefined, {}, [
      { severity: 'error', code: 'yaml-syntax', message: 'bad indentation', file: 'groups/a.yaml', line: 3, col: 2 },
      { severity: 'warning', code: 'unknown-key', message: 'unknown key colour', file: 'groups/b.yaml', line: 1, col: 1 },
    ]);
    const result = compare(base, head);
    expect(result.failed).toEqual(['invalid']);
    expect(result.errors).toHaveLength(1);
    expect(result.warnings).toHaveLength(1);
    expect(result.notes[0]).toMatch(/head revision could not be evaluated/);
  });

  it('lists only the warnings this change brings, wherever their lines moved', () => {
    const stale = { severity: 'warning' as const, code: 'stale-profile', message: 'G1 review is old', file: 'groups/g1.yaml' };
    const fresh = { severity: 'warning' as const, code: 'unknown-key', message: 'unknown key colour', file: 'groups/g2.yaml', line: 4 };
    const input = { techniques: [{ id: 'T1', state: 'detected' as const }] };
    const result = compare(snapshot(input, {}, [{ ...stale, line: 3 }]), snapshot(input, {}, [{ ...stale, line: 9 }, fresh]));
    expect(result.warnings).toEqual([fresh]);
  });

  it('fail_on decides which rules fail; min_score always applies when set', () => {
    const base = snapshot({ techniques: [{ id: 'T1', state: 'validated' }] });
    const head = snapshot({ techniques: [{ id: 'T1', state: 'detected' }] });
    expect(compare(base, head, { ...DEFAULT_GATE_POLICY, fail_on: ['invalid'] }).verdict).toBe('pass');
    const low = compare(base, head, { ...DEFAULT_GATE_POLICY, fail_on: [], min_score: 0.6 });
    expect(low.failed).toEqual(['min_score']);
  });

  it('an unchanged repository passes with no changes', () => {
    const input = { techniques: [{ id: 'T1059.001', state: 'detected' as const }] };
    const result = compare(snapshot(input, { 'a.yaml': 'x' }), snapshot(input, { 'a.yaml': 'x', 'b.yaml': 'y' }));
    expect(result.verdict).toBe('pass');
    expect(result.changes).toEqual([]);
    expect(result.changedFiles).toEqual(['b.yaml']);
  });

  it('an invalid base is noted and compared with nothing', () => {
    const result = compare(snapshot(undefined), snapshot({ techniques: [{ id: 'T1', state: 'blind' }] }));
    expect(result.verdict).toBe('pass');
    expect(result.notes[0]).toMatch(/base revision could not be evaluated/);
  });
});

describe('helpers', () => {
  it('diffFiles lists added, removed and changed files', () => {
    const changed = diffFiles(new Map([['a', '1'], ['b', '2'], ['c', '3']]), new Map([['a', '1'], ['b', '20'], ['d', '4']]));
    expect([...changed].sort()).toEqual(['b', 'c', 'd']);
  });

  it('locateRecord finds a key inside the record with an id, at any depth', () => {
    const text = 'sources:\n  - id: a\n    status: collected\n  - name: B\n    id: b\n    status: planned\n';
    expect(locateRecord(text, 'b', 'status')).toEqual({ line: 6, col: 5 });
    expect(locateRecord(text, 'b', 'missing')).toEqual({ line: 5, col: 5 });
    expect(locateRecord(text, 'zzz')).toBeUndefined();
    expect(locateRecord('a: [unclosed', 'a')).toBeUndefined();
  });
});
