/**
 * Real git repositories in temporary directories, for the gate and the git reader. Commits carry
 * the dates the test gives, so time-dependent behaviour (result expiry) is reproducible.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';

export interface TestRepo {
  dir: string;
  git: SimpleGit;
  /** Writes files (repository-relative path → text); `null` deletes the file. */
  write(files: Record<string, string | null>): Promise<void>;
  /** Stages everything and commits with author and committer date `date`; returns the commit id. */
  commit(message: string, date?: string): Promise<string>;
  link(path: string, target: string): Promise<void>;
  remove(): Promise<void>;
}

const IDENTITY = { name: 'tidemark test', email: 'test@example.invalid' };

/** A git repository in `dir` with a test identity, no signing and no line-ending conversion. */
export async function initRepo(dir: string): Promise<SimpleGit> {
  const git = simpleGit({ baseDir: dir, allowEnvironment: ['GIT_AUTHOR_DATE', 'GIT_COMMITTER_DATE'], allowConfig: ['commit.gpgsign', 'core.autocrlf'] });
  await git.init(['--initial-branch=main']);
  await git.addConfig('user.name', IDENTITY.name);
  await git.addConfig('user.email', IDENTITY.email);
  await git.addConfig('commit.gpgsign', 'false');
  await git.addConfig('core.autocrlf', 'false');
  return git;
}

export async function createRepo(files: Record<string, string> = {}, options: { init?: boolean } = {}): Promise<TestRepo> {
  const dir = await mkdtemp(join(tmpdir(), 'tidemark-git-'));
  const git =
    options.init === false
      ? simpleGit({ baseDir: dir, allowEnvironment: ['GIT_AUTHOR_DATE', 'GIT_COMMITTER_DATE'], allowConfig: ['commit.gpgsign', 'core.autocrlf'] })
      : await initRepo(dir);
  const repo: TestRepo = {
    dir,
    git,
    async write(changes) {
      for (const [path, text] of Object.entries(changes)) {
        const file = join(dir, path);
        if (text === null) {
          await rm(file, { force: true });
          continue;
        }
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, text);
      }
    },
    async commit(message, date = '2026-01-01T12:00:00Z') {
      await git.add(['-A']);
      await git
        .env({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date })
        .commit(message, undefined, { '--allow-empty': null });
      return (await git.revparse(['HEAD'])).trim();
    },
    async link(path, target) {
      const file = join(dir, path);
      await mkdir(dirname(file), { recursive: true });
      await symlink(target, file);
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
  await repo.write(files);
  return repo;
}
