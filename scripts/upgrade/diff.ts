/**
 * The difference between two releases of one ATT&CK domain, from two catalogs: pure, nothing
 * about ATT&CK's content written here. "Active" means present in a catalog table; what became of
 * an id that is no longer active comes from the newer catalog's `retired`.
 */
import type { Catalog, ObjectKind } from '../catalog/types.js';
import { byString, sortedUnique } from '../model/order.js';
import type { ActorChange, CatalogDiff, Named, RetiredObject, SetChange, TechniqueChanges } from './types.js';

const byId = (a: { id: string }, b: { id: string }) => byString(a.id, b.id);
const has = (record: object, id: string) => Object.hasOwn(record, id);

function setChange(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  const a = new Set(before);
  const b = new Set(after);
  return { added: sortedUnique(after.filter((x) => !a.has(x))), removed: sortedUnique(before.filter((x) => !b.has(x))) };
}

/** The name of an id in B (active or retired), else in A. */
function nameIn(b: Catalog, a: Catalog, id: string): string {
  for (const c of [b, a]) {
    for (const table of [c.techniques, c.groups, c.campaigns, c.software, c.mitigations]) {
      if (has(table, id)) return (table as Record<string, { name: string }>)[id].name;
    }
    if (has(c.retired, id)) return c.retired[id].name;
  }
  return '';
}

function techniqueChanges(a: Catalog, b: Catalog): TechniqueChanges {
  const changes: TechniqueChanges = { added: [], revoked: [], deprecated: [], removed: [], renamed: [], tactics: [], platforms: [] };
  for (const t of Object.values(b.techniques)) {
    if (!has(a.techniques, t.id)) changes.added.push({ id: t.id, name: t.name, tactics: [...t.tactics] });
  }
  for (const old of Object.values(a.techniques)) {
    const now = has(b.techniques, old.id) ? b.techniques[old.id] : undefined;
    if (!now) {
      const retired = has(b.retired, old.id) ? b.retired[old.id] : undefined;
      if (retired?.kind === 'revoked') {
        const replacedBy = retired.replacedBy ? { id: retired.replacedBy, name: nameIn(b, a, retired.replacedBy) } : undefined;
        changes.revoked.push({ id: old.id, name: old.name, ...(replacedBy ? { replacedBy } : {}) });
      } else if (retired?.kind === 'deprecated') changes.deprecated.push({ id: old.id, name: old.name });
      else changes.removed.push({ id: old.id, name: old.name });
      continue;
    }
    if (now.name !== old.name) changes.renamed.push({ id: old.id, from: old.name, to: now.name });
    const tactics = setChange(old.tactics, now.tactics);
    if (tactics.added.length || tactics.removed.length) changes.tactics.push({ id: old.id, name: now.name, ...tactics } satisfies SetChange);
    const platforms = setChange(old.platforms, now.platforms);
    if (platforms.added.length || platforms.removed.length) changes.platforms.push({ id: old.id, name: now.name, ...platforms });
  }
  for (const list of Object.values(changes)) (list as { id: string }[]).sort(byId);
  return changes;
}

const OBJECT_TABLES: { kind: ObjectKind; table: (c: Catalog) => Record<string, { id: string; name: string }> }[] = [
  { kind: 'group', table: (c) => c.groups },
  { kind: 'campaign', table: (c) => c.campaigns },
  { kind: 'software', table: (c) => c.software },
  { kind: 'mitigation', table: (c) => c.mitigations },
];

function retiredObjects(a: Catalog, b: Catalog): RetiredObject[] {
  const out: RetiredObject[] = [];
  for (const { kind, table } of OBJECT_TABLES) {
    const after = table(b);
    for (const old of Object.values(table(a))) {
      if (has(after, old.id)) continue;
      const retired = has(b.retired, old.id) ? b.retired[old.id] : undefined;
      const change = retired?.kind ?? 'removed';
      const replacedBy = retired?.replacedBy ? { id: retired.replacedBy, name: nameIn(b, a, retired.replacedBy) } : undefined;
      out.push({ id: old.id, name: old.name, objectKind: kind, change, ...(replacedBy ? { replacedBy } : {}) });
    }
  }
  return out.sort(byId);
}

function actorChanges(a: Catalog, b: Catalog): ActorChange[] {
  const out: ActorChange[] = [];
  const kinds = [
    { kind: 'group' as const, table: (c: Catalog) => c.groups },
    { kind: 'campaign' as const, table: (c: Catalog) => c.campaigns },
  ];
  for (const { kind, table } of kinds) {
    const before = table(a);
    for (const now of Object.values(table(b))) {
      if (!has(before, now.id)) continue;
      const { added, removed } = setChange(before[now.id].techniques, now.techniques);
      if (added.length || removed.length) out.push({ id: now.id, name: now.name, kind, gained: added, lost: removed });
    }
  }
  return out.sort(byId);
}

function newGroups(a: Catalog, b: Catalog): Named[] {
  return [...Object.values(b.groups), ...Object.values(b.campaigns)]
    .filter((g) => !has(a.groups, g.id) && !has(a.campaigns, g.id))
    .map((g) => ({ id: g.id, name: g.name }))
    .sort(byId);
}

/** What moving from release `a` to release `b` of the same domain changes. */
export function diffCatalogs(a: Catalog, b: Catalog): CatalogDiff {
  return {
    domain: b.domain,
    from: a.version,
    to: b.version,
    techniques: techniqueChanges(a, b),
    objects: retiredObjects(a, b),
    newGroups: newGroups(a, b),
    actors: actorChanges(a, b),
  };
}
