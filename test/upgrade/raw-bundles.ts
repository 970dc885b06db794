/**
 * Facts about ATT&CK releases computed straight from the STIX bundles in the shared mirror, with
 * zlib and a few lines of plain code: the independent side of the diff tests. Nothing here uses
 * tidemark's catalog code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const MIRROR = process.env.TIDEMARK_ATTACK_MIRROR ?? join(import.meta.dirname, '..', '..', '..', 'shared', 'attack');

interface Stix {
  id: string;
  type: string;
  name?: string;
  revoked?: boolean;
  x_mitre_deprecated?: boolean;
  relationship_type?: string;
  source_ref?: string;
  target_ref?: string;
  external_references?: { source_name?: string; external_id?: string }[];
}

export interface RawRelease {
  version: string;
  /** Attack-pattern ATT&CK id → status. */
  techniques: Map<string, { status: 'active' | 'revoked' | 'deprecated'; stixId: string; name: string }>;
  /** Active intrusion-set id → ids of the active techniques it `uses` through active relationships. */
  groups: Map<string, Set<string>>;
  /** Revoked technique id → the ATT&CK id at the end of its revoked-by chain. */
  replacement: Map<string, string>;
}

const cache = new Map<string, RawRelease>();

export function rawRelease(version: string, domain = 'enterprise-attack'): RawRelease {
  const hit = cache.get(version);
  if (hit) return hit;
  const bundle = JSON.parse(gunzipSync(readFileSync(join(MIRROR, `${domain}-${version}.json.gz`))).toString('utf8')) as { objects: Stix[] };
  const byStix = new Map(bundle.objects.map((o) => [o.id, o]));
  const attackId = (o: Stix | undefined) => o?.external_references?.find((r) => r.source_name === 'mitre-attack')?.external_id;
  const status = (o: Stix) => (o.revoked ? 'revoked' : o.x_mitre_deprecated ? 'deprecated' : 'active');

  const techniques: RawRelease['techniques'] = new Map();
  for (const o of bundle.objects) {
    const id = attackId(o);
    if (o.type === 'attack-pattern' && id) techniques.set(id, { status: status(o), stixId: o.id, name: o.name ?? '' });
  }
  const relationships = bundle.objects.filter((o) => o.type === 'relationship');
  const revokedBy = new Map(relationships.filter((r) => r.relationship_type === 'revoked-by' && status(r) === 'active').map((r) => [r.source_ref!, r.target_ref!]));
  const replacement = new Map<string, string>();
  for (const [id, t] of techniques) {
    if (t.status !== 'revoked') continue;
    let at = t.stixId;
    for (let hops = 0; revokedBy.has(at) && hops < 10; hops++) at = revokedBy.get(at)!;
    const end = byStix.get(at);
    if (end && end.id !== t.stixId && status(end) === 'active') replacement.set(id, attackId(end)!);
  }
  const groups: RawRelease['groups'] = new Map();
  for (const o of bundle.objects) if (o.type === 'intrusion-set' && status(o) === 'active') groups.set(attackId(o)!, new Set());
  for (const r of relationships) {
    if (r.relationship_type !== 'uses' || status(r) !== 'active') continue;
    const source = byStix.get(r.source_ref!);
    const target = byStix.get(r.target_ref!);
    if (source?.type !== 'intrusion-set' || target?.type !== 'attack-pattern') continue;
    if (status(source) !== 'active' || status(target) !== 'active') continue;
    groups.get(attackId(source)!)?.add(attackId(target)!);
  }
  const release = { version, techniques, groups, replacement };
  cache.set(version, release);
  return release;
}

const active = (r: RawRelease) => new Set([...r.techniques].filter(([, t]) => t.status === 'active').map(([id]) => id));

/** What a step from A to B does, computed from the raw bundles. */
export function rawStep(a: RawRelease, b: RawRelease) {
  const activeA = active(a);
  const activeB = active(b);
  const sorted = (xs: Iterable<string>) => [...xs].sort();
  const newlyIs = (s: 'revoked' | 'deprecated') => sorted([...activeA].filter((id) => b.techniques.get(id)?.status === s));
  const revoked = newlyIs('revoked');
  const changedGroups = sorted(
    [...b.groups].filter(([id, set]) => {
      const before = a.groups.get(id);
      return before !== undefined && (before.size !== set.size || [...set].some((t) => !before.has(t)));
    }).map(([id]) => id),
  );
  return {
    added: sorted([...activeB].filter((id) => !activeA.has(id))),
    revoked,
    pairs: revoked.map((id) => [id, b.replacement.get(id)] as const),
    deprecated: newlyIs('deprecated'),
    changedGroups,
  };
}
