/**
 * What a change of ATT&CK release means, as plain data: the pure diff of two catalogs, the places
 * in a repository that refer to an affected id, and the report the CLI renders. Declared once here
 * and shared by every step of `attack diff` and `attack upgrade`.
 */
import type { ObjectKind } from '../catalog/types.js';
import type { State } from '../model/schemas.js';

export interface Named {
  id: string;
  name: string;
}

export interface RevokedTechnique extends Named {
  /** The active technique that replaces it in the newer release (revoked-by chains followed). */
  replacedBy?: Named;
}

export interface SetChange extends Named {
  added: string[];
  removed: string[];
}

export interface Renamed {
  id: string;
  from: string;
  to: string;
}

export interface TechniqueChanges {
  /** Active in B and not in A (new ids, and ids active again). */
  added: (Named & { tactics: string[] })[];
  /** Active in A, revoked in B. */
  revoked: RevokedTechnique[];
  /** Active in A, deprecated in B. */
  deprecated: Named[];
  /** Active in A and absent from B altogether (a bundle that dropped the object). */
  removed: Named[];
  renamed: Renamed[];
  /** Tactic shortnames gained and lost (moved between tactics). */
  tactics: SetChange[];
  platforms: SetChange[];
}

/** A group, campaign, software or mitigation that was active in A and is not in B. */
export interface RetiredObject extends Named {
  objectKind: ObjectKind;
  change: 'revoked' | 'deprecated' | 'removed';
  replacedBy?: Named;
}

/** An ATT&CK group or campaign active in both releases whose `uses` techniques changed. */
export interface ActorChange extends Named {
  kind: 'group' | 'campaign';
  gained: string[];
  lost: string[];
}

export interface CatalogDiff {
  domain: string;
  from: string;
  to: string;
  techniques: TechniqueChanges;
  /** Groups, campaigns, software and mitigations retired by B. */
  objects: RetiredObject[];
  /** Groups and campaigns new in B. */
  newGroups: Named[];
  actors: ActorChange[];
}

/** Why an id matters to a repository moving from A to B. */
export type ChangeKind = 'revoked' | 'deprecated' | 'removed' | 'renamed' | 'tactics' | 'platforms';

export interface Affected {
  id: string;
  name: string;
  change: ChangeKind;
  /** Retired before A already (content that was invalid at A too). */
  before?: boolean;
  replacedBy?: string;
  /** One line: `revoked → T1574.001 Hijack Execution Flow: DLL`, `platforms +ESXi −Linux`. */
  detail: string;
}

/** One occurrence of an ATT&CK id in a repository file. */
export interface Reference {
  file: string;
  line: number;
  col: number;
  /** Offset of the id in the file's text (after a BOM), for exact edits. */
  offset: number;
  /** The id as written (`t1086` in a Sigma tag, `T1086` natively). */
  token: string;
  /** The id, upper-case. */
  id: string;
  form: 'id' | 'sigma-tag';
  /** A YAML value that is the id (or tag) itself, not a mention in a comment or free text. */
  structural: boolean;
}

export interface AffectedReference extends Reference {
  affected: Affected;
}

export interface Edit {
  offset: number;
  length: number;
  text: string;
}

export interface FileRewrite {
  file: string;
  edits: Edit[];
  text: string;
}

/** Something `--write` cannot decide: the id and every place it is used. */
export interface ManualItem {
  id: string;
  name: string;
  why: string;
  references: Reference[];
}

export interface ScoreSnapshot {
  version: string;
  /** Coverage score (0..1) and state counts; absent when the repository could not be evaluated. */
  score?: number;
  overlay?: number;
  gaps?: number;
  states?: Record<State, number>;
  errors: number;
  warnings: number;
}

export interface ProfileChange {
  id: string;
  name: string;
  file: string;
  gained: string[];
  lost: string[];
}

export interface UpgradeReport {
  domain: string;
  /** The repository's pin when the report was made. */
  pinned: string;
  from: string;
  to: string;
  diff: CatalogDiff;
  /** Profiled groups (the repository's groups/) whose evaluated technique set changes. */
  profiles: ProfileChange[];
  references: AffectedReference[];
  scores: { from: ScoreSnapshot; to: ScoreSnapshot; rewritten?: ScoreSnapshot };
  /** What `--write` does (or did): files and the replacements in them. */
  rewrite: { files: string[]; replacements: { file: string; line: number; col: number; from: string; to: string }[]; pin: boolean };
  manual: ManualItem[];
  /** True once the rewrite has been written. */
  written: boolean;
}
