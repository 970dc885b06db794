import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { buildReport, relativePath } from '../../scripts/emit/report.js';
import { evaluate } from '../../scripts/evaluate/index.js';
import { byString } from '../../scripts/model/order.js';
import { ReportSchema } from '../../scripts/model/report.js';
import { catalog, TECHNIQUES } from '../fixtures/catalog.js';
import { NOW } from '../evaluate/builders.js';
import { SCENARIO } from '../evaluate/scenario.js';

const meta = { toolVersion: '0.1.0', generatedAt: NOW.toISOString() };
const isSorted = (values: string[]) => values.every((v, i) => i === 0 || byString(values[i - 1], v) <= 0);

describe('report.json', () => {
  const report = buildReport(evaluate(SCENARIO, catalog, NOW), meta);

  it('matches ReportSchema', () => {
    const errors = [...Value.Errors(ReportSchema, report)].map((e) => `${e.path}: ${e.message}`);
    expect(errors).toEqual([]);
  });

  it('states the tool, the instant and the ATT&CK release', () => {
    expect(report.tool).toEqual({ name: 'tidemark', version: '0.1.0' });
    expect(report.generated_at).toBe('2026-10-15T12:00:00.000Z');
    expect(report.attack).toEqual({ domain: 'enterprise-attack', version: '18.1' });
  });

  it('carries the summary, techniques, groups and backlog evaluate computed', () => {
    expect(report.summary).toMatchObject({ overlay: 9, score: 0.2778, gaps: 6, untested_coverage: 0.6667, stale_profiles: 0 });
    const t = report.techniques.find((x) => x.id === 'T1566.001')!;
    expect(t).toMatchObject({ state: 'failed', weight: 5, credit: 0, priority: 5, groups: ['G0016', 'G0102'], detections: ['det-phish'], data_components: ['DC0022', 'DC0038'] });
    expect(t.validations).toEqual([
      { date: '2026-10-02', outcome: 'not-detected', detection: 'det-phish', test: { type: 'atomic', name: 'Word macro spawns PowerShell' }, fresh: true, file: 'coverage/validations/2026.yaml', line: 0 },
    ]);
    expect(t.reasons).toEqual([
      { group: 'G0016', via: 'uses', file: 'groups/G0016.yaml' },
      { group: 'G0102', via: 'uses', file: 'groups/G0102.yaml' },
    ]);
    expect(report.groups.map((g) => [g.id, g.name, g.weight, g.score])).toEqual([
      ['G0016', 'APT29', 3, 0.3],
      ['G0102', 'Wizard Spider', 2, 0.25],
    ]);
    expect(report.backlog[0]).toEqual({ id: 'T1566.001', name: 'Spearphishing Attachment', priority: 5, state: 'failed', groups: ['G0016', 'G0102'], action: expect.stringContaining('Fix det-phish') });
    expect(report.detections.map((d) => [d.id, d.counts])).toEqual([
      ['det-phish', true],
      ['det-ps', true],
    ]);
  });

  it('lists every active technique of the release for the matrix', () => {
    expect(report.catalog.map((t) => t.id)).toEqual(TECHNIQUES.map((t) => t.id).sort(byString));
    expect(report.catalog.find((t) => t.id === 'T1059.001')).toEqual({ id: 'T1059.001', name: 'PowerShell', tactics: ['execution'], platforms: ['Windows'], parent: 'T1059' });
  });

  it('sorts its arrays', () => {
    expect(isSorted(report.techniques.map((t) => t.id))).toBe(true);
    expect(isSorted(report.groups.map((g) => g.id))).toBe(true);
    expect(isSorted(report.detections.map((d) => d.id))).toBe(true);
    expect(isSorted(report.controls.map((c) => c.id))).toBe(true);
    expect(isSorted(report.telemetry.map((s) => s.id))).toBe(true);
    expect(isSorted(report.catalog.map((t) => t.id))).toBe(true);
    expect(isSorted(report.data_components.map((d) => d.id))).toBe(true);
    for (const t of report.techniques) for (const list of [t.groups, t.detections, t.controls, t.platforms, t.data_components, t.telemetry]) expect(isSorted(list)).toBe(true);
    expect(isSorted(report.findings.map((f) => f.file ?? ''))).toBe(true);
  });

  it('names the data components it mentions', () => {
    expect(report.data_components).toContainEqual({ id: 'DC0016', name: 'Drive Creation' });
    expect(report.telemetry.find((s) => s.id === 'usb-audit')?.data_components).toEqual(['DC0016']);
  });

  it('holds no absolute path', () => {
    expect(JSON.stringify(report)).not.toMatch(/"file":"(\/|[A-Za-z]:)/);
    expect(relativePath('/home/me/repo/groups/a.yaml')).toBe('home/me/repo/groups/a.yaml');
    expect(relativePath('C:\\repo\\groups\\a.yaml')).toBe('repo/groups/a.yaml');
    expect(relativePath('groups/a.yaml')).toBe('groups/a.yaml');
  });

  it('fills lines through the locator when the caller has one', () => {
    const located = buildReport(evaluate(SCENARIO, catalog, NOW), { ...meta, locate: (file, path) => (file.startsWith('coverage/') ? 10 + Number(path[0]) : 3) });
    expect(located.techniques.find((x) => x.id === 'T1566.001')!.validations[0].line).toBe(10);
    expect(located.findings.find((f) => f.code === 'validated-but-blind')?.line).toBe(10);
  });
});
