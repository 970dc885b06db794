/**
 * CALDERA 5.x operation reports (`steps: {<paw>: {steps: [...]}}`) and event logs (a list, one
 * entry per link) → runs.
 *
 * Link status: 0 success, 1 error and 124 timeout are runs (the status is kept in notes, it is not
 * an outcome); -1 paused, -2 discarded, -3 queued, -4 untrusted and -5 skipped never ran and are
 * skipped and counted; any other value is a problem (the file is not what we think it is).
 *
 * Cleanup links. CALDERA adds them when the operation closes, as links of the same ability (and so
 * the same technique) on the same agent, running the ability's cleanup command; neither export
 * marks them. The rule: a link is cleanup when it carries a truthy `cleanup` field, or when an
 * earlier link of the same ability on the same agent ran a different command. A later link with
 * the same command as the first is a repeat run and counts. (An ability re-run with different fact
 * values therefore counts once; that loses no evidence, whereas counting a cleanup as a run would
 * record a spurious `not-detected` and mark the technique failed.)
 *
 * Times: `agent_reported_time` (when the agent ran it), else the delegation time, else the finish
 * time; CALDERA writes them in UTC, with or without `T`/`Z`. Host: the agent's host from the
 * report's `host_group` or the event's `agent_metadata`, else the paw.
 */
import { TECHNIQUE_ID } from '../model/schemas.js';
import { decideOutcomes } from './alerts.js';
import { isObject, jsonLocator, parseJson, str, type JsonPath } from './json.js';
import { isoSeconds, parseUtc } from './time.js';
import type { ImportResult, OutcomeSource, Problem, Run, RunsResult, Skip } from './types.js';

const TECHNIQUE = new RegExp(TECHNIQUE_ID);

/** Link statuses: runs carry a note (or none), the others a skip reason. */
export const LINK_STATUSES: Record<number, { run: boolean; label: string }> = {
  0: { run: true, label: 'success' },
  1: { run: true, label: 'error' },
  124: { run: true, label: 'timeout' },
  [-1]: { run: false, label: 'paused' },
  [-2]: { run: false, label: 'discarded' },
  [-3]: { run: false, label: 'queued' },
  [-4]: { run: false, label: 'untrusted' },
  [-5]: { run: false, label: 'skipped (high visibility)' },
};

interface Link {
  path: JsonPath;
  paw: string;
  host?: string;
  abilityId?: string;
  abilityName?: string;
  technique?: string;
  command?: string;
  status: unknown;
  start?: number;
  /** A time field was there but unreadable. */
  badTime?: { path: JsonPath; value: unknown };
  cleanup: boolean;
  operation?: string;
}

const firstTime = (entry: Record<string, unknown>, keys: string[], path: JsonPath): Pick<Link, 'start' | 'badTime'> => {
  for (const key of keys) {
    const value = entry[key];
    if (value === undefined || value === null || value === '') continue;
    const t = parseUtc(value);
    return t === undefined ? { badTime: { path: [...path, key], value } } : { start: t };
  }
  return {};
};

const isCleanupFlag = (v: unknown) => v === true || (typeof v === 'number' && v > 0);

function reportLinks(root: Record<string, unknown>): Link[] {
  const hosts = new Map<string, string>();
  for (const agent of Array.isArray(root.host_group) ? root.host_group : []) {
    if (isObject(agent) && str(agent.paw) && str(agent.host)) hosts.set(str(agent.paw)!, str(agent.host)!);
  }
  const links: Link[] = [];
  for (const [paw, value] of Object.entries(isObject(root.steps) ? root.steps : {})) {
    const steps = isObject(value) && Array.isArray(value.steps) ? value.steps : [];
    steps.forEach((step, i) => {
      const path: JsonPath = ['steps', paw, 'steps', i];
      if (!isObject(step)) return;
      const attack = isObject(step.attack) ? step.attack : {};
      links.push({
        path,
        paw,
        host: hosts.get(paw),
        abilityId: str(step.ability_id),
        abilityName: str(step.name),
        technique: str(attack.technique_id),
        command: str(step.plaintext_command) ?? str(step.command),
        status: step.status,
        ...firstTime(step, ['agent_reported_time', 'delegated', 'run'], path),
        cleanup: isCleanupFlag(step.cleanup),
        operation: str(root.name),
      });
    });
  }
  return links;
}

