/**
 * Small pure questions validators and the engine ask of a catalog. Lookups by name build an index
 * once per catalog object (a WeakMap, so the catalog stays plain data).
 */
import type { Catalog, DataComponent, Tactic } from './types.js';

export type Resolution =
  | { status: 'active' }
  | { status: 'revoked'; replacedBy?: string; name: string }
  | { status: 'deprecated'; name: string }
  | { status: 'unknown' };

/** The kinds `resolveId` can be asked about, with the table that holds their active entries. */
const TABLES = {
  technique: (c: Catalog) => c.techniques,
  group: (c: Catalog) => c.groups,
  campaign: (c: Catalog) => c.campaigns,
  software: (c: Catalog) => c.software,
  mitigation: (c: Catalog) => c.mitigations,
  dataComponent: (c: Catalog) => c.dataComponents,
} as const;

export type ResolvableKind = keyof typeof TABLES;

const has = (record: object, id: string) => Object.hasOwn(record, id);

/**
 * What an ATT&CK id is in this release. With `kind`, only that kind counts (a retired object of
 * another kind that shares the id, as old mitigations did with technique ids, is `unknown`).
 */
export function resolveId(catalog: Catalog, id: string, kind?: ResolvableKind): Resolution {
  const kinds = kind ? [kind] : (Object.keys(TABLES) as ResolvableKind[]);
  if (kinds.some((k) => has(TABLES[k](catalog), id))) return { status: 'active' };
  const retired = has(catalog.retired, id) ? catalog.retired[id] : undefined;
  if (!retired || (kind && retired.objectKind && retired.objectKind !== kind)) return { status: 'unknown' };
  if (retired.kind === 'deprecated') return { status: 'deprecated', name: retired.name };
  return retired.replacedBy === undefined
    ? { status: 'revoked', name: retired.name }
    : { status: 'revoked', replacedBy: retired.replacedBy, name: retired.name };
}

interface NameIndex {
  dataComponents: Map<string, DataComponent>;
  tactics: Map<string, Tactic>;
}

const nameIndexes = new WeakMap<Catalog, NameIndex>();

function nameIndex(catalog: Catalog): NameIndex {
  let index = nameIndexes.get(catalog);
  if (index) return index;
  const dataComponents = new Map<string, DataComponent>();
  // Records are in id order, so when two components share a name the lower id answers.
  for (const dc of Object.values(catalog.dataComponents)) {
    if (!dataComponents.has(dc.name)) dataComponents.set(dc.name, dc);
    const qualified = dc.dataSource ? `${dc.dataSource}: ${dc.name}` : undefined;
    if (qualified && !dataComponents.has(qualified)) dataComponents.set(qualified, dc);
  }
  const tactics = new Map<string, Tactic>();
  for (const t of catalog.tactics) {
    for (const key of [t.id, t.shortname, t.name]) tactics.set(tacticKey(key), t);
  }
  index = { dataComponents, tactics };
  nameIndexes.set(catalog, index);
  return index;
}

/** A data component by id (DC0032), exact name (Process Creation) or `<data source>: <name>`. */
export function findDataComponent(catalog: Catalog, idOrExactName: string): DataComponent | undefined {
  if (has(catalog.dataComponents, idOrExactName)) return catalog.dataComponents[idOrExactName];
  return nameIndex(catalog).dataComponents.get(idOrExactName);
}

/** Sigma writes tactics as `defense_evasion` or `defense-evasion`, any case. */
const tacticKey = (s: string) => s.toLowerCase().replace(/[\s_]+/g, '-');

/** A tactic by id (TA0002), shortname (execution, credential_access) or name, ignoring case. */
export function findTactic(catalog: Catalog, idOrName: string): Tactic | undefined {
  return nameIndex(catalog).tactics.get(tacticKey(idOrName));
}

/** The technique's ATT&CK page, from the bundle; undefined for an id the release does not hold. */
export function techniqueUrl(catalog: Catalog, id: string): string | undefined {
  return has(catalog.techniques, id) ? catalog.techniques[id].url : undefined;
}

/** Active sub-techniques of a technique, sorted. */
export function subTechniquesOf(catalog: Catalog, parentId: string): string[] {
  return Object.values(catalog.techniques)
    .filter((t) => t.parent === parentId)
    .map((t) => t.id);
}
