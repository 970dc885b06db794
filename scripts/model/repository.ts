/**
 * The repository as plain data after loading and shape validation: what `validate` checks against
 * the catalog and what `evaluate` computes coverage from. Every record remembers the file and the
 * node path it came from, so later findings can point at the exact line.
 */
import type { NodePath } from './findings.js';
import type { Config, Control, GroupProfile, TelemetrySource, Validation } from './schemas.js';

export interface Origin {
  /** Repository-relative path with forward slashes. */
  file: string;
  /** Path of the record inside its file ([] when the record is the whole file). */
  path: NodePath;
}

export interface GroupRecord extends GroupProfile, Origin {}

export interface DetectionRecord extends Origin {
  id: string;
  title: string;
  kind: 'native' | 'sigma';
  status: string;
  /** Technique ids, upper-case, in file order. */
  techniques: string[];
  /** Path of each entry of `techniques` (native: techniques[i]; Sigma: tags[j]). */
  techniquePaths: NodePath[];
  platforms: string[];
  /** Native detections: telemetry source ids it needs. */
  telemetry: string[];
  /** Sigma rules: the rule's logsource. */
  logsource?: Record<string, string>;
  description?: string;
  owner?: string;
}

export interface ControlRecord extends Control, Origin {}

export interface TelemetryRecord extends TelemetrySource, Origin {}

export interface ValidationRecord extends Validation, Origin {}

export interface Repository {
  config: Config;
  groups: GroupRecord[];
  detections: DetectionRecord[];
  controls: ControlRecord[];
  telemetry: TelemetryRecord[];
  validations: ValidationRecord[];
}
