import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { run, type Run } from '../helpers/repo.js';
import { fixture, importRepo, readValidation, SIGMA_ID, shared, validationFiles, validRecord } from './helpers.js';

const tidemark = (args: string[]): Promise<Run> => run(['import', ...args]);

const records = (text: string) => parse(text) as Record<string, unknown>[];
const NO_STACK = /\n\s+at /;

describe('tidemark import atomic', () => {
  it('writes coverage/validations/atomic-<day of the latest run>.yaml with outcomes from alerts, and says what it did', async () => {
    const repo = importRepo();
    const result = await tidemark(['atomic', fixture('atomic/invoke-atomic.csv'), '--alerts', fixture('atomic/alerts.csv'), '--repo', repo]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(validationFiles(repo)).toEqual(['atomic-2026-10-12.yaml']);
    const text = readValidation(repo, 'atomic-2026-10-12.yaml');
    expect(text.startsWith('# tidemark import atomic invoke-atomic.csv: 3 record(s)\n')).toBe(true);
    const written = records(text);
    expect(written.map((r) => [r.technique, r.outcome, r.detection ?? null])).toEqual([
      ['T1059.001', 'detected', 'det-encoded-powershell'],
      ['T1003.001', 'not-detected', null],
      ['T1003.001', 'detected', SIGMA_ID],
    ]);
    for (const r of written) expect(validRecord(r)).toBe(true);
    expect(result.stdout).toMatch(/read 3 entries from .*invoke-atomic\.csv/);
    expect(result.stdout).toMatch(/wrote 3 records to .*atomic-2026-10-12\.yaml: 2 detected, 1 not-detected/);
  });

  it('importing the same file twice adds nothing', async () => {
    const repo = importRepo();
    const args = ['atomic', fixture('atomic/invoke-atomic.csv'), '--alerts', fixture('atomic/alerts.csv'), '--repo', repo];
    expect((await tidemark(args)).code).toBe(0);
    const before = readValidation(repo, 'atomic-2026-10-12.yaml');
    const second = await tidemark(args);
    expect(second.code).toBe(0);
    expect(validationFiles(repo)).toEqual(['atomic-2026-10-12.yaml']);
    expect(readValidation(repo, 'atomic-2026-10-12.yaml')).toBe(before);
    expect(second.stdout).toContain('wrote nothing: no new records');
    expect(second.stdout).toContain('3 already recorded (lines 2, 3, 4)');
  });

  it('the same runs logged by the Attire logger are recognised as already recorded', async () => {
    const repo = importRepo();
    await tidemark(['atomic', fixture('atomic/attire.json'), '--outcome', 'not-detected', '--repo', repo]);
    const again = await tidemark(['atomic', fixture('atomic/attire.json'), '--outcome', 'not-detected', '--repo', repo]);
    expect(again.stdout).toContain('2 already recorded');
    // A different verdict on the same run is new evidence and is kept.
    const detected = await tidemark(['atomic', fixture('atomic/attire.json'), '--outcome', 'detected', '--repo', repo]);
    expect(detected.stdout).toMatch(/appended 2 records to .*atomic-2026-10-14\.yaml: 2 detected/);
    expect(records(readValidation(repo, 'atomic-2026-10-14.yaml'))).toHaveLength(4);
  });

  it('appends to an existing list of the same day, and never rewrites a file of another shape', async () => {
    const repo = importRepo({
      'coverage/validations/atomic-2026-10-13.yaml': '# hand-written\nvalidations:\n  - technique: T1033\n    date: 2026-10-13\n    outcome: detected\n',
    });
    const existing = '# Q4 runs\n- technique: T1082\n  date: 2026-10-12\n  outcome: not-detected\n';
    writeFileSync(join(repo, 'coverage/validations/atomic-2026-10-12.yaml'), existing);
    await tidemark(['atomic', fixture('atomic/invoke-atomic.csv'), '--outcome', 'detected', '--repo', repo]);
    const text = readValidation(repo, 'atomic-2026-10-12.yaml');
    expect(text.startsWith(existing)).toBe(true);
    expect(records(text)).toHaveLength(4);
    await tidemark(['atomic', fixture('atomic/invoke-atomic-syslog.csv'), '--outcome', 'detected', '--repo', repo]);
    expect(validationFiles(repo)).toEqual(['atomic-2026-10-12.yaml', 'atomic-2026-10-13-2.yaml', 'atomic-2026-10-13.yaml']);
  });

  it('says when an existing results file could not be read for deduplication', async () => {
    const repo = importRepo({ 'coverage/validations/broken.yaml': '- technique: [T1033\n' });
    const result = await tidemark(['atomic', fixture('atomic/invoke-atomic.csv'), '--outcome', 'detected', '--repo', repo]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('note: coverage/validations/broken.yaml does not parse, so its records were not checked for duplicates');
  });

  it('--now names the file; --dry-run writes nothing', async () => {
    const repo = importRepo();
    const dry = await tidemark(['atomic', fixture('atomic/invoke-atomic.csv'), '--outcome', 'blocked', '--dry-run', '--repo', repo]);
    expect(dry.stdout).toMatch(/would write 3 records/);
    expect(validationFiles(repo)).toEqual([]);
    await tidemark(['atomic', fixture('atomic/invoke-atomic.csv'), '--outcome', 'blocked', '--now', '2026-11-02', '--repo', repo]);
    expect(validationFiles(repo)).toEqual(['atomic-2026-11-02.yaml']);
  });
});

describe('tidemark import caldera', () => {
  it('imports a report, counting cleanup links and runs that never happened as skipped', async () => {
    const repo = importRepo();
    const result = await tidemark(['caldera', fixture('caldera/report.json'), '--alerts', fixture('caldera/alerts.csv'), '--repo', repo]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/read 9 entries .*\(0 success 5, 124 timeout 1, -2 discarded 1, 1 error 1, -3 queued 1\)/);
    expect(result.stdout).toMatch(/wrote 5 records to .*caldera-2026-10-20\.yaml: 2 detected, 3 not-detected/);
    expect(result.stdout).toContain('2 cleanup link (lines 96, 148)');
    expect(result.stdout).toContain('1 status -2 discarded: not run (line 65)');
    expect(result.stdout).toContain('skipped 4 entries:');
    // The only alert after the staging run came 26 minutes later, after its cleanup: no match, no note.
    expect(result.stdout).not.toContain('edr-file-delete');
  });

  it('imports event logs', async () => {
    const repo = importRepo();
    const result = await tidemark(['caldera', fixture('caldera/event-logs.json'), '--alerts', fixture('caldera/alerts.csv'), '--repo', repo]);
    expect(result.code).toBe(0);
    const written = records(readValidation(repo, 'caldera-2026-10-21.yaml'));
    expect(written.map((r) => [r.technique, r.outcome, r.host])).toEqual([
      ['T1033', 'not-detected', 'WS-0200'],
      ['T1059.001', 'detected', 'WS-0200'],
      ['T1003.001', 'not-detected', 'WS-0200'],
    ]);
  });
});

describe('bad input: a clear message with the line, nothing written, exit 1', () => {
  const cases: [string, string[], RegExp][] = [
    ['a log with missing columns', ['atomic', fixture('atomic/missing-columns.csv'), '--outcome', 'detected'], /missing-columns\.csv:1: the Invoke-AtomicRedTeam log lacks columns "Execution Time \(UTC\)", "Hostname"/],
    ['a CSV with a broken quote', ['atomic', fixture('atomic/broken-quote.csv'), '--outcome', 'detected'], /broken-quote\.csv:3: unexpected "L" after a closing quote/],
    ['a report with unknown status codes', ['caldera', fixture('caldera/unknown-status.json'), '--outcome', 'detected'], /unknown-status\.json:48: unknown link status 7;[^\n]*\n[^\n]*unknown-status\.json:88: unknown link status "done"/],
    ['a VECTR export with a quote never closed', ['vectr', fixture('vectr/broken-quote.csv')], /broken-quote\.csv:3: a quoted field opened on this line is never closed/],
    ['an alerts file with a bad time', ['atomic', fixture('atomic/invoke-atomic.csv'), '--alerts', fixture('atomic/invoke-atomic.csv')], /invoke-atomic\.csv:1: the alerts file lacks columns "time", "host", "rule" or "detection"/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const repo = importRepo();
      const result = await tidemark([...args, '--repo', repo]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/nothing written: \d+ problems? in the input/);
      expect(result.stderr).not.toMatch(NO_STACK);
      expect(result.stdout).toBe('');
      expect(validationFiles(repo)).toEqual([]);
    });
  }
});

describe('usage errors: exit 2', () => {
  const cases: [string, string[], RegExp][] = [
    ['no outcome evidence', ['atomic', fixture('atomic/invoke-atomic.csv')], /give --alerts FILE .* or --outcome detected\|not-detected\|blocked/],
    ['an unknown kind', ['splunk', fixture('atomic/invoke-atomic.csv')], /unknown kind "splunk"; use one of atomic, caldera, vectr/],
    ['no file', ['caldera'], /name the caldera file to import/],
    ['a file that is not there', ['atomic', '/nonexistent/run.csv', '--outcome', 'detected'], /cannot read atomic input \/nonexistent\/run\.csv: no such file/],
    ['a bad outcome', ['atomic', fixture('atomic/invoke-atomic.csv'), '--outcome', 'passed'], /--outcome must be one of detected, not-detected, blocked/],
    ['a bad window', ['atomic', fixture('atomic/invoke-atomic.csv'), '--alerts', fixture('atomic/alerts.csv'), '--window', '15 minutes'], /--window "15 minutes" is not a duration/],
    ['alerts for VECTR', ['vectr', fixture('vectr/small.csv'), '--alerts', fixture('atomic/alerts.csv')], /vectr exports carry their own outcome/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const repo = importRepo();
      const result = await tidemark([...args, '--repo', repo]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(NO_STACK);
      expect(validationFiles(repo)).toEqual([]);
    });
  }
});

describe('tidemark import vectr', () => {
  it('imports the DEMO_PURPLE_CE corpus with technique names from the pinned release, then nothing the second time', async () => {
    const repo = importRepo();
    const corpus = shared('corpora/vectr/DEMO_PURPLE_CE.csv');
    const first = await tidemark(['vectr', corpus, '--repo', repo]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/read 765 entries .*\(Blocked 187, NotDetected 404, Detected 174\)/);
    expect(first.stdout).toMatch(/wrote 680 records/);
    expect(first.stdout).toMatch(/85 no MitreID; Method is not a technique name \(lines 6, /);
    const [file] = validationFiles(repo);
    expect(file).toMatch(/^vectr-\d{4}-\d{2}-\d{2}\.yaml$/);
    const written = records(readValidation(repo, file));
    expect(written).toHaveLength(680);
    for (const r of written) expect(validRecord(r)).toBe(true);
    const second = await tidemark(['vectr', corpus, '--repo', repo]);
    expect(second.stdout).toContain('wrote nothing: no new records');
    expect(validationFiles(repo)).toEqual([file]);
  });

  it('the written file loads and validates in the repository', async () => {
    const repo = importRepo();
    await tidemark(['atomic', fixture('atomic/invoke-atomic.csv'), '--alerts', fixture('atomic/alerts.csv'), '--repo', repo]);
    await tidemark(['caldera', fixture('caldera/report.json'), '--alerts', fixture('caldera/alerts.csv'), '--repo', repo]);
    await tidemark(['vectr', fixture('vectr/small.csv'), '--repo', repo]);
    const result = await run(['validate', '--repo', repo, '--format', 'json']);
    const findings = JSON.parse(result.stdout || '[]') as { file: string; severity: string; code: string; message: string }[];
    expect(findings.filter((f) => f.file?.startsWith('coverage/validations/') && f.severity === 'error')).toEqual([]);
  });
});
