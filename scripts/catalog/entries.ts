/**
 * One catalog entry per active STIX object, by kind: a table of small builders. Relationship
 * lists start empty and are filled by the relationship rules.
 */
import { sortedUnique } from '../model/order.js';
import type { Catalog, ObjectKind } from './types.js';
import { attackReference, strings, type StixObject } from './stix.js';

export interface EntryContext {
  byStixId: ReadonlyMap<string, StixObject>;
  /** Tactic shortnames → the same in matrix order. */
  sortTactics: (shortnames: string[]) => string[];
}

type Builder = (catalog: Catalog, id: string, o: StixObject, ctx: EntryContext) => void;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const nameOf = (o: StixObject) => text(o.name);
const urlOf = (o: StixObject) => attackReference(o)?.url ?? '';

export const ENTRY_BUILDERS: Partial<Record<ObjectKind, Builder>> = {
  technique(catalog, id, o, { sortTactics }) {
    const phases = (o.kill_chain_phases ?? []).map((p) => text(p?.phase_name)).filter(Boolean);
    catalog.techniques[id] = {
      id,
      name: nameOf(o),
      tactics: sortTactics(phases),
      platforms: sortedUnique(strings(o.x_mitre_platforms)),
      url: urlOf(o),
      dataComponents: [],
    };
  },
  group(catalog, id, o) {
    const aliases = sortedUnique(strings(o.aliases));
    catalog.groups[id] = { id, name: nameOf(o), aliases, techniques: [], campaigns: [], software: [], url: urlOf(o) };
  },
  campaign(catalog, id, o) {
    catalog.campaigns[id] = { id, name: nameOf(o), techniques: [], software: [], groups: [], url: urlOf(o) };
  },
  software(catalog, id, o) {
    const type = o.type === 'tool' ? 'tool' : 'malware';
    catalog.software[id] = { id, name: nameOf(o), type, techniques: [], url: urlOf(o) };
  },
  mitigation(catalog, id, o) {
    catalog.mitigations[id] = { id, name: nameOf(o), techniques: [], url: urlOf(o) };
  },
  dataComponent(catalog, id, o, { byStixId }) {
    const source = byStixId.get(text(o.x_mitre_data_source_ref));
    const dataSource = text(source?.name);
    catalog.dataComponents[id] = dataSource ? { id, name: nameOf(o), dataSource } : { id, name: nameOf(o) };
  },
};
