/**
 * What `evaluate` hands to the emitters: plain data (no Maps, no classes), declared once here.
 * Everything `report.json` needs is in it, so emitters never look at the Repository again.
 */
import type { Finding, NodePath } from '../model/findings.js';
import type { Outcome, State } from '../model/schemas.js';

/** Why a technique is in a group's set (SPEC §4), for the site's evidence chain and the gate. */
export interface TechniqueReason {
  /** Profiled group id, or `baseline`. */
  group: string;
  /** `uses`: the ATT&CK group (or profiled campaign) uses it; `campaign`/`software`: through that object; `add`: the profile adds it. */
  via: 'uses' | 'campaign' | 'software' | 'add' | 'baseline';
  /** The campaign or software id (`via` campaign/software), or the profiled campaign (`via` uses). */
  ref?: string;
  /** The file that brought it in, and the node (the `techniques.add` entry for `add`). */
  file?: string;
  path?: NodePath;
}

/** Techniques a profile would bring but that did not make it into its set, and why. */
export interface DroppedTechniques {
  removed: string[];
  /** Not active in the pinned release (unknown, revoked or deprecated). */
  inactive: string[];
  /** No platform in `organisation.platforms`. */
  platform: string[];
}

export interface GroupSet {
  id: string;
  name: string;
  enabled: boolean;
  relevance: string | number;
  weight: number;
  rationale: string;
  reviewed: string;
  file: string;
  path: NodePath;
  /** The final set (sorted): contributes to the overlay when the group is enabled. */
  techniques: string[];
  dropped: DroppedTechniques;
}

export interface OverlayEntry {
  id: string;
  /** Enabled groups whose set holds it, sorted. */
  groups: string[];
  /** Only the baseline brings it. */
  baseline: boolean;
  /** Sum of the weights of `groups`; 1 for baseline-only techniques. */
  weight: number;
  reasons: TechniqueReason[];
}

export interface Overlay {
  /** Every profile, enabled or not, by id. */
  groups: GroupSet[];
  /** Techniques the baseline brings (whether or not a group also does), in baseline rank order. */
  baseline: string[];
  /** The overlay by technique id, sorted by id. */
  techniques: OverlayEntry[];
}

/** An emulation result as the evaluation sees it. */
export interface ResultView {
  technique: string;
  date: string;
  /** UTC calendar day of `date` (YYYY-MM-DD), or `date` itself when unreadable. */
  day: string;
  outcome: Outcome;
  detection?: string;
  test?: { type: string; id?: string; name?: string };
  host?: string;
  /** Inside the freshness window at `now`. */
  fresh: boolean;
  file: string;
  path: NodePath;
}

export interface DetectionView {
  id: string;
  title: string;
  kind: 'native' | 'sigma';
  status: string;
  techniques: string[];
  /** Native: the telemetry ids it names; Sigma: the inventory sources whose selectors match its logsource. */
  telemetry: string[];
  counts: boolean;
  reason?: string;
  description?: string;
  owner?: string;
  file: string;
  path: NodePath;
}

export interface ControlView {
  id: string;
  title: string;
  status: string;
  techniques: string[];
  mitigations: string[];
  compliance: Record<string, string[]>;
  description?: string;
  owner?: string;
  file: string;
  path: NodePath;
}

export interface TelemetryView {
  id: string;
  name: string;
  status: string;
  platforms: string[];
  /** Resolved data component ids (names resolved through the catalog; unresolved entries kept as written). */
  dataComponents: string[];
  file: string;
  path: NodePath;
}

/** What the evidence says about one technique (SPEC §9): the inputs of its state, and the state. */
export interface TechniqueEvidence {
  /** Detections mapped to it (counting or not), sorted. */
  detections: string[];
  /** The mapped detections that count, sorted. */
  counting: string[];
  /** Controls mapped to it (any status), sorted. */
  controls: string[];
  /** The mapped controls that are implemented, sorted. */
  implemented: string[];
  /** Every result for it, oldest first. */
  validations: ResultView[];
  /** The deciding result r (SPEC §9): the worst of the latest fresh day. */
  decisive?: ResultView;
  dataComponents: string[];
  /** Collected sources providing one of its data components, sorted. */
  telemetry: string[];
  state: State;
}

export interface TechniqueEvaluation extends TechniqueEvidence {
  id: string;
  name: string;
  tactics: string[];
  platforms: string[];
  parent?: string;
  groups: string[];
  baseline: boolean;
  reasons: TechniqueReason[];
  weight: number;
  credit: number;
  /** weight × (1 − credit), rounded. */
  priority: number;
}

export interface TacticScore {
  id: string;
  shortname: string;
  name: string;
  score: number;
  overlay: number;
}

export interface GroupEvaluation extends GroupSet {
  /** `reviewed` is older than `policy.review_max_age_days` at `now`. */
  stale: boolean;
  /** Mean credit over its set (0 for an empty set or a disabled group). */
  score: number;
  states: Record<State, number>;
}

export interface BacklogEntry {
  id: string;
  name: string;
  priority: number;
  weight: number;
  state: State;
  groups: string[];
  tactics: string[];
  action: string;
  tests?: { guid: string; name: string }[];
}

export interface Summary {
  overlay: number;
  states: Record<State, number>;
  score: number;
  gaps: number;
  untestedCoverage: number;
  staleProfiles: number;
}

export interface MatrixTechnique {
  id: string;
  name: string;
  tactics: string[];
  platforms: string[];
  parent?: string;
}

export interface Evaluation {
  /** The instant the states hold at (ISO 8601) and its UTC day. */
  now: string;
  today: string;
  attack: { domain: string; version: string };
  organisation: { name: string; platforms: string[] };
  site: { url?: string; base: string };
  summary: Summary;
  /** Matrix tactics in catalog order, with scores over the overlay. */
  tactics: TacticScore[];
  /** Overlay techniques, by id. */
  techniques: TechniqueEvaluation[];
  groups: GroupEvaluation[];
  baseline: string[];
  backlog: BacklogEntry[];
  detections: DetectionView[];
  controls: ControlView[];
  telemetry: TelemetryView[];
  /** Names of the data components mentioned by techniques and telemetry. */
  dataComponents: { id: string; name: string }[];
  /** Every active technique of the pinned release, by id. */
  matrix: MatrixTechnique[];
  /** Coverage findings (SPEC §9), with file and node path; unsorted positions are resolved later. */
  findings: Finding[];
}

export interface EvaluateOptions {
  /** Atomic Red Team tests for a technique (from the configured index), best first. */
  suggestTests?: (techniqueId: string) => { guid: string; name: string }[];
}
