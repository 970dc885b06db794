/**
 * The ATT&CK catalog: everything tidemark knows about one domain and release, as plain data.
 * It is derived from a STIX bundle and cached as JSON, so it holds no Maps, classes or cycles.
 * Ids are ATT&CK external ids (T1059.001, G0016, C0027, S0154, M1040, DC0032, TA0002).
 */
export interface Tactic {
  id: string;
  /** x_mitre_shortname, the key that techniques' kill-chain phases and Sigma tags use. */
  shortname: string;
  name: string;
}

export interface Technique {
  id: string;
  name: string;
  /** Tactic shortnames, in matrix order. */
  tactics: string[];
  platforms: string[];
  /** Parent technique id for a sub-technique. */
  parent?: string;
  url: string;
  /** Relevant data component ids (SPEC §2: ATT&CK 18 detection strategies, or older `detects`). */
  dataComponents: string[];
}

export interface Group {
  id: string;
  name: string;
  aliases: string[];
  /** Technique ids of active, non-deprecated, non-revoked `uses` relationships, sorted. */
  techniques: string[];
  /** Campaign ids attributed to this group, sorted. */
  campaigns: string[];
  /** Software ids the group uses, sorted. */
  software: string[];
  url: string;
}

export interface Campaign {
  id: string;
  name: string;
  techniques: string[];
  software: string[];
  /** Groups the campaign is attributed to. */
  groups: string[];
  url: string;
}

export interface Software {
  id: string;
  name: string;
  type: 'malware' | 'tool';
  techniques: string[];
  url: string;
}

export interface Mitigation {
  id: string;
  name: string;
  /** Technique ids it mitigates. */
  techniques: string[];
  url: string;
}

export interface DataComponent {
  /** DC#### from ATT&CK 18 on; earlier releases give data components no ATT&CK id, so their STIX id. */
  id: string;
  name: string;
  /** Data source name where the bundle links one (older model); absent from ATT&CK 18 on. */
  dataSource?: string;
}

/** The kinds of ATT&CK object the catalog reads, named as the catalog names them. */
export type ObjectKind =
  | 'technique'
  | 'group'
  | 'campaign'
  | 'software'
  | 'mitigation'
  | 'dataComponent'
  | 'dataSource'
  | 'tactic'
  | 'matrix'
  | 'detectionStrategy'
  | 'analytic'
  | 'collection';

/** What an id that is no longer active became. */
export interface Retired {
  kind: 'revoked' | 'deprecated';
  /** For revoked objects, the replacement's id (followed through chains of revocations to an active object). */
  replacedBy?: string;
  name: string;
  /** What the object was (technique, group…): old mitigations reused technique ids. */
  objectKind?: ObjectKind;
}

export interface Catalog {
  domain: string;
  version: string;
  /** sha256 (hex) of the uncompressed bundle JSON: what `attack.sha256` pins. */
  sha256: string;
  /** The matrix's tactics in the order of its tactic_refs. */
  tactics: Tactic[];
  /** Active techniques and sub-techniques by id. */
  techniques: Record<string, Technique>;
  groups: Record<string, Group>;
  campaigns: Record<string, Campaign>;
  software: Record<string, Software>;
  mitigations: Record<string, Mitigation>;
  dataComponents: Record<string, DataComponent>;
  /** Revoked and deprecated objects of every type, by id. */
  retired: Record<string, Retired>;
}