function eventLinks(root: unknown[]): Link[] {
  return root.flatMap((entry, i): Link[] => {
    if (!isObject(entry)) return [];
    const path: JsonPath = [i];
    const agent = isObject(entry.agent_metadata) ? entry.agent_metadata : {};
    const ability = isObject(entry.ability_metadata) ? entry.ability_metadata : {};
    const attack = isObject(entry.attack_metadata) ? entry.attack_metadata : {};
    const operation = isObject(entry.operation_metadata) ? entry.operation_metadata : {};
    return [
      {
        path,
        paw: str(agent.paw) ?? str(agent.host) ?? '',
        host: str(agent.host),
        abilityId: str(ability.ability_id),
        abilityName: str(ability.ability_name),
        technique: str(attack.technique_id),
        command: str(entry.plaintext_command) ?? str(entry.command),
        status: entry.status,
        ...firstTime(entry, ['agent_reported_time', 'delegated_timestamp', 'collected_timestamp', 'finished_timestamp'], path),
        cleanup: isCleanupFlag(entry.cleanup),
        operation: str(operation.operation_name),
      },
    ];
  });
}

export function readCalderaRuns(text: string): RunsResult & { tally: Record<string, number> } {
  const parsed = parseJson(text, 'CALDERA file');
  const tally: Record<string, number> = {};
  if (parsed.problem) return { runs: [], skipped: [], problems: [parsed.problem], read: 0, tally };
  const lineOf = jsonLocator(text);
  const root = parsed.value;
  const problems: Problem[] = [];
  let links: Link[];
  if (Array.isArray(root)) links = eventLinks(root);
  else if (isObject(root) && isObject(root.steps)) links = reportLinks(root);
  else {
    return {
      runs: [],
      skipped: [],
      problems: [{ line: 1, message: 'not a CALDERA operation report (an object with "steps") nor an event log (a list of links)' }],
      read: 0,
      tally,
    };
  }
  // Cleanup detection needs each (agent, ability) in time order; the file order breaks ties.
  const order = links.map((link, i) => ({ link, i })).sort((a, b) => (a.link.start ?? Infinity) - (b.link.start ?? Infinity) || a.i - b.i);
  const firstCommand = new Map<string, string | undefined>();
  const cleanup = new Set<Link>();
  for (const { link } of order) {
    const key = `${link.paw}\u0000${link.abilityId ?? link.abilityName ?? ''}`;
    if (link.cleanup) cleanup.add(link);
    else if (!firstCommand.has(key)) firstCommand.set(key, link.command);
    else if (firstCommand.get(key) !== link.command) cleanup.add(link);
  }
  const runs: Run[] = [];
  const skipped: Skip[] = [];
  for (const link of links) {
    const line = lineOf(link.path);
    const status = LINK_STATUSES[typeof link.status === 'number' ? link.status : Number.NaN];
    if (!status) {
      problems.push({
        line: lineOf([...link.path, 'status']),
        message: `unknown link status ${JSON.stringify(link.status ?? null)}; CALDERA statuses are ${Object.entries(LINK_STATUSES)
          .map(([code, s]) => `${code} ${s.label}`)
          .join(', ')}`,
      });
      continue;
    }
    const label = `${link.status} ${status.label}`;
    tally[label] = (tally[label] ?? 0) + 1;
    if (cleanup.has(link)) {
      skipped.push({ line, reason: 'cleanup link', detail: link.abilityName ?? link.abilityId });
      continue;
    }
    if (!status.run) {
      skipped.push({ line, reason: `status ${label}: not run` });
      continue;
    }
    const technique = link.technique?.toUpperCase();
    if (!technique || !TECHNIQUE.test(technique)) {
      skipped.push({ line, reason: 'no ATT&CK technique id', detail: link.abilityName ?? link.abilityId });
      continue;
    }
    if (link.badTime) {
      problems.push({ line: lineOf(link.badTime.path), message: `${JSON.stringify(link.badTime.value)} is not a date-time` });
      continue;
    }
    if (link.start === undefined) {
      problems.push({ line, message: 'the link has no time (agent_reported_time, delegated or finish time)' });
      continue;
    }
    const host = link.host ?? (link.paw || undefined);
    const notes = link.status === 1 ? 'status 1 (error)' : link.status === 124 ? 'status 124 (timed out)' : undefined;
    runs.push({
      line,
      technique,
      start: isoSeconds(link.start),
      ...(host ? { host } : {}),
      test: { type: 'caldera', ...(link.abilityId ? { id: link.abilityId } : {}), ...(link.abilityName ? { name: link.abilityName } : {}) },
      ...(notes ? { notes } : {}),
    });
  }
  return { runs, skipped, problems, read: links.length, tally };
}

export function parseCaldera(text: string, outcomes: OutcomeSource): ImportResult {
  const { runs, skipped, problems, read, tally } = readCalderaRuns(text);
  return { records: decideOutcomes(runs, outcomes).records, lines: runs.map((r) => r.line), skipped, problems, read, tally };
}
