/**
 * Issues carrying one label, over GitHub's REST API with @octokit/rest: the port `tidemark stale
 * --open-issues` files its findings through. Reads, comments and closing are retried on 5xx with
 * backoff (plugin-retry); rate limits wait and retry (plugin-throttling). Creating is never
 * retried: a create whose response was lost would otherwise file the same issue twice; the next
 * run lists the open issues again and finds it by its marker.
 */
import { randomUUID } from 'node:crypto';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { GitHubApiError } from './comments.js';

export interface TrackedIssue {
  number: number;
  title: string;
  body: string;
}

export interface LabeledIssues {
  /** Open issues (not pull requests) with the label, every page. */
  listOpen(label: string): Promise<TrackedIssue[]>;
  create(issue: { title: string; body: string; labels: string[] }): Promise<TrackedIssue>;
  comment(issue: number, body: string): Promise<void>;
  close(issue: number): Promise<void>;
}

export interface IssuesTarget {
  token: string;
  owner: string;
  repo: string;
  /** `GITHUB_API_URL`; default https://api.github.com. */
  apiUrl: string;
}

/** Where the issues go, from the Actions environment: GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL. */
export function issuesTarget(env: NodeJS.ProcessEnv): { target: IssuesTarget } | { problem: string } {
  const token = env.GITHUB_TOKEN;
  if (!token) return { problem: 'GITHUB_TOKEN is not set; pass it to the step with `env: GITHUB_TOKEN: ${{ github.token }}`.' };
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo || rest.length > 0) return { problem: 'GITHUB_REPOSITORY (owner/name) is not set.' };
  return { target: { token, owner, repo, apiUrl: env.GITHUB_API_URL || 'https://api.github.com' } };
}

export interface OctokitIssuesOptions extends IssuesTarget {
  /** Retries of a failed read, comment or close (default 3). */
  retries?: number;
  /** Milliseconds per second of wait for both plugins (default 1000; tests pass 1). */
  retryAfterBaseValue?: number;
  userAgent?: string;
}

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const IssuesOctokit = Octokit.plugin(retry, throttling);

export function octokitIssues(options: OctokitIssuesOptions): LabeledIssues {
  const base = options.retryAfterBaseValue ?? 1000;
  const retries = options.retries ?? 3;
  const octokit = new IssuesOctokit({
    auth: options.token,
    baseUrl: options.apiUrl.replace(/\/+$/, ''),
    userAgent: options.userAgent ?? 'tidemark',
    log: quiet,
    request: { retries },
    retry: { retryAfterBaseValue: base },
    throttle: {
      id: `tidemark-issues-${randomUUID()}`,
      retryAfterBaseValue: base,
      fallbackSecondaryRateRetryAfter: 60,
      onRateLimit: (_after: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount < retries,
      onSecondaryRateLimit: (_after: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount < retries,
    },
  });
  const where = { owner: options.owner, repo: options.repo };
  return {
    listOpen: (label) =>
      call(async () => {
        const issues = await octokit.paginate(octokit.rest.issues.listForRepo, { ...where, state: 'open', labels: label, per_page: 100 });
        return issues.filter((i) => !i.pull_request).map(toIssue);
      }),
    create: ({ title, body, labels }) =>
      call(async () => toIssue((await octokit.rest.issues.create({ ...where, title, body, labels, request: { retries: 0 } })).data)),
    comment: (issue, body) =>
      call(async () => {
        await octokit.rest.issues.createComment({ ...where, issue_number: issue, body, request: { retries: 0 } });
      }),
    close: (issue) =>
      call(async () => {
        await octokit.rest.issues.update({ ...where, issue_number: issue, state: 'closed', state_reason: 'completed' });
      }),
  };
}

const toIssue = (i: { number: number; title: string; body?: string | null }): TrackedIssue => ({ number: i.number, title: i.title, body: i.body ?? '' });

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : undefined;
    throw new GitHubApiError(error instanceof Error ? error.message : String(error), status);
  }
}
