import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitRevisionError, gitRevision, parseTree } from '../../scripts/load/git.js';
import { createRepo, type TestRepo } from '../helpers/git.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});
async function repo(files: Record<string, string> = {}): Promise<TestRepo> {
  const r = await createRepo(files);
  cleanup.push(r.remove);
  return r;
}

describe('gitRevision', () => {
  it('reads the content files of a revision from git objects, not from the working tree', async () => {
    const r = await repo({
      'tidemark.yaml': 'attack: { version: "18.1" }\n',
      'groups/apt.yaml': 'id: G0016\n',
      'detections/win/a.yml': 'id: a\n',
      'detections/notes.md': '# not content\n',
      'scripts/x.yaml': 'not: content\n',
      'coverage/telemetry.yaml': 'sources: []\n',
    });
    const first = await r.commit('base');
    await r.write({ 'groups/apt.yaml': 'id: G0017\n', 'groups/new.yaml': 'id: G0018\n' });
    await r.commit('head');
    await r.write({ 'groups/apt.yaml': 'id: G9999 # uncommitted\n' });

    const base = await gitRevision(r.dir, first);
    expect(base.commit).toBe(first);
    const { files, skipped } = await base.read();
    expect(files.map((f) => f.path)).toEqual(['coverage/telemetry.yaml', 'detections/win/a.yml', 'groups/apt.yaml', 'tidemark.yaml']);
    expect(text(files.find((f) => f.path === 'groups/apt.yaml')!.bytes)).toBe('id: G0016\n');
    expect(skipped).toEqual([]);

    const head = await (await gitRevision(r.dir, 'HEAD')).read();
    expect(head.files.map((f) => f.path)).toContain('groups/new.yaml');
    expect(text(head.files.find((f) => f.path === 'groups/apt.yaml')!.bytes)).toBe('id: G0017\n');
  });

  it('keeps identical files apart and bytes exact (empty files, non-UTF-8, CRLF)', async () => {
    const r = await repo({ 'groups/a.yaml': 'id: X-a\r\n', 'groups/b.yaml': 'id: X-a\r\n', 'groups/empty.yaml': '' });
    await r.write({ 'groups/latin1.yaml': '' });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(r.dir, 'groups/latin1.yaml'), Buffer.from([0x69, 0x64, 0x3a, 0x20, 0xe9, 0x0a]));
    await r.commit('base');
    const { files } = await (await gitRevision(r.dir, 'HEAD')).read();
    expect(files.map((f) => [f.path, f.bytes.length])).toEqual([
      ['groups/a.yaml', 9],
      ['groups/b.yaml', 9],
      ['groups/empty.yaml', 0],
      ['groups/latin1.yaml', 6],
    ]);
    expect([...files[3].bytes]).toEqual([0x69, 0x64, 0x3a, 0x20, 0xe9, 0x0a]);
  });

  it('reports symbolic links instead of following them', async () => {
    const r = await repo({ 'groups/a.yaml': 'id: X-a\n' });
    await r.link('groups/passwd.yaml', '/etc/passwd');
    await r.link('groups/inside.yaml', 'a.yaml');
    await r.commit('links');
    const { files, skipped } = await (await gitRevision(r.dir, 'HEAD')).read();
    expect(files.map((f) => f.path)).toEqual(['groups/a.yaml']);
    expect(skipped.map((s) => [s.path, s.reason])).toEqual([
      ['groups/inside.yaml', 'symlink-outside'],
      ['groups/passwd.yaml', 'symlink-outside'],
    ]);
  });

  it('reads the content root when --repo names a subfolder of the work tree', async () => {
    const r = await repo({ 'security/tidemark.yaml': 'attack: { version: "18.1" }\n', 'security/groups/a.yaml': 'id: X-a\n', 'groups/outside.yaml': 'x\n' });
    await r.commit('monorepo');
    const { files } = await (await gitRevision(join(r.dir, 'security'), 'HEAD')).read();
    expect(files.map((f) => f.path)).toEqual(['groups/a.yaml', 'tidemark.yaml']);
  });

  it('fails with exit code 2 when the ref does not exist, naming fetch-depth', async () => {
    const r = await repo({ 'tidemark.yaml': 'x: 1\n' });
    await r.commit('only');
    const error = await gitRevision(r.dir, 'origin/main').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitRevisionError);
    expect((error as GitRevisionError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(/origin\/main.*does not exist/);
    expect((error as Error).message).toMatch(/fetch-depth: 0/);
    await expect(gitRevision(r.dir, '--output=/tmp/x')).rejects.toBeInstanceOf(GitRevisionError);
  });

  it('fails with exit code 2 outside a git repository', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tidemark-nogit-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const error = await gitRevision(dir, 'HEAD').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitRevisionError);
    expect((error as Error).message).toMatch(/not a git repository/);
    await expect(gitRevision(join(dir, 'missing'), 'HEAD')).rejects.toBeInstanceOf(GitRevisionError);
  });

  it('parses ls-tree -l -z output, paths with spaces and tabs included', () => {
    expect(parseTree('100644 blob abc     12\tgroups/a b.yaml\u0000120000 blob def 7\tl\u0000160000 commit 123 -\tsub\0')).toEqual([
      { mode: '100644', type: 'blob', object: 'abc', size: 12, path: 'groups/a b.yaml' },
      { mode: '120000', type: 'blob', object: 'def', size: 7, path: 'l' },
      { mode: '160000', type: 'commit', object: '123', size: 0, path: 'sub' },
    ]);
  });
});
