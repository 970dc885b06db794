/**
 * STIX bundle → catalog, pure. One pass sorts objects by kind and indexes them by STIX id, a
 * second walks the relationships through a table of rules; nothing about ATT&CK's content
 * (tactics, techniques, platforms) is known here, so a newer release loads unchanged.
 */
import { byString, sortedUnique } from '../model/order.js';
import type { Catalog, ObjectKind, Retired, Tactic } from './types.js';
import { dataComponentsOfStrategy } from './detection.js';
import { pickMatrix, tacticsOf, tacticSorter } from './matrix.js';
import { RELATIONSHIP_RULES, type Node } from './relationships.js';
import { retiredEntries } from './retired.js';
import { attackReference, isActive, isStixBundle, isStixObject, type StixObject } from './stix.js';
import { ENTRY_BUILDERS, type EntryContext } from './entries.js';

/** The catalog's name for each STIX type it reads; other types are skipped. */
export const KIND_BY_TYPE = {
  'attack-pattern': 'technique',
  'intrusion-set': 'group',
  campaign: 'campaign',
  malware: 'software',
  tool: 'software',
  'course-of-action': 'mitigation',
  'x-mitre-data-component': 'dataComponent',
  'x-mitre-data-source': 'dataSource',
  'x-mitre-tactic': 'tactic',
  'x-mitre-matrix': 'matrix',
  'x-mitre-detection-strategy': 'detectionStrategy',
  'x-mitre-analytic': 'analytic',
  'x-mitre-collection': 'collection',
} as const satisfies Record<string, ObjectKind>;

/** What the caller knows that the bundle may not say (mirror bundles carry no collection object). */
export interface BuildMeta {
  domain?: string;
  version?: string;
}

export interface Indexed {
  byStixId: Map<string, StixObject>;
  ofKind: Map<ObjectKind, StixObject[]>;
  relationships: StixObject[];
}

export function indexBundle(objects: readonly unknown[]): Indexed {
  const byStixId = new Map<string, StixObject>();
  const ofKind = new Map<ObjectKind, StixObject[]>();
  const relationships: StixObject[] = [];
  for (const o of objects) {
    if (!isStixObject(o)) continue;
    if (o.type === 'relationship') {
      relationships.push(o);
      continue;
    }
    byStixId.set(o.id, o);
    if (!Object.hasOwn(KIND_BY_TYPE, o.type)) continue;
    const kind = KIND_BY_TYPE[o.type as keyof typeof KIND_BY_TYPE];
    const list = ofKind.get(kind);
    if (list) list.push(o);
    else ofKind.set(kind, [o]);
  }
  return { byStixId, ofKind, relationships };
}

/** The id a catalog entry gets: the ATT&CK id; data components before ATT&CK 18 had none, so their STIX id. */
function catalogId(kind: ObjectKind, o: StixObject): string | undefined {
  return attackReference(o)?.id ?? (kind === 'dataComponent' ? o.id : undefined);
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export function buildCatalog(bundle: unknown, sha256: string, meta: BuildMeta = {}): Catalog {
  if (!isStixBundle(bundle)) throw new TypeError('not a STIX bundle: expected {"type": "bundle", "objects": [...]}');
  const index = indexBundle(bundle.objects);
  const of = (kind: ObjectKind) => index.ofKind.get(kind) ?? [];

  const matrix = pickMatrix(of('matrix'), meta.domain);
  const tactics: Tactic[] = tacticsOf(matrix, of('tactic'), index.byStixId);
  const sortTactics = tacticSorter(tactics);
  const collection = of('collection').find(isActive);

  const catalog: Catalog = {
    domain: meta.domain ?? (matrix && attackReference(matrix)?.id) ?? '',
    version: meta.version ?? text(collection?.x_mitre_version),
    sha256,
    tactics,
    techniques: {},
    groups: {},
    campaigns: {},
    software: {},
    mitigations: {},
    dataComponents: {},
    retired: {},
  };

  // Active objects with an id become catalog entries and possible relationship ends.
  const nodes = new Map<string, Node>();
  const entryContext: EntryContext = { byStixId: index.byStixId, sortTactics };
  for (const [kind, objects] of index.ofKind) {
    const build = ENTRY_BUILDERS[kind];
    for (const o of objects) {
      if (!isActive(o)) continue;
      const id = catalogId(kind, o);
      if (id === undefined) continue;
      nodes.set(o.id, { kind, id, stix: o });
      build?.(catalog, id, o, entryContext);
    }
  }

  const strategyComponents = dataComponentsOfStrategy(index.byStixId, nodes);
  for (const r of index.relationships) {
    const type = r.relationship_type ?? '';
    const bySource = Object.hasOwn(RELATIONSHIP_RULES, type) ? RELATIONSHIP_RULES[type] : undefined;
    if (!bySource || !isActive(r)) continue;
    const source = nodes.get(r.source_ref ?? '');
    const target = source && nodes.get(r.target_ref ?? '');
    if (target) bySource[source.kind]?.[target.kind]?.(catalog, source, target, strategyComponents);
  }

  // A sub-technique without a `subtechnique-of` relationship still names its parent in its id.
  for (const t of Object.values(catalog.techniques)) {
    const dot = t.id.indexOf('.');
    if (t.parent === undefined && dot > 0) t.parent = t.id.slice(0, dot);
  }

  catalog.retired = retiredEntries(index, catalog);
  return finalize(catalog);
}

function sortRecord<T>(record: Record<string, T>, tidy: (value: T) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort(byString)) out[key] = tidy(record[key]);
  return out;
}

/** Sorted, duplicate-free arrays and records in key order, so the same bundle gives the same bytes. */
function finalize(c: Catalog): Catalog {
  return {
    ...c,
    techniques: sortRecord(c.techniques, (t) => ({ ...t, dataComponents: sortedUnique(t.dataComponents) })),
    groups: sortRecord(c.groups, (g) => ({
      ...g,
      techniques: sortedUnique(g.techniques),
      campaigns: sortedUnique(g.campaigns),
      software: sortedUnique(g.software),
    })),
    campaigns: sortRecord(c.campaigns, (x) => ({
      ...x,
      techniques: sortedUnique(x.techniques),
      software: sortedUnique(x.software),
      groups: sortedUnique(x.groups),
    })),
    software: sortRecord(c.software, (s) => ({ ...s, techniques: sortedUnique(s.techniques) })),
    mitigations: sortRecord(c.mitigations, (m) => ({ ...m, techniques: sortedUnique(m.techniques) })),
    dataComponents: sortRecord(c.dataComponents, (d) => d),
    retired: sortRecord<Retired>(c.retired, (r) => r),
  };
}
