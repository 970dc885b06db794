/**
 * `tidemark attack upgrade --to 18.1 --write` on a real git repository pinned to 15.1 whose files
 * use ids that 18.1 revokes: T1574.002 (revoked by T1574.001 in 17.1), T1086 (revoked by
 * T1059.001 long before) and the group G0042 (revoked by G0040). Native YAML and Sigma tags, with
 * comments, odd quoting and CRLF line endings in one file. Afterwards the repository validates
 * under 18.1 and `git diff` shows nothing but those tokens and the pin.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.js';
import { createRepo, type TestRepo } from '../helpers/git.js';


const NOW = '2026-10-01';

const CONFIG = [
  '# Example configuration, pinned deliberately.',
  'attack:',
  "  domain: enterprise-attack   # the only domain we use",
  "  version: '15.1'             # move it with tidemark attack upgrade",
  'organisation:',
  '  name: Upgrade Test',
  '  platforms: [Windows]',
  '',
].join('\n');

const MENUPASS = [
  'id: G0045',
  'relevance: high',
  'rationale: Targets managed service providers; DLL side-loading (T1574.002) is its signature.',
  'reviewed: 2026-06-01',
  'techniques:',
  '  add:',
  '    - { id: T1574.002, source: IR-2026-001 }   # side-loading seen in our estate',
  '',
].join('\n');

const OLD_GROUP = ['id: "G0042"  # profiled under its old ATT&CK id', 'relevance: low', 'rationale: Legacy profile kept for history.', 'reviewed: 2026-06-01', ''].join('\n');

// CRLF line endings, comments, a flow sequence with double and single quotes and odd spacing.
const SIDELOAD = [
  '# Signed binary loading a DLL from its own folder (was T1574.002 in older mappings)',
  'id: det-dll-sideload',
  "title: 'Signed binary loads an unsigned DLL from its own folder'",
  'status: stable',
  "techniques: [ \"T1574.002\" ,  'T1055' ]   # keep the spacing",
  'platforms: [Windows]',
  '',
].join('\r\n');

const ENCODED = ['id: det-encoded-ps', 'title: Encoded PowerShell', 'status: test', 'techniques:', '  - T1086        # the ATT&CK 6 id', '  - T1027', ''].join('\n');

const SIGMA = [
  'title: Unsigned DLL loaded by a signed binary',
  'id: 2b1c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d',
  'status: test',
  "description: 'Side-loading, tagged attack.t1574.002 in older rule packs'",
  'logsource:',
  '  category: image_load',
  '  product: windows',
  'detection:',
  '  selection:',
  "    Signed: 'false'",
  '  condition: selection',
  'tags:',
  '  - attack.defense_evasion',
  '  - attack.t1574.002',
  '  - "attack.T1086"   # upper-case style stays upper-case',
  'level: high',
  '',
].join('\n');

const FILES = {
  'tidemark.yaml': CONFIG,
  'groups/menupass.yaml': MENUPASS,
  'groups/old-group.yaml': OLD_GROUP,
  'detections/native/dll-sideload.yaml': SIDELOAD,
  'detections/native/encoded-ps.yaml': ENCODED,
  'detections/sigma/image_load_unsigned_dll.yml': SIGMA,
};

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`) });
  return { code, out, err };
}

async function pinnedRepo(): Promise<TestRepo> {
  const repo = await createRepo(FILES);
  cleanup.push(repo.remove);
  await repo.commit('content pinned to ATT&CK 15.1');
  return repo;
}

/** Words removed and added by `git diff --word-diff=porcelain`, per file. */
async function wordDiff(repo: TestRepo): Promise<Record<string, { removed: string[]; added: string[] }>> {
  const text = await repo.git.diff(['--word-diff=porcelain', '--word-diff-regex=[A-Za-z0-9_.:-]+', '-U0']);
  const out: Record<string, { removed: string[]; added: string[] }> = {};
  let file = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('+++ b/')) file = line.slice(6);
    else if (line.startsWith('---') || line.startsWith('+++') || line.startsWith('diff ') || line.startsWith('index ')) continue;
    else if (line.startsWith('-')) (out[file] ??= { removed: [], added: [] }).removed.push(line.slice(1));
    else if (line.startsWith('+')) (out[file] ??= { removed: [], added: [] }).added.push(line.slice(1));
  }
  return out;
}

