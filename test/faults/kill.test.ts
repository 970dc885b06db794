/**
 * Every command that writes survives SIGKILL at any moment: a real `node bin/tidemark.js` process
 * is killed after fixed delays, when its first temporary file appears, and once it has begun
 * renaming temporary files over their targets; afterwards each target file is exactly its old
 * content, exactly what a complete run writes, or absent when it was absent. The next run repairs
 * everything. Two `score` runs into one folder at the same time leave complete outputs.
 */
import { performance } from 'node:perf_hooks';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli, listFiles } from '../hostile/harness.js';
import { afterMs, copyOf, exampleRepo, runAndKill, snapshot, whenRenamingStarts, whenTempAppears, wholeOrOld, mkdirs, type Moment } from './processes.js';

const OLD = '2026-06-01';
const NEW = '2026-11-01';
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
const keep = (d: string) => (made.push(d), d);

interface Scenario {
  args: (dir: string) => string[];
  /** Directories whose files the command writes (also where its temp files appear). */
  watch: (dir: string) => string[];
  /** The files compared: a directory snapshotted before, after a complete run, and after the kill. */
  target: (dir: string) => string;
}

/** Runs the kill at `moment` (retrying when the process finished first) and checks old-or-whole. */
async function killAndCheck(template: string, s: Scenario, complete: Map<string, string>, moment: Moment, mustHit: boolean): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const dir = keep(copyOf(template));
    const before = snapshot(s.target(dir));
    const exited = await runAndKill(s.args(dir), dir, s.watch(dir), moment);
    if (mustHit && !exited.killed && attempt < 4) continue;
    if (mustHit) expect(exited.killed, 'the process was killed while writing').toBe(true);
    if (exited.killed) expect(exited.signal).toBe('SIGKILL');
    else expect(exited.code, exited.stderr).toBe(0);
    expect(wholeOrOld(snapshot(s.target(dir)), before, complete)).toEqual([]);
    // The next run is not disturbed by what the killed one left (temp files at most) and completes.
    const again = await cli(s.args(dir));
    expect(again.code, again.stderr).toBe(0);
    expect(snapshot(s.target(dir))).toEqual(complete);
    return;
  }
}

/** The moments at which a run is killed; `fullMs` is how long a complete run takes in a child process. */
function moments(fullMs: () => number): [string, Moment, boolean][] {
  const fraction = (f: number): Moment => (dirs, child) => afterMs(fullMs() * f)(dirs, child);
  return [
    ['after 50 ms', afterMs(50), false],
    ['after 150 ms', afterMs(150), false],
    ['after 300 ms', afterMs(300), false],
    ['after 70% of a complete run', fraction(0.7), false],
    ['after 90% of a complete run', fraction(0.9), false],
    ['as soon as its first temporary file appears', whenTempAppears, true],
  ];
}

async function timedRun(args: string[], cwd: string): Promise<number> {
  const started = performance.now();
  const run = await runAndKill(args, cwd, [], undefined);
  expect(run.code, run.stderr).toBe(0);
  return performance.now() - started;
}

