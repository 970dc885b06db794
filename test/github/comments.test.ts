import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MARKER } from '../../scripts/gate/markdown.js';
import { octokitComments } from '../../scripts/github/octokit-comments.js';
import { findSticky, upsertSticky } from '../../scripts/github/sticky.js';
import { startFakeGitHub, type FakeGitHub } from './server.js';

let github: FakeGitHub;
beforeEach(async () => {
  github = await startFakeGitHub();
});
afterEach(async () => {
  await github.close();
});

const port = (issue = 7) =>
  octokitComments({ token: 'test-token', owner: 'acme', repo: 'defence', issue, apiUrl: github.url, retryAfterBaseValue: 1 });
const body = (text: string) => `${MARKER}\n${text}\n`;
const writes = () => github.requests.filter((r) => r.method !== 'GET');

describe('sticky pull-request comment over the REST API', () => {
  it('creates the comment when none carries the marker, authenticated with the token', async () => {
    github.seed(7, [{ body: 'LGTM', user: { login: 'alice', type: 'User' } }]);
    const result = await upsertSticky(port(), body('first'));
    expect(result.action).toBe('created');
    expect(github.comments.get(7)!.map((c) => c.body)).toEqual(['LGTM', body('first')]);
    expect(github.requests.every((r) => r.authorization === 'token test-token')).toBe(true);
  });

  it('updates the existing comment among 150, following the pagination, and creates none', async () => {
    const filler = (n: number) => Array.from({ length: n }, (_, i) => ({ body: `comment ${i}`, user: { login: 'bob', type: 'User' as const } }));
    github.seed(7, filler(120));
    const [ours] = github.seed(7, [{ body: body('old summary'), user: { login: 'github-actions[bot]', type: 'Bot' } }]);
    github.seed(7, filler(29));
    expect(github.comments.get(7)).toHaveLength(150);

    const result = await upsertSticky(port(), body('new summary'));
    expect(result).toEqual({ action: 'updated', commentId: ours.id });
    const pages = github.requests.filter((r) => r.method === 'GET').map((r) => r.query.get('page') ?? '1');
    expect(pages).toEqual(['1', '2']);
    expect(github.requests.find((r) => r.method === 'GET')!.query.get('per_page')).toBe('100');
    expect(writes()).toEqual([expect.objectContaining({ method: 'PATCH', path: `/repos/acme/defence/issues/comments/${ours.id}` })]);
    expect(github.comments.get(7)).toHaveLength(150);
    expect(github.comments.get(7)!.find((c) => c.id === ours.id)!.body).toBe(body('new summary'));
  });

  it('leaves an identical comment alone', async () => {
    github.seed(7, [{ body: body('same'), user: { login: 'github-actions[bot]', type: 'Bot' } }]);
    expect((await upsertSticky(port(), body('same'))).action).toBe('unchanged');
    expect(writes()).toEqual([]);
  });

  it("prefers the bot's comment over a person quoting the marker", async () => {
    const [quote, ours] = github.seed(7, [
      { body: `${MARKER} copied by hand`, user: { login: 'mallory', type: 'User' } },
      { body: body('ours'), user: { login: 'github-actions[bot]', type: 'Bot' } },
    ]);
    expect(findSticky([quote, ours].map((c) => ({ id: c.id, body: c.body, authorType: c.user.type })))!.id).toBe(ours.id);
    const mention = { id: 1, body: `see ${MARKER}`, authorType: 'User' };
    expect(findSticky([mention])).toBeUndefined();
  });

  it('turns a 403 (fork token) into a warning without retrying', async () => {
    github.fail({ method: 'POST', path: /\/issues\/7\/comments$/, status: 403, message: 'Resource not accessible by integration', times: 5 });
    const result = await upsertSticky(port(), body('x'), { backoffMs: 1 });
    expect(result.action).toBe('skipped');
    expect(result.warning).toMatch(/403/);
    expect(result.warning).toMatch(/fork/);
    expect(writes()).toHaveLength(1);
  });

  it('retries a 502 on reading, then succeeds', async () => {
    github.fail({ method: 'GET', path: /\/issues\/7\/comments$/, status: 502, message: 'Bad Gateway' });
    const result = await upsertSticky(port(), body('after 502'));
    expect(result.action).toBe('created');
    expect(github.requests.filter((r) => r.method === 'GET')).toHaveLength(2);
    expect(github.comments.get(7)).toHaveLength(1);
  });

  it('retries a 502 on creating by listing again first, so a lost response does not duplicate', async () => {
    github.fail({ method: 'POST', path: /\/issues\/7\/comments$/, status: 502 });
    const result = await upsertSticky(port(), body('after 502'), { backoffMs: 1 });
    expect(result.action).toBe('created');
    expect(github.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'GET', 'POST']);
    expect(github.comments.get(7)).toHaveLength(1);
  });

  it('waits out a secondary rate limit and retries', async () => {
    github.fail({
      method: 'PATCH',
      path: /\/issues\/comments\/\d+$/,
      status: 403,
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      headers: { 'retry-after': '1' },
    });
    const [ours] = github.seed(7, [{ body: body('old'), user: { login: 'github-actions[bot]', type: 'Bot' } }]);
    const result = await upsertSticky(port(), body('new'));
    expect(result).toEqual({ action: 'updated', commentId: ours.id });
    expect(github.requests.filter((r) => r.method === 'PATCH')).toHaveLength(2);
  });

  it('gives up after persistent 5xx with a warning', async () => {
    github.fail({ method: 'GET', path: /\/issues\/7\/comments$/, status: 503, times: 100 });
    const result = await upsertSticky(port(), body('x'), { attempts: 2, backoffMs: 1 });
    expect(result.action).toBe('skipped');
    expect(result.warning).toMatch(/503/);
  });

  it('refuses to comment when the pull request moved on from the summarised commit', async () => {
    github.heads.set(7, 'b'.repeat(40));
    const result = await upsertSticky(port(), body('x'), { expectHeadSha: 'a'.repeat(40) });
    expect(result.action).toBe('skipped');
    expect(writes()).toEqual([]);
    github.heads.set(7, 'a'.repeat(40));
    expect((await upsertSticky(port(), body('x'), { expectHeadSha: 'a'.repeat(40) })).action).toBe('created');
  });
});
