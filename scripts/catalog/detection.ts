/**
 * ATT&CK 18's detection model: a detection strategy `detects` a technique; its analytics name
 * log sources, each tied to a data component. The data components a strategy reaches are the
 * technique's relevant ones (the older model, data component `detects` technique, is a plain rule).
 */
import type { Node } from './relationships.js';
import { isActive, strings, type StixObject } from './stix.js';

export type StrategyComponents = (strategy: Node) => string[];

/** Data component ids reachable from a strategy through its active analytics; memoised per strategy. */
export function dataComponentsOfStrategy(
  byStixId: ReadonlyMap<string, StixObject>,
  nodes: ReadonlyMap<string, Node>,
): StrategyComponents {
  const memo = new Map<string, string[]>();
  return (strategy) => {
    let ids = memo.get(strategy.stix.id);
    if (ids) return ids;
    ids = [];
    for (const ref of strings(strategy.stix.x_mitre_analytic_refs)) {
      const analytic = byStixId.get(ref);
      if (!analytic || !isActive(analytic) || !Array.isArray(analytic.x_mitre_log_source_references)) continue;
      for (const source of analytic.x_mitre_log_source_references) {
        const component = nodes.get(source?.x_mitre_data_component_ref ?? '');
        if (component?.kind === 'dataComponent') ids.push(component.id);
      }
    }
    memo.set(strategy.stix.id, ids);
    return ids;
  };
}
