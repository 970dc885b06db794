/**
 * Real tidemark processes for the fault tests: `node bin/tidemark.js ARGS`, killed with SIGKILL at
 * a chosen moment (after a delay, when the first temporary file appears, or once renaming has
 * begun), and snapshots of the files a command writes, to compare before, after and in between.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT } from '../hostile/harness.js';
import { initRepo } from '../helpers/git.js';

export const BIN = join(ROOT, 'bin', 'tidemark.js');

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The process was killed before it finished (the moment came while it ran). */
  killed: boolean;
}

/** The moment to kill: resolves when the child should get SIGKILL (or never). */
export type Moment = (dirs: string[], child: ChildProcess) => Promise<void>;

export const afterMs =
  (ms: number): Moment =>
  () =>
    new Promise((resolve) => setTimeout(resolve, ms));

const temps = (dirs: string[]): string[] =>
  dirs.flatMap((d) => {
    try {
      return readdirSync(d).filter((n) => n.endsWith('.tmp'));
    } catch {
      return [];
    }
  });

/** Polls every millisecond (fs.watch misses files that live for less than its batching delay). */
function poll(test: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const tick = () => (test() ? resolve() : setTimeout(tick, 1));
    tick();
  });
}

/** As soon as a temporary file exists in one of the directories: the data is being written. */
export const whenTempAppears: Moment = (dirs) => poll(() => temps(dirs).length > 0);

/** When temporary files start to disappear again: renames have begun, some targets are new, others old. */
export const whenRenamingStarts: Moment = (dirs) => {
  let most = 0;
  return poll(() => {
    const n = temps(dirs).length;
    most = Math.max(most, n);
    return most > 1 && n < most;
  });
};

/** Runs `tidemark ARGS` in a child process and kills it with SIGKILL at `moment` (if it is still running). */
export function runAndKill(args: string[], cwd: string, watch: string[], moment: Moment | undefined, env: NodeJS.ProcessEnv = process.env): Promise<Exited> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    let exited = false;
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', () => (exited = true));
    // A signal sent as the process was already exiting on its own did not kill it: count it as finished.
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, killed: killed && signal === 'SIGKILL' }));
    moment?.(watch, child).then(() => {
      if (!exited) {
        killed = child.kill('SIGKILL');
      }
    });
  });
}

/** Content of every file under `dir` (relative path → text), temp files apart. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (!e.name.endsWith('.tmp')) out.set(relative(dir, full), readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/**
 * Every file `writes` may touch is, after the kill, exactly as it was before or exactly as a
 * complete run leaves it: never a part, never a mix within one file. Returns the problems found.
 */
export function wholeOrOld(now: Map<string, string>, before: Map<string, string>, complete: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const [file, text] of now) {
    if (text === before.get(file) || text === complete.get(file)) continue;
    problems.push(`${file} is neither its old nor its new content (${text.length} bytes; old ${before.get(file)?.length ?? 'absent'}, new ${complete.get(file)?.length ?? 'absent'})`);
  }
  for (const file of before.keys()) if (!now.has(file)) problems.push(`${file} disappeared`);
  return problems;
}

/** The example organisation of this repository, copied and committed to a fresh git repository. */
export async function exampleRepo(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'tidemark-faults-'));
  for (const entry of ['tidemark.yaml', 'groups', 'detections', 'controls', 'coverage']) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  const git = await initRepo(dir);
  await git.add(['-A']);
  await git.commit('example');
  return dir;
}

/** A copy of `dir` (repository, cache and outputs) to run one kill in. */
export function copyOf(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'tidemark-faults-copy-'));
  cpSync(dir, copy, { recursive: true, verbatimSymlinks: true });
  return copy;
}

export const mkdirs = (...dirs: string[]) => dirs.forEach((d) => mkdirSync(d, { recursive: true }));
export const isFile = (path: string) => existsSync(path) && statSync(path).isFile();
