/**
 * The few STIX fields the catalog reads, and small pure helpers over them. Bundles are input, so
 * every field is optional and checked where it is used. STIX 2.0 and 2.1 differ only in where
 * `spec_version` sits (bundle vs. each object), which nothing here reads.
 */
export interface ExternalReference {
  source_name?: string;
  external_id?: string;
  url?: string;
}

export interface StixObject {
  type: string;
  id: string;
  name?: string;
  revoked?: boolean;
  x_mitre_deprecated?: boolean;
  external_references?: ExternalReference[];
  // relationship
  relationship_type?: string;
  source_ref?: string;
  target_ref?: string;
  // attack-pattern
  kill_chain_phases?: { kill_chain_name?: string; phase_name?: string }[];
  x_mitre_platforms?: string[];
  // intrusion-set, campaign
  aliases?: string[];
  // x-mitre-matrix, x-mitre-tactic, x-mitre-collection
  tactic_refs?: string[];
  x_mitre_shortname?: string;
  x_mitre_version?: string;
  // x-mitre-data-component, x-mitre-detection-strategy, x-mitre-analytic
  x_mitre_data_source_ref?: string;
  x_mitre_analytic_refs?: string[];
  x_mitre_log_source_references?: { x_mitre_data_component_ref?: string }[];
}

export interface StixBundle {
  type: 'bundle';
  objects: unknown[];
}

/**
 * Source names of the reference that carries an object's ATT&CK id. Older ICS and Mobile objects
 * still use the per-domain names; `mitre-attack` wins when an object has several.
 */
const ATTACK_SOURCES = ['mitre-attack', 'mitre-ics-attack', 'mitre-mobile-attack'];

export function isStixBundle(value: unknown): value is StixBundle {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'bundle' &&
    Array.isArray((value as { objects?: unknown }).objects)
  );
}

export function isStixObject(value: unknown): value is StixObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as StixObject).type === 'string' &&
    typeof (value as StixObject).id === 'string'
  );
}

/** The ATT&CK reference (external id and page url) of an object, if it has one. */
export function attackReference(o: StixObject): { id: string; url: string } | undefined {
  const refs = o.external_references;
  if (!Array.isArray(refs)) return undefined;
  let found: ExternalReference | undefined;
  for (const ref of refs) {
    if (!ref || typeof ref.external_id !== 'string' || !ATTACK_SOURCES.includes(ref.source_name ?? '')) continue;
    if (!found || ref.source_name === ATTACK_SOURCES[0]) found = ref;
  }
  return found ? { id: found.external_id!, url: typeof found.url === 'string' ? found.url : '' } : undefined;
}

export const isRevoked = (o: StixObject): boolean => o.revoked === true;
export const isDeprecated = (o: StixObject): boolean => o.x_mitre_deprecated === true;
export const isActive = (o: StixObject): boolean => !isRevoked(o) && !isDeprecated(o);

/** The strings of an array-valued field, ignoring anything else a malformed bundle put there. */
export const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
