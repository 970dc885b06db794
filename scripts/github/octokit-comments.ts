/**
 * The comments port over GitHub's REST API with @octokit/rest. Reads and updates are retried on
 * 5xx with backoff (plugin-retry); primary and secondary rate limits wait and retry
 * (plugin-throttling). Creating is not retried here: `upsertSticky` re-lists before trying again,
 * so a create whose response was lost is not duplicated.
 */
import { type IssueComment, type PullRequestComments } from './comments.js';
import { call, createClient, type ClientOptions } from './octokit-client.js';

export interface OctokitCommentsOptions extends ClientOptions {
  owner: string;
  repo: string;
  /** Pull-request (issue) number. */
  issue: number;
}

export function octokitComments(options: OctokitCommentsOptions): PullRequestComments {
  const octokit = createClient(options);
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
