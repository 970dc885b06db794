/**
 * Revoked and deprecated objects, by ATT&CK id. A revoked object points at its replacement
 * through `revoked-by`, followed through chains to the final active object; a deprecated one has
 * no replacement. Old mitigations reused technique ids, so when retired objects share an id the
 * kind listed first in RETIRED_PRECEDENCE keeps it, and an id that is active anywhere is never
 * reported retired.
 */
import type { Catalog, ObjectKind, Retired } from './types.js';
import type { Indexed } from './build.js';
import { attackReference, isActive, isRevoked, type StixObject } from './stix.js';

const RETIRED_PRECEDENCE: readonly ObjectKind[] = [
  'technique',
  'group',
  'campaign',
  'software',
  'mitigation',
  'dataComponent',
  'tactic',
  'dataSource',
  'detectionStrategy',
  'analytic',
  'matrix',
];

function activeIds(c: Catalog): Set<string> {
  const ids = new Set<string>(c.tactics.map((t) => t.id));
  for (const table of [c.techniques, c.groups, c.campaigns, c.software, c.mitigations, c.dataComponents]) {
    for (const id of Object.keys(table)) ids.add(id);
  }
  return ids;
}

function revokedByMap(index: Indexed): Map<string, string> {
  const map = new Map<string, string>();
  for (const r of index.relationships) {
    if (r.relationship_type !== 'revoked-by' || !isActive(r) || !r.source_ref || !r.target_ref) continue;
    map.set(r.source_ref, r.target_ref);
  }
  return map;
}

/** The ATT&CK id of the active object at the end of a revoked object's `revoked-by` chain. */
function replacementOf(o: StixObject, revokedBy: Map<string, string>, byStixId: Indexed['byStixId']) {
  const seen = new Set([o.id]);
  let current = o;
  for (let next = revokedBy.get(current.id); next !== undefined && !seen.has(next); next = revokedBy.get(next)) {
    const target = byStixId.get(next);
    if (!target) return undefined;
    seen.add(next);
    current = target;
    if (!isRevoked(current)) break;
  }
  return current !== o && isActive(current) ? attackReference(current)?.id : undefined;
}

export function retiredEntries(index: Indexed, catalog: Catalog): Record<string, Retired> {
  const active = activeIds(catalog);
  const revokedBy = revokedByMap(index);
  const retired: Record<string, Retired> = {};
  for (const kind of RETIRED_PRECEDENCE) {
    for (const o of index.ofKind.get(kind) ?? []) {
      if (isActive(o)) continue;
      const id = attackReference(o)?.id;
      if (id === undefined || active.has(id) || retired[id]) continue;
      const name = typeof o.name === 'string' ? o.name : '';
      if (isRevoked(o)) {
        const replacedBy = replacementOf(o, revokedBy, index.byStixId);
        retired[id] = replacedBy ? { kind: 'revoked', replacedBy, name, objectKind: kind } : { kind: 'revoked', name, objectKind: kind };
      } else {
        retired[id] = { kind: 'deprecated', name, objectKind: kind };
      }
    }
  }
  return retired;
}
