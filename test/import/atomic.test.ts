import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decideOutcomes, parseAlerts, sameHost } from '../../scripts/import/alerts.js';
import { parseAtomic, readAtomicCsv, readAtomicRuns, readAttire } from '../../scripts/import/atomic.js';
import type { OutcomeSource } from '../../scripts/import/types.js';
import { fixture, SIGMA_ID, validRecord } from './helpers.js';

const read = (path: string) => readFileSync(fixture(path), 'utf8');

const detections = {
  'det-encoded-powershell': ['T1059.001'],
  'det-lsass-access-nonstandard': ['T1003.001'],
  'det-shadow-copy-deletion': ['T1490'],
  [SIGMA_ID]: ['T1003.001'],
};

const withAlerts = (path: string, windowMs = 15 * 60_000): OutcomeSource => {
  const { alerts, problems } = parseAlerts(read(path));
  expect(problems).toEqual([]);
  return { kind: 'alerts', alerts, windowMs, detections };
};

describe('Invoke-AtomicRedTeam CSV log', () => {
  it('reads runs from the UTC column, keeps the GUID (lower-case) and the test name, notes exit codes', () => {
    const { runs, problems, read: count } = readAtomicCsv(read('atomic/invoke-atomic.csv'));
    expect(problems).toEqual([]);
    expect(count).toBe(3);
    expect(runs).toEqual([
      {
        line: 2,
        technique: 'T1059.001',
        start: '2026-10-12T08:00:05Z',
        host: 'WS-0142',
        test: { type: 'atomic', id: 'f3132740-55bc-48c4-bcc0-758a459cd027', name: 'Mimikatz' },
      },
      {
        line: 3,
        technique: 'T1003.001',
        start: '2026-10-12T08:10:00Z',
        host: 'WS-0142',
        test: { type: 'atomic', id: '0be2230c-9ab3-4ac2-8826-3199b9a0ebf8', name: 'Dump LSASS.exe Memory using ProcDump' },
        notes: 'exit code 1',
      },
      {
        line: 4,
        technique: 'T1003.001',
        start: '2026-10-12T09:00:00Z',
        host: 'srv-file-01',
        test: { type: 'atomic', id: '2536dee2-12fb-459a-8c37-971844fa73be', name: 'Dump LSASS.exe Memory using comsvcs.dll, "MiniDump" export' },
      },
    ]);
  });

  it('matches alerts on the same host (any case), within the window after the start, from a detection of the technique', () => {
    const { records, problems } = parseAtomic(read('atomic/invoke-atomic.csv'), withAlerts('atomic/alerts.csv'));
    expect(problems).toEqual([]);
    expect(records.map((r) => [r.technique, r.outcome, r.detection])).toEqual([
      // 08:03 on ws-0142 from det-encoded-powershell (T1059.001).
      ['T1059.001', 'detected', 'det-encoded-powershell'],
      // 08:09 is before the run, 08:40 after the window, 10:11 only "matches" the local-time column.
      ['T1003.001', 'not-detected', undefined],
      // 09:01 is a detection of another technique, 09:02 another host; 09:04:30 the Sigma rule tagged attack.t1003.001.
      ['T1003.001', 'detected', SIGMA_ID],
    ]);
    for (const record of records) expect(validRecord(record), JSON.stringify(validRecord.errors)).toBe(true);
    // The failed exit code stays a note; it did not decide anything.
    expect(records[1].notes).toBe('exit code 1');
  });

  it('a wider window reaches the later alert', () => {
    const { records } = parseAtomic(read('atomic/invoke-atomic.csv'), withAlerts('atomic/alerts.csv', 60 * 60_000));
    expect(records[1]).toMatchObject({ outcome: 'detected', detection: 'det-lsass-access-nonstandard' });
  });

  it('an explicit outcome applies to every run and names no detection', () => {
    const { records } = parseAtomic(read('atomic/invoke-atomic.csv'), { kind: 'fixed', outcome: 'blocked' });
    expect(records.map((r) => r.outcome)).toEqual(['blocked', 'blocked', 'blocked']);
    expect(records.some((r) => 'detection' in r)).toBe(false);
  });

  it('accepts the syslog logger\'s extra columns and CRLF', () => {
    const { runs, problems } = readAtomicRuns(read('atomic/invoke-atomic-syslog.csv'));
    expect(problems).toEqual([]);
    expect(runs).toMatchObject([{ technique: 'T1059.001', start: '2026-10-13T07:30:00Z', host: 'ws-0142' }]);
  });

  it('a log without the UTC time or host column is refused at line 1', () => {
    const { problems } = readAtomicCsv(read('atomic/missing-columns.csv'));
    expect(problems).toEqual([{ line: 1, message: expect.stringMatching(/lacks columns "Execution Time \(UTC\)", "Hostname"/) }]);
  });

  it('a broken quote is refused at its line', () => {
    expect(readAtomicCsv(read('atomic/broken-quote.csv')).problems).toEqual([{ line: 3, message: expect.stringMatching(/after a closing quote/) }]);
  });
});

