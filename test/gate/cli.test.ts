/**
 * `tidemark gate` end to end: real git repositories in temporary directories, the real pipeline
 * and ATT&CK 18.1 from the shared mirror, through `main([...])`.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.js';
import { MARKER } from '../../scripts/gate/markdown.js';
import { createRepo, type TestRepo } from '../helpers/git.js';
import { startFakeGitHub, type FakeGitHub } from '../github/server.js';
import { BASE_FILES, FAILED, LSASS, NEW_GROUP, NOW, detection, telemetry } from './fixture.js';


const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

interface Run {
  code: number;
  out: string;
  err: string;
  summary: string;
}

async function gate(repo: TestRepo | string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const dir = typeof repo === 'string' ? repo : repo.dir;
  let out = '';
  let err = '';
  const io = { out: (t: string) => void (out += `${t}\n`), err: (t: string) => void (err += `${t}\n`) };
  const code = await main(['gate', '--repo', dir, '--now', NOW, ...args], io, { TIDEMARK_ATTACK_MIRROR: process.env.TIDEMARK_ATTACK_MIRROR, ...env });
  const summary = await readFile(join(dir, 'build', 'gate.md'), 'utf8').catch(() => '');
  return { code, out, err, summary };
}

/** A repository with the base content committed on 2026-03-01, then `change` applied in the working tree. */
async function scenario(change: Record<string, string | null>, options: { commitHead?: string } = {}): Promise<TestRepo> {
  const repo = await createRepo(BASE_FILES);
  cleanup.push(repo.remove);
  await repo.commit('base', '2026-03-01T12:00:00Z');
  await repo.git.branch(['base']);
  await repo.write(change);
  if (options.commitHead) await repo.commit('head', options.commitHead);
  return repo;
}

