/**
 * What passes between the import stages: parsers turn an input file into runs or records (pure),
 * the outcome stage decides each run's outcome from alerts, and the write stage dedupes against the
 * repository and writes one file.
 */
import type { Outcome, Validation } from '../model/schemas.js';

/** Something wrong with the input itself: nothing is written while any exists. */
export interface Problem {
  /** 1-based line in the input file. */
  line: number;
  message: string;
}

/** An entry deliberately not turned into a record (not a run, a cleanup link, TBD, unresolved…). */
export interface Skip {
  line: number;
  /** Short, stable wording; the summary counts entries per reason. */
  reason: string;
  detail?: string;
}

/** One execution of a test, before its detection outcome is known. */
export interface Run {
  line: number;
  technique: string;
  /** Start of the run, UTC, `YYYY-MM-DDTHH:MM:SSZ`. */
  start: string;
  host?: string;
  test: NonNullable<Validation['test']>;
  /** Execution status worth keeping (exit code, timeout): never an outcome by itself. */
  notes?: string;
}

export interface RunsResult {
  runs: Run[];
  skipped: Skip[];
  problems: Problem[];
  /** Entries read from the input: log rows, procedures, links. */
  read: number;
}

export interface ImportResult {
  records: Validation[];
  /** Input line of each record (parallel to `records`). */
  lines: number[];
  skipped: Skip[];
  problems: Problem[];
  read: number;
  /** Entries by their status or outcome as the source names it (VECTR `Outcome`, CALDERA status). */
  tally?: Record<string, number>;
}

/** An alert from the SIEM or EDR, evidence that a detection fired. */
export interface Alert {
  line: number;
  /** Epoch milliseconds. */
  time: number;
  host: string;
  /** Detection (or rule) id as the alert names it. */
  rule: string;
  /** Techniques the alert itself names, upper-case; empty when it names none. */
  techniques: string[];
}

/** How runs get their outcome: matched against alerts, or one outcome for all given by the user. */
export type OutcomeSource =
  | { kind: 'fixed'; outcome: Outcome }
  | {
      kind: 'alerts';
      alerts: Alert[];
      windowMs: number;
      /** Detection id → techniques, from the repository's detections. */
      detections: Record<string, string[]>;
    };
