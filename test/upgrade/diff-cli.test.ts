/**
 * `tidemark attack diff A B` on a repository pinned to 16.1 that uses T1574.002 (revoked in 17.1):
 * text, Markdown (a pull-request body) and JSON, with references, profiled groups and the
 * coverage evaluated at both releases.
 */
import { describe, expect, it } from 'vitest';
import { UPGRADE_MARKER } from '../../scripts/upgrade/render.js';
import { makeRepo, run } from '../helpers/repo.js';
import { rawRelease } from './raw-bundles.js';


const FILES = {
  'tidemark.yaml': 'attack: { domain: enterprise-attack, version: "16.1" }\n',
  'groups/menupass.yaml': 'id: G0045\nrelevance: high\nrationale: MSP intrusions.\nreviewed: 2026-06-01\n',
  'groups/custom.yaml': 'id: X-pipe\nname: "Pipe | <b>bold</b> [x](http://evil)"\nrelevance: low\nrationale: Tests escaping.\nreviewed: 2026-06-01\ntechniques:\n  add: [T1574.002, T1059.001]\n',
  'detections/native/dll.yaml': 'id: det-dll\ntitle: DLL side-loading\nstatus: stable\ntechniques: [T1574.002]\n',
  'detections/sigma/dll.yml': 'title: DLL\nid: 0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f\nstatus: test\nlogsource: { category: image_load, product: windows }\ndetection: { sel: { Signed: "false" }, condition: sel }\ntags:\n  - attack.t1574.002\n',
};

const diff = (format: string) => run(['attack', 'diff', '16.1', '17.1', '--repo', makeRepo(FILES), '--now', '2026-10-01', '--format', format]);

describe('tidemark attack diff 16.1 17.1', () => {
  it('text: the changes, the profiled groups, the references and both evaluations', async () => {
    const r = await diff('text');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('ATT&CK enterprise-attack 16.1 → 17.1 (this repository is pinned to 16.1)');
    expect(r.stdout).toMatch(/Techniques: 24 new, 1 revoked, 0 deprecated, \d+ renamed/);
    expect(r.stdout).toContain('  revoked     T1574.002 DLL Side-Loading → T1574.001 DLL');
    // menuPass's uses of T1574.002 (verified from the raw bundles) are gone in 17.1.
    expect(rawRelease('16.1').groups.get('G0045')!.has('T1574.002')).toBe(true);
    expect(rawRelease('17.1').groups.get('G0045')!.has('T1574.002')).toBe(false);
    expect(r.stdout).toMatch(/  G0045 menuPass \(groups\/menupass\.yaml\): [^\n]*−T1574\.002/);
    expect(r.stdout).toContain('  detections/native/dll.yaml:4:14  T1574.002  revoked → T1574.001 DLL  [--write replaces it]');
    expect(r.stdout).toContain('  detections/sigma/dll.yml:7:12  attack.t1574.002  revoked → T1574.001 DLL  [--write replaces it]');
    expect(r.stdout).toContain('  groups/custom.yaml:7:9  T1574.002  revoked → T1574.001 DLL  [--write replaces it]');
    expect(r.stdout).toMatch(/Coverage:\n  16\.1: score \d+\.\d% over \d+ techniques, \d+ gaps \([^)]*\); 0 errors, \d+ warnings?\n  17\.1: score [^\n]*; [1-9]\d* errors?/);
    expect(r.stdout).toContain('"attack upgrade --to 17.1 --write" would replace 3 revoked ids and pin 17.1 in tidemark.yaml.');
  });

  it('json: scores and state counts at both releases', async () => {
    const r = await diff('json');
    const report = JSON.parse(r.stdout);
    for (const side of ['from', 'to', 'rewritten']) {
      expect(report.scores[side].score).toBeTypeOf('number');
      expect(Object.keys(report.scores[side].states).sort()).toEqual(['blind', 'blocked', 'detected', 'failed', 'mitigated', 'validated', 'visible']);
    }
    expect(report.scores.from).toMatchObject({ version: '16.1', errors: 0 });
    // At 17.1 the revoked id is an error until it is replaced.
    expect(report.scores.to.errors).toBeGreaterThan(0);
    expect(report.scores.rewritten.errors).toBe(0);
    expect(report.profiles.map((p: { id: string }) => p.id)).toEqual(['G0045', 'X-pipe']);
  });

  it('markdown: a pull-request body with the marker, tables, escaped names and the ATT&CK notice', async () => {
    const r = await diff('markdown');
    const md = r.stdout;
    expect(md.startsWith(`${UPGRADE_MARKER}\n## ATT&CK enterprise-attack 16.1 → 17.1`)).toBe(true);
    expect(md).toMatch(/\| \| 16\.1 \| 17\.1 \| 17\.1 after `--write` \|/);
    expect(md).toMatch(/\| \*\*Coverage score\*\* \| \*\*\d+\.\d%\*\* \| \*\*\d+\.\d%\*\* \| \*\*\d+\.\d%\*\* \|/);
    expect(md).toContain('| `detections/native/dll.yaml:4:14` | `T1574.002` | revoked → T1574.001 DLL | --write replaces it |');
    expect(md).toContain('Pipe \\| &lt;b&gt;bold&lt;/b&gt; \\[x\\](http://evil)');
    expect(md).not.toContain('<b>');
    expect(md).toContain('<details><summary>Revoked techniques (1)</summary>');
    expect(md).toContain('The MITRE Corporation');
  });
});
