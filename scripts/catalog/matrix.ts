/**
 * Tactics and their order come from the bundle's matrix (`tactic_refs`), never from a list here,
 * so a release that renames, splits or adds tactics loads unchanged.
 */
import { byString } from '../model/order.js';
import type { Tactic } from './types.js';
import { attackReference, isActive, type StixObject } from './stix.js';

/** The matrix of the domain: among active matrices, the one whose ATT&CK id is the domain, else the first. */
export function pickMatrix(matrices: readonly StixObject[], domain?: string): StixObject | undefined {
  const candidates = matrices.some(isActive) ? matrices.filter(isActive) : matrices;
  return candidates.find((m) => domain !== undefined && attackReference(m)?.id === domain) ?? candidates[0];
}

const toTactic = (o: StixObject): Tactic | undefined => {
  const id = attackReference(o)?.id;
  const shortname = o.x_mitre_shortname;
  if (!id || typeof shortname !== 'string') return undefined;
  return { id, shortname, name: typeof o.name === 'string' ? o.name : '' };
};

/**
 * The matrix's active tactics in `tactic_refs` order. A bundle without a matrix still gets its
 * active tactics, by id.
 */
export function tacticsOf(
  matrix: StixObject | undefined,
  tacticObjects: readonly StixObject[],
  byStixId: ReadonlyMap<string, StixObject>,
): Tactic[] {
  const refs = Array.isArray(matrix?.tactic_refs) ? matrix.tactic_refs : undefined;
  const objects = refs
    ? refs.map((ref) => byStixId.get(ref)).filter((o): o is StixObject => o !== undefined)
    : [...tacticObjects].sort((a, b) => byString(attackReference(a)?.id ?? '', attackReference(b)?.id ?? ''));
  const seen = new Set<string>();
  const tactics: Tactic[] = [];
  for (const o of objects) {
    const tactic = isActive(o) ? toTactic(o) : undefined;
    if (!tactic || seen.has(tactic.shortname)) continue;
    seen.add(tactic.shortname);
    tactics.push(tactic);
  }
  return tactics;
}

/**
 * Sorts a technique's tactic shortnames (its kill-chain phase names) into matrix order; phases
 * the matrix does not list are kept after the known ones, in code-point order.
 */
export function tacticSorter(tactics: readonly Tactic[]): (shortnames: string[]) => string[] {
  const rank = new Map(tactics.map((t, i) => [t.shortname, i]));
  const position = (s: string) => rank.get(s) ?? tactics.length;
  return (shortnames) =>
    [...new Set(shortnames)].sort((a, b) => position(a) - position(b) || byString(a, b));
}
