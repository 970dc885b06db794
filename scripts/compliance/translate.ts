/**
 * Technique ids of one ATT&CK release in the terms of another (pure). A mapping file written
 * against ATT&CK 16.1 names techniques that 18.1 revoked; `revoked-by` says what replaced them.
 * Both catalogs are asked: an id the source release had already revoked is first followed there,
 * then the result is looked up in the target release.
 */
import { resolveId } from '../catalog/lookup.js';
import type { Catalog } from '../catalog/types.js';

export type Translation =
  | { status: 'active'; id: string }
  | { status: 'revoked'; id: string; from: string; name: string }
  | { status: 'deprecated'; from: string; name: string }
  | { status: 'unknown'; from: string };

/** `id` in `target`'s terms; `source` (the release the id was written against) is optional. */
export function translateTechnique(id: string, target: Catalog, source?: Catalog): Translation {
  const seen = new Set<string>();
  let current = id;
  for (;;) {
    if (seen.has(current)) return { status: 'unknown', from: id };
    seen.add(current);
    const here = resolveId(target, current, 'technique');
    if (here.status === 'active') return current === id ? { status: 'active', id } : { status: 'revoked', id: current, from: id, name: nameOf(id, target, source) };
    if (here.status === 'revoked' && here.replacedBy) {
      current = here.replacedBy;
      continue;
    }
    if (here.status === 'deprecated' || here.status === 'revoked') return { status: 'deprecated', from: id, name: here.name };
    // Not in the target at all: the source may have revoked it already, towards an id the target knows.
    const there = source ? resolveId(source, current, 'technique') : { status: 'unknown' as const };
    if (there.status === 'revoked' && there.replacedBy) {
      current = there.replacedBy;
      continue;
    }
    return { status: 'unknown', from: id };
  }
}

const nameOf = (id: string, target: Catalog, source?: Catalog) =>
  target.retired[id]?.name ?? source?.techniques[id]?.name ?? source?.retired[id]?.name ?? id;

export interface TranslationSummary {
  /** Old id → replacement, for ids revoked between the releases. */
  revoked: Record<string, string>;
  deprecated: string[];
  unknown: string[];
}

/** Translates every id once; returns the map old → active id and what could not be carried over. */
export function translateAll(ids: Iterable<string>, target: Catalog, source?: Catalog): { map: Map<string, string>; summary: TranslationSummary } {
  const map = new Map<string, string>();
  const summary: TranslationSummary = { revoked: {}, deprecated: [], unknown: [] };
  for (const id of new Set(ids)) {
    const t = translateTechnique(id, target, source);
    if (t.status === 'active') map.set(id, t.id);
    else if (t.status === 'revoked') {
      map.set(id, t.id);
      summary.revoked[id] = t.id;
    } else if (t.status === 'deprecated') summary.deprecated.push(id);
    else summary.unknown.push(id);
  }
  summary.deprecated.sort();
  summary.unknown.sort();
  return { map, summary };
}
