/**
 * Whether each detection counts (SPEC §5): status counted, telemetry needs met. Decided once per
 * detection, independent of techniques; mappings stay exact (no parent/sub roll-up).
 */
import { finding, type Finding } from '../model/findings.js';
import { byString, sortedUnique } from '../model/order.js';
import type { DetectionRecord, TelemetryRecord } from '../model/repository.js';
import type { Config } from '../model/schemas.js';
import { sigmaOf } from '../load/sigma.js';
import { normaliseLogsource, selectorMatches, sourcesForComponents, type TelemetryIndex } from './telemetry.js';
import type { DetectionView } from './types.js';

/** Statuses that never count, whatever `counted_statuses` says (Sigma's "do not use" and retired rules). */
const NEVER_COUNTED = new Set(['unsupported', 'deprecated']);

interface Needs {
  /** Telemetry ids (native) or matching source ids (Sigma). */
  telemetry: string[];
  /** Needs answered by the inventory but by no collected source, with where to point. */
  unmet?: { message: string; reason: string; path: (string | number)[] };
  /** Needs no inventory entry answers at all: warned about, never blocking. */
  unanswered: { message: string; path: (string | number)[] }[];
}

const statusOf = (s: TelemetryRecord) => `${s.id} (${s.status})`;

function nativeNeeds(d: DetectionRecord, index: TelemetryIndex): Needs {
  const unanswered: Needs['unanswered'] = [];
  const missing: { source: TelemetryRecord; i: number }[] = [];
  d.telemetry.forEach((id, i) => {
    const source = index.byId.get(id);
    const path = [...d.path, 'telemetry', i];
    if (!source) {
      unanswered.push({ message: `Detection ${d.id} needs telemetry "${id}", which coverage/telemetry.yaml does not list; that need is not checked.`, path });
    } else if (source.status !== 'collected') missing.push({ source, i });
  });
  const unmet = missing.length
    ? {
        message: `Detection ${d.id} does not count: its telemetry ${missing.map((m) => statusOf(m.source)).join(', ')} is not collected. Collect it, or point the detection at a collected source.`,
        reason: `telemetry not collected: ${missing.map((m) => statusOf(m.source)).join(', ')}`,
        path: [...d.path, 'telemetry', missing[0].i],
      }
    : undefined;
  return { telemetry: [...d.telemetry], unmet, unanswered };
}

const describeLogsource = (logsource: Record<string, string> | undefined) =>
  `{${Object.entries(logsource ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')}}`;

const describeLogsources = (logsources: Record<string, string>[]) => logsources.map(describeLogsource).join(' or ');

/**
 * A Sigma rule's need: first the inventory's `sigma` selectors (any logsource of the rule, a
 * collection has several); when none answers, the data components its logsource implies
 * (sigma-logsources.ts) against the sources' `data_components`. Either way one collected source
 * answering is enough.
 */
function sigmaNeeds(d: DetectionRecord, sources: readonly TelemetryRecord[], index: TelemetryIndex): Needs {
  const meta = sigmaOf(d);
  const logsources = meta?.logsources.length ? meta.logsources : [d.logsource ?? {}];
  const path = meta?.at.logsource ?? [...d.path, 'logsource'];
  const described = describeLogsources(logsources);
  const normal = logsources.map(normaliseLogsource);
  const bySelector = sources.filter((s) => (s.sigma ?? []).some((selector) => normal.some((ls) => selectorMatches(selector, ls))));
  if (bySelector.length > 0) {
    const collected = bySelector.some((s) => s.status === 'collected');
    return {
      telemetry: sortedUnique(bySelector.map((s) => s.id)),
      unanswered: [],
      unmet: collected
        ? undefined
        : {
            message: `Sigma rule ${d.id} does not count: the sources matching its logsource ${described} are not collected: ${bySelector.map(statusOf).join(', ')}.`,
            reason: `no collected source matches its logsource: ${bySelector.map(statusOf).join(', ')}`,
            path,
          },
    };
  }
  const needs = logsources.map((ls) => index.logsourceNeed(ls));
  const components = sortedUnique(needs.flatMap((n) => n.components));
  const names = components.map((id) => index.componentName(id)).sort(byString).join(', ');
  const byComponent = sortedUnique(needs.flatMap((n) => sourcesForComponents(index, n).map((v) => v.id)));
  if (byComponent.length > 0) {
    const views = byComponent.map((id) => index.byId.get(id)!);
    const collected = views.some((s) => s.status === 'collected');
    return {
      telemetry: byComponent,
      unanswered: [],
      unmet: collected
        ? undefined
        : {
            message: `Sigma rule ${d.id} does not count: no source has a sigma selector for its logsource ${described}, and the sources providing its data components (${names}) are not collected: ${views.map(statusOf).join(', ')}.`,
            reason: `no collected source provides its logsource's data components (${names}): ${views.map(statusOf).join(', ')}`,
            path,
          },
    };
  }
  const also = components.length ? `, nor provides its data components (${names})` : '';
  return {
    telemetry: [],
    unanswered: [{ message: `Sigma rule ${d.id}: no telemetry source has a sigma selector matching its logsource ${described}${also}; that need is not checked.`, path }],
  };
}

