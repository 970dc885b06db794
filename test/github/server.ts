/**
 * A small GitHub REST API on 127.0.0.1 speaking the endpoints the gate uses, with real pagination
 * (`per_page`, `page`, `Link` headers) and scriptable failures. The octokit adapter talks to it
 * over HTTP; nothing is stubbed. The plumbing is `test/helpers/github-api.ts`.
 */
import { json, notFound, paginate, startApi, type RecordedRequest } from '../helpers/github-api.js';

export type { RecordedRequest } from '../helpers/github-api.js';

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
  const prefix = `/repos/${options.owner ?? 'acme'}/${options.repo ?? 'defence'}`;
  const comments = new Map<number, StoredComment[]>();
  const heads = new Map<number, string>();
  const failures: (Failure & { left: number })[] = [];
  let nextId = 1000;

  const api = await startApi(({ method, path, query, body, url }) => {
    const failure = failures.find((f) => f.left > 0 && f.method === method && f.path.test(path));
    if (failure) {
      failure.left--;
      return json(failure.status, { message: failure.message ?? `status ${failure.status}`, documentation_url: 'https://docs.github.com/rest' }, failure.headers);
    }

    let m: RegExpMatchArray | null;
    if ((m = path.match(new RegExp(`^${prefix}/issues/(\\d+)/comments$`)))) {
      const issue = Number(m[1]);
      const list = comments.get(issue) ?? [];
      if (method === 'GET') {
        const { page, headers } = paginate(list, query, url);
        return json(200, page, headers);
      }
      if (method === 'POST') {
        const comment: StoredComment = { id: nextId++, body: String(body?.body ?? ''), user: { login: 'github-actions[bot]', type: 'Bot' } };
        comments.set(issue, [...list, comment]);
        return json(201, comment);
      }
    }
    if ((m = path.match(new RegExp(`^${prefix}/issues/comments/(\\d+)$`))) && method === 'PATCH') {
      const id = Number(m[1]);
      const comment = [...comments.values()].flat().find((c) => c.id === id);
      if (!comment) return notFound();
      comment.body = String(body?.body ?? '');
      return json(200, comment);
    }
    if ((m = path.match(new RegExp(`^${prefix}/pulls/(\\d+)$`))) && method === 'GET') {
      const sha = heads.get(Number(m[1]));
      return sha ? json(200, { number: Number(m[1]), head: { sha } }) : notFound();
    }
    return undefined;
  });

  return {
    ...api,
    comments,
    heads,
    fail: (failure) => failures.push({ ...failure, left: failure.times ?? 1 }),
    seed(issue, seeded) {
      const stored = seeded.map((c) => ({ ...c, id: nextId++ }));
      comments.set(issue, [...(comments.get(issue) ?? []), ...stored]);
      return stored;
    },
  };
}
