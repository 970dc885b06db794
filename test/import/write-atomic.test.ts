import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeWriteError, WriteError, writeFileAtomic, writeFilesAtomic } from '../../scripts/write/atomic.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'tidemark-write-'));
const child = fileURLToPath(new URL('../fixtures/import/write-child.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const temps = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

describe('writeFileAtomic', () => {
  it('creates the file (and missing directories) and replaces it whole, leaving no temp file', async () => {
    const dir = tmp();
    const path = join(dir, 'a', 'b', 'out.yaml');
    await writeFileAtomic(path, 'one\n');
    expect(readFileSync(path, 'utf8')).toBe('one\n');
    await writeFileAtomic(path, new TextEncoder().encode('two\n'));
    expect(readFileSync(path, 'utf8')).toBe('two\n');
    expect(temps(join(dir, 'a', 'b'))).toEqual([]);
  });

  it('keeps the mode of the file it replaces', async () => {
    const dir = tmp();
    const path = join(dir, 'run.sh');
    writeFileSync(path, 'old');
    chmodSync(path, 0o750);
    await writeFileAtomic(path, 'new');
    expect(statSync(path).mode & 0o777).toBe(0o750);
  });

  it('removes its temp file and throws a clear error when the rename fails', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'taken'));
    writeFileSync(join(dir, 'taken', 'x'), 'keeps the directory non-empty');
    const error = await writeFileAtomic(join(dir, 'taken'), 'data').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteError);
    expect((error as WriteError).message).toMatch(/^cannot write .*taken/);
    expect((error as WriteError).exitCode).toBe(2);
    expect(temps(dir)).toEqual([]);
  });

  it('names permission and space failures plainly', () => {
    const errno = (code: string) => Object.assign(new Error(`${code}: raw`), { code });
    expect(describeWriteError(errno('EACCES'), '/srv/repo/coverage/validations/a.yaml').message).toBe(
      'cannot write /srv/repo/coverage/validations: permission denied',
    );
    expect(describeWriteError(errno('ENOSPC'), '/srv/repo/a.yaml').message).toBe('cannot write /srv/repo/a.yaml: disk full');
    expect(describeWriteError(errno('EIO'), '/srv/repo/a.yaml').message).toBe('cannot write /srv/repo/a.yaml: EIO');
  });

  it('a process killed at any point leaves the old content or the new, never a part', async () => {
    const dir = tmp();
    const target = join(dir, 'big.yaml');
    const old = 'OLD\n';
    const fresh = `${'N'.repeat(48 * 1024 * 1024)}\nEND\n`;
    const seen = new Set<string>();
    // Delays after "ready" (ms), and one kill after "done".
    const points: (number | 'done')[] = [0, 1, 3, 8, 20, 50, 120, 300, 'done'];
    for (const point of points) {
      writeFileSync(target, old);
      const proc = spawn(process.execPath, ['--import', 'tsx', child, target, '48'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<NodeJS.Signals | null>((done) => proc.on('exit', (_code, signal) => done(signal)));
      await new Promise<void>((ready, fail) => {
        let out = '';
        proc.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const wanted = point === 'done' ? 'done\n' : 'ready\n';
          if (out.includes(wanted)) {
            if (point === 'done') proc.kill('SIGKILL');
            else setTimeout(() => proc.kill('SIGKILL'), point);
            ready();
          }
        });
        proc.on('exit', () => fail(new Error(`child exited before "${point}"`)));
      }).catch(() => undefined);
      expect(await exited).toBe('SIGKILL');
      const content = readFileSync(target, 'utf8');
      expect(content === old || content === fresh, `after a kill at ${point}: ${content.length} bytes`).toBe(true);
      const leftover = temps(dir);
      seen.add(content === old ? (leftover.length ? 'old, temp left' : 'old') : 'new');
      // Whatever a kill leaves behind is a dot-file ending in .tmp, which no reader picks up.
      for (const f of leftover) expect(f).toMatch(/^\.big\.yaml\.\d+\.[0-9a-f]{12}\.tmp$/);
      for (const f of leftover) rmSync(join(dir, f));
    }
    // The kills really landed mid-write, and after the rename.
    expect(seen).toContain('old, temp left');
    expect(seen).toContain('new');
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});

describe('writeFilesAtomic', () => {
  it('writes several files, each whole', async () => {
    const dir = tmp();
    await writeFilesAtomic(dir, { 'a.json': '{}', 'layers/g0016.json': '[]' });
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe('{}');
    expect(readFileSync(join(dir, 'layers/g0016.json'), 'utf8')).toBe('[]');
    expect(temps(dir)).toEqual([]);
  });

  it('changes nothing when one file cannot be written', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.json'), 'old');
    writeFileSync(join(dir, 'blocker'), 'a file where a directory is needed');
    const error = await writeFilesAtomic(dir, { 'a.json': 'new', 'blocker/b.json': 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteError);
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe('old');
    expect(temps(dir)).toEqual([]);
  });

  it('refuses paths that leave the directory', async () => {
    await expect(writeFilesAtomic(tmp(), { '../escape.txt': 'x' })).rejects.toThrow(/not a path inside/);
  });
});
