/**
 * history: the coverage score and state counts of every commit of a branch that changed content,
 * each evaluated at its own commit date. Incremental twice over: points already in the cache
 * (keyed by commit sha) are reused without reading anything, and between evaluated commits only the
 * changed files are read and parsed (see snapshot.ts).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { simpleGit } from 'simple-git';
import { AttackDataError } from '../catalog/source.js';
import { GitRevisionError } from '../load/git.js';
import { TOOL_VERSION } from '../model/version.js';
import { writeFileAtomic } from '../write/atomic.js';
import { contentCommits } from './commits.js';
import { evaluateCommit, type CatalogCache, type CatalogOptions } from './evaluate.js';
import { advance, contents, fullSnapshot, type ReadStats, type Snapshot } from './snapshot.js';
import { CACHE_FORMAT, isSkipped, type CachedPoint, type History, type HistoryCache, type SkippedPoint } from './types.js';

export type * from './types.js';

export interface HistoryOptions extends CatalogOptions {
  /** Branch or revision whose first-parent history is plotted; default HEAD. */
  ref?: string;
  /** Where cached points live; undefined: no cache. */
  cachePath?: string;
}

export interface HistoryResult {
  points: History;
  skipped: SkippedPoint[];
  /** Commits evaluated in this run (the rest came from the cache). */
  evaluated: number;
  reused: number;
  filesParsed: number;
}

export async function readCache(path: string | undefined): Promise<HistoryCache> {
  const empty: HistoryCache = { format: CACHE_FORMAT, tool: TOOL_VERSION, points: {} };
  if (!path || !existsSync(path)) return empty;
  try {
    const data = JSON.parse(await readFile(path, 'utf8')) as Partial<HistoryCache>;
    // Another format or tool version may compute differently: start over rather than mix.
    if (data.format !== CACHE_FORMAT || data.tool !== TOOL_VERSION || typeof data.points !== 'object' || data.points === null) return empty;
    return data as HistoryCache;
  } catch {
    return empty;
  }
}

/** Whole or not at all, and a failure (disk full, read-only) is a WriteError: exit 2 with a plain message. */
export async function writeJson(path: string, data: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(data, null, 2)}\n`);
}

export async function computeHistory(options: HistoryOptions): Promise<HistoryResult> {
  if (!existsSync(options.repoDir)) throw new GitRevisionError(`${options.repoDir} does not exist.`);
  const git = simpleGit({ baseDir: options.repoDir, trimmed: false });
  const ref = options.ref ?? 'HEAD';
  if (ref === '' || ref.startsWith('-') || /[\0\s]/.test(ref)) throw new GitRevisionError(`${JSON.stringify(ref)} is not a git revision.`);
  const inside = await git.raw(['rev-parse', '--is-inside-work-tree']).catch(() => '');
  if (inside.trim() !== 'true') throw new GitRevisionError(`${options.repoDir} is not a git repository: the history comes from its commits.`);
  const resolved = (await git.raw(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => '')).trim();
  if (!resolved) throw new GitRevisionError(`the revision ${JSON.stringify(ref)} does not exist in ${options.repoDir} (in CI, check out with fetch-depth: 0).`);
  const commits = await contentCommits(git, resolved);
  const cache = await readCache(options.cachePath);
  const catalogs: CatalogCache = new Map();
  const stats: ReadStats = { filesParsed: 0 };
  const all: CachedPoint[] = [];
  let snapshot: Snapshot | undefined;
  let evaluated = 0;
  for (const c of commits) {
    const cached = cache.points[c.commit];
    if (cached) {
      all.push(cached);
      continue;
    }
    // Diff from the last snapshot this run built (any earlier commit works), or read the commit whole.
    snapshot = snapshot ? await advance(git, snapshot, c.commit, stats) : await fullSnapshot(options.repoDir, c.commit, stats);
    const point = await evaluateCommit(contents(snapshot).files, c, catalogs, options).catch((error: Error): SkippedPoint => {
      // Missing ATT&CK data is the environment's fault, not the commit's: stop instead of caching a skip.
      if (error instanceof AttackDataError) throw error;
      return { ...c, skipped: error.message.split('\n')[0] };
    });
    cache.points[c.commit] = point;
    all.push(point);
    evaluated++;
  }
  if (options.cachePath && evaluated > 0) {
    // Keep only the commits still on the branch, so a rewritten history does not grow the cache forever.
    const kept = Object.fromEntries(commits.filter((c) => cache.points[c.commit]).map((c) => [c.commit, cache.points[c.commit]]));
    await writeJson(options.cachePath, { format: CACHE_FORMAT, tool: TOOL_VERSION, points: kept } satisfies HistoryCache);
  }
  return {
    points: all.filter((p): p is History[number] => !isSkipped(p)),
    skipped: all.filter(isSkipped),
    evaluated,
    reused: commits.length - evaluated,
    filesParsed: stats.filesParsed,
  };
}
