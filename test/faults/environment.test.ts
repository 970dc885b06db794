/**
 * The environment failing under tidemark: an output folder that cannot exist (its parent is a
 * file), a read-only file system, a full disk, a damaged or unwritable ATT&CK cache. Each gives a
 * clear message and exit 2 (or, for the best-effort cache, a warning and exit 0), never a stack
 * trace, and leaves no partial file behind.
 *
 * Read-only and full file systems are real tmpfs mounts where this process may mount (root, as in
 * the project's container); elsewhere (a CI runner without root) the same errors are injected
 * into node:fs/promises, so both paths are always tested.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanRepo, cli, listFiles, NOW, removeTemplate, STACK_TRACE, type CliRun } from '../hostile/harness.js';

/** Writes under `prefix` fail with `code`, as the kernel would say it. */
const inject = vi.hoisted(() => ({ prefix: '', code: '' }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const failing = (path: unknown) => inject.prefix !== '' && typeof path === 'string' && path.startsWith(inject.prefix);
  const error = (path: unknown) => Object.assign(new Error(`${inject.code}: injected, open '${String(path)}'`), { code: inject.code, path });
  const open: typeof real.open = (path, ...rest) => (failing(path) ? Promise.reject(error(path)) : real.open(path, ...rest));
  const writeFile: typeof real.writeFile = (path, ...rest) => (failing(path) ? Promise.reject(error(path)) : real.writeFile(path, ...rest));
  return { ...real, open, writeFile, default: { ...real, open, writeFile } };
});

