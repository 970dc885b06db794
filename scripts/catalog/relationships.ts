/**
 * What each relationship between two active objects adds to the catalog, by relationship type,
 * source kind and target kind. Relationships not in the table are ignored;
 * revoked or deprecated relationships, and those touching a revoked or deprecated object, never
 * reach it (build.ts filters them).
 */
import type { Catalog, ObjectKind } from './types.js';
import type { StrategyComponents } from './detection.js';
import type { StixObject } from './stix.js';

/** An active object that has a catalog id. */
export interface Node {
  kind: ObjectKind;
  id: string;
  stix: StixObject;
}

type Rule = (catalog: Catalog, source: Node, target: Node, strategyComponents: StrategyComponents) => void;

/** relationship_type → source kind → target kind → rule. */
export const RELATIONSHIP_RULES: Partial<Record<string, Partial<Record<ObjectKind, Partial<Record<ObjectKind, Rule>>>>>> = {
  uses: {
    group: {
      technique: (c, s, t) => void c.groups[s.id].techniques.push(t.id),
      software: (c, s, t) => void c.groups[s.id].software.push(t.id),
    },
    campaign: {
      technique: (c, s, t) => void c.campaigns[s.id].techniques.push(t.id),
      software: (c, s, t) => void c.campaigns[s.id].software.push(t.id),
    },
    software: {
      technique: (c, s, t) => void c.software[s.id].techniques.push(t.id),
    },
  },
  'attributed-to': {
    campaign: {
      group: (c, s, t) => {
        c.campaigns[s.id].groups.push(t.id);
        c.groups[t.id].campaigns.push(s.id);
      },
    },
  },
  mitigates: {
    mitigation: { technique: (c, s, t) => void c.mitigations[s.id].techniques.push(t.id) },
  },
  'subtechnique-of': {
    technique: {
      technique: (c, s, t) => {
        c.techniques[s.id].parent = t.id;
      },
    },
  },
  detects: {
    // Before ATT&CK 18: data component → technique.
    dataComponent: { technique: (c, s, t) => void c.techniques[t.id].dataComponents.push(s.id) },
    // ATT&CK 18 on: detection strategy → technique, data components through the strategy's analytics.
    detectionStrategy: {
      technique: (c, s, t, components) => void c.techniques[t.id].dataComponents.push(...components(s)),
    },
  },
};
