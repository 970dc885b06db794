/**
 * Atomic Red Team: the test index, platform mapping, test suggestions for the backlog's next action,
 * and the check that results name real tests. Pure except `loadAtomicIndex`.
 */
export { parseAtomicIndex, applyAtomicsFile, type AtomicIndex, type AtomicTest } from './parse.js';
export { suggestTests, MAX_SUGGESTIONS, type Suggestion } from './suggest.js';
export { checkAtomicIds, type AtomicResult } from './check.js';
export { loadAtomicIndex, AtomicIndexError, type LoadedIndex } from './load.js';
export { ART_PLATFORMS, EXECUTOR_PLATFORMS, attackPlatforms, platformsOfExecutor, runsOn } from './platforms.js';