describe('tidemark attack upgrade --write', () => {
  it('a repository pinned to 15.1 does not validate under 18.1 as it is', async () => {
    const repo = await pinnedRepo();
    await repo.write({ 'tidemark.yaml': CONFIG.replace("'15.1'", "'18.1'") });
    const run = await cli(['validate', '--repo', repo.dir]);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/technique-revoked/);
  });

  it('rewrites only the revoked ids and the pin; the result validates under 18.1', async () => {
    const repo = await pinnedRepo();
    const before = Object.fromEntries(await Promise.all(Object.keys(FILES).map(async (f) => [f, await readFile(join(repo.dir, f), 'utf8')])));

    const up = await cli(['attack', 'upgrade', '--to', '18.1', '--write', '--repo', repo.dir, '--now', NOW]);
    expect(up.err).toBe('');
    expect(up.code).toBe(0);
    expect(up.out).toMatch(/Wrote 6 files: replaced 6 revoked ids and pin 18\.1 in tidemark\.yaml/);

    const validate = await cli(['validate', '--repo', repo.dir]);
    expect(validate.code, validate.out + validate.err).toBe(0);

    expect(await wordDiff(repo)).toEqual({
      'tidemark.yaml': { removed: ['15.1'], added: ['18.1'] },
      'groups/menupass.yaml': { removed: ['T1574.002'], added: ['T1574.001'] },
      'groups/old-group.yaml': { removed: ['G0042'], added: ['G0040'] },
      'detections/native/dll-sideload.yaml': { removed: ['T1574.002'], added: ['T1574.001'] },
      'detections/native/encoded-ps.yaml': { removed: ['T1086'], added: ['T1059.001'] },
      'detections/sigma/image_load_unsigned_dll.yml': { removed: ['attack.t1574.002', 'attack.T1086'], added: ['attack.t1574.001', 'attack.T1059.001'] },
    });

    // Byte for byte: each file is the old one with exactly those tokens replaced.
    const after = async (f: string) => readFile(join(repo.dir, f), 'utf8');
    expect(await after('tidemark.yaml')).toBe(before['tidemark.yaml'].replace("version: '15.1'", "version: '18.1'"));
    expect(await after('detections/native/dll-sideload.yaml')).toBe(before['detections/native/dll-sideload.yaml'].replace('"T1574.002"', '"T1574.001"'));
    expect(await after('detections/sigma/image_load_unsigned_dll.yml')).toBe(
      before['detections/sigma/image_load_unsigned_dll.yml'].replace('- attack.t1574.002', '- attack.t1574.001').replace('"attack.T1086"', '"attack.T1059.001"'),
    );
    // CRLF kept on every line, mentions in comments, descriptions and rationales kept.
    const crlf = await after('detections/native/dll-sideload.yaml');
    expect(crlf.split('\r\n')).toHaveLength(7);
    expect(crlf.replace(/\r\n/g, '')).not.toContain('\n');
    expect(crlf).toContain('(was T1574.002 in older mappings)');
    expect(await after('detections/sigma/image_load_unsigned_dll.yml')).toContain("'Side-loading, tagged attack.t1574.002 in older rule packs'");
    expect(await after('groups/menupass.yaml')).toContain('DLL side-loading (T1574.002) is its signature.');

    const status = await repo.git.status();
    expect(status.modified.sort()).toEqual(Object.keys(FILES).sort());
    expect(status.not_added.filter((f) => !f.startsWith('.cache/'))).toEqual([]);
  });

  it('without --write it reports the same plan and changes nothing', async () => {
    const repo = await pinnedRepo();
    const run = await cli(['attack', 'upgrade', '--to', '18.1', '--repo', repo.dir, '--now', NOW, '--format', 'json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.out);
    expect(report.written).toBe(false);
    expect([report.from, report.to, report.pinned]).toEqual(['15.1', '18.1', '15.1']);
    expect(report.rewrite.replacements).toEqual([
      { file: 'detections/native/dll-sideload.yaml', line: 5, col: 16, from: 'T1574.002', to: 'T1574.001' },
      { file: 'detections/native/encoded-ps.yaml', line: 5, col: 5, from: 'T1086', to: 'T1059.001' },
      { file: 'detections/sigma/image_load_unsigned_dll.yml', line: 14, col: 12, from: 't1574.002', to: 't1574.001' },
      { file: 'detections/sigma/image_load_unsigned_dll.yml', line: 15, col: 13, from: 'T1086', to: 'T1059.001' },
      { file: 'groups/menupass.yaml', line: 7, col: 13, from: 'T1574.002', to: 'T1574.001' },
      { file: 'groups/old-group.yaml', line: 1, col: 6, from: 'G0042', to: 'G0040' },
    ]);
    // Mentions are references too, shown but not rewritten.
    const mentions = report.references.filter((r: { structural: boolean }) => !r.structural).map((r: { file: string; line: number; col: number }) => `${r.file}:${r.line}:${r.col}`);
    expect(mentions).toEqual([
      'detections/native/dll-sideload.yaml:1:56',
      'detections/sigma/image_load_unsigned_dll.yml:4:43',
      'groups/menupass.yaml:3:65',
    ]);
    // Evaluated at both releases; at 18.1 before the rewrite the revoked ids are errors.
    expect(report.scores.from.version).toBe('15.1');
    expect(report.scores.to.errors).toBeGreaterThan(0);
    expect(report.scores.rewritten.errors).toBe(0);
    // Only the ATT&CK cache appeared; no content file changed.
    expect((await repo.git.status()).files.filter((f) => !f.path.startsWith('.cache/'))).toEqual([]);
  });

  it('lists deprecated ids in use for a person and exits 1', async () => {
    const repo = await pinnedRepo();
    await repo.write({ 'detections/native/scripting.yaml': 'id: det-scripting\ntitle: Scripting\nstatus: test\ntechniques: [T1064]\n' });
    const run = await cli(['attack', 'upgrade', '--to', '18.1', '--repo', repo.dir, '--now', NOW]);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/Needs a person \(1\):\n  T1064 Scripting: deprecated without a replacement/);
    expect(run.out).toContain('    detections/native/scripting.yaml:4:14');
  });

  it('refuses to move the pin backwards and unknown subcommands (exit 2)', async () => {
    const repo = await pinnedRepo();
    expect((await cli(['attack', 'upgrade', '--to', '14.1', '--repo', repo.dir])).code).toBe(2);
    expect((await cli(['attack', 'upgrade', '--to', 'x', '--repo', repo.dir])).code).toBe(2);
    expect((await cli(['attack', 'frobnicate', '--repo', repo.dir])).code).toBe(2);
    expect((await cli(['attack', 'diff', '15.1', '--repo', repo.dir])).code).toBe(2);
  });
});
