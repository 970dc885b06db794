/**
 * The one place tidemark builds an @octokit/rest client: reads and updates are retried on 5xx with
 * backoff (plugin-retry); primary and secondary rate limits wait and retry (plugin-throttling).
 * Adapters pass `request: { retries: 0 }` on creates, so a create whose response was lost is never
 * sent twice. Also where the repository and token come from in GitHub Actions.
 */
import { randomUUID } from 'node:crypto';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { GitHubApiError } from './comments.js';

export interface RepoTarget {
  token: string;
  owner: string;
  repo: string;
  /** `GITHUB_API_URL`; default https://api.github.com. */
  apiUrl: string;
}

/** GITHUB_TOKEN, GITHUB_REPOSITORY (owner/name) and GITHUB_API_URL from the Actions environment. */
export function repoTarget(env: NodeJS.ProcessEnv): { target: RepoTarget } | { problem: string } {
  const token = env.GITHUB_TOKEN;
  if (!token) return { problem: 'GITHUB_TOKEN is not set; pass it to the step with `env: GITHUB_TOKEN: ${{ github.token }}`.' };
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo || rest.length > 0) return { problem: 'GITHUB_REPOSITORY (owner/name) is not set.' };
  return { target: { token, owner, repo, apiUrl: env.GITHUB_API_URL || 'https://api.github.com' } };
}

export interface ClientOptions {
  token: string;
  /** API base URL; default https://api.github.com. */
  apiUrl?: string;
  /** Retries of a failed read or update (default 3). */
  retries?: number;
  /**
   * Milliseconds per second of wait (both plugins): retries wait (n+1)² × this after a 5xx, and
   * `retry-after` × this on a rate limit. Default 1000; tests pass 1.
   */
  retryAfterBaseValue?: number;
  userAgent?: string;
}

const TidemarkOctokit = Octokit.plugin(retry, throttling);
export type Client = InstanceType<typeof TidemarkOctokit>;

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export function createClient(options: ClientOptions): Client {
  const base = options.retryAfterBaseValue ?? 1000;
  const retries = options.retries ?? 3;
  return new TidemarkOctokit({
    auth: options.token,
    baseUrl: (options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, ''),
    userAgent: options.userAgent ?? 'tidemark',
    log: quiet,
    request: { retries },
    retry: { retryAfterBaseValue: base },
    throttle: {
      // Its own limiter key, so one client's spacing of writes does not wait on another's.
      id: `tidemark-${randomUUID()}`,
      retryAfterBaseValue: base,
      fallbackSecondaryRateRetryAfter: 60,
      onRateLimit: (_after: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount < retries,
      onSecondaryRateLimit: (_after: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount < retries,
    },
  });
}

/** Runs one API call; any failure becomes a GitHubApiError carrying the HTTP status. */
export async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : undefined;
    throw new GitHubApiError(error instanceof Error ? error.message : String(error), status);
  }
}