const mounts: string[] = [];
const made: string[] = [];
afterAll(async () => {
  await removeTemplate();
  for (const m of mounts) execFileSync('umount', [m], { stdio: 'ignore' });
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A tmpfs at `at` (default a new directory), or undefined when this process may not mount. */
function tmpfs(options: string, at?: string): string | undefined {
  // TIDEMARK_TEST_NO_MOUNT=1 takes the injected path, as on a runner without root.
  if (process.env.TIDEMARK_TEST_NO_MOUNT) return undefined;
  const dir = at ?? mkdtempSync(join(tmpdir(), 'tidemark-tmpfs-'));
  if (!at) made.push(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    mounts.unshift(dir);
    return dir;
  } catch {
    return undefined;
  }
}

/** Fills a mounted file system to the last byte. */
function fill(dir: string): void {
  try {
    writeFileSync(join(dir, 'filler'), Buffer.alloc(1024 * 1024));
  } catch {
    // ENOSPC: the disk is full now, as wanted.
  }
}

const notFiller = (files: string[]) => files.filter((f) => f !== 'filler');

function expectEnvironmentError(run: CliRun, message: RegExp): void {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr).toMatch(message);
  expect(run.stdout + run.stderr).not.toMatch(STACK_TRACE);
  expect(run.stderr).not.toContain('internal error');
}

async function withInjected<T>(prefix: string, code: string, body: () => Promise<T>): Promise<T> {
  inject.prefix = prefix;
  inject.code = code;
  try {
    return await body();
  } finally {
    inject.prefix = '';
    inject.code = '';
  }
}

const LOG = 'Execution Time (UTC),Technique,Test Name,Hostname,GUID\r\n' + Array.from({ length: 400 }, (_, i) => `2026-10-01T10:00:00Z,T1059.001,test ${i},ws-${i},g-${i}\r\n`).join('');

let repo = '';
let log = '';
beforeAll(async () => {
  repo = await cleanRepo();
  made.push(repo);
  log = join(repo, '..', `log-${process.pid}.csv`);
  writeFileSync(log, LOG);
  made.push(log);
}, 120_000);

describe('an output folder whose parent is a regular file (ENOTDIR; chmod does not stop root)', () => {
  it('score: exit 2, says a parent is a file, writes nothing', async () => {
    const file = join(repo, 'not-a-folder');
    writeFileSync(file, 'x');
    expectEnvironmentError(await cli(['score', '--repo', repo, '--now', NOW, '--out', join(file, 'build')]), /a parent of it is a file/);
  });

  it('gate: exit 2, cannot write the summary', async () => {
    const file = join(repo, 'not-a-folder-2');
    writeFileSync(file, 'x');
    expectEnvironmentError(await cli(['gate', '--base', 'main', '--repo', repo, '--now', NOW, '--out', join(file, 'build')]), /cannot write the summary/);
  });

  it('history: exit 2, says a parent is a file', async () => {
    const file = join(repo, 'not-a-folder-3');
    writeFileSync(file, 'x');
    expectEnvironmentError(await cli(['history', '--repo', repo, '--no-cache', '--out', join(file, 'history.json')]), /a parent of it is a file/);
  });

  it('import: coverage/validations is a file; exit 2, the file is untouched', async () => {
    const dir = await cleanRepo();
    made.push(dir);
    rmSync(join(dir, 'coverage', 'validations'), { recursive: true });
    writeFileSync(join(dir, 'coverage', 'validations'), 'not a folder\n');
    expectEnvironmentError(await cli(['import', 'atomic', log, '--outcome', 'detected', '--repo', dir]), /a parent of it is a file|not a directory/);
    expect(readFileSync(join(dir, 'coverage', 'validations'), 'utf8')).toBe('not a folder\n');
  });
});

describe('a read-only file system (EROFS)', () => {
  const check = async (out: string) => {
    const run = await cli(['score', '--repo', repo, '--now', NOW, '--out', out]);
    expectEnvironmentError(run, /read-only file system/);
  };
  it('score into a read-only tmpfs mount: exit 2, read-only', async (ctx) => {
    const ro = tmpfs('ro,size=64k');
    if (!ro) return ctx.skip();
    await check(ro);
    expect(readdirSync(ro)).toEqual([]);
  });
  it('score with EROFS injected into every write: exit 2, read-only', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tidemark-ro-'));
    made.push(out);
    await withInjected(out, 'EROFS', () => check(out));
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('a full disk (ENOSPC)', () => {
  /**
   * A 64 KiB tmpfs (or, without mount, a folder whose writes fail with ENOSPC); `setup` runs while
   * there is still room, then the disk is filled to the last byte.
   */
  async function full(name: string, body: (dir: string) => Promise<void>, setup?: (dir: string) => void): Promise<void> {
    const mounted = tmpfs('size=64k');
    if (mounted) {
      setup?.(mounted);
      fill(mounted);
      return body(mounted);
    }
    const dir = mkdtempSync(join(tmpdir(), `tidemark-full-${name}-`));
    made.push(dir);
    setup?.(dir);
    return withInjected(dir, 'ENOSPC', () => body(dir));
  }

  it('score: exit 2, disk full, and no partial output or temp file is left', async () => {
    await full('score', async (out) => {
      expectEnvironmentError(await cli(['score', '--repo', repo, '--now', NOW, '--out', out]), /disk full/);
      expect(notFiller(listFiles(out))).toEqual([]);
    });
  });

  it('gate: exit 2, cannot write the summary: disk full', async () => {
    await full('gate', async (out) => {
      expectEnvironmentError(await cli(['gate', '--base', 'main', '--repo', repo, '--now', NOW, '--out', out]), /cannot write the summary.*disk full/);
      expect(notFiller(listFiles(out))).toEqual([]);
    });
  });

  it('history: exit 2, disk full', async () => {
    await full('history', async (out) => {
      expectEnvironmentError(await cli(['history', '--repo', repo, '--no-cache', '--out', join(out, 'history.json')]), /disk full/);
      expect(existsSync(join(out, 'history.json'))).toBe(false);
    });
  });

  it('import into a repository on a full disk: exit 2, coverage/validations unchanged', async () => {
    const copy = (disk: string) => {
      mkdirSync(join(disk, 'repo'));
      for (const entry of ['tidemark.yaml', 'groups', 'detections', 'controls', 'coverage']) cpSync(join(repo, entry), join(disk, 'repo', entry), { recursive: true });
    };
    await full(
      'import',
      async (disk) => {
        const dir = join(disk, 'repo');
        const before = listFiles(join(dir, 'coverage', 'validations'));
        expectEnvironmentError(await cli(['import', 'atomic', log, '--outcome', 'detected', '--repo', dir]), /disk full/);
        expect(listFiles(join(dir, 'coverage', 'validations'))).toEqual(before);
      },
      copy,
    );
  });

  it('the ATT&CK cache on a full disk: a warning, and validate still succeeds', async () => {
    const dir = await cleanRepo();
    made.push(dir);
    rmSync(join(dir, '.cache'), { recursive: true, force: true });
    mkdirSync(join(dir, '.cache'));
    const mounted = tmpfs('size=64k', join(dir, '.cache'));
    if (mounted) {
      fill(mounted);
      const run = await cli(['validate', '--repo', dir]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/warning: could not cache the catalog .*ENOSPC/);
    } else {
      const run = await withInjected(join(dir, '.cache'), 'ENOSPC', () => cli(['validate', '--repo', dir]));
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/warning: could not cache the catalog .*ENOSPC/);
    }
  });
});

describe('a damaged ATT&CK cache entry is detected by its hash and rebuilt, with a warning', () => {
  const entry = (dir: string) => {
    const cache = join(dir, '.cache', 'attack');
    const name = readdirSync(cache).find((n) => /^catalog-[0-9a-f]{64}\.json$/.test(n));
    if (!name) throw new Error('no cache entry');
    return join(cache, name);
  };
  const damages: [string, (text: string) => string, RegExp][] = [
    ['truncated to half', (t) => t.slice(0, t.length / 2), /truncated or not JSON/],
    ['cut to nothing', () => '', /truncated or not JSON/],
    ['one technique name changed (still valid JSON)', (t) => t.replace('"Command and Scripting Interpreter"', '"Command and Scripting InterpreteR"'), /does not match its hash/],
    ['one byte flipped inside the catalog', (t) => { const i = t.indexOf('"techniques"') + 40; return `${t.slice(0, i)}${t[i] === 'a' ? 'b' : 'a'}${t.slice(i + 1)}`; }, /truncated or not JSON|does not match its hash/],
    ['its catalog replaced by a string', (t) => `${t.slice(0, t.indexOf('"catalog":'))}"catalog":"x"}`, /no catalog in it/],
  ];
  for (const [name, damage, warning] of damages) {
    for (const command of ['validate', 'score'] as const) {
      it(`${name}: ${command} warns, succeeds, and the entry is whole again`, async () => {
        const dir = await cleanRepo();
        made.push(dir);
        const path = entry(dir);
        const good = readFileSync(path, 'utf8');
        const damaged = damage(good);
        expect(damaged).not.toBe(good);
        writeFileSync(path, damaged);
        const run = await cli(command === 'validate' ? ['validate', '--repo', dir] : ['score', '--repo', dir, '--now', NOW, '--quiet']);
        expect(run.code, run.stderr).toBe(0);
        expect(run.stderr).toMatch(/warning: ignored the cached catalog/);
        expect(run.stderr).toMatch(warning);
        expect(run.stdout + run.stderr).not.toMatch(STACK_TRACE);
        expect(readFileSync(path, 'utf8')).toBe(good);
        // The rebuilt entry is trusted again: no warning on the next run.
        const again = await cli(['validate', '--repo', dir]);
        expect(again.stderr).not.toMatch(/warning:/);
      });
    }
  }

  it('a cache folder that is a file: a warning, and the run succeeds from the mirror', async () => {
    const dir = await cleanRepo();
    made.push(dir);
    rmSync(join(dir, '.cache'), { recursive: true });
    writeFileSync(join(dir, '.cache'), 'not a folder');
    const run = await cli(['validate', '--repo', dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/warning: could not cache the catalog/);
    expect(run.stdout + run.stderr).not.toMatch(STACK_TRACE);
  });
});
