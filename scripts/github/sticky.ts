/**
 * One sticky comment per pull request: found by the hidden marker, updated in place, created when
 * missing. Failing to comment never changes the gate's verdict: every failure is returned as a
 * warning (a 403 is the read-only token of a fork's pull request).
 */
import { MARKER } from '../gate/markdown.js';
import { GitHubApiError, type IssueComment, type PullRequestComments } from './comments.js';

export interface StickyResult {
  action: 'created' | 'updated' | 'unchanged' | 'skipped';
  commentId?: number;
  /** Why the comment could not be posted, for the log; the verdict does not depend on it. */
  warning?: string;
}

/** The comment to update: ours carries the marker at the top; a bot's wins over a person's quote of it. */
export function findSticky(comments: IssueComment[]): IssueComment | undefined {
  const marked = comments.filter((c) => c.body.trimStart().startsWith(MARKER));
  return marked.find((c) => c.authorType === 'Bot') ?? marked[0];
}

export interface StickyOptions {
  /** Attempts of the whole find-then-write sequence after a transient failure (default 3). */
  attempts?: number;
  /** Pause before the next attempt, ms (default 1000 × attempt). */
  backoffMs?: number;
  /** When set, the pull request's head must be this commit (the artifact's run), or nothing is posted. */
  expectHeadSha?: string;
}

export async function upsertSticky(port: PullRequestComments, body: string, options: StickyOptions = {}): Promise<StickyResult> {
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      if (options.expectHeadSha) {
        const head = await port.headSha();
        if (head !== options.expectHeadSha) {
          return {
            action: 'skipped',
            warning: `the pull request's head is ${head.slice(0, 7)}, not ${options.expectHeadSha.slice(0, 7)} which the summary was computed for; not commenting.`,
          };
        }
      }
      // Listing again on each attempt makes a retried create safe: a comment whose response was
      // lost is found by its marker and updated instead of duplicated.
      const existing = findSticky(await port.list());
      if (existing) {
        if (existing.body === body) return { action: 'unchanged', commentId: existing.id };
        const updated = await port.update(existing.id, body);
        return { action: 'updated', commentId: updated.id };
      }
      const created = await port.create(body);
      return { action: 'created', commentId: created.id };
    } catch (error) {
      const status = error instanceof GitHubApiError ? error.status : undefined;
      const message = error instanceof Error ? error.message : String(error);
      if (status === 403) {
        return {
          action: 'skipped',
          warning: `GitHub refused the comment (403: ${message}). Pull requests from forks get a read-only token; the pr-comment workflow posts it instead.`,
        };
      }
      const transient = error instanceof GitHubApiError ? error.transient : false;
      if (!transient || attempt >= attempts) {
        return { action: 'skipped', warning: `could not post the pull-request comment${status ? ` (${status})` : ''}: ${message}` };
      }
      await new Promise((resolve) => setTimeout(resolve, (options.backoffMs ?? 1000) * attempt));
    }
  }
}