describe('tidemark gate --base REF', () => {
  it('deleting a detection is a regression: exit 1, the file named as the cause', async () => {
    const repo = await scenario({ 'detections/powershell.yaml': null });
    const run = await gate(repo, ['--base', 'base']);
    expect(run.code).toBe(1);
    expect(run.summary.startsWith(MARKER)).toBe(true);
    expect(run.summary).toContain('❌ tidemark gate failed: regression, new gap');
    expect(run.summary).toMatch(/\| T1059\.001 PowerShell \| detected \(0\.5\) \| visible \(0\) \| detections\/powershell.yaml: detection det-encoded-powershell removed \|/);
    expect(run.summary).toContain('[Coverage map and gap backlog](https://defence.example.org/coverage/)');
  });

  it('downgrading a status to experimental is a regression, annotated on the status line', async () => {
    const repo = await scenario({ 'detections/powershell.yaml': detection('experimental') }, { commitHead: '2026-10-01T12:00:00Z' });
    const run = await gate(repo, ['--base', 'base', '--annotations']);
    expect(run.code).toBe(1);
    expect(run.summary).toMatch(/### Regressions[\s\S]*T1059\.001/);
    expect(run.summary).toContain('status stable → experimental');
    expect(run.out).toMatch(/^::error file=detections\/powershell\.yaml,line=3,col=1,title=tidemark regression and new gap%3A T1059\.001::T1059\.001 PowerShell: detected/m);
  });

  it('marking a telemetry source planned regresses only the techniques it alone saw', async () => {
    const repo = await scenario({ 'coverage/telemetry.yaml': telemetry('planned') });
    const run = await gate(repo, ['--base', 'base', '--annotations']);
    expect(run.code).toBe(1);
    const regressions = run.summary.split('### Regressions')[1].split('###')[0];
    expect(regressions).toContain('T1059.001');
    expect(regressions).not.toContain('T1003.001'); // the EDR still sees LSASS access
    expect(regressions).toContain('coverage/telemetry.yaml: telemetry source sysmon-process is now planned');
    // visible → blind is a state change but no loss of credit.
    expect(run.summary).toMatch(/### Other state changes[\s\S]*T1053\.005 Scheduled Task \| visible \(0\) \| blind \(0\)/);
    expect(run.out).toMatch(/^::error file=coverage\/telemetry\.yaml,line=4,col=5,title=tidemark regression and new gap%3A T1059\.001::/m);
  });

  it('adding a failed emulation result opens a new gap', async () => {
    const repo = await scenario({ 'coverage/validations/2026-q4.yaml': FAILED });
    const run = await gate(repo, ['--base', 'base', '--annotations']);
    expect(run.code).toBe(1);
    expect(run.summary).toMatch(/### New gaps[\s\S]*T1059\.001 PowerShell \| detected \(0\.5\) \| failed \(0\)/);
    expect(run.out).toMatch(/^::error file=coverage\/validations\/2026-q4\.yaml,line=1,col=\d+,title=[^:]*new gap%3A T1059\.001::/m);
  });

  it('adding a group reports its gaps as warnings and passes', async () => {
    const repo = await scenario({ 'groups/x-newcomer.yaml': NEW_GROUP });
    const run = await gate(repo, ['--base', 'base', '--annotations']);
    expect(run.code).toBe(0);
    expect(run.summary).toContain('✅ tidemark gate passed');
    const warnings = run.summary.split('### Gaps brought by newly profiled groups (warnings)')[1];
    expect(warnings).toContain('New groups: X-newcomer');
    expect(warnings).toMatch(/T1486 .*\| — \| visible \(0\) \| groups\/x-newcomer\.yaml: group X-newcomer/);
    expect(warnings).toContain('T1490');
    expect(run.out).toMatch(/^::warning file=groups\/x-newcomer\.yaml,line=10,col=1,title=tidemark gap from a new group%3A T1486::/m);
    expect(run.out).not.toMatch(/^::error/m);
  });

  it('invalid YAML in head fails as invalid', async () => {
    const repo = await scenario({ 'detections/lsass.yaml': `${LSASS}techniques: [T1003.001\n` });
    const run = await gate(repo, ['--base', 'base']);
    expect(run.code).toBe(1);
    expect(run.summary).toContain('❌ tidemark gate failed: invalid content');
    expect(run.summary).toMatch(/\*\*error\*\* detections\/lsass\.yaml:\d+/);
  });

  it('a result that expires between the base and head commit dates is no regression: one `now`', async () => {
    // Base commit 2026-03-01 (the 2026-02-01 result was fresh then), head commit 2026-10-01.
    const repo = await scenario({ 'detections/powershell.yaml': detection('stable', 'soc-team@example.org') }, { commitHead: '2026-10-01T12:00:00Z' });
    const run = await gate(repo, ['--base', 'base']);
    expect(run.code).toBe(0);
    expect(run.summary).not.toContain('Regressions');
    expect(run.summary).not.toContain('T1053.005');
  });

  it('an unrelated change passes, and the comment says nothing changed', async () => {
    const github = await startFakeGitHub();
    cleanup.push(github.close);
    const repo = await scenario({ 'detections/powershell.yaml': detection('stable', 'someone-else@example.org') });
    const env = { GITHUB_TOKEN: 't', GITHUB_REPOSITORY: 'acme/defence', GITHUB_API_URL: github.url, GITHUB_STEP_SUMMARY: join(repo.dir, 'step-summary.md') };
    await writeFile(env.GITHUB_STEP_SUMMARY, '# earlier step\n');
    const run = await gate(repo, ['--base', 'base', '--comment', '--pr', '12'], env);
    expect(run.code).toBe(0);
    const [comment] = github.comments.get(12)!;
    expect(comment.body).toBe(run.summary);
    expect(comment.body).toContain('Nothing changed in coverage');
    expect(comment.body).toContain('(unchanged)');
    expect(run.err).toContain('pull-request comment created');
    expect(await readFile(env.GITHUB_STEP_SUMMARY, 'utf8')).toBe(`# earlier step\n${run.summary}\n`);

    // A second run updates the same comment.
    await repo.write({ 'detections/powershell.yaml': null });
    const second = await gate(repo, ['--base', 'base', '--comment', '--pr', '12'], env);
    expect(second.code).toBe(1);
    expect(github.comments.get(12)).toHaveLength(1);
    expect(github.comments.get(12)![0].body).toContain('### Regressions');
  });

  it("a fork's 403 on commenting is a warning and leaves the verdict alone", async () => {
    const github = await startFakeGitHub();
    cleanup.push(github.close);
    github.fail({ method: 'POST', path: /\/comments$/, status: 403, message: 'Resource not accessible by integration', times: 10 });
    const repo = await scenario({ 'detections/powershell.yaml': null });
    const eventPath = join(repo.dir, 'event.json');
    await writeFile(eventPath, JSON.stringify({ number: 5, pull_request: { number: 5 } }));
    const env = { GITHUB_TOKEN: 'read-only', GITHUB_REPOSITORY: 'acme/defence', GITHUB_API_URL: github.url, GITHUB_EVENT_PATH: eventPath };
    const run = await gate(repo, ['--base', 'base', '--comment', '--annotations'], env);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/warning: GitHub refused the comment \(403/);
    expect(run.out).toMatch(/^::warning title=tidemark comment::GitHub refused the comment/m);
    expect(github.requests.filter((r) => r.path === '/repos/acme/defence/issues/5/comments').map((r) => r.method)).toEqual(['GET', 'POST']);

    const passing = await scenario({ 'detections/powershell.yaml': detection('stable', 'x@example.org') });
    expect((await gate(passing, ['--base', 'base', '--comment'], env)).code).toBe(0);
  });

  it('a missing REF exits 2 and says how to fetch it', async () => {
    const repo = await scenario({});
    const run = await gate(repo, ['--base', 'origin/main']);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/origin\/main.*does not exist/);
    expect(run.err).toContain('fetch-depth: 0');
    expect(run.err).not.toMatch(/at .*\.ts:\d+/);
  });

  it('a directory that is no git repository exits 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tidemark-nogit-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    for (const [path, text] of Object.entries(BASE_FILES)) {
      const { mkdir } = await import('node:fs/promises');
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    const run = await gate(dir, ['--base', 'main']);
    expect(run.code).toBe(2);
    expect(run.err).toContain('not a git repository');
    expect(run.err).toContain('actions/checkout');
  });

  it('--base is required', async () => {
    const repo = await scenario({});
    const run = await gate(repo, []);
    expect(run.code).toBe(2);
    expect(run.err).toContain('--base REF is required');
  });
});

describe('tidemark gate --comment-only FILE (the pr-comment workflow)', () => {
  let github: FakeGitHub;
  let dir: string;
  beforeAll(async () => {
    github = await startFakeGitHub();
    dir = await mkdtemp(join(tmpdir(), 'tidemark-comment-'));
  });
  afterAll(async () => {
    await github.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('posts an artifact body with one marker and no forged HTML comments, checking the head commit', async () => {
    const file = join(dir, 'gate.md');
    await writeFile(file, `${MARKER}\n## result\n<!-- tidemark:gate --> <!-- hidden -->\n`);
    const event = join(dir, 'event.json');
    await writeFile(event, JSON.stringify({ workflow_run: { head_sha: 'c'.repeat(40), pull_requests: [] } }));
    github.heads.set(31, 'c'.repeat(40));
    const env = { GITHUB_TOKEN: 't', GITHUB_REPOSITORY: 'acme/defence', GITHUB_API_URL: github.url, GITHUB_EVENT_PATH: event };
    let err = '';
    const io = { out: () => {}, err: (t: string) => void (err += t) };
    expect(await main(['gate', '--comment-only', file, '--pr', '31'], io, env)).toBe(0);
    const [comment] = github.comments.get(31)!;
    expect(comment.body.split(MARKER)).toHaveLength(2);
    expect(comment.body.startsWith(MARKER)).toBe(true);
    expect(comment.body).toContain('&lt;!-- hidden -->');
    expect(err).toContain('created');

    // The pull request moved on: the stale summary is not posted.
    github.heads.set(31, 'd'.repeat(40));
    await writeFile(file, `${MARKER}\nstale\n`);
    expect(await main(['gate', '--comment-only', file, '--pr', '31'], io, env)).toBe(0);
    expect(github.comments.get(31)![0].body).not.toContain('stale');
    expect(await main(['gate', '--comment-only', file, '--pr', '31; rm -rf /'], io, env)).toBe(0);
    expect(err).toContain('is not a pull-request number');
  });
});
