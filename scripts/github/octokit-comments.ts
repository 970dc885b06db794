/**
 * The comments port over GitHub's REST API with @octokit/rest. Reads and updates are retried on
 * 5xx with backoff (plugin-retry); primary and secondary rate limits wait and retry
 * (plugin-throttling). Creating is not retried here: `upsertSticky` re-lists before trying again,
 * so a create whose response was lost is not duplicated.
 */
import { randomUUID } from 'node:crypto';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { GitHubApiError, type IssueComment, type PullRequestComments } from './comments.js';

const GateOctokit = Octokit.plugin(retry, throttling);

export interface OctokitCommentsOptions {
  token: string;
  owner: string;
  repo: string;
  /** Pull-request (issue) number. */
  issue: number;
  /** `GITHUB_API_URL`; default https://api.github.com. */
  baseUrl?: string;
  /** Retries of a failed read or update (default 3). */
  retries?: number;
  /**
   * Milliseconds per second of wait (both plugins): retries wait (n+1)² × this after a 5xx, and
   * `retry-after` × this on a rate limit. Default 1000; tests pass 1.
   */
  retryAfterBaseValue?: number;
  userAgent?: string;
}

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export function octokitComments(options: OctokitCommentsOptions): PullRequestComments {
  const base = options.retryAfterBaseValue ?? 1000;
  const retries = options.retries ?? 3;
  const octokit = new GateOctokit({
    auth: options.token,
    baseUrl: (options.baseUrl ?? 'https://api.github.com').replace(/\/+$/, ''),
    userAgent: options.userAgent ?? 'tidemark',
    log: quiet,
    request: { retries },
    retry: { retryAfterBaseValue: base },
    throttle: {
      // Its own limiter key, so one run's spacing of writes does not wait on another's.
      id: `tidemark-${randomUUID()}`,
      retryAfterBaseValue: base,
      fallbackSecondaryRateRetryAfter: 60,
      onRateLimit: (_after: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount < retries,
      onSecondaryRateLimit: (_after: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount < retries,
    },
  });
  const where = { owner: options.owner, repo: options.repo };

  return {
    list: () =>
      call(async () => {
        const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...where, issue_number: options.issue, per_page: 100 });
        return comments.map(toComment);
      }),
    create: (body) =>
      call(async () => toComment((await octokit.rest.issues.createComment({ ...where, issue_number: options.issue, body, request: { retries: 0 } })).data)),
    update: (id, body) => call(async () => toComment((await octokit.rest.issues.updateComment({ ...where, comment_id: id, body })).data)),
    headSha: () => call(async () => (await octokit.rest.pulls.get({ ...where, pull_number: options.issue })).data.head.sha),
  };
}

interface ApiComment {
  id: number;
  body?: string | null;
  user?: { login?: string; type?: string } | null;
}

const toComment = (c: ApiComment): IssueComment => ({ id: c.id, body: c.body ?? '', authorType: c.user?.type, authorLogin: c.user?.login });

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : undefined;
    const message = error instanceof Error ? error.message : String(error);
    throw new GitHubApiError(message, status);
  }
}
