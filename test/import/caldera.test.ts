import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAlerts } from '../../scripts/import/alerts.js';
import { parseCaldera, readCalderaRuns } from '../../scripts/import/caldera.js';
import type { OutcomeSource } from '../../scripts/import/types.js';
import { fixture, validRecord } from './helpers.js';

const read = (path: string) => readFileSync(fixture(path), 'utf8');

const alerts: OutcomeSource = {
  kind: 'alerts',
  alerts: parseAlerts(read('caldera/alerts.csv')).alerts,
  windowMs: 15 * 60_000,
  detections: { 'det-encoded-powershell': ['T1059.001'], 'det-shadow-copy-deletion': ['T1490'] },
};

describe('CALDERA operation report', () => {
  const result = readCalderaRuns(read('caldera/report.json'));

  it('runs are links with status 0, 1 or 124, on the host of the agent, from the time the agent ran them', () => {
    expect(result.problems).toEqual([]);
    expect(result.read).toBe(9);
    expect(result.runs.map((r) => [r.technique, r.host, r.start, r.test.name, r.notes])).toEqual([
      ['T1033', 'WS-0142', '2026-10-20T08:00:12Z', 'Identify active user', undefined],
      ['T1059.001', 'WS-0142', '2026-10-20T08:05:02Z', 'Encoded PowerShell', 'status 124 (timed out)'],
      ['T1074.001', 'WS-0142', '2026-10-20T08:10:01Z', 'Create staging directory', undefined],
      // The same ability with the same command again: a repeat run, not cleanup.
      ['T1033', 'WS-0142', '2026-10-20T08:20:01Z', 'Identify active user', undefined],
      ['T1490', 'srv-file-01', '2026-10-20T08:15:01Z', 'Delete shadow copies', 'status 1 (error)'],
    ]);
    expect(result.runs[0].test).toEqual({ type: 'caldera', id: 'c0da588f-79f0-4263-8998-7496b1a40596', name: 'Identify active user' });
  });

  it('cleanup links and links that never ran are skipped and counted', () => {
    expect(result.skipped.map((s) => [s.line, s.reason])).toEqual([
      [65, 'status -2 discarded: not run'],
      [96, 'cleanup link'],
      [133, 'status -3 queued: not run'],
      [148, 'cleanup link'],
    ]);
    expect(result.tally).toEqual({ '0 success': 5, '124 timeout': 1, '-2 discarded': 1, '1 error': 1, '-3 queued': 1 });
  });

  it('outcomes come from alerts, whatever the link status', () => {
    const { records } = parseCaldera(read('caldera/report.json'), alerts);
    expect(records.map((r) => [r.technique, r.outcome, r.detection ?? null])).toEqual([
      ['T1033', 'not-detected', null],
      // Timed out, yet the detection fired: detected.
      ['T1059.001', 'detected', 'det-encoded-powershell'],
      // The alert at 08:36:30 followed the cleanup link, 26 minutes after the run: not this run's evidence.
      ['T1074.001', 'not-detected', null],
      ['T1033', 'not-detected', null],
      // Exited with an error, yet detected.
      ['T1490', 'detected', 'det-shadow-copy-deletion'],
    ]);
    for (const record of records) expect(validRecord(record)).toBe(true);
  });
});

describe('CALDERA event logs', () => {
  it('reads links with agent metadata and CALDERA\'s own "YYYY-MM-DD HH:MM:SS" times', () => {
    const { runs, skipped, problems } = readCalderaRuns(read('caldera/event-logs.json'));
    expect(problems).toEqual([]);
    expect(runs.map((r) => [r.technique, r.host, r.start, r.notes])).toEqual([
      ['T1033', 'WS-0200', '2026-10-21T09:00:02Z', undefined],
      ['T1059.001', 'WS-0200', '2026-10-21T09:05:01Z', undefined],
      ['T1003.001', 'WS-0200', '2026-10-21T09:10:01Z', 'status 124 (timed out)'],
    ]);
    expect(skipped.map((s) => s.reason)).toEqual(['status -4 untrusted: not run', 'cleanup link']);
    const { records } = parseCaldera(read('caldera/event-logs.json'), alerts);
    expect(records.map((r) => r.outcome)).toEqual(['not-detected', 'detected', 'not-detected']);
  });

  it('unknown status codes are problems at their lines', () => {
    const { problems, runs } = readCalderaRuns(read('caldera/unknown-status.json'));
    expect(problems).toEqual([
      { line: 48, message: expect.stringMatching(/^unknown link status 7; CALDERA statuses are 0 success, 1 error, 124 timeout, -1 paused/) },
      { line: 88, message: expect.stringMatching(/^unknown link status "done"/) },
    ]);
    expect(runs).toHaveLength(1);
  });

  it('refuses JSON that is neither', () => {
    expect(readCalderaRuns('{"name": "op"}').problems[0].message).toMatch(/not a CALDERA operation report/);
    expect(readCalderaRuns('[{"status": 0,}]').problems[0]).toEqual({ line: 1, message: expect.stringMatching(/not valid JSON/) });
  });
});