describe('ATTiRe log', () => {
  it('one run per procedure, from its first step, on the target host; timeouts and exit codes noted', () => {
    const { runs, problems } = readAttire(read('atomic/attire.json'));
    expect(problems).toEqual([]);
    expect(runs).toEqual([
      {
        line: 12,
        technique: 'T1059.001',
        start: '2026-10-14T14:00:01Z',
        host: 'WS-0142',
        test: { type: 'atomic', id: 'f3132740-55bc-48c4-bcc0-758a459cd027', name: 'Mimikatz' },
      },
      {
        line: 32,
        technique: 'T1059.001',
        start: '2026-10-14T14:05:00Z',
        host: 'WS-0142',
        test: { type: 'atomic', id: 'a21bb23e-e677-4ee7-af90-6931b57b6350', name: 'Run BloodHound from local disk' },
        notes: 'timed out; exit code -1',
      },
    ]);
  });

  it('alerts as JSON lines; an alert that names its technique counts even from a tool outside the repository', () => {
    const { runs } = readAttire(read('atomic/attire.json'));
    const { records, foreignRules } = decideOutcomes(runs, withAlerts('atomic/alerts.jsonl'));
    expect(records.map((r) => [r.outcome, r.detection, r.notes])).toEqual([
      ['detected', undefined, 'alert edr-powershell-cradle'],
      // Timed out and no alert within 15 minutes: not detected (the timeout is not the outcome).
      ['not-detected', undefined, 'timed out; exit code -1'],
    ]);
    expect(foreignRules).toEqual(['edr-powershell-cradle']);
  });

  it('problems point at the procedure\'s line', () => {
    const text = read('atomic/attire.json').replace('"mitre-technique-id": "t1059.001"', '"mitre-technique-id": "PowerShell"');
    expect(readAttire(text).problems).toEqual([{ line: 36, message: expect.stringMatching(/"PowerShell" is not an ATT&CK technique id/) }]);
    expect(readAttire('{"procedures": [}').problems).toEqual([{ line: 1, message: expect.stringMatching(/not valid JSON/) }]);
    expect(readAttire('{\n  "attire-version": "1.1"\n}').problems[0].message).toMatch(/no "procedures" list/);
  });
});

describe('alerts file', () => {
  it('reports bad alerts with their lines', () => {
    const { problems } = parseAlerts('time,host,rule\nyesterday,ws-1,det-a\n2026-10-12T08:00:00Z,,det-a\n');
    expect(problems).toEqual([
      { line: 2, message: 'alert time "yesterday" is not an ISO 8601 date-time' },
      { line: 3, message: 'the alert has no host' },
    ]);
    expect(parseAlerts('{"time": "2026-10-12T08:00:00Z", "host": "h", "rule": "r", "technique": "execution"}\nnot json\n').problems).toEqual([
      { line: 1, message: expect.stringMatching(/"EXECUTION" is not an ATT&CK technique id/) },
      { line: 2, message: expect.stringMatching(/not a JSON object/) },
    ]);
  });

  it('a short host name matches its FQDN, never another domain\'s host of another name', () => {
    expect(sameHost('WS-0142', 'ws-0142.corp.example')).toBe(true);
    expect(sameHost('ws-0142.corp.example', 'WS-0142')).toBe(true);
    expect(sameHost('ws-0142.corp.example', 'ws-0142.lab.example')).toBe(false);
    expect(sameHost('ws-0142', 'ws-01420')).toBe(false);
  });

  it('an alert counts for the techniques it names and for those of its detection in the repository', () => {
    const run = { line: 2, technique: 'T1003.001', start: '2026-10-12T08:00:00Z', host: 'ws-0142', test: { type: 'atomic' as const } };
    const alert = { line: 2, time: Date.parse('2026-10-12T08:01:00Z'), host: 'WS-0142.corp.example', rule: 'det-lsass-access-nonstandard', techniques: ['T1003'] };
    const { records } = decideOutcomes([run], { kind: 'alerts', alerts: [alert], windowMs: 60_000, detections });
    expect(records[0]).toMatchObject({ outcome: 'detected', detection: 'det-lsass-access-nonstandard' });
    // The window includes its end and nothing after it.
    const late = { ...alert, time: Date.parse('2026-10-12T08:01:01Z') };
    expect(decideOutcomes([run], { kind: 'alerts', alerts: [late], windowMs: 60_000, detections }).records[0].outcome).toBe('not-detected');
  });
});
