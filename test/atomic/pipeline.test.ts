import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, run } from '../helpers/repo.js';

const INDEX = join(process.env.TIDEMARK_ATTACK_MIRROR ?? '', '..', 'corpora', 'atomic-red-team', 'index.csv');

const config = (platforms: string) =>
  `attack: { version: "18.1" }\norganisation: { platforms: [${platforms}] }\natomic_red_team: { index: ${JSON.stringify(INDEX)} }\n`;
const files = (platforms: string) => ({
  'tidemark.yaml': config(platforms),
  'groups/x.yaml': 'id: X-test\nname: Test actor\nrelevance: high\nrationale: r\nreviewed: 2026-11-01\ntechniques:\n  add: [T1059.001, T1003.001]\n',
  'detections/a.yaml': 'id: det-ps\ntitle: PowerShell\nstatus: stable\ntechniques: [T1059.001, T1003.001]\n',
  'coverage/validations/q4.yaml':
    '- technique: T1059.001\n  date: 2025-01-01\n  outcome: detected\n  test: { type: atomic, id: 00000000-0000-0000-0000-000000000000 }\n' +
    '- technique: T1059.001\n  date: 2025-01-02\n  outcome: detected\n  test: { type: atomic, id: 0be2230c-9ab3-4ac2-8826-3199b9a0ebf8 }\n',
});

describe('Atomic Red Team index in the pipeline', () => {
  it('names up to three Atomic tests in the next action of techniques that need validation, for the organisation platforms', async () => {
    const repo = makeRepo(files('Windows'));
    const result = await run(['score', '--repo', repo, '--now', '2026-12-01', '--quiet']);
    expect(result.code).toBe(0);
    const report = JSON.parse(readFileSync(join(repo, 'build', 'report.json'), 'utf8'));
    const entry = report.backlog.find((b: { id: string }) => b.id === 'T1059.001');
    expect(entry.state).toBe('detected');
    expect(entry.tests.length).toBeGreaterThan(0);
    expect(entry.tests.length).toBeLessThanOrEqual(3);
    expect(entry.action).toContain(entry.tests[0].guid);
  });

  it('warns when a result names an Atomic test that does not exist or belongs to another technique', async () => {
    const repo = makeRepo(files('Windows'));
    const result = await run(['validate', '--repo', repo, '--format', 'json']);
    const findings = JSON.parse(result.stdout) as { code: string; line: number }[];
    expect(findings).toContainEqual(expect.objectContaining({ code: 'atomic-test-unknown', line: 4 }));
    expect(findings).toContainEqual(expect.objectContaining({ code: 'atomic-test-mismatch', line: 8 }));
  });
});
