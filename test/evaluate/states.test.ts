import { describe, expect, it } from 'vitest';
import { dayNumber, dayString, todayOf } from '../../scripts/evaluate/dates.js';
import { evaluate } from '../../scripts/evaluate/index.js';
import { decisiveResult, STATE_TABLE, stateOf, viewResults } from '../../scripts/evaluate/states.js';
import type { Repository } from '../../scripts/model/repository.js';
import { catalog } from '../fixtures/catalog.js';
import { control, group, native, NOW, repository, run, sigma, source } from './builders.js';

/** Evaluates a repository whose only group adds `techniques`; returns the evaluation. */
function evaluateWith(parts: Partial<Repository>, techniques = ['T1059.001']) {
  return evaluate(repository({ groups: [group('X-test', { name: 'Test', techniques: { add: techniques } })], ...parts }), catalog, NOW);
}
const stateWith = (parts: Partial<Repository>, id = 'T1059.001') => evaluateWith(parts, [id]).techniques.find((t) => t.id === id)!;

const daysAgo = (n: number) => dayString(todayOf(NOW) - n);

describe('the state table (SPEC §9), one row at a time', () => {
  it('blocked: the latest fresh run was blocked', () => {
    expect(stateWith({ validations: [run('T1059.001', daysAgo(3), 'blocked')] }).state).toBe('blocked');
  });

  it('validated: the latest fresh run was detected', () => {
    const t = stateWith({ validations: [run('T1059.001', daysAgo(3), 'detected', { detection: 'det-ps' })], detections: [native('det-ps', ['T1059.001'])] });
    expect(t.state).toBe('validated');
    expect(t.decisive?.detection).toBe('det-ps');
  });

  it('failed: a not-detected run beats a counting detection (evidence beats assertion)', () => {
    const t = stateWith({ validations: [run('T1059.001', daysAgo(3), 'not-detected')], detections: [native('det-ps', ['T1059.001'])] });
    expect(t.counting).toEqual(['det-ps']);
    expect(t.state).toBe('failed');
  });

  it('detected: a counting detection and no fresh run', () => {
    expect(stateWith({ detections: [native('det-ps', ['T1059.001'])] }).state).toBe('detected');
  });

  it('mitigated: an implemented control, no run, no detection', () => {
    expect(stateWith({ controls: [control('ctl-asr', ['T1059.001'])] }).state).toBe('mitigated');
    expect(stateWith({ controls: [control('ctl-asr', ['T1059.001'], { status: 'partial' })] }).state).toBe('blind');
  });

  it('detected beats mitigated', () => {
    expect(stateWith({ controls: [control('ctl-asr', ['T1059.001'])], detections: [native('det-ps', ['T1059.001'])] }).state).toBe('detected');
  });

  it('visible: a collected source provides one of its data components', () => {
    const t = stateWith({ telemetry: [source('sysmon-process', { data_components: ['DC0032'] })] });
    expect(t.state).toBe('visible');
    expect(t.telemetry).toEqual(['sysmon-process']);
  });

  it('visible through a data component named instead of numbered', () => {
    expect(stateWith({ telemetry: [source('sysmon-process', { data_components: ['Process Creation'] })] }).state).toBe('visible');
  });

  it('blind: nothing of the above; a planned source does not make it visible', () => {
    expect(stateWith({}).state).toBe('blind');
    expect(stateWith({ telemetry: [source('edr', { status: 'planned', data_components: ['DC0032'] })] }).state).toBe('blind');
  });

  it('is driven by one table whose first matching row wins', () => {
    expect(STATE_TABLE.map((r) => r.state)).toEqual(['blocked', 'validated', 'failed', 'detected', 'mitigated', 'visible', 'blind']);
    expect(stateOf({ outcome: 'detected', detected: true, mitigated: true, visible: true })).toBe('validated');
    expect(stateOf({ detected: false, mitigated: true, visible: true })).toBe('mitigated');
  });
});

describe('emulation results and the freshness window', () => {
  const detection = native('det-ps', ['T1059.001']);

  it('ignores a run older than validation_max_age_days', () => {
    const t = stateWith({ detections: [detection], validations: [run('T1059.001', daysAgo(181), 'not-detected')] });
    expect(t.state).toBe('detected');
    expect(t.validations[0].fresh).toBe(false);
  });

  it('counts a run exactly validation_max_age_days old', () => {
    expect(stateWith({ detections: [detection], validations: [run('T1059.001', daysAgo(180), 'not-detected')] }).state).toBe('failed');
  });

  it('ignores a run dated after today', () => {
    expect(stateWith({ detections: [detection], validations: [run('T1059.001', daysAgo(-1), 'not-detected')] }).state).toBe('detected');
  });

  it('takes the worst outcome of two runs on one day', () => {
    const sameDay = [run('T1059.001', `${daysAgo(2)}T09:00:00Z`, 'detected'), run('T1059.001', `${daysAgo(2)}T10:00:00Z`, 'not-detected')];
    expect(stateWith({ validations: sameDay }).state).toBe('failed');
    const blockedAndDetected = [run('T1059.001', daysAgo(2), 'blocked'), run('T1059.001', daysAgo(2), 'detected')];
    expect(stateWith({ validations: blockedAndDetected }).state).toBe('validated');
  });

  it('takes the latest day, whatever happened before', () => {
    const history = [run('T1059.001', daysAgo(30), 'not-detected'), run('T1059.001', daysAgo(5), 'detected')];
    expect(stateWith({ validations: history }).state).toBe('validated');
    const regressed = [run('T1059.001', daysAgo(30), 'blocked'), run('T1059.001', daysAgo(5), 'not-detected')];
    expect(stateWith({ validations: regressed }).state).toBe('failed');
  });

  it('reads date-times as UTC days, honouring offsets', () => {
    expect(dayString(dayNumber('2026-10-15T01:00:00+03:00')!)).toBe('2026-10-14');
    expect(dayString(dayNumber('2026-10-14T23:30:00-0100')!)).toBe('2026-10-15');
    expect(dayString(dayNumber('2026-10-14 23:59')!)).toBe('2026-10-14');
    expect(dayNumber('2026-02-30')).toBeUndefined();
    const [view] = viewResults([run('T1059.001', '2026-10-15T01:00:00+03:00', 'detected')], todayOf(NOW), 180);
    expect(view).toMatchObject({ day: '2026-10-14', fresh: true });
  });

  it('uses the UTC day of now, not the instant', () => {
    const lateNow = new Date('2026-10-15T23:59:59Z');
    const views = viewResults([run('T1059.001', '2026-04-18', 'detected')], todayOf(lateNow), 180);
    expect(views[0].fresh).toBe(true);
    expect(decisiveResult(views)?.outcome).toBe('detected');
  });
});

