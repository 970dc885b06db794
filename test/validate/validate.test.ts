import { describe, expect, it } from 'vitest';
import { makeRepo, run } from '../helpers/repo.js';

const group = (extra = '') => `id: G0016\nrelevance: high\nrationale: Targets health care.\nreviewed: 2026-09-01\n${extra}`;
const detection = (techniques: string, extra = '') =>
  `id: det-a\ntitle: A detection\nstatus: stable\ntechniques: ${techniques}\n${extra}`;

async function findings(files: Record<string, string | Uint8Array>) {
  const repo = makeRepo(files);
  const result = await run(['validate', '--repo', repo, '--format', 'json']);
  return { ...result, findings: JSON.parse(result.stdout || '[]') as { file: string; line: number; col: number; code: string; severity: string; message: string }[] };
}

/** One fixture repository per error class, each pinned to the exact position and code. */
const CASES: { name: string; files: Record<string, string>; expect: { file: string; line: number; col: number; code: string } }[] = [
  { name: 'YAML syntax', files: { 'groups/a.yaml': 'id: G0016\nrelevance: [high\n' }, expect: { file: 'groups/a.yaml', line: 3, col: 1, code: 'yaml-syntax' } },
  { name: 'duplicate key', files: { 'groups/a.yaml': `${group()}relevance: low\n` }, expect: { file: 'groups/a.yaml', line: 5, col: 1, code: 'yaml-duplicate-key' } },
  { name: 'wrong enum', files: { 'detections/a.yaml': detection('[T1059.001]').replace('stable', 'production') }, expect: { file: 'detections/a.yaml', line: 3, col: 9, code: 'schema' } },
  { name: 'missing required key', files: { 'groups/a.yaml': 'id: G0016\nrelevance: high\nreviewed: 2026-09-01\n' }, expect: { file: 'groups/a.yaml', line: 1, col: 1, code: 'schema' } },
  { name: 'malformed technique id', files: { 'detections/a.yaml': detection('\n  - T1059.001\n  - t1059') }, expect: { file: 'detections/a.yaml', line: 6, col: 5, code: 'schema' } },
  { name: 'unknown technique', files: { 'detections/a.yaml': detection('\n  - T1059.001\n  - T1999') }, expect: { file: 'detections/a.yaml', line: 6, col: 5, code: 'technique-unknown' } },
  { name: 'revoked technique', files: { 'controls/a.yaml': 'id: ctl\ntitle: C\nstatus: implemented\ntechniques: [T1086]\n' }, expect: { file: 'controls/a.yaml', line: 4, col: 14, code: 'technique-revoked' } },
  { name: 'unknown group', files: { 'groups/a.yaml': group().replace('G0016', 'G9999') }, expect: { file: 'groups/a.yaml', line: 1, col: 5, code: 'group-unknown' } },
  { name: 'unknown mitigation', files: { 'controls/a.yaml': 'id: ctl\ntitle: C\nstatus: implemented\ntechniques: [T1059.001]\nmitigations: [M1038, M9999]\n' }, expect: { file: 'controls/a.yaml', line: 5, col: 22, code: 'mitigation-unknown' } },
  {
    name: 'unknown data component',
    files: { 'coverage/telemetry.yaml': 'sources:\n  - id: s\n    name: S\n    status: collected\n    data_components: [DC0032, Process Teleportation]\n' },
    expect: { file: 'coverage/telemetry.yaml', line: 5, col: 31, code: 'data-component-unknown' },
  },
  { name: 'unknown telemetry id', files: { 'detections/a.yaml': detection('[T1059.001]', 'telemetry: [nope]\n') }, expect: { file: 'detections/a.yaml', line: 5, col: 13, code: 'telemetry-unknown' } },
  {
    name: 'result names a missing detection',
    files: { 'coverage/validations/q1.yaml': '- technique: T1059.001\n  date: 2026-10-12\n  outcome: detected\n  detection: det-missing\n' },
    expect: { file: 'coverage/validations/q1.yaml', line: 4, col: 14, code: 'detection-unknown' },
  },
  { name: 'duplicate id', files: { 'detections/a.yaml': detection('[T1059.001]'), 'detections/b.yaml': detection('[T1059.003]') }, expect: { file: 'detections/b.yaml', line: 1, col: 5, code: 'duplicate-id' } },
  { name: 'unknown key in tidemark.yaml', files: { 'tidemark.yaml': 'attack: { version: "18.1" }\npolicy:\n  credits: {}\n' }, expect: { file: 'tidemark.yaml', line: 3, col: 3, code: 'config-unknown-key' } },
];

describe('validate: one fixture repository per error class', () => {
  for (const c of CASES) {
    it(`${c.name} → ${c.expect.code} at ${c.expect.file}:${c.expect.line}:${c.expect.col}`, async () => {
      const { code, findings: all } = await findings(c.files);
      expect(code).toBe(1);
      expect(all.filter((f) => f.severity === 'error').map(({ file, line, col, code }) => ({ file, line, col, code }))).toContainEqual(c.expect);
    });
  }
});

describe('validate: messages an engineer can act on', () => {
  it('names the replacement of a revoked technique and the pinned release of an unknown one', async () => {
    const { findings: all } = await findings({ 'detections/a.yaml': detection('[T1086, T1999]') });
    expect(all.find((f) => f.code === 'technique-revoked')?.message).toContain('T1059.001');
    expect(all.find((f) => f.code === 'technique-unknown')?.message).toMatch(/18\.1.*newer release/);
  });

  it('accepts unknown keys in content files as warnings but not in tidemark.yaml', async () => {
    const { code, findings: all } = await findings({ 'detections/a.yaml': detection('[T1059.001]', 'ticket: SOC-12\n') });
    expect(code).toBe(0);
    expect(all).toContainEqual(expect.objectContaining({ code: 'unknown-key', severity: 'warning', line: 5 }));
  });

  it('asks to quote a version written as a number', async () => {
    const { findings: all } = await findings({ 'tidemark.yaml': 'attack: { version: 18.1 }\n' });
    expect(all[0].message).toContain('quote it: "18.1"');
  });

  it('recognises a Sigma rule and does not choke on it', async () => {
    const sigma = 'title: Encoded PowerShell\nid: 6a2f1e4c-9b8d-4e3f-a1b2-c3d4e5f60718\nstatus: test\ntags: [attack.execution, attack.T1059.001]\nlogsource: { product: windows, category: process_creation }\ndetection:\n  sel: { CommandLine|contains: " -enc " }\n  condition: sel\n';
    const { code, findings: all } = await findings({ 'detections/sigma/enc.yml': sigma });
    expect(code).toBe(0);
    expect(all.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('prints file:line:col severity code message in text format', async () => {
    const repo = makeRepo({ 'detections/a.yaml': detection('[T1999]') });
    const result = await run(['validate', '--repo', repo]);
    expect(result.stdout).toMatch(/^detections\/a\.yaml:4:14 error technique-unknown T1999 /m);
    expect(result.stderr).toContain('1 error(s)');
  });

  it('emits workflow annotations in github format', async () => {
    const repo = makeRepo({ 'detections/a.yaml': detection('[T1999]') });
    const result = await run(['validate', '--repo', repo, '--format', 'github']);
    expect(result.stdout).toMatch(/^::error file=detections\/a\.yaml,line=4,col=14,title=tidemark technique-unknown::T1999/m);
  });

  it('exits 2 on a bad flag, with no stack trace', async () => {
    const result = await run(['validate', '--frmat', 'json']);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
