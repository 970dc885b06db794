/**
 * Lookups over the report, built once per build. Pure indexing: every figure shown on the site is
 * the report's; nothing here decides a state or a score.
 */
import { byString } from '../../../scripts/model/order.js';
import { getReport, type Report, type ReportTechnique } from './report.js';
import { slug } from './urls.js';

export type Detection = Report['detections'][number];
export type Control = Report['controls'][number];
export type Group = Report['groups'][number];
export type Source = Report['telemetry'][number];
export type CatalogEntry = Report['catalog'][number];
export type BacklogEntry = Report['backlog'][number];
export type Validation = ReportTechnique['validations'][number];

/** First entry per id wins; a report with duplicate ids (the validator reports them) still builds. */
function byId<T extends { id: string }>(items: readonly T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) if (!map.has(item.id)) map.set(item.id, item);
  return map;
}

function multi(pairs: Iterable<[string, string]>): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [key, value] of pairs) {
    const list = map.get(key) ?? map.set(key, []).get(key)!;
    if (!list.includes(value)) list.push(value);
  }
  return map;
}

export interface Model {
  report: Report;
  techniques: Map<string, ReportTechnique>;
  catalog: Map<string, CatalogEntry>;
  groups: Map<string, Group>;
  detections: Map<string, Detection>;
  controls: Map<string, Control>;
  telemetry: Map<string, Source>;
  dataComponents: Map<string, string>;
  backlog: Map<string, BacklogEntry>;
  /** Catalog sub-techniques by parent id, sorted. */
  subs: Map<string, string[]>;
  detectionsOf: Map<string, string[]>;
  controlsOf: Map<string, string[]>;
  /** Data component id → collected sources providing it. */
  collectedBy: Map<string, string[]>;
  /** Emulation runs that name a detection, by detection id, newest first. */
  runsOf: Map<string, Array<Validation & { technique: string }>>;
  /** Every technique that gets a page: the catalog plus any overlay technique missing from it. */
  pageIds: string[];
  /** Name of a technique whether or not it is in the overlay. */
  techniqueName(id: string): string;
  groupName(id: string): string;
  dcName(id: string): string;
}

let model: Model | undefined;

export function getModel(): Model {
  if (model) return model;
  const report = getReport();
  const techniques = byId(report.techniques);
  const catalog = byId(report.catalog);
  const groups = byId(report.groups);
  const detections = byId(report.detections);
  const controls = byId(report.controls);
  const telemetry = byId(report.telemetry);
  const dataComponents = new Map(report.data_components.map((dc) => [dc.id, dc.name]));
  const backlog = byId(report.backlog);
  const subs = multi(report.catalog.filter((t) => t.parent).map((t) => [t.parent!, t.id] as [string, string]));
  for (const list of subs.values()) list.sort(byString);
  const detectionsOf = multi([...detections.values()].flatMap((d) => d.techniques.map((t) => [t, d.id] as [string, string])));
  const controlsOf = multi([...controls.values()].flatMap((c) => c.techniques.map((t) => [t, c.id] as [string, string])));
  const collectedBy = multi(
    [...telemetry.values()].filter((s) => s.status === 'collected').flatMap((s) => s.data_components.map((dc) => [dc, s.id] as [string, string])),
  );
  const runsOf = new Map<string, Array<Validation & { technique: string }>>();
  for (const run of allRuns(report)) if (run.detection) (runsOf.get(run.detection) ?? runsOf.set(run.detection, []).get(run.detection)!).push(run);
  // Page ids must be distinct after slugging, or two pages would share a file.
  const seen = new Set<string>();
  const pageIds = [...new Set([...catalog.keys(), ...techniques.keys()])].sort(byString).filter((id) => {
    const s = slug(id);
    if (seen.has(s)) return false;
    seen.add(s);
    return true;
  });
  model = {
    report,
    techniques,
    catalog,
    groups,
    detections,
    controls,
    telemetry,
    dataComponents,
    backlog,
    subs,
    detectionsOf,
    controlsOf,
    collectedBy,
    runsOf,
    pageIds,
    techniqueName: (id) => techniques.get(id)?.name ?? catalog.get(id)?.name ?? id,
    groupName: (id) => groups.get(id)?.name ?? id,
    dcName: (id) => dataComponents.get(id) ?? id,
  };
  return model;
}

/** Every validation run in the report with its technique, newest first. */
export function allRuns(report: Report): Array<Validation & { technique: string }> {
  return report.techniques
    .flatMap((t) => t.validations.map((v) => ({ ...v, technique: t.id })))
    .sort((a, b) => byString(b.date, a.date) || byString(a.technique, b.technique));
}
