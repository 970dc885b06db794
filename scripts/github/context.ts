/**
 * Where a comment goes, from the Actions environment: `GITHUB_TOKEN`, `GITHUB_REPOSITORY`
 * (owner/name), `GITHUB_API_URL`, and the pull-request number from `--pr N` or the event payload
 * at `GITHUB_EVENT_PATH`.
 */
import { readFile } from 'node:fs/promises';
import { repoTarget, type RepoTarget } from './octokit-client.js';

export interface CommentTarget extends RepoTarget {
  pr: number;
  /** For `workflow_run` events: the commit the triggering run was for. */
  runHeadSha?: string;
}

export type TargetResult = { target: CommentTarget } | { problem: string };

const PR_NUMBER = /^[1-9][0-9]{0,9}$/;

export async function commentTarget(env: NodeJS.ProcessEnv, prFlag?: string): Promise<TargetResult> {
  const event = await readEvent(env.GITHUB_EVENT_PATH);
  const repository = repoTarget(env);
  if ('problem' in repository) return repository;

  let pr: number | undefined;
  if (prFlag !== undefined) {
    const text = prFlag.trim();
    if (!PR_NUMBER.test(text)) return { problem: `--pr ${JSON.stringify(prFlag)} is not a pull-request number.` };
    pr = Number(text);
  } else {
    pr = prFromEvent(event);
  }
  if (pr === undefined) return { problem: 'no pull-request number: pass --pr N, or run on a pull_request event.' };

  const runHeadSha = typeof event?.workflow_run?.head_sha === 'string' ? event.workflow_run.head_sha : undefined;
  return { target: { ...repository.target, pr, runHeadSha } };
}

interface EventPayload {
  number?: unknown;
  pull_request?: { number?: unknown };
  issue?: { number?: unknown; pull_request?: unknown };
  workflow_run?: { head_sha?: unknown; pull_requests?: { number?: unknown }[] };
}

function prFromEvent(event: EventPayload | undefined): number | undefined {
  const candidates = [
    event?.pull_request?.number,
    event?.issue?.pull_request ? event.issue.number : undefined,
    event?.number,
    event?.workflow_run?.pull_requests?.[0]?.number,
  ];
  const n = candidates.find((c) => typeof c === 'number' && Number.isInteger(c) && c > 0);
  return n as number | undefined;
}

async function readEvent(path: string | undefined): Promise<EventPayload | undefined> {
  if (!path) return undefined;
  try {
    return JSON.parse(await readFile(path, 'utf8')) as EventPayload;
  } catch {
    return undefined;
  }
}
