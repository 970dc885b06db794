/**
 * Scores (SPEC §10): credit by state, weighted coverage overall and per tactic, the mean per group.
 * Every figure is rounded to four decimals so outputs have stable bytes.
 */
import type { Tactic } from '../catalog/types.js';
import { STATES, type Config, type State } from '../model/schemas.js';
import type { TacticScore } from './types.js';

export const round = (value: number, digits = 4): number => {
  const f = 10 ** digits;
  const r = Math.round(value * f) / f;
  return Object.is(r, -0) ? 0 : r;
};

export const creditOf = (state: State, policy: Config['policy']): number => policy.credit[state];

/** weight × (1 − credit). */
export const priorityOf = (weight: number, credit: number): number => round(weight * (1 - credit));

/** Σ weight·credit / Σ weight, 0 when there is nothing to weigh. */
export function weightedScore(items: Iterable<{ weight: number; credit: number }>): number {
  let num = 0;
  let den = 0;
  for (const { weight, credit } of items) {
    num += weight * credit;
    den += weight;
  }
  return den > 0 ? round(num / den) : 0;
}

/** Mean credit (each technique weight 1), 0 for an empty set. */
export const meanCredit = (credits: readonly number[]): number =>
  credits.length ? round(credits.reduce((a, b) => a + b, 0) / credits.length) : 0;

export function stateCounts(states: Iterable<State>): Record<State, number> {
  const counts = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<State, number>;
  for (const s of states) counts[s] += 1;
  return counts;
}

/** Per tactic, in matrix order: weighted score over the overlay techniques of that tactic. */
export function tacticScores(
  tactics: readonly Tactic[],
  techniques: readonly { tactics: readonly string[]; weight: number; credit: number }[],
): TacticScore[] {
  return tactics.map((tactic) => {
    const members = techniques.filter((t) => t.tactics.includes(tactic.shortname));
    return { id: tactic.id, shortname: tactic.shortname, name: tactic.name, score: weightedScore(members), overlay: members.length };
  });
}
