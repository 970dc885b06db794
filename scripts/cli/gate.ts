/**
 * `tidemark gate --base REF`: the pull-request check. Also `--comment-only FILE`, which posts a
 * summary computed elsewhere (the fork-safe `pr-comment.yml` flow) without evaluating anything.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatAnnotation } from '../gate/annotations.js';
import { MARKER, sanitizeBody } from '../gate/markdown.js';
import { runGate } from '../gate/run.js';
import { writeSummary } from '../gate/write.js';
import { commentTarget } from '../github/context.js';
import { octokitComments } from '../github/octokit-comments.js';
import { upsertSticky, type StickyResult } from '../github/sticky.js';
import { EXIT, UsageError, type Command, type CommandContext } from './command.js';

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

export const gateCommand: Command = {
  name: 'gate',
  summary: 'Compare coverage with a base revision and fail on regressions, new gaps or invalid content',
  usage: 'gate --base REF [--annotations] [--comment] [--pr N] [--out DIR] [--now DATE] [--attack-file PATH] [--repo DIR]\n       tidemark gate --comment-only FILE [--pr N] [--head-sha SHA]',
  help: [
    'Evaluates the base revision REF (read from git objects, nothing is checked out) and the working',
    'tree at the same --now, then applies gate.fail_on from tidemark.yaml: a regression is a technique',
    'in both overlays with less credit; a new gap is a technique that became failed, visible or blind',
    '(a warning when only a newly profiled group brings it, while gate.new_groups_may_add_gaps holds);',
    'invalid is any error in the working tree; gate.min_score fails a score below it.',
    '',
    'The Markdown summary goes to DIR/gate.md (default build/) and is appended to $GITHUB_STEP_SUMMARY.',
    '  --annotations      print workflow annotations on the lines responsible',
    '  --comment          post or update one pull-request comment (GITHUB_TOKEN, GITHUB_REPOSITORY,',
    '                     GITHUB_API_URL; the number from --pr or GITHUB_EVENT_PATH). Failing to',
    '                     comment (a fork\'s read-only token) is a warning and never changes the exit code.',
    '  --comment-only F   post the summary in file F as the comment and exit; no evaluation. With',
    '                     --head-sha (or a workflow_run event) the pull request must still be at that commit.',
    '',
    'In CI, check out with `fetch-depth: 0` so REF (e.g. origin/main) exists.',
    '',
    'Exit codes: 0 pass, 1 fail, 2 usage, REF missing, not a git repository, ATT&CK data unavailable.',
  ].join('\n'),
  options: {
    base: { type: 'string' },
    annotations: { type: 'boolean' },
    comment: { type: 'boolean' },
    'comment-only': { type: 'string' },
    pr: { type: 'string' },
    'head-sha': { type: 'string' },
    out: { type: 'string' },
    'attack-file': { type: 'string' },
  },
  async run(ctx) {
    const { values, repoDir, now, io, env } = ctx;
    if (typeof values['comment-only'] === 'string') return commentOnly(ctx, values['comment-only']);
    const baseRef = values.base;
    if (typeof baseRef !== 'string' || baseRef === '') throw new UsageError('--base REF is required, e.g. --base origin/main.');

    const { result, markdown, annotations } = await runGate({ repoDir, baseRef, now, env, attackFile: values['attack-file'] as string | undefined });
    const file = resolve(repoDir, typeof values.out === 'string' ? values.out : 'build', 'gate.md');
    try {
      await writeSummary(markdown, { file, stepSummary: env.GITHUB_STEP_SUMMARY || undefined });
    } catch (error) {
      throw new UsageError(`cannot write the summary: ${(error as Error).message}`);
    }
    io.out(markdown.replace(`${MARKER}\n`, ''));
    if (values.annotations) for (const a of annotations) io.out(formatAnnotation(a));

    if (values.comment) {
      const outcome = await postComment(ctx, markdown);
      report(ctx, outcome);
    }
    return result.verdict === 'pass' ? EXIT.ok : EXIT.failed;
  },
};

async function commentOnly(ctx: CommandContext, path: string): Promise<number> {
  let body: string;
  try {
    body = await readFile(resolve(path), 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the summary ${path}: ${(error as Error).message}`);
  }
  const headSha = ctx.values['head-sha'];
  if (headSha !== undefined && (typeof headSha !== 'string' || !SHA.test(headSha))) throw new UsageError('--head-sha must be a full commit id.');
  report(ctx, await postComment(ctx, sanitizeBody(body), headSha as string | undefined));
  return EXIT.ok;
}

async function postComment(ctx: CommandContext, body: string, expectHeadSha?: string): Promise<StickyResult> {
  const found = await commentTarget(ctx.env, typeof ctx.values.pr === 'string' ? ctx.values.pr : undefined);
  if ('problem' in found) return { action: 'skipped', warning: `not commenting: ${found.problem}` };
  const { target } = found;
  const port = octokitComments({ token: target.token, owner: target.owner, repo: target.repo, issue: target.pr, apiUrl: target.apiUrl });
  return upsertSticky(port, body, { expectHeadSha: expectHeadSha ?? target.runHeadSha });
}

function report({ io, values }: CommandContext, outcome: StickyResult): void {
  if (outcome.warning) {
    io.err(`tidemark gate: warning: ${outcome.warning}`);
    if (values.annotations) io.out(formatAnnotation({ level: 'warning', title: 'tidemark comment', message: outcome.warning }));
  } else {
    io.err(`tidemark gate: pull-request comment ${outcome.action}${outcome.commentId ? ` (${outcome.commentId})` : ''}.`);
  }
}
