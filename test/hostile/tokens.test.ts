/**
 * The GitHub token never leaves the request that needs it: whatever the API answers (403 for a
 * fork, 401, 404, 422), the token appears in no
 * printed line, no summary file and no annotation; and it is sent only to GITHUB_API_URL.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../github/server.js';
import { cleanRepo, cli, listFiles, NOW, removeTemplate, STACK_TRACE, writeFiles } from './harness.js';

const TOKEN = 'ghs_SECRETtokenVALUE0123456789abcdef';
const made: string[] = [];
const servers: FakeGitHub[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
  for (const d of made) rmSync(d, { recursive: true, force: true });
  await removeTemplate();
});

async function gateWithComment(configure: (github: FakeGitHub) => void, apiUrl?: string) {
  const github = await startFakeGitHub();
  servers.push(github);
  configure(github);
  const repo = await cleanRepo();
  made.push(repo);
  // A change that fails the gate: invalid content.
  writeFiles(repo, { 'detections/broken.yaml': 'id: det-broken\ntitle: [unclosed\n' });
  const summary = join(repo, 'step-summary.md');
  writeFileSync(summary, '');
  const event = join(repo, 'event.json');
  writeFileSync(event, JSON.stringify({ pull_request: { number: 7 } }));
  const env = { ...process.env, GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: 'acme/defence', GITHUB_API_URL: apiUrl ?? github.url, GITHUB_EVENT_PATH: event, GITHUB_STEP_SUMMARY: summary };
  const run = await cli(['gate', '--base', 'main', '--repo', repo, '--now', NOW, '--comment', '--annotations'], env);
  const written = [summary, ...listFiles(join(repo, 'build')).map((f) => join(repo, 'build', f))].map((f) => readFileSync(f, 'utf8')).join('\n');
  return { run, written, github };
}

function expectNoToken(printed: string, written: string): void {
  expect(printed.includes(TOKEN), 'token printed').toBe(false);
  expect(printed.includes(TOKEN.slice(4, 20)), 'part of the token printed').toBe(false);
  expect(written.includes(TOKEN), 'token written to a file').toBe(false);
  expect(printed).not.toMatch(STACK_TRACE);
}

describe('the GitHub token under every API answer', () => {
  const answers: [string, (g: FakeGitHub) => void][] = [
    ['403 from a fork token', (g) => g.fail({ method: 'POST', path: /\/comments$/, status: 403, message: 'Resource not accessible by integration', times: 10 })],
    ['401 bad credentials', (g) => g.fail({ method: 'GET', path: /\/comments$/, status: 401, message: 'Bad credentials', times: 10 })],
    ['422 whose message quotes what was sent', (g) => g.fail({ method: 'POST', path: /\/comments$/, status: 422, message: 'Validation Failed: body is too long (maximum is 65536 characters)', times: 10 })],
    ['404 for a repository the token cannot see', (g) => g.fail({ method: 'GET', path: /\/comments$/, status: 404, message: 'Not Found', times: 10 })],
  ];
  for (const [name, configure] of answers) {
    it(`${name}: a warning, the verdict unchanged, the token nowhere`, async () => {
      const { run, written, github } = await gateWithComment(configure);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/warning/);
      expectNoToken(run.stdout + run.stderr, written);
      // Sent, and only as the Authorization header of requests to GITHUB_API_URL.
      expect(github.requests.length).toBeGreaterThan(0);
      for (const r of github.requests) expect(r.authorization).toMatch(new RegExp(`^(token|bearer) ${TOKEN}$`, 'i'));
    }, 60_000);
  }

  it('a pull-request number that is not a number (from a hostile artifact) is refused before any request', async () => {
    const github = await startFakeGitHub();
    servers.push(github);
    const repo = await cleanRepo();
    made.push(repo);
    const body = join(repo, 'gate.md');
    writeFileSync(body, 'summary');
    const env = { ...process.env, GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: 'acme/defence', GITHUB_API_URL: github.url };
    for (const pr of ['7; curl evil', '../../orgs/acme', '0x10', '-1', '99999999999']) {
      const run = await cli(['gate', '--comment-only', body, `--pr=${pr}`, '--repo', repo], env);
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/not a pull-request number/);
      expectNoToken(run.stdout + run.stderr, '');
    }
    expect(github.requests).toEqual([]);
  }, 60_000);
});