interface Superseded {
  by: DetectionRecord;
  type: string;
}

/** Rules another rule of the repository declares `obsolete` or `merged` in its `related`, by id. */
function supersededRules(detections: readonly DetectionRecord[]): Map<string, Superseded> {
  const out = new Map<string, Superseded>();
  for (const d of detections) {
    for (const r of sigmaOf(d)?.related ?? []) {
      if (!r.id || r.id === d.id || (r.type !== 'obsolete' && r.type !== 'merged')) continue;
      if (!out.has(r.id)) out.set(r.id, { by: d, type: r.type });
    }
  }
  return out;
}

/** A detection that maps a parent and its own sub-technique inflates coverage (SPEC §5). */
function parentAndSub(d: DetectionRecord): Finding[] {
  const mapped = new Set(d.techniques);
  return d.techniques.flatMap((t, i) => {
    const parent = t.includes('.') ? t.slice(0, t.indexOf('.')) : undefined;
    if (!parent || !mapped.has(parent)) return [];
    return [
      finding('parent-and-sub', `Detection ${d.id} maps both ${parent} and its sub-technique ${t}; a parent does not cover its sub-techniques, so one of them is probably inflated.`, {
        file: d.file,
        path: d.techniquePaths[i] ?? d.path,
      }),
    ];
  });
}

export function assessDetections(
  detections: readonly DetectionRecord[],
  sources: readonly TelemetryRecord[],
  index: TelemetryIndex,
  policy: Config['policy'],
): { views: DetectionView[]; findings: Finding[] } {
  const counted = new Set(policy.counted_statuses);
  const superseded = supersededRules(detections);
  const findings: Finding[] = [];
  const views = detections.map((d): DetectionView => {
    const statusCounts = counted.has(d.status) && !NEVER_COUNTED.has(d.status);
    const newer = superseded.get(d.id);
    const needs = d.kind === 'sigma' ? sigmaNeeds(d, sources, index) : nativeNeeds(d, index);
    findings.push(...parentAndSub(d));
    if (statusCounts && newer) {
      findings.push(
        finding(
          'sigma-superseded',
          `Detection ${d.id} does not count: Sigma rule ${newer.by.id} (${newer.by.title}, ${newer.by.file}) lists it as ${newer.type} in \`related\`, so the newer rule takes its place.`,
          { file: d.file, path: sigmaOf(d)?.at.id ?? [...d.path, 'id'] },
        ),
      );
    } else if (statusCounts) {
      for (const u of needs.unanswered) findings.push(finding('telemetry-need-unanswered', u.message, { file: d.file, path: u.path }));
      if (needs.unmet) findings.push(finding('detection-without-telemetry', needs.unmet.message, { file: d.file, path: needs.unmet.path }));
    }
    const reason = !statusCounts
      ? NEVER_COUNTED.has(d.status)
        ? `status ${d.status} never counts`
        : `status ${d.status} is not in policy.counted_statuses (${policy.counted_statuses.join(', ') || 'none'})`
      : newer
        ? `superseded by ${newer.by.id} (${newer.by.title}), which lists it as ${newer.type}`
        : needs.unmet?.reason;
    return {
      id: d.id,
      title: d.title,
      kind: d.kind,
      status: d.status,
      techniques: [...d.techniques],
      telemetry: needs.telemetry,
      counts: reason === undefined,
      ...(reason ? { reason } : {}),
      ...(d.description !== undefined ? { description: d.description } : {}),
      ...(d.owner !== undefined ? { owner: d.owner } : {}),
      file: d.file,
      path: d.path,
    };
  });
  views.sort((a, b) => byString(a.id, b.id) || byString(a.file, b.file));
  return { views, findings };
}
