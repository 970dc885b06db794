/**
 * The GitHub port the gate needs: a pull request's comments. The octokit adapter
 * (`octokit-comments.ts`) implements it over the REST API; tests use it against a local server.
 */
export interface IssueComment {
  id: number;
  body: string;
  /** `Bot` for github-actions[bot] and apps, `User` for people. */
  authorType?: string;
  authorLogin?: string;
}

export interface PullRequestComments {
  /** Every comment on the pull request, all pages. */
  list(): Promise<IssueComment[]>;
  /** Creates a comment. Not retried by the adapter: a lost response would mean a duplicate. */
  create(body: string): Promise<IssueComment>;
  update(id: number, body: string): Promise<IssueComment>;
  /** The pull request's head commit (to check that an artifact belongs to it). */
  headSha(): Promise<string>;
}

/** A failed API call, reduced to what the gate decides on. */
export class GitHubApiError extends Error {
  override name = 'GitHubApiError';
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
  /** Worth trying again later: network failures, 5xx, rate limits. */
  get transient(): boolean {
    return this.status === undefined || this.status >= 500 || this.status === 429;
  }
}
