/**
 * `gate` with a one-file change against `score` on the same repository: target ≤ 2.5 × score.
 * The gate evaluates two revisions (base from git objects, head from the working tree) with one
 * catalog load, so the ratio shows what reading and evaluating the base costs on top.
 *
 * The repository's content (tidemark.yaml, groups/, detections/, controls/, coverage/) is copied
 * into a scratch git repository, committed, and one detection file is changed in the working tree;
 * the original directory is never touched. Each figure is the median of several runs after one
 * warm-up of each command. Run alone: `npx tsx bench/gate.ts REPO_DIR [runs]`.
 */
import { cp, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { simpleGit } from 'simple-git';
import { main } from '../scripts/cli/main.js';
import { CONTENT_ROOTS } from '../scripts/load/reader.js';

export const TARGETS = { gateOverScore: 2.5 } as const;

export interface GateBench {
  repoDir: string;
  /** Content files in the repository. */
  files: number;
  scoreMs: number;
  gateMs: number;
  gateOverScore: number;
  /** Exit codes of the last runs, to show both commands did real work. */
  exit: { score: number; gate: number };
  targets: typeof TARGETS;
  pass: boolean;
}

const NOW = '2026-10-15';
const silent = { out: () => {}, err: () => {} };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function time(run: () => Promise<number>): Promise<{ ms: number; code: number }> {
  const start = performance.now();
  const code = await run();
  return { ms: performance.now() - start, code };
}

export async function benchGate(repoDir: string, runs = 5, env: NodeJS.ProcessEnv = process.env): Promise<GateBench> {
  const source = resolve(repoDir);
  const scratch = await mkdtemp(join(tmpdir(), 'tidemark-bench-gate-'));
  try {
    for (const root of CONTENT_ROOTS) {
      if (await exists(join(source, root))) await cp(join(source, root), join(scratch, root), { recursive: true, dereference: false });
    }
    // Reuse the ATT&CK cache when the repository has one, so neither command downloads.
    if (await exists(join(source, '.cache', 'attack'))) await cp(join(source, '.cache', 'attack'), join(scratch, '.cache', 'attack'), { recursive: true });
    await writeFile(join(scratch, '.gitignore'), '.cache/\nbuild/\n');
    const git = simpleGit({ baseDir: scratch, allowConfig: ['commit.gpgsign'] });
    await git.init(['--initial-branch=main']);
    await git.addConfig('user.name', 'tidemark bench');
    await git.addConfig('user.email', 'bench@example.invalid');
    await git.addConfig('commit.gpgsign', 'false');
    await git.add(['-A']);
    await git.commit('base');
    const files = (await git.raw(['ls-files'])).split('\n').filter((p) => p !== '' && p !== '.gitignore').length;

    // The one-file change: an edit to one detection file that changes no coverage.
    const changed = await firstDetection(scratch);
    if (changed) await writeFile(changed, `${await readFile(changed, 'utf8')}\n# edited by the gate benchmark\n`);

    const score = () => main(['score', '--repo', scratch, '--now', NOW, '--quiet', '--out', join(scratch, 'build', 'score')], silent, env);
    const gate = () => main(['gate', '--repo', scratch, '--now', NOW, '--base', 'HEAD', '--out', join(scratch, 'build', 'gate')], silent, env);
    await score();
    await gate();
    const scoreRuns: number[] = [];
    const gateRuns: number[] = [];
    const exit = { score: -1, gate: -1 };
    for (let i = 0; i < runs; i++) {
      const s = await time(score);
      const g = await time(gate);
      scoreRuns.push(s.ms);
      gateRuns.push(g.ms);
      exit.score = s.code;
      exit.gate = g.code;
    }
    const scoreMs = median(scoreRuns);
    const gateMs = median(gateRuns);
    const gateOverScore = gateMs / scoreMs;
    return { repoDir: source, files, scoreMs, gateMs, gateOverScore, exit, targets: TARGETS, pass: gateOverScore <= TARGETS.gateOverScore };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function firstDetection(dir: string): Promise<string | undefined> {
  const walk = async (path: string): Promise<string | undefined> => {
    const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(path, entry.name);
      if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) return full;
      if (entry.isDirectory()) {
        const found = await walk(full);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(join(dir, 'detections'));
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  const [dir = fileURLToPath(new URL('..', import.meta.url)), runs = '5'] = process.argv.slice(2);
  const result = await benchGate(dir, Number(runs));
  console.log(JSON.stringify(result, null, 2));
  process.exitCode = result.pass ? 0 : 1;
}
