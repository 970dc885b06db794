/**
 * `tidemark stale` end to end: a repository in a temporary directory, the real pipeline and
 * ATT&CK from the shared mirror (whose index.json names 18.1 the newest), and `--open-issues`
 * through the real octokit adapter against a GitHub API on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.js';
import { makeRepo } from '../helpers/repo.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeIssues, type FakeIssues } from './issues-server.js';


const NOW = '2026-10-01';
const FORGED = '<!-- tidemark:stale:release:enterprise-attack-18.1 -->';

const FILES = {
  'tidemark.yaml': 'attack: { domain: enterprise-attack, version: "17.1" }\norganisation: { name: Stale Test }\n',
  // Reviewed 624 days before NOW: stale.
  'groups/apt29.yaml': 'id: G0016\nrelevance: high\nrationale: Espionage against health care.\nreviewed: 2025-01-15\n',
  // Reviewed a month ago: fine.
  'groups/apt28.yaml': 'id: G0007\nrelevance: low\nrationale: Occasional phishing.\nreviewed: 2026-09-01\n',
  // A custom group whose name tries to forge a marker and ping everyone.
  'groups/custom.yaml': [
    'id: X-evil-group',
    `name: "Evil ${FORGED} @everyone group"`,
    'relevance: medium',
    'rationale: Local ransomware crew.',
    'reviewed: 2024-01-01',
    'techniques:',
    '  add: [T1059.001, T1003, T1078]',
    '',
  ].join('\n'),
  'coverage/validations/results.yaml': [
    '# fresh at NOW (2026-04-15 + 180 days), gone 30 days later: lapses on 2026-10-13',
    '- technique: T1059.001',
    '  date: 2026-04-15',
    '  outcome: detected',
    '  test: { type: atomic, id: f7e6ec05-c19e-4a80-a7e7-241027992fdb }',
    '# long expired',
    '- technique: T1003',
    '  date: 2025-10-01',
    '  outcome: not-detected',
    '# fresh for months',
    '- technique: T1078',
    '  date: 2026-09-01',
    '  outcome: blocked',
    '',
  ].join('\n'),
};

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

async function stale(dir: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const code = await main(['stale', '--repo', dir, ...args], { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`) }, {
    TIDEMARK_ATTACK_MIRROR: process.env.TIDEMARK_ATTACK_MIRROR,
    ...env,
  });
  return { code, out, err };
}

const markerOf = (body: string) => /^<!-- tidemark:stale:([a-z]+:[A-Za-z0-9._-]+) -->/.exec(body)?.[1];

describe('tidemark stale', () => {
  it('finds stale profiles, lapsing and lapsed evidence, and the outdated pin; exit 1', async () => {
    const dir = makeRepo(FILES);
    const run = await stale(dir, ['--now', NOW, '--format', 'json']);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.out);
    expect(result.checked).toEqual(['profile', 'evidence', 'release']);
    expect(result.findings.map((f: { kind: string; id: string }) => `${f.kind}:${f.id}`)).toEqual([
      'profile:G0016',
      'profile:X-evil-group',
      'evidence:T1003',
      'evidence:T1059.001',
      'release:enterprise-attack-18.1',
    ]);
    const [apt29, , lapsed, lapsing, release] = result.findings;
    expect(apt29).toMatchObject({ file: 'groups/apt29.yaml', line: 4, reviewed: '2025-01-15', ageDays: 624, maxAgeDays: 365 });
    expect(lapsing).toMatchObject({ expired: false, expires: '2026-10-13', stateNow: 'validated', results: [{ date: '2026-04-15', outcome: 'detected', line: 2 }] });
    expect(lapsing.stateLater).not.toBe('validated');
    expect(lapsed).toMatchObject({ expired: true, expires: '2026-03-31', results: [{ date: '2025-10-01', outcome: 'not-detected', line: 7 }] });
    expect(release).toMatchObject({ domain: 'enterprise-attack', pinned: '17.1', newest: '18.1' });
  });

  it('--now decides every time-dependent result, reproducibly', async () => {
    const dir = makeRepo(FILES);
    const ids = async (now: string) => {
      const run = await stale(dir, ['--now', now, '--format', 'json', '--skip-release-check']);
      return JSON.parse(run.out).findings.map((f: { kind: string; id: string }) => `${f.kind}:${f.id}`);
    };
    // The T1059.001 result is fresh until 2026-10-12: 30 days after 09-12 it still is, after 09-13 not.
    expect(await ids('2026-09-12')).not.toContain('evidence:T1059.001');
    expect(await ids('2026-09-13')).toContain('evidence:T1059.001');
    // The profile turns stale 366 days after its review.
    expect(await ids('2025-01-15')).not.toContain('profile:G0016');
    expect(await ids('2026-01-16')).toContain('profile:G0016');
    const a = await stale(dir, ['--now', NOW]);
    const b = await stale(dir, ['--now', NOW]);
    expect(a.out).toBe(b.out);
    expect(a.out).toContain('T1059.001 PowerShell: emulation evidence expires on 2026-10-13; state validated →');
  });

  it('exits 0 when nothing is stale', async () => {
    const dir = makeRepo({
      'tidemark.yaml': 'attack: { domain: enterprise-attack, version: "18.1" }\n',
      'groups/apt28.yaml': 'id: G0007\nrelevance: low\nrationale: Occasional phishing.\nreviewed: 2026-09-01\n',
    });
    const run = await stale(dir, ['--now', NOW]);
    expect(run.out).toMatch(/^Nothing stale at 2026-10-01/);
    expect(run.code).toBe(0);
  });

  it('--open-issues needs GITHUB_TOKEN and GITHUB_REPOSITORY (exit 2)', async () => {
    const dir = makeRepo(FILES);
    const run = await stale(dir, ['--now', NOW, '--open-issues'], { GITHUB_TOKEN: '' });
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/GITHUB_TOKEN is not set/);
  });
});

describe('tidemark stale --open-issues against the GitHub API', () => {
  let github: FakeIssues;
  const env = () => ({ GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'acme/defence', GITHUB_API_URL: github.url });
  const openWith = (fp: string) => github.issues.filter((i) => i.state === 'open' && !i.pull_request && markerOf(i.body) === fp);

  it('files each finding once, keeps existing ones, closes resolved ones, and never duplicates', async () => {
    github = await startFakeIssues();
    cleanup.push(() => github.close());
    const label = [{ name: 'tidemark-stale' }];
    // Enough labelled issues to need several pages, a pull request, an unrelated label.
    for (let i = 0; i < 260; i++) github.seed({ title: `noise ${i}`, body: `something else ${i}`, labels: i % 2 ? label : [{ name: 'other' }] });
    github.seed({ title: 'a pull request', body: '<!-- tidemark:stale:profile:G0016 -->', labels: label, pull_request: { url: 'x' } });
    // Closed earlier for the same finding: a new issue is right, the closed one stays closed.
    const closedBefore = github.seed({ title: 'old', body: '<!-- tidemark:stale:profile:G0016 -->\nold', labels: label, state: 'closed' });
    // Still applies: kept as it is.
    const existing = github.seed({ title: 'T1003', body: '<!-- tidemark:stale:evidence:T1003 -->\nfiled last week', labels: label });
    // No longer applies (G0007 was reviewed recently): closed with a comment.
    const resolved = github.seed({ title: 'G0007', body: '<!-- tidemark:stale:profile:G0007 -->\nfiled last year', labels: label });
    // A person quoting a marker does not make an issue ours.
    const quote = github.seed({ title: 'question', body: 'Why did the bot write <!-- tidemark:stale:evidence:T1059.001 --> here?', labels: label });
    for (let i = 0; i < 20; i++) github.seed({ title: `late noise ${i}`, body: 'n', labels: label });

    const dir = makeRepo(FILES);
    const first = await stale(dir, ['--now', NOW, '--open-issues'], env());
    expect(first.code).toBe(1);

    // Listing: open issues with the label, every page.
    const lists = github.requests.filter((r) => r.method === 'GET' && r.path === '/repos/acme/defence/issues');
    expect(lists.length).toBeGreaterThanOrEqual(2);
    for (const r of lists) expect([r.query.get('state'), r.query.get('labels')]).toEqual(['open', 'tidemark-stale']);
    expect(lists.map((r) => r.query.get('page') ?? '1')).toContain('2');
    expect(github.requests.every((r) => r.authorization === 'token test-token')).toBe(true);

    const created = github.requests.filter((r) => r.method === 'POST' && r.path === '/repos/acme/defence/issues');
    expect(created.map((r) => markerOf(String(r.body?.body))).sort()).toEqual([
      'evidence:T1059.001',
      'profile:G0016',
      'profile:X-evil-group',
      'release:enterprise-attack-18.1',
    ]);
    for (const r of created) {
      const body = String(r.body?.body);
      expect(r.body?.labels).toEqual(['tidemark-stale']);
      // The marker first, and no other HTML comment or mention anywhere.
      expect(body.split('<!--')).toHaveLength(2);
      expect(body).not.toContain('@everyone');
    }
    const evil = created.find((r) => markerOf(String(r.body?.body)) === 'profile:X-evil-group')!;
    expect(String(evil.body?.body)).toContain('&lt;!-- tidemark:stale:release:enterprise-attack-18.1 --&gt;');
    expect(String(created.find((r) => markerOf(String(r.body?.body)) === 'evidence:T1059.001')!.body?.title)).toBe(
      'Re-run the emulation of T1059.001 PowerShell: its evidence expires on 2026-10-13',
    );

    expect(resolved.state).toBe('closed');
    expect(resolved.state_reason).toBe('completed');
    expect(resolved.comments).toEqual([expect.stringMatching(/^No longer stale as of 2026-10-01: the profile was reviewed since, or removed\./)]);
    expect(existing.state).toBe('open');
    expect(existing.comments).toEqual([]);
    expect(quote.state).toBe('open');
    expect(closedBefore.state).toBe('closed');
    expect(first.err).toContain('closed #');

    // Second run: nothing new, nothing closed.
    const before = github.requests.length;
    const second = await stale(dir, ['--now', NOW, '--open-issues'], env());
    expect(second.code).toBe(1);
    const writes = github.requests.slice(before).filter((r) => r.method !== 'GET');
    expect(writes).toEqual([]);
    for (const fp of ['profile:G0016', 'profile:X-evil-group', 'evidence:T1059.001', 'evidence:T1003', 'release:enterprise-attack-18.1']) {
      expect(openWith(fp), fp).toHaveLength(1);
    }

    // The profile is reviewed: its issue is closed with a comment, nothing else changes.
    writeFileSync(join(dir, 'groups/apt29.yaml'), FILES['groups/apt29.yaml'].replace('2025-01-15', '2026-09-30'));
    const third = await stale(dir, ['--now', NOW, '--open-issues'], env());
    expect(third.code).toBe(1);
    const g0016 = github.issues.find((i) => markerOf(i.body) === 'profile:G0016' && i.number > closedBefore.number && !i.pull_request)!;
    expect(g0016.state).toBe('closed');
    expect(g0016.comments).toHaveLength(1);
    expect(openWith('profile:X-evil-group')).toHaveLength(1);
    expect(github.requests.filter((r) => r.method === 'POST' && r.path === '/repos/acme/defence/issues')).toHaveLength(4);
  });

  it('--skip-release-check leaves release issues alone', async () => {
    github = await startFakeIssues();
    cleanup.push(() => github.close());
    const issue = github.seed({ title: 'release', body: '<!-- tidemark:stale:release:enterprise-attack-18.1 -->', labels: [{ name: 'tidemark-stale' }] });
    const dir = makeRepo(FILES);
    await stale(dir, ['--now', NOW, '--open-issues', '--skip-release-check'], env());
    expect(issue.state).toBe('open');
  });
});
