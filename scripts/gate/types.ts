/**
 * What passes between the gate's steps: two evaluated snapshots in, one plain-data verdict out.
 * Everything here is data; the Markdown, the annotations and the comment are renderings of it.
 */
import type { Finding } from '../model/findings.js';
import type { Report } from '../model/report.js';
import type { Config, State } from '../model/schemas.js';

/** One side of the comparison: what the pipeline produced for a revision. */
export interface Snapshot {
  /** Absent when errors prevented evaluation. */
  report?: Report;
  findings: Finding[];
  /** Content file → text, to tell which files changed and to find lines. */
  sources: Map<string, string>;
}

export type GatePolicy = Config['gate'];

export const DEFAULT_GATE_POLICY: GatePolicy = {
  fail_on: ['invalid', 'regression', 'new_gap'],
  new_groups_may_add_gaps: true,
  min_score: 0,
};

/** A gate rule that can fail the check. `min_score` applies whenever it is above 0. */
export type Rule = 'invalid' | 'regression' | 'new_gap' | 'min_score';

export type EvidenceKind = 'validation' | 'detection' | 'control' | 'telemetry' | 'group' | 'config';

/** One piece of a technique's evidence that differs between base and head. */
export interface EvidenceChange {
  kind: EvidenceKind;
  /** Record id (validations: `<date> <outcome>`). */
  id: string;
  /** Repository-relative file holding the record (in head, or in base when it was removed). */
  file: string;
  change: 'added' | 'removed' | 'changed';
  /** Human-readable: what happened to it. */
  detail: string;
  /** Whether `file` itself differs between base and head. */
  fileChanged: boolean;
  /** Where to point an annotation (head positions only; removed records have none). */
  line?: number;
  col?: number;
}

export interface Standing {
  state: State;
  credit: number;
}

export interface TechniqueChange {
  id: string;
  name: string;
  /** Absent when the technique was not in the base overlay. */
  before?: Standing;
  /** Absent when it left the overlay. */
  after?: Standing;
  /** The gate rules it trips (empty for improvements and neutral changes). */
  rules: ('regression' | 'new_gap')[];
  /** A gap that only a newly profiled group brings, tolerated by `new_groups_may_add_gaps`. */
  newGroupGap: boolean;
  /** The change most likely responsible (a changed file's record first). */
  cause?: EvidenceChange;
  evidence: EvidenceChange[];
}

export interface GateResult {
  verdict: 'pass' | 'fail';
  /** Rules that failed, in a fixed order. */
  failed: Rule[];
  policy: GatePolicy;
  score: { before?: number; after?: number };
  attack: { base?: string; head?: string };
  /** Every overlay technique whose state or credit changed, or that entered or left the overlay. */
  changes: TechniqueChange[];
  regressions: TechniqueChange[];
  newGaps: TechniqueChange[];
  /** New gaps brought only by newly profiled groups, reported as warnings. */
  newGroupGaps: TechniqueChange[];
  /** Groups enabled in head that were not enabled in base. */
  newGroups: string[];
  /** Errors in head (the `invalid` rule). */
  errors: Finding[];
  /** Warnings in head that base did not have (same code, file and message). */
  warnings: Finding[];
  changedFiles: string[];
  /** Things the reader should know (base could not be evaluated…). */
  notes: string[];
}