describe('which detections count (SPEC §5)', () => {
  it('a detection on T1059 does not cover T1059.001, nor the reverse', () => {
    const e = evaluateWith({ detections: [native('det-cmd', ['T1059']), native('det-ps', ['T1059.001'])] }, ['T1059', 'T1059.001']);
    const [parent, sub] = e.techniques;
    expect([parent.id, parent.detections]).toEqual(['T1059', ['det-cmd']]);
    expect([sub.id, sub.detections]).toEqual(['T1059.001', ['det-ps']]);
  });

  it('a status outside counted_statuses does not count; Sigma unsupported never does', () => {
    expect(stateWith({ detections: [native('det-ps', ['T1059.001'], { status: 'experimental' })] }).state).toBe('blind');
    const e = evaluate(
      repository({
        config: { ...repository().config, policy: { ...repository().config.policy, counted_statuses: ['stable', 'unsupported'] } },
        groups: [group('X-test', { techniques: { add: ['T1059.001'] } })],
        detections: [sigma('sig-ps', ['T1059.001'], { product: 'windows' }, { status: 'unsupported' })],
      }),
      catalog,
      NOW,
    );
    expect(e.techniques[0].state).toBe('blind');
    expect(e.detections[0]).toMatchObject({ counts: false, reason: 'status unsupported never counts' });
  });

  it('a native detection whose telemetry is planned does not count, and says why', () => {
    const e = evaluateWith({
      detections: [native('det-ps', ['T1059.001'], { telemetry: ['edr-process'] })],
      telemetry: [source('edr-process', { status: 'planned', data_components: ['DC0032'] })],
    });
    expect(e.techniques[0].state).toBe('blind');
    expect(e.detections[0]).toMatchObject({ counts: false, reason: 'telemetry not collected: edr-process (planned)' });
    const f = e.findings.find((x) => x.code === 'detection-without-telemetry');
    expect(f).toMatchObject({ severity: 'warning', file: 'detections/det-ps.yaml', path: ['telemetry', 0] });
  });

  it('a native detection counts when every telemetry id it names is collected', () => {
    const telemetry = [source('sysmon', { data_components: ['DC0032'] }), source('edr', { status: 'retired', data_components: ['DC0032'] })];
    expect(stateWith({ telemetry, detections: [native('det-ps', ['T1059.001'], { telemetry: ['sysmon'] })] }).state).toBe('detected');
    const both = stateWith({ telemetry, detections: [native('det-ps', ['T1059.001'], { telemetry: ['sysmon', 'edr'] })] });
    expect(both.state).toBe('visible');
  });

  it('a need no inventory entry answers is a warning and does not block', () => {
    const e = evaluateWith({ detections: [native('det-ps', ['T1059.001'], { telemetry: ['nowhere'] })] });
    expect(e.techniques[0].state).toBe('detected');
    expect(e.findings.find((f) => f.code === 'telemetry-need-unanswered')).toMatchObject({ severity: 'warning', path: ['telemetry', 0] });
  });

  it('a Sigma rule counts when a collected source selector matches its logsource, ignoring case', () => {
    const telemetry = [source('sysmon', { sigma: [{ product: 'windows', category: 'process_creation' }] })];
    const rule = sigma('sig-ps', ['T1059.001'], { product: 'Windows', category: 'PROCESS_CREATION', service: 'sysmon' });
    const e = evaluateWith({ telemetry, detections: [rule] });
    expect(e.techniques[0].state).toBe('detected');
    expect(e.detections[0].telemetry).toEqual(['sysmon']);
  });

  it('a Sigma rule whose only matching source is planned does not count', () => {
    const telemetry = [source('sysmon', { status: 'planned', sigma: [{ product: 'windows', category: 'process_creation' }] }), source('fw', { sigma: [{ category: 'firewall' }] })];
    const e = evaluateWith({ telemetry, detections: [sigma('sig-ps', ['T1059.001'], { product: 'windows', category: 'process_creation' })] });
    expect(e.techniques[0].state).toBe('blind');
    expect(e.findings.find((f) => f.code === 'detection-without-telemetry')).toMatchObject({ path: ['logsource'] });
  });

  it('a Sigma rule no selector matches at all counts, with a warning', () => {
    const telemetry = [source('sysmon', { sigma: [{ product: 'windows', category: 'process_creation' }] })];
    const e = evaluateWith({ telemetry, detections: [sigma('sig-ps', ['T1059.001'], { product: 'linux', category: 'process_creation' })] });
    expect(e.techniques[0].state).toBe('detected');
    expect(e.findings.find((f) => f.code === 'telemetry-need-unanswered')).toMatchObject({ file: 'detections/sigma/sig-ps.yml', path: ['logsource'] });
  });
});
