/**
 * Stale things, from two evaluations of the same repository (at `now` and at `now` + horizon) and
 * the newest ATT&CK release. Pure: the times are in the evaluations.
 */
import { compareVersions } from '../catalog/releases.js';
import { dayNumber, dayString } from '../evaluate/dates.js';
import type { Evaluation, ResultView, TechniqueEvaluation } from '../evaluate/index.js';
import type { Finding } from '../model/findings.js';
import { byString } from '../model/order.js';
import type { EvidenceResult, StaleEvidence, StaleFinding, StaleProfile, StaleRelease } from './types.js';

export interface StaleInputs {
  now: Evaluation;
  later: Evaluation;
  /** Coverage findings at `now` (stale-profile findings give each profile's line). */
  findings: readonly Finding[];
  reviewMaxAgeDays: number;
  validationMaxAgeDays: number;
  /** Line of each emulation result, by file and node path. */
  lineOf: (file: string, path: ResultView['path']) => number;
  /** The newest release of the pinned domain in the release index, when it was checked. */
  newest?: { version: string; modified?: string };
}

export function staleProfiles(inputs: StaleInputs): StaleProfile[] {
  const today = dayNumber(inputs.now.today) ?? 0;
  return inputs.now.groups
    .filter((g) => g.stale)
    .map((g) => {
      const reviewed = dayNumber(g.reviewed);
      const line = inputs.findings.find((f) => f.code === 'stale-profile' && f.file === g.file)?.line ?? 1;
      return {
        kind: 'profile' as const,
        id: g.id,
        name: g.name,
        file: g.file,
        line,
        reviewed: g.reviewed,
        ...(reviewed !== undefined ? { ageDays: today - reviewed } : {}),
        maxAgeDays: inputs.reviewMaxAgeDays,
      };
    })
    .sort((a, b) => byString(a.id, b.id) || byString(a.file, b.file));
}

function view(r: ResultView, lineOf: StaleInputs['lineOf']): EvidenceResult {
  const test = r.test ? [r.test.type, r.test.id ?? r.test.name].filter(Boolean).join(' ') : undefined;
  return {
    date: r.date,
    outcome: r.outcome,
    ...(r.detection ? { detection: r.detection } : {}),
    ...(test ? { test } : {}),
    file: r.file,
    line: lineOf(r.file, r.path),
  };
}

/** The first day a result of `day` is no longer fresh: fresh while today − maxAge ≤ day. */
const lapseDay = (day: number, maxAge: number) => day + maxAge + 1;

function evidence(t: TechniqueEvaluation, later: TechniqueEvaluation | undefined, inputs: StaleInputs): StaleEvidence | undefined {
  const today = dayNumber(inputs.now.today) ?? 0;
  const max = inputs.validationMaxAgeDays;
  const freshNow = t.validations.filter((r) => r.fresh);
  const freshLater = (later?.validations ?? []).some((r) => r.fresh);
  const base = { kind: 'evidence' as const, id: t.id, name: t.name, stateNow: t.state, stateLater: later?.state ?? t.state, maxAgeDays: max };
  if (freshNow.length) {
    // Some result is still fresh at the end of the horizon: the evidence does not lapse.
    if (freshLater) return undefined;
    const last = freshNow.reduce((m, r) => Math.max(m, dayNumber(r.day) ?? today), -Infinity);
    return { ...base, expired: false, expires: dayString(lapseDay(last, max)), results: freshNow.map((r) => view(r, inputs.lineOf)) };
  }
  // Nothing fresh: evidence that has aged out (future-dated results are not evidence yet).
  const past = t.validations.filter((r) => {
    const d = dayNumber(r.day);
    return d !== undefined && d < today - max;
  });
  if (!past.length) return undefined;
  // reduce, not a spread: one technique may carry more results than the stack holds arguments.
  const last = past.reduce((m, r) => Math.max(m, dayNumber(r.day)!), -Infinity);
  const latest = past.filter((r) => dayNumber(r.day) === last);
  return { ...base, expired: true, expires: dayString(lapseDay(last, max)), results: latest.map((r) => view(r, inputs.lineOf)) };
}

export function staleEvidence(inputs: StaleInputs): StaleEvidence[] {
  const later = new Map(inputs.later.techniques.map((t) => [t.id, t]));
  return inputs.now.techniques
    .map((t) => evidence(t, later.get(t.id), inputs))
    .filter((e): e is StaleEvidence => e !== undefined)
    .sort((a, b) => byString(a.id, b.id));
}

export function staleRelease(domain: string, pinned: string, newest: StaleInputs['newest']): StaleRelease | undefined {
  if (!newest || compareVersions(newest.version, pinned) <= 0) return undefined;
  return {
    kind: 'release',
    id: `${domain}-${newest.version}`,
    domain,
    pinned,
    newest: newest.version,
    ...(newest.modified ? { modified: newest.modified } : {}),
  };
}

export function findStale(inputs: StaleInputs): StaleFinding[] {
  const release = staleRelease(inputs.now.attack.domain, inputs.now.attack.version, inputs.newest);
  return [...staleProfiles(inputs), ...staleEvidence(inputs), ...(release ? [release] : [])];
}
