/**
 * A small GitHub REST API on 127.0.0.1 for issues: list with `state`, `labels`, `per_page`, `page`
 * and `Link` headers (pull requests mixed in, as the real endpoint does), create, update (close),
 * comment. The octokit adapter talks to it over HTTP; nothing is stubbed. The plumbing is
 * `test/helpers/github-api.ts`.
 */
import { json, notFound, paginate, startApi, type RecordedRequest } from '../helpers/github-api.js';

export interface StoredIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason?: string | null;
  labels: { name: string }[];
  pull_request?: { url: string };
  comments: string[];
}

export type Recorded = RecordedRequest;

export interface FakeIssues {
  url: string;
  issues: StoredIssue[];
  requests: Recorded[];
  seed(issue: Partial<StoredIssue> & { title: string }): StoredIssue;
  close(): Promise<void>;
}

export async function startFakeIssues(owner = 'acme', repo = 'defence'): Promise<FakeIssues> {
  const prefix = `/repos/${owner}/${repo}/issues`;
  const issues: StoredIssue[] = [];
  let next = 1;
  const view = (i: StoredIssue) => ({
    number: i.number,
    title: i.title,
    body: i.body,
    state: i.state,
    state_reason: i.state_reason ?? null,
    labels: i.labels,
    html_url: `https://github.example/${owner}/${repo}/issues/${i.number}`,
    ...(i.pull_request ? { pull_request: i.pull_request } : {}),
  });
  const seed = (partial: Partial<StoredIssue> & { title: string }) => {
    const issue: StoredIssue = { number: next++, body: '', state: 'open', labels: [], comments: [], ...partial };
    issues.push(issue);
    return issue;
  };
  const byNumber = (n: string | undefined) => issues.find((i) => i.number === Number(n));

  const api = await startApi(({ method, path, query, body, url }) => {
    if (path === prefix && method === 'GET') {
      const state = query.get('state') ?? 'open';
      const labels = (query.get('labels') ?? '').split(',').filter(Boolean);
      const matching = issues
        .filter((i) => state === 'all' || i.state === state)
        .filter((i) => labels.every((l) => i.labels.some((x) => x.name === l)))
        .sort((a, b) => b.number - a.number);
      const { page, headers } = paginate(matching, query, url);
      return json(200, page.map(view), headers);
    }
    if (path === prefix && method === 'POST') {
      const labels = ((body?.labels as string[] | undefined) ?? []).map((name) => ({ name }));
      return json(201, view(seed({ title: String(body?.title), body: String(body?.body ?? ''), labels })));
    }
    let m: RegExpMatchArray | null;
    if ((m = path.match(new RegExp(`^${prefix}/(\\d+)$`))) && method === 'PATCH') {
      const issue = byNumber(m[1]);
      if (!issue) return notFound();
      if (body?.state === 'closed' || body?.state === 'open') issue.state = body.state;
      if (body?.state_reason !== undefined) issue.state_reason = body.state_reason as string;
      return json(200, view(issue));
    }
    if ((m = path.match(new RegExp(`^${prefix}/(\\d+)/comments$`))) && method === 'POST') {
      const issue = byNumber(m[1]);
      if (!issue) return notFound();
      issue.comments.push(String(body?.body ?? ''));
      return json(201, { id: 9000 + issue.comments.length, body: body?.body });
    }
    return notFound(`no route for ${method} ${path}`);
  });

  return { ...api, issues, seed };
}
