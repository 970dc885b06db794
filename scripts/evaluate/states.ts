/**
 * The coverage state of a technique at an instant (SPEC §9): evidence is indexed by technique once,
 * then each technique's facts go through one table whose first matching row wins.
 */
import type { Technique } from '../catalog/types.js';
import { byString, sortedUnique } from '../model/order.js';
import type { ValidationRecord } from '../model/repository.js';
import type { Outcome, State } from '../model/schemas.js';
import { dayNumber, dayString } from './dates.js';
import { providers, type TelemetryIndex } from './telemetry.js';
import type { ControlView, DetectionView, ResultView, TechniqueEvidence } from './types.js';

/** What the state table looks at. */
export interface Facts {
  /** r.outcome: the worst outcome of the latest fresh day, when there is one. */
  outcome?: Outcome;
  /** A counting detection maps the technique. */
  detected: boolean;
  /** An implemented control maps the technique. */
  mitigated: boolean;
  /** A collected source provides one of its data components. */
  visible: boolean;
}

/** SPEC §9, in order: the first row whose rule holds gives the state. */
export const STATE_TABLE: readonly { state: State; gap: boolean; when: (f: Facts) => boolean }[] = [
  { state: 'blocked', gap: false, when: (f) => f.outcome === 'blocked' },
  { state: 'validated', gap: false, when: (f) => f.outcome === 'detected' },
  { state: 'failed', gap: true, when: (f) => f.outcome === 'not-detected' },
  { state: 'detected', gap: false, when: (f) => f.detected },
  { state: 'mitigated', gap: false, when: (f) => f.mitigated },
  { state: 'visible', gap: true, when: (f) => f.visible },
  { state: 'blind', gap: true, when: () => true },
];

export const GAP_STATES: ReadonlySet<State> = new Set(STATE_TABLE.filter((row) => row.gap).map((row) => row.state));

export const stateOf = (facts: Facts): State => STATE_TABLE.find((row) => row.when(facts))!.state;

/** Lower is worse: not-detected < detected < blocked. */
export const OUTCOME_RANK: Record<Outcome, number> = { 'not-detected': 0, detected: 1, blocked: 2 };

/** Emulation results with their UTC day and whether they fall in `today − maxAge ≤ day ≤ today`. */
export function viewResults(records: readonly ValidationRecord[], today: number, maxAgeDays: number): ResultView[] {
  return records.map((v) => {
    const day = dayNumber(v.date);
    return {
      technique: v.technique.toUpperCase(),
      date: String(v.date),
      day: day === undefined ? String(v.date) : dayString(day),
      outcome: v.outcome,
      ...(v.detection !== undefined ? { detection: v.detection } : {}),
      ...(v.test !== undefined ? { test: { ...v.test } } : {}),
      ...(v.host !== undefined ? { host: v.host } : {}),
      fresh: day !== undefined && day >= today - maxAgeDays && day <= today,
      file: v.file,
      path: v.path,
    };
  });
}

/** r (SPEC §9): among fresh results, those of the latest day; of them the worst outcome. */
export function decisiveResult(results: readonly ResultView[]): ResultView | undefined {
  let best: ResultView | undefined;
  for (const r of results) {
    if (!r.fresh) continue;
    if (!best || r.day > best.day || (r.day === best.day && OUTCOME_RANK[r.outcome] < OUTCOME_RANK[best.outcome])) best = r;
  }
  return best;
}

const resultOrder = (a: ResultView, b: ResultView) =>
  byString(a.day, b.day) || byString(a.date, b.date) || byString(a.file, b.file) || byString(a.path.join('/'), b.path.join('/'));

export interface EvidenceIndex {
  detections: Map<string, DetectionView[]>;
  controls: Map<string, ControlView[]>;
  results: Map<string, ResultView[]>;
  telemetry: TelemetryIndex;
}

function byTechnique<T>(items: readonly T[], techniquesOf: (item: T) => readonly string[]): Map<string, T[]> {
  const index = new Map<string, T[]>();
  for (const item of items) {
    for (const t of new Set(techniquesOf(item))) {
      const list = index.get(t);
      if (list) list.push(item);
      else index.set(t, [item]);
    }
  }
  return index;
}

/** Index every piece of evidence by technique id, once. */
export function indexEvidence(
  detections: readonly DetectionView[],
  controls: readonly ControlView[],
  results: readonly ResultView[],
  telemetry: TelemetryIndex,
): EvidenceIndex {
  return {
    detections: byTechnique(detections, (d) => d.techniques),
    controls: byTechnique(controls, (c) => c.techniques),
    results: byTechnique(results, (r) => [r.technique]),
    telemetry,
  };
}

/** A technique's evidence and state; exact mappings only. */
export function assessTechnique(id: string, technique: Technique | undefined, index: EvidenceIndex): TechniqueEvidence {
  const detections = index.detections.get(id) ?? [];
  const controls = index.controls.get(id) ?? [];
  const validations = [...(index.results.get(id) ?? [])].sort(resultOrder);
  const decisive = decisiveResult(validations);
  const dataComponents = sortedUnique(technique?.dataComponents ?? []);
  const telemetry = providers(index.telemetry, dataComponents);
  const counting = sortedUnique(detections.filter((d) => d.counts).map((d) => d.id));
  const implemented = sortedUnique(controls.filter((c) => c.status === 'implemented').map((c) => c.id));
  const state = stateOf({
    outcome: decisive?.outcome,
    detected: counting.length > 0,
    mitigated: implemented.length > 0,
    visible: telemetry.length > 0,
  });
  return {
    detections: sortedUnique(detections.map((d) => d.id)),
    counting,
    controls: sortedUnique(controls.map((c) => c.id)),
    implemented,
    validations,
    ...(decisive ? { decisive } : {}),
    dataComponents,
    telemetry,
    state,
  };
}
