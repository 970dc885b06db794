/**
 * What `tidemark stale` finds, as plain data. Each finding has a stable fingerprint
 * (`<kind>:<id>`) that the GitHub issue carries, so a finding is filed once and its issue is
 * closed when the finding no longer applies.
 */
import type { Outcome, State } from '../model/schemas.js';

export const STALE_KINDS = ['profile', 'evidence', 'release'] as const;
export type StaleKind = (typeof STALE_KINDS)[number];

/** A group profile whose `reviewed` is older than `policy.review_max_age_days`. */
export interface StaleProfile {
  kind: 'profile';
  id: string;
  name: string;
  file: string;
  line: number;
  reviewed: string;
  /** Days since the review (undefined when `reviewed` is not a date). */
  ageDays?: number;
  maxAgeDays: number;
}

export interface EvidenceResult {
  date: string;
  outcome: Outcome;
  detection?: string;
  test?: string;
  file: string;
  line: number;
}

/**
 * A technique whose emulation evidence lapses: every result that is fresh now leaves the window
 * within the horizon (`expired: false`), or none has been fresh for a while (`expired: true`).
 */
export interface StaleEvidence {
  kind: 'evidence';
  id: string;
  name: string;
  expired: boolean;
  /** The first day on which no result of it is fresh any more (YYYY-MM-DD). */
  expires: string;
  /** Its state now, and at the end of the horizon. */
  stateNow: State;
  stateLater: State;
  results: EvidenceResult[];
  maxAgeDays: number;
}

/** The pinned ATT&CK release is older than the newest in the release index. */
export interface StaleRelease {
  kind: 'release';
  /** `<domain>-<newest version>`: a newer release than this one is a new finding. */
  id: string;
  domain: string;
  pinned: string;
  newest: string;
  modified?: string;
}

export type StaleFinding = StaleProfile | StaleEvidence | StaleRelease;

export interface StaleResult {
  now: string;
  horizonDays: number;
  /** The kinds that were checked: only their issues may be closed as resolved. */
  checked: StaleKind[];
  findings: StaleFinding[];
}
