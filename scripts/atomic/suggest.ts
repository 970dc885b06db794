/** Which Atomic Red Team tests to run next for a technique (SPEC §10, next action "validate it"). */
import type { AtomicIndex } from './parse.js';
import { runsOn } from './platforms.js';

export interface Suggestion {
  guid: string;
  name: string;
}

export const MAX_SUGGESTIONS = 3;

/**
 * Up to three tests of exactly `techniqueId` that run on one of `platforms` (the organisation's
 * ATT&CK platforms; none given = no filter). Automated tests come before manual ones, then by test
 * number.
 */
export function suggestTests(index: AtomicIndex, techniqueId: string, platforms?: readonly string[]): Suggestion[] {
  return (index.byTechnique[techniqueId.trim().toUpperCase()] ?? [])
    .map((guid) => index.tests[guid])
    .filter((test) => runsOn(test.platforms, platforms))
    .sort((a, b) => Number(a.executor === 'manual') - Number(b.executor === 'manual') || a.number - b.number || (a.guid < b.guid ? -1 : 1))
    .slice(0, MAX_SUGGESTIONS)
    .map(({ guid, name }) => ({ guid, name }));
}