describe('SIGKILL while score writes report.json, layers, backlog.csv and summary.md', () => {
  const s: Scenario = {
    args: (dir) => ['score', '--repo', dir, '--now', NEW, '--quiet'],
    watch: (dir) => [join(dir, 'build'), join(dir, 'build', 'layers')],
    target: (dir) => join(dir, 'build'),
  };
  let template = '';
  let complete = new Map<string, string>();
  let fullMs = 1000;
  beforeAll(async () => {
    template = keep(await exampleRepo());
    // Old outputs in place (another --now), and the cache warm, as in a working checkout.
    expect((await cli(['score', '--repo', template, '--now', OLD, '--quiet'])).code).toBe(0);
    const reference = keep(copyOf(template));
    fullMs = await timedRun(s.args(reference), reference);
    complete = snapshot(join(reference, 'build'));
    expect(complete.size).toBeGreaterThan(4);
  }, 120_000);

  for (const [name, moment, mustHit] of [...moments(() => fullMs), ['once it has begun renaming (some targets new, some old)', whenRenamingStarts, true] as [string, Moment, boolean]]) {
    it(`killed ${name}: every output is its old or its new content, whole`, async () => {
      await killAndCheck(template, s, complete, moment, mustHit);
    }, 120_000);
  }

  it('two score runs into one folder at once: both succeed, every output complete', async () => {
    const dir = keep(copyOf(template));
    const out = join(dir, 'shared-out');
    const [a, b] = await Promise.all([
      runAndKill(['score', '--repo', dir, '--now', NEW, '--quiet', '--out', out], dir, [], undefined),
      runAndKill(['score', '--repo', dir, '--now', NEW, '--quiet', '--out', out], dir, [], undefined),
    ]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    expect(snapshot(out)).toEqual(complete);
    expect(listFiles(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 120_000);

  it('two score runs at different instants into one folder: each file whole, from one run or the other', async () => {
    const dir = keep(copyOf(template));
    const out = join(dir, 'shared-out');
    const older = snapshot(join(template, 'build'));
    const [a, b] = await Promise.all([
      runAndKill(['score', '--repo', dir, '--now', NEW, '--quiet', '--out', out], dir, [], undefined),
      runAndKill(['score', '--repo', dir, '--now', OLD, '--quiet', '--out', out], dir, [], undefined),
    ]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    const now = snapshot(out);
    expect([...now.keys()].sort()).toEqual([...complete.keys()].sort());
    for (const [file, text] of now) expect(text === complete.get(file) || text === older.get(file), `${file} is whole`).toBe(true);
    for (const [file, text] of now) if (file.endsWith('.json')) expect(() => JSON.parse(text)).not.toThrow();
  }, 120_000);
});

describe('SIGKILL while import writes coverage/validations/', () => {
  const LOG = (n: number) =>
    `Execution Time (UTC),Technique,Test Name,Hostname,GUID\r\n${Array.from({ length: n }, (_, i) => `2026-10-01T10:${String(i % 60).padStart(2, '0')}:00Z,T1059.001,test ${i},ws-${i},g-${i}\r\n`).join('')}`;
  let template = '';
  let log = '';
  let complete = new Map<string, string>();
  let fullMs = 1000;
  const s: Scenario = {
    args: (dir) => ['import', 'atomic', log, '--outcome', 'detected', '--repo', dir],
    watch: (dir) => [join(dir, 'coverage', 'validations')],
    target: (dir) => join(dir, 'coverage', 'validations'),
  };
  beforeAll(async () => {
    template = keep(await exampleRepo());
    log = join(template, '..', `atomic-${process.pid}-${Date.now()}.csv`);
    writeFileSync(log, LOG(8_000));
    made.push(log);
    const reference = keep(copyOf(template));
    fullMs = await timedRun(s.args(reference), reference);
    complete = snapshot(join(reference, 'coverage', 'validations'));
    const written = complete.get('atomic-2026-10-01.yaml');
    expect((parse(written ?? '') as unknown[]).length).toBe(8_000);
  }, 120_000);

  for (const [name, moment, mustHit] of moments(() => fullMs)) {
    it(`killed ${name}: the new file is absent or complete, the others untouched`, async () => {
      await killAndCheck(template, s, complete, moment, mustHit);
    }, 120_000);
  }
});

describe('SIGKILL while attack upgrade --write rewrites the pin and revoked ids in many files', () => {
  let template = '';
  let complete = new Map<string, string>();
  const s: Scenario = {
    args: (dir) => ['attack', 'upgrade', '--to', '18.1', '--write', '--repo', dir, '--now', NEW],
    watch: (dir) => [dir, join(dir, 'detections')],
    target: (dir) => join(dir, 'detections'),
  };
  beforeAll(async () => {
    template = keep(await exampleRepo());
    rmSync(join(template, 'detections'), { recursive: true });
    rmSync(join(template, 'coverage', 'validations'), { recursive: true });
    mkdirs(join(template, 'detections'));
    writeFileSync(join(template, 'tidemark.yaml'), readFileSync(join(template, 'tidemark.yaml'), 'utf8').replace('version: "18.1"', 'version: "16.1"'));
    for (let i = 0; i < 400; i++) {
      writeFileSync(join(template, 'detections', `sideload-${i}.yaml`), `id: det-sideload-${i}\ntitle: DLL side-loading ${i}\nstatus: test\ntechniques: [T1574.002]\n`);
    }
    // Warm both releases' caches; a plan without --write changes nothing.
    const plan = await cli(['attack', 'upgrade', '--to', '18.1', '--repo', template, '--now', NEW]);
    expect(plan.code, plan.stderr).toBeLessThan(2);
    const reference = keep(copyOf(template));
    const done = await cli(s.args(reference));
    expect(done.code, done.stderr).toBeLessThan(2);
    complete = snapshot(join(reference, 'detections'));
    expect(complete.get('sideload-0.yaml')).toContain('T1574.001');
  }, 180_000);

  for (const [name, moment] of [
    ['as soon as its first temporary file appears', whenTempAppears],
    ['once it has begun renaming', whenRenamingStarts],
  ] as [string, Moment][]) {
    it(`killed ${name}: each file holds the old id or the new one, never a part`, async () => {
      for (let attempt = 1; ; attempt++) {
        const dir = keep(copyOf(template));
        const before = snapshot(join(dir, 'detections'));
        const pinBefore = readFileSync(join(dir, 'tidemark.yaml'), 'utf8');
        const exited = await runAndKill(s.args(dir), dir, s.watch(dir), moment);
        if (!exited.killed && attempt < 4) continue;
        expect(exited.killed).toBe(true);
        expect(wholeOrOld(snapshot(join(dir, 'detections')), before, complete)).toEqual([]);
        const pin = readFileSync(join(dir, 'tidemark.yaml'), 'utf8');
        expect(pin === pinBefore || pin === pinBefore.replace('version: "16.1"', 'version: "18.1"'), 'tidemark.yaml whole').toBe(true);
        return;
      }
    }, 120_000);
  }
});

describe('SIGKILL while gate and history write their files', () => {
  let template = '';
  beforeAll(async () => {
    template = keep(await exampleRepo());
    expect((await cli(['validate', '--repo', template])).code).toBeLessThan(2);
  }, 120_000);

  it('gate killed as soon as build/gate.md is being written: absent or whole', async () => {
    const reference = keep(copyOf(template));
    const args = (dir: string) => ['gate', '--base', 'main', '--repo', dir, '--now', NEW];
    expect((await cli(args(reference))).code).toBe(0);
    const complete = snapshot(join(reference, 'build'));
    await killAndCheck(template, { args, watch: (d) => [join(d, 'build')], target: (d) => join(d, 'build') }, complete, whenTempAppears, true);
  }, 120_000);

  it('history killed as soon as build/history.json is being written: absent or whole', async () => {
    const reference = keep(copyOf(template));
    const args = (dir: string) => ['history', '--repo', dir, '--no-cache'];
    const run = await cli(args(reference));
    expect(run.code, run.stderr).toBe(0);
    const complete = snapshot(join(reference, 'build'));
    await killAndCheck(template, { args, watch: (d) => [join(d, 'build')], target: (d) => join(d, 'build') }, complete, whenTempAppears, true);
  }, 120_000);
});
