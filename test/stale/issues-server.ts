/**
 * A small GitHub REST API on 127.0.0.1 for issues: list with `state`, `labels`, `per_page`, `page`
 * and `Link` headers (pull requests mixed in, as the real endpoint does), create, update (close),
 * comment. The octokit adapter talks to it over HTTP; nothing is stubbed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  body?: Record<string, unknown>;
  authorization?: string;
}

export interface FakeIssues {
  url: string;
  issues: StoredIssue[];
  requests: Recorded[];
  seed(issue: Partial<StoredIssue> & { title: string }): StoredIssue;
  close(): Promise<void>;
}

export async function startFakeIssues(owner = 'acme', repo = 'defence'): Promise<FakeIssues> {
  const issues: StoredIssue[] = [];
  const requests: Recorded[] = [];
  let next = 1;
  let url = '';
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
  const json = (res: ServerResponse, status: number, data: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(data));
  };
  const seed = (partial: Partial<StoredIssue> & { title: string }) => {
    const issue: StoredIssue = { number: next++, body: '', state: 'open', labels: [], comments: [], ...partial };
    issues.push(issue);
    return issue;
  };

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const parsed = new URL(req.url ?? '/', url);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
    const method = req.method ?? 'GET';
    requests.push({ method, path: parsed.pathname, query: parsed.searchParams, body, authorization: req.headers.authorization });
    const prefix = `/repos/${owner}/${repo}/issues`;
    const path = parsed.pathname;
    let m: RegExpMatchArray | null;

    if (path === prefix && method === 'GET') {
      const state = parsed.searchParams.get('state') ?? 'open';
      const labels = (parsed.searchParams.get('labels') ?? '').split(',').filter(Boolean);
      const perPage = Math.min(Number(parsed.searchParams.get('per_page') ?? 30), 100);
      const page = Number(parsed.searchParams.get('page') ?? 1);
      const matching = issues
        .filter((i) => state === 'all' || i.state === state)
        .filter((i) => labels.every((l) => i.labels.some((x) => x.name === l)))
        .sort((a, b) => b.number - a.number);
      const pages = Math.max(1, Math.ceil(matching.length / perPage));
      const link = (p: number, rel: string) => {
        const u = new URL(parsed.toString());
        u.searchParams.set('page', String(p));
        return `<${u.toString()}>; rel="${rel}"`;
      };
      const links = [...(page < pages ? [link(page + 1, 'next'), link(pages, 'last')] : []), ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : [])];
      return json(res, 200, matching.slice((page - 1) * perPage, page * perPage).map(view), links.length ? { link: links.join(', ') } : {});
    }
    if (path === prefix && method === 'POST') {
      const labels = ((body?.labels as string[] | undefined) ?? []).map((name) => ({ name }));
      return json(res, 201, view(seed({ title: String(body?.title), body: String(body?.body ?? ''), labels })));
    }
    if ((m = path.match(new RegExp(`^${prefix}/(\\d+)$`))) && method === 'PATCH') {
      const issue = issues.find((i) => i.number === Number(m![1]));
      if (!issue) return json(res, 404, { message: 'Not Found' });
      if (body?.state === 'closed' || body?.state === 'open') issue.state = body.state;
      if (body?.state_reason !== undefined) issue.state_reason = body.state_reason as string;
      return json(res, 200, view(issue));
    }
    if ((m = path.match(new RegExp(`^${prefix}/(\\d+)/comments$`))) && method === 'POST') {
      const issue = issues.find((i) => i.number === Number(m![1]));
      if (!issue) return json(res, 404, { message: 'Not Found' });
      issue.comments.push(String(body?.body ?? ''));
      return json(res, 201, { id: 9000 + issue.comments.length, body: body?.body });
    }
    return json(res, 404, { message: `no route for ${method} ${path}` });
  };

  const server = createServer((req, res) => {
    handler(req, res).catch((error) => json(res, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    issues,
    requests,
    seed,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
