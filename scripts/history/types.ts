/**
 * `build/history.json`: the coverage trend over the main branch, one point per commit that changed
 * content, oldest first. The cache (`build/history-cache.json`) keeps each commit's point by sha so
 * a second run only evaluates new commits.
 */
import { Type, type Static } from '@sinclair/typebox';
import { STATES } from '../model/schemas.js';

const StateCounts = Type.Object(Object.fromEntries(STATES.map((s) => [s, Type.Integer({ minimum: 0 })])) as Record<
  (typeof STATES)[number],
  ReturnType<typeof Type.Integer>
>);

export const HistoryPointSchema = Type.Object({
  commit: Type.String({ pattern: '^[0-9a-f]{40,64}$' }),
  /** Committer date, ISO 8601: the instant the commit was evaluated at. */
  date: Type.String(),
  score: Type.Number({ minimum: 0, maximum: 1 }),
  states: StateCounts,
  overlay: Type.Integer({ minimum: 0 }),
});

export const HistorySchema = Type.Array(HistoryPointSchema, { $id: 'history.schema.json', title: 'tidemark coverage history (build/history.json)' });

export type HistoryPoint = Static<typeof HistoryPointSchema>;
export type History = Static<typeof HistorySchema>;

/** A commit whose content could not be evaluated (invalid YAML, a broken pin…): cached, not plotted. */
export interface SkippedPoint {
  commit: string;
  date: string;
  skipped: string;
}

export type CachedPoint = HistoryPoint | SkippedPoint;

export const CACHE_FORMAT = 1;

export interface HistoryCache {
  format: typeof CACHE_FORMAT;
  /** tidemark version that computed the points: another version recomputes everything. */
  tool: string;
  points: Record<string, CachedPoint>;
}

export const isSkipped = (p: CachedPoint): p is SkippedPoint => 'skipped' in p;
