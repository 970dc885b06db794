/**
 * The plumbing of a fake GitHub REST API on 127.0.0.1 (port 0): each request's JSON body is read
 * and recorded, handed to a route table, and its reply written as JSON; a route that does not
 * answer gets a 404, a route that throws a 500. Real HTTP, so the octokit adapters are exercised
 * as they are; only the routes differ per fake (`test/github/server.ts`, `test/stale/issues-server.ts`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  body?: Record<string, unknown>;
  authorization?: string;
}

/** What a route sees: the recorded request and the full request URL (for Link headers). */
export interface ApiRequest extends RecordedRequest {
  url: URL;
}

export interface Reply {
  status: number;
  data: unknown;
  headers?: Record<string, string>;
}

/** A route table: the reply, or undefined for 404 Not Found. */
export type Routes = (req: ApiRequest) => Reply | undefined | Promise<Reply | undefined>;

export interface Api {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export const json = (status: number, data: unknown, headers: Record<string, string> = {}): Reply => ({ status, data, headers });

export const notFound = (message = 'Not Found'): Reply => json(404, { message });

const write = (res: ServerResponse, { status, data, headers }: Reply) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(data));
};

/**
 * One page of `list` as GitHub serves it: `per_page` (default 30, at most 100) and `page`
 * (default 1) from `query`, and the `Link` header (next/last, first/prev) pointing at
 * `requestUrl` with its `per_page` and `page` replaced. `headers` is empty when there is no link.
 */
export function paginate<T>(list: readonly T[], query: URLSearchParams, requestUrl: URL): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Number(query.get('per_page') ?? 30), 100);
  const page = Number(query.get('page') ?? 1);
  const last = Math.max(1, Math.ceil(list.length / perPage));
  const link = (p: number, rel: string) => {
    const u = new URL(requestUrl.toString());
    u.searchParams.set('per_page', String(perPage));
    u.searchParams.set('page', String(p));
    return `<${u.toString()}>; rel="${rel}"`;
  };
  const links = [...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []), ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : [])];
  return { page: list.slice((page - 1) * perPage, page * perPage), headers: links.length ? { link: links.join(', ') } : {} };
}

export async function startApi(routes: Routes): Promise<Api> {
  const requests: RecordedRequest[] = [];
  let url = '';

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const parsed = new URL(req.url ?? '/', url);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: parsed.pathname, query: parsed.searchParams, body, authorization: req.headers.authorization };
    requests.push(recorded);
    write(res, (await routes({ ...recorded, url: parsed })) ?? notFound());
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => write(res, json(500, { message: String(error) })));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
