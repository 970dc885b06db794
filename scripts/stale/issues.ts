/**
 * One GitHub issue per stale finding, found again by a hidden marker at the very start of its
 * body: `<!-- tidemark:stale:<kind>:<id> -->`. A finding with an open issue is not filed again;
 * an open issue whose finding is gone is closed with a comment, but only for the kinds that were
 * checked this run. A marker anywhere but the start of the body (someone quoting it) is ignored.
 */
import type { LabeledIssues, TrackedIssue } from '../github/octokit-issues.js';
import { GitHubApiError } from '../github/comments.js';
import { closingComment, issueBody, issueTitle } from './render.js';
import { STALE_KINDS, type StaleFinding, type StaleKind, type StaleResult } from './types.js';

export const STALE_LABEL = 'tidemark-stale';

const MARKER = new RegExp(`^<!-- tidemark:stale:(${STALE_KINDS.join('|')}):([A-Za-z0-9._-]{1,128}) -->`);

/** Ids go into an HTML comment: keep to characters that cannot end it. */
const safeId = (id: string) => id.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 128);

export const fingerprint = (f: StaleFinding) => `${f.kind}:${safeId(f.id)}`;
export const markerOf = (f: StaleFinding) => `<!-- tidemark:stale:${fingerprint(f)} -->`;

export function fingerprintOf(body: string): { kind: StaleKind; fingerprint: string } | undefined {
  const m = MARKER.exec(body);
  return m ? { kind: m[1] as StaleKind, fingerprint: `${m[1]}:${m[2]}` } : undefined;
}

export interface SyncResult {
  created: { fingerprint: string; number: number; title: string }[];
  /** Findings whose issue was already open. */
  open: { fingerprint: string; number: number }[];
  closed: { fingerprint: string; number: number }[];
  /** Operations that failed (the others went ahead). */
  failures: string[];
}

export async function syncIssues(port: LabeledIssues, result: StaleResult): Promise<SyncResult> {
  const issues = [...(await port.listOpen(STALE_LABEL))].sort((a, b) => a.number - b.number);
  const existing = new Map<string, TrackedIssue & { kind: StaleKind }>();
  for (const issue of issues) {
    const found = fingerprintOf(issue.body);
    if (found && !existing.has(found.fingerprint)) existing.set(found.fingerprint, { ...issue, kind: found.kind });
  }
  const out: SyncResult = { created: [], open: [], closed: [], failures: [] };
  const attempt = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (error) {
      const status = error instanceof GitHubApiError && error.status ? ` (${error.status})` : '';
      out.failures.push(`${what}${status}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const wanted = new Set<string>();
  for (const f of result.findings) {
    const fp = fingerprint(f);
    if (wanted.has(fp)) continue;
    wanted.add(fp);
    const issue = existing.get(fp);
    if (issue) {
      out.open.push({ fingerprint: fp, number: issue.number });
      continue;
    }
    const title = issueTitle(f);
    await attempt(`could not open the issue "${title}"`, async () => {
      const created = await port.create({ title, body: issueBody(markerOf(f), f), labels: [STALE_LABEL] });
      out.created.push({ fingerprint: fp, number: created.number, title });
    });
  }

  const day = result.now.slice(0, 10);
  for (const [fp, issue] of existing) {
    if (wanted.has(fp) || !result.checked.includes(issue.kind)) continue;
    await attempt(`could not close issue #${issue.number}`, async () => {
      await port.comment(issue.number, closingComment(issue.kind, day));
      await port.close(issue.number);
      out.closed.push({ fingerprint: fp, number: issue.number });
    });
  }
  return out;
}
