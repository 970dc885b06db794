/**
 * Issues carrying one label, over GitHub's REST API with @octokit/rest: the port `tidemark stale
 * --open-issues` files its findings through. Reads, comments and closing are retried on 5xx with
 * backoff (plugin-retry); rate limits wait and retry (plugin-throttling). Creating is never
 * retried: a create whose response was lost would otherwise file the same issue twice; the next
 * run lists the open issues again and finds it by its marker.
 */
import { call, createClient, repoTarget, type ClientOptions, type RepoTarget } from './octokit-client.js';

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

/** Where the issues go, from the Actions environment. */
export const issuesTarget = repoTarget;

export type OctokitIssuesOptions = ClientOptions & RepoTarget;

export function octokitIssues(options: OctokitIssuesOptions): LabeledIssues {
  const octokit = createClient(options);
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
