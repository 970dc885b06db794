/**
 * The gap backlog (SPEC §10): overlay techniques with credit below 1, most urgent first, each with
 * a next action that names the concrete thing to do: the data components to collect, the source
 * that already sees it, the detection and run that failed, the test to run.
 */
import { byString } from '../model/order.js';
import type { State } from '../model/schemas.js';
import { dayNumber, dayString } from './dates.js';
import type { BacklogEntry, DetectionView, ResultView, TechniqueEvaluation } from './types.js';

export interface ActionContext {
  dataComponentName: (id: string) => string;
  /** Name of a telemetry source by id, with its status. */
  source: (id: string) => { name: string; status: string } | undefined;
  /** Inventory sources providing one of these data components that are not collected. */
  uncollected: (dataComponents: readonly string[]) => string[];
  detection: (id: string) => DetectionView | undefined;
  /** YYYY-MM-DD of the evaluation instant (UTC). */
  today: string;
  validationMaxAgeDays: number;
  suggestTests?: (techniqueId: string) => { guid: string; name: string }[];
}

export interface Action {
  action: string;
  tests?: { guid: string; name: string }[];
}

const MAX_TESTS = 3;
/** Sources named in a `visible` action; the report lists them all. */
const MAX_SOURCES = 3;

export function describeTest(run: ResultView): string {
  if (!run.test) return 'no test recorded';
  const label = run.test.name ? `"${run.test.name}"` : (run.test.id ?? 'unnamed test');
  return `${run.test.type} ${label}${run.host ? ` on ${run.host}` : ''}`;
}

const list = (values: readonly string[]) => values.join(', ');

/** Mapped detections that exist but do not count, and why: often the quickest win. */
function notCounting(t: TechniqueEvaluation, ctx: ActionContext): string {
  const idle = t.detections.filter((id) => !t.counting.includes(id));
  if (idle.length === 0) return '';
  const first = ctx.detection(idle[0]);
  return `; ${idle[0]} exists but does not count: ${first?.reason ?? 'see its file'}${idle.length > 1 ? ` (and ${idle.length - 1} more)` : ''}`;
}

/** Why the runs on record do not count, when there are runs but none is fresh. */
function staleNote(t: TechniqueEvaluation, ctx: ActionContext): string {
  if (t.decisive || t.validations.length === 0) return '';
  const past = t.validations.filter((v) => v.day <= ctx.today);
  if (past.length === 0) return `; the run of ${t.validations[0].day} is dated after today (${ctx.today}) and does not count yet`;
  return `; the last run (${past[past.length - 1].day}) is older than ${ctx.validationMaxAgeDays} days`;
}

function validateAction(t: TechniqueEvaluation, ctx: ActionContext, what: string): Action {
  const tests = (ctx.suggestTests?.(t.id) ?? []).slice(0, MAX_TESTS).map((x) => ({ guid: x.guid, name: x.name }));
  const suggested = tests.length ? ` (Atomic Red Team: ${tests.map((x) => `"${x.name}" ${x.guid}`).join('; ')})` : '';
  return { action: `Validate: run an emulation of ${t.id} and check that ${what}${suggested}${staleNote(t, ctx)}`, ...(tests.length ? { tests } : {}) };
}

/** Next action by state: a table, one entry per state of SPEC §9. */
export const ACTIONS: Record<State, (t: TechniqueEvaluation, ctx: ActionContext) => Action> = {
  blind: (t, ctx) => {
    const planned = ctx.uncollected(t.dataComponents).map((id) => `${id} (${ctx.source(id)?.status ?? 'unknown'})`);
    const names = t.dataComponents.map(ctx.dataComponentName);
    const what = names.length ? list(names) : `a log source that records ${t.id} (ATT&CK names no data component for it)`;
    return { action: `Collect telemetry: ${what} (none collected${planned.length ? `; not yet collected: ${list(planned)}` : ''})` };
  },
  visible: (t, ctx) => {
    const names = t.telemetry.map((id) => ctx.source(id)?.name ?? id).sort(byString);
    const shown = names.length > MAX_SOURCES ? `${list(names.slice(0, MAX_SOURCES))} and ${names.length - MAX_SOURCES} more` : list(names);
    return { action: `Write a detection: ${shown} already ${names.length > 1 ? 'see' : 'sees'} it${notCounting(t, ctx)}` };
  },
  failed: (t) => {
    const run = t.decisive!;
    const when = `not detected on ${run.day} (${describeTest(run)})`;
    if (run.detection) return { action: `Fix ${run.detection}: ${when}` };
    const mapped = t.counting.length ? `; mapped detections: ${list(t.counting)}` : '; no detection maps it';
    return { action: `Fix the detection for ${t.id} (the failed run names none${mapped}): ${when}` };
  },
  detected: (t, ctx) => validateAction(t, ctx, `${list(t.counting)} ${t.counting.length > 1 ? 'alert' : 'alerts'}`),
  mitigated: (t, ctx) => validateAction(t, ctx, `${list(t.implemented)} ${t.implemented.length > 1 ? 'block' : 'blocks'} it`),
  validated: (t, ctx) => revalidate(t, ctx),
  blocked: (t, ctx) => revalidate(t, ctx),
};

/** Only reached when the policy gives validated/blocked less than full credit. */
function revalidate(t: TechniqueEvaluation, ctx: ActionContext): Action {
  const run = t.decisive!;
  const day = dayNumber(run.day);
  const until = day === undefined ? '' : `; it counts until ${dayString(day + ctx.validationMaxAgeDays)}`;
  return { action: `Re-validate: ${run.outcome} on ${run.day} (${describeTest(run)})${until}` };
}

export const backlogOrder = (a: BacklogEntry, b: BacklogEntry): number =>
  b.priority - a.priority || b.groups.length - a.groups.length || byString(a.id, b.id);

/** Overlay techniques with credit < 1: priority desc, number of groups desc, then id. */
export function buildBacklog(techniques: readonly TechniqueEvaluation[], ctx: ActionContext): BacklogEntry[] {
  return techniques
    .filter((t) => t.credit < 1)
    .map((t): BacklogEntry => {
      const { action, tests } = ACTIONS[t.state](t, ctx);
      return {
        id: t.id,
        name: t.name,
        priority: t.priority,
        weight: t.weight,
        state: t.state,
        groups: t.groups,
        tactics: t.tactics,
        action,
        ...(tests ? { tests } : {}),
      };
    })
    .sort(backlogOrder);
}
