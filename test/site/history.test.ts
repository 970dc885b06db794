/**
 * tidemark history over a real 30-commit repository: one point per content commit, each at its
 * commit date, equal to a full analysis of that commit; a second run evaluates nothing, and new
 * commits are evaluated reading only the files they changed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepo, type TestRepo } from '../helpers/git.js';
import { historyCommand } from '../../scripts/cli/history.js';
import { computeHistory } from '../../scripts/history/index.js';
import { gitRevision } from '../../scripts/load/git.js';
import { analyse } from '../../scripts/pipeline.js';

const CONFIG = [
  'attack: { domain: enterprise-attack, version: "18.1" }',
  'organisation: { name: History Test, platforms: [Windows, Linux] }',
  'policy: { validation_max_age_days: 30 }',
  '',
].join('\n');
const GROUP = 'id: G0016\nrelevance: high\nrationale: Test profile.\nreviewed: 2026-01-01\n';
const TELEMETRY = 'sources:\n  - { id: sysmon-process, name: Sysmon process creation, status: collected, platforms: [Windows], data_components: [DC0032] }\n';
/** Techniques APT29 uses in 18.1, one detection added per commit. */
const TECHNIQUES = ['T1059.001', 'T1078', 'T1003', 'T1021.001', 'T1027', 'T1047', 'T1053.005', 'T1055', 'T1057', 'T1069', 'T1070', 'T1071.001', 'T1082', 'T1083', 'T1087', 'T1098', 'T1105', 'T1110', 'T1114', 'T1133', 'T1140', 'T1190', 'T1195.002', 'T1199', 'T1204', 'T1482', 'T1484', 'T1486', 'T1490'];
const detection = (i: number) => `id: det-${i}\ntitle: Detection ${i}\nstatus: stable\ntechniques: [${TECHNIQUES[i]}]\ntelemetry: [sysmon-process]\n`;
/** The command run directly (the CLI registers it in scripts/cli/commands.ts). */
async function history(repoDir: string) {
  let stdout = '';
  let stderr = '';
  const io = { out: (t: string) => (stdout += `${t}\n`), err: (t: string) => (stderr += `${t}\n`) };
  const code = await historyCommand.run({ values: {}, positionals: [], repoDir, now: new Date(), io, env: process.env });
  return { code, stdout, stderr };
}

const day = (i: number) => new Date(Date.UTC(2026, 0, 2 + i * 3, 10)).toISOString();

let repo: TestRepo;
let cachePath: string;
const commits: string[] = [];

beforeAll(async () => {
  repo = await createRepo();
  await repo.write({ 'tidemark.yaml': CONFIG, 'groups/apt29.yaml': GROUP, 'coverage/telemetry.yaml': TELEMETRY });
  commits.push(await repo.commit('profile APT29', day(0)));
  for (let i = 1; i < 30; i++) {
    const files: Record<string, string> = { [`detections/det-${i}.yaml`]: detection(i - 1) };
    // Every fifth commit also records an emulation run, which later expires (validation_max_age_days: 30).
    if (i % 5 === 0) files[`coverage/validations/run-${i}.yaml`] = `- { technique: ${TECHNIQUES[i - 1]}, date: ${day(i).slice(0, 10)}, outcome: ${i % 10 === 0 ? 'not-detected' : 'detected'} }\n`;
    await repo.write(files);
    commits.push(await repo.commit(`detection ${i}`, day(i)));
  }
  // A commit that touches no content is not a point.
  await repo.write({ 'README.md': 'docs only\n' });
  await repo.commit('docs', day(31));
  cachePath = join(repo.dir, 'build', 'history-cache.json');
});

afterAll(() => repo?.remove());

describe('tidemark history', () => {
  it('yields one point per content commit, each equal to a full analysis at its commit date', async () => {
    const result = await computeHistory({ repoDir: repo.dir, env: process.env, cachePath });
    expect(result.points).toHaveLength(30);
    expect(result.evaluated).toBe(30);
    expect(result.points.map((p) => p.commit)).toEqual(commits);
    expect(result.points.map((p) => p.date)).toEqual(commits.map((_, i) => day(i)));
    // Read whole once (3 files), then only what each commit changed: 29 detections and 5 runs.
    expect(result.filesParsed).toBe(3 + 29 + 5);
    expect(result.points[0].score).toBe(0);
    expect(result.points[29].score).toBeGreaterThan(result.points[10].score);

    for (const i of [0, 7, 15, 29]) {
      const analysis = await analyse(await gitRevision(repo.dir, commits[i]), { repoDir: repo.dir, now: new Date(day(i)), env: process.env });
      const s = analysis.report!.summary;
      expect(result.points[i], `commit ${i}`).toMatchObject({ score: s.score, states: s.states, overlay: s.overlay });
    }
  });

  it('reuses every cached commit on a second run and evaluates only new commits', async () => {
    const again = await computeHistory({ repoDir: repo.dir, env: process.env, cachePath });
    expect(again.evaluated).toBe(0);
    expect(again.reused).toBe(30);
    expect(again.filesParsed).toBe(0);
    expect(again.points).toHaveLength(30);

    await repo.write({ 'detections/det-extra.yaml': detection(28).replace('det-28', 'det-extra') });
    commits.push(await repo.commit('one more', day(40)));
    await repo.write({ 'groups/apt29.yaml': GROUP.replace('relevance: high', 'relevance: low') });
    commits.push(await repo.commit('lower relevance', day(41)));
    const more = await computeHistory({ repoDir: repo.dir, env: process.env, cachePath });
    expect(more.points).toHaveLength(32);
    expect(more.evaluated).toBe(2);
    // The first new commit is read whole (nothing in memory yet), the second only its one file.
    expect(more.filesParsed).toBe(3 + 29 + 5 + 1 + 1);
    const cache = JSON.parse(readFileSync(cachePath, 'utf8'));
    expect(Object.keys(cache.points)).toHaveLength(32);
  });

  it('writes build/history.json through the command', async () => {
    const result = await history(repo.dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/32 points \(0 evaluated, 32 from cache\)/);
    const written = JSON.parse(readFileSync(join(repo.dir, 'build', 'history.json'), 'utf8'));
    expect(written).toHaveLength(32);
    expect(Object.keys(written[0]).sort()).toEqual(['commit', 'date', 'overlay', 'score', 'states']);
  });

  it('fails with an exit-code-2 error outside a git repository', async () => {
    const other = await createRepo({}, { init: false });
    await expect(history(other.dir)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/not a git repository/) });
    expect(existsSync(join(other.dir, 'build'))).toBe(false);
    await other.remove();
  });
});
