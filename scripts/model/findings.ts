/**
 * Findings are data, never exceptions: every stage returns them and the CLI decides the exit code.
 * A finding points at a node by `file` and `path` (keys from the document root); the load stage
 * turns that into line and column at the end, so pure stages never deal with text positions.
 */
import { byString } from './order.js';

export type Severity = 'error' | 'warning' | 'info';

export type NodePath = (string | number)[];

export interface Finding {
  severity: Severity;
  code: string;
  message: string;
  file?: string;
  path?: NodePath;
  /** Point at the key of the node at `path` rather than its value (unknown keys). */
  onKey?: boolean;
  line?: number;
  col?: number;
}

export interface CodeInfo {
  severity: Severity;
  /** What to do about it: printed after the message. */
  hint?: string;
}

/**
 * The catalogue of finding codes. Codes are permanent names: tests, docs and users' suppressions
 * refer to them, so a code is never renamed or reused.
 */
export const CODES = {
  'yaml-syntax': { severity: 'error', hint: 'Fix the YAML syntax at the position shown.' },
  'yaml-duplicate-key': { severity: 'error', hint: 'Remove or rename one of the keys.' },
  'yaml-too-complex': { severity: 'error', hint: 'Aliases and nesting are limited; write the values out.' },
  'file-too-large': { severity: 'error', hint: 'Content files are limited to 10 MiB; split the file.' },
  'file-encoding': { severity: 'error', hint: 'Save the file as UTF-8.' },
  'file-unreadable': { severity: 'error' },
  'symlink-outside': { severity: 'error', hint: 'Links that leave the repository are not followed; copy the file in.' },
  'schema': { severity: 'error' },
  'unknown-key': { severity: 'warning' },
  'config-unknown-key': { severity: 'error', hint: 'tidemark.yaml accepts only the keys in SPEC §3.' },
  'duplicate-id': { severity: 'error', hint: 'Ids must be unique across the repository.' },
  'technique-unknown': { severity: 'error' },
  'technique-revoked': { severity: 'error' },
  'technique-deprecated': { severity: 'error', hint: 'Remove it, or map the behaviour to an active technique.' },
  'group-unknown': { severity: 'error' },
  'group-revoked': { severity: 'error' },
  'mitigation-unknown': { severity: 'error' },
  'data-component-unknown': { severity: 'error', hint: 'Use a data component id (DC0032) or its exact name.' },
  'telemetry-unknown': { severity: 'error', hint: 'Name a source id from coverage/telemetry.yaml.' },
  'detection-unknown': { severity: 'error', hint: 'Name a detection id that exists under detections/.' },
  'platform-unknown': { severity: 'warning' },
  'parent-and-sub': { severity: 'warning', hint: 'Map the detection to the techniques it really detects; a parent does not cover its sub-techniques.' },
  'telemetry-need-unanswered': { severity: 'warning' },
  'sigma-rule': { severity: 'warning' },
  'sigma-newer-release': {
    severity: 'warning',
    hint: 'Nothing to fix in the rule: it is read and the tag is ignored until tidemark.yaml pins a release that has it (tidemark attack upgrade --to V).',
  },
  'sigma-tag-unknown': { severity: 'warning', hint: 'The tag is ignored and the rest of the rule is read; check it against the pinned ATT&CK release.' },
  'sigma-tag-revoked': { severity: 'warning', hint: 'The tag is ignored and the rest of the rule is read; the replacement is named in the message.' },
  'sigma-status': { severity: 'warning', hint: 'Give the rule one of the Sigma statuses: stable, test, experimental, deprecated, unsupported.' },
  'sigma-related': { severity: 'warning', hint: 'Each `related` entry needs an `id` and a `type` (derived, obsolete, merged, renamed, similar).' },
  'sigma-superseded': { severity: 'info', hint: 'Remove the older rule, or mark it deprecated, once the newer one is deployed.' },
  'sigma-collection': { severity: 'info' },
  'shallow-profile': { severity: 'warning' },
  'validated-but-blind': { severity: 'warning' },
  'detection-without-telemetry': { severity: 'warning' },
  'stale-profile': { severity: 'warning' },
  'untested-coverage': { severity: 'info' },
  'atomic-test-unknown': { severity: 'warning', hint: "Use the test's auto_generated_guid from Atomic Red Team, or update the index (atomic_red_team.index)." },
  'atomic-test-mismatch': { severity: 'warning', hint: 'Record the result under the technique the test belongs to, or correct the test id.' },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;

export function finding(
  code: Code,
  message: string,
  at: { file?: string; path?: NodePath; onKey?: boolean } = {},
  severity: Severity = CODES[code].severity,
): Finding {
  return { severity, code, message, ...at };
}

export const hasErrors = (findings: readonly Finding[]) => findings.some((f) => f.severity === 'error');

const order: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Stable order for output: by file, line, column, then code. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      byString(a.file ?? '', b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.col ?? 0) - (b.col ?? 0) ||
      order[a.severity] - order[b.severity] ||
      byString(a.code, b.code) ||
      byString(a.message, b.message),
  );
}
