/**
 * A small GitHub REST API on 127.0.0.1 speaking the endpoints the gate uses, with real pagination
 * (`per_page`, `page`, `Link` headers) and scriptable failures. The octokit adapter talks to it
 * over HTTP; nothing is stubbed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredComment {
  id: number;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
}

export interface Failure {
  method: string;
  /** Matched against the path without the query string. */
  path: RegExp;
  status: number;
  message?: string;
  headers?: Record<string, string>;
  /** How many matching requests fail before the route behaves (default 1). */
  times?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body?: unknown;
  authorization?: string;
}

export interface FakeGitHub {
  url: string;
  comments: Map<number, StoredComment[]>;
  requests: RecordedRequest[];
  /** Head commit of each pull request (GET /repos/o/r/pulls/n). */
  heads: Map<number, string>;
  fail(failure: Failure): void;
  seed(issue: number, comments: Omit<StoredComment, 'id'>[]): StoredComment[];
  close(): Promise<void>;
}

export async function startFakeGitHub(options: { owner?: string; repo?: string } = {}): Promise<FakeGitHub> {
  const owner = options.owner ?? 'acme';
  const repo = options.repo ?? 'defence';
  const comments = new Map<number, StoredComment[]>();
  const heads = new Map<number, string>();
  const requests: RecordedRequest[] = [];
  const failures: (Failure & { left: number })[] = [];
  let nextId = 1000;
  let url = '';

  const json = (res: ServerResponse, status: number, data: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(data));
  };

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const parsed = new URL(req.url ?? '/', url);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
    const method = req.method ?? 'GET';
    requests.push({ method, path: parsed.pathname, query: parsed.searchParams, body, authorization: req.headers.authorization });

    const failure = failures.find((f) => f.left > 0 && f.method === method && f.path.test(parsed.pathname));
    if (failure) {
      failure.left--;
      return json(res, failure.status, { message: failure.message ?? `status ${failure.status}`, documentation_url: 'https://docs.github.com/rest' }, failure.headers);
    }

    const prefix = `/repos/${owner}/${repo}`;
    let m: RegExpMatchArray | null;
    if ((m = parsed.pathname.match(new RegExp(`^${prefix}/issues/(\\d+)/comments$`)))) {
      const issue = Number(m[1]);
      const list = comments.get(issue) ?? [];
      if (method === 'GET') {
        const perPage = Math.min(Number(parsed.searchParams.get('per_page') ?? 30), 100);
        const page = Number(parsed.searchParams.get('page') ?? 1);
        const last = Math.max(1, Math.ceil(list.length / perPage));
        const links: string[] = [];
        const link = (p: number, rel: string) => `<${url}${prefix}/issues/${issue}/comments?per_page=${perPage}&page=${p}>; rel="${rel}"`;
        if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
        if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
        return json(res, 200, list.slice((page - 1) * perPage, page * perPage), links.length ? { link: links.join(', ') } : {});
      }
      if (method === 'POST') {
        const comment: StoredComment = { id: nextId++, body: String(body?.body ?? ''), user: { login: 'github-actions[bot]', type: 'Bot' } };
        comments.set(issue, [...list, comment]);
        return json(res, 201, comment);
      }
    }
    if ((m = parsed.pathname.match(new RegExp(`^${prefix}/issues/comments/(\\d+)$`))) && method === 'PATCH') {
      const id = Number(m[1]);
      for (const list of comments.values()) {
        const comment = list.find((c) => c.id === id);
        if (comment) {
          comment.body = String(body?.body ?? '');
          return json(res, 200, comment);
        }
      }
      return json(res, 404, { message: 'Not Found' });
    }
    if ((m = parsed.pathname.match(new RegExp(`^${prefix}/pulls/(\\d+)$`))) && method === 'GET') {
      const sha = heads.get(Number(m[1]));
      return sha ? json(res, 200, { number: Number(m[1]), head: { sha } }) : json(res, 404, { message: 'Not Found' });
    }
    return json(res, 404, { message: 'Not Found' });
  };

  const server = createServer((req, res) => {
    handler(req, res).catch((error: unknown) => json(res, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    comments,
    requests,
    heads,
    fail: (failure) => failures.push({ ...failure, left: failure.times ?? 1 }),
    seed(issue, seeded) {
      const stored = seeded.map((c) => ({ ...c, id: nextId++ }));
      comments.set(issue, [...(comments.get(issue) ?? []), ...stored]);
      return stored;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
