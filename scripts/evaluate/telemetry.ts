/**
 * The telemetry inventory as indexes (SPEC §7): which sources provide which data components, and
 * which Sigma logsources they answer. Built once; every question afterwards is a lookup.
 */
import type { Catalog } from '../catalog/types.js';
import { byString, sortedUnique } from '../model/order.js';
import type { TelemetryRecord } from '../model/repository.js';
import { logsourceNeed, type LogsourceNeed } from './sigma-logsources.js';
import type { TelemetryView } from './types.js';

export interface TelemetryIndex {
  views: TelemetryView[];
  byId: Map<string, TelemetryRecord>;
  /** Data component id → ids of sources providing it, split by whether they are collected. */
  collected: Map<string, string[]>;
  notCollected: Map<string, string[]>;
  /** The data components (and OS platform) a Sigma logsource implies in this catalog (sigma-logsources.ts). */
  logsourceNeed(logsource: Record<string, string> | undefined): LogsourceNeed;
  /** A data component's name in this catalog, or the id itself. */
  componentName(id: string): string;
}

/** Data component ids or exact names → ids; an entry the catalog does not know is kept as written. */
export function resolveDataComponents(values: readonly string[], catalog: Catalog): string[] {
  const byName = dataComponentNames(catalog);
  // Own keys only: a source naming `constructor` must not resolve to Object.prototype's.
  return sortedUnique(values.map((v) => (Object.hasOwn(catalog.dataComponents, v) ? v : (byName.get(v) ?? v))));
}

const namesCache = new WeakMap<Catalog, Map<string, string>>();
function dataComponentNames(catalog: Catalog): Map<string, string> {
  let names = namesCache.get(catalog);
  if (!names) {
    names = new Map(Object.values(catalog.dataComponents).map((dc) => [dc.name, dc.id]));
    namesCache.set(catalog, names);
  }
  return names;
}

/** A logsource with lower-cased keys and values, compared many times. */
export type NormalLogsource = Map<string, string>;

export const normaliseLogsource = (logsource: Record<string, string> | undefined): NormalLogsource =>
  new Map(Object.entries(logsource ?? {}).map(([k, v]) => [k.toLowerCase(), String(v).trim().toLowerCase()]));

/**
 * A Sigma selector matches a rule's logsource when each of its keys equals the rule's value,
 * ignoring case. An empty selector matches nothing (it would otherwise claim every rule).
 */
export function selectorMatches(selector: Record<string, string>, logsource: Record<string, string> | NormalLogsource | undefined): boolean {
  const keys = Object.keys(selector);
  if (keys.length === 0 || !logsource) return false;
  const rule = logsource instanceof Map ? logsource : normaliseLogsource(logsource);
  return keys.every((k) => rule.get(k.toLowerCase()) === String(selector[k]).trim().toLowerCase());
}

/** Inventory sources (any status) whose selectors match a Sigma rule's logsource. */
export function indexTelemetry(sources: readonly TelemetryRecord[], catalog: Catalog): TelemetryIndex {
  const collected = new Map<string, string[]>();
  const notCollected = new Map<string, string[]>();
  const views: TelemetryView[] = [];
  for (const source of sources) {
    const dcs = resolveDataComponents(source.data_components ?? [], catalog);
    const into = source.status === 'collected' ? collected : notCollected;
    for (const dc of dcs) into.set(dc, [...(into.get(dc) ?? []), source.id]);
    views.push({
      id: source.id,
      name: source.name,
      status: source.status,
      platforms: [...(source.platforms ?? [])].sort(byString),
      dataComponents: dcs,
      file: source.file,
      path: source.path,
    });
  }
  views.sort((a, b) => byString(a.id, b.id) || byString(a.file, b.file));
  return {
    views,
    byId: new Map(sources.map((s) => [s.id, s])),
    collected,
    notCollected,
    logsourceNeed: (logsource) => logsourceNeed(catalog, logsource),
    componentName: (id) => (Object.hasOwn(catalog.dataComponents, id) ? catalog.dataComponents[id].name : id),
  };
}

/**
 * Sources (any status) that provide one of the data components a Sigma logsource implies: the
 * answer when no `sigma` selector matches. A source that lists platforms must list one of the
 * logsource's, when it has any (sigma-logsources.ts).
 */
export function sourcesForComponents(index: TelemetryIndex, need: LogsourceNeed): TelemetryView[] {
  if (need.components.length === 0) return [];
  const wanted = new Set(need.components);
  const platforms = new Set(need.platforms);
  return index.views.filter(
    (v) =>
      v.dataComponents.some((dc) => wanted.has(dc)) &&
      (platforms.size === 0 || v.platforms.length === 0 || v.platforms.some((p) => platforms.has(p.trim().toLowerCase()))),
  );
}

/** Ids of the sources (collected, or not) that provide one of the given data components, sorted. */
export function providers(index: TelemetryIndex, dataComponents: readonly string[], which: 'collected' | 'notCollected' = 'collected'): string[] {
  return sortedUnique(dataComponents.flatMap((dc) => index[which].get(dc) ?? []));
}
