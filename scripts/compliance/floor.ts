/**
 * Compliance as the floor (pure, over the evaluation): for each framework the controls name, each
 * requirement → the repository's controls; and how much of the threat-informed overlay the
 * compliance-mapped controls reach. An implemented control with at least one compliance id is
 * "mapped"; the overlay techniques none of them lists are what an audit can pass without
 * touching — the audit that passes while the breach happens. The site renders this; it never
 * computes it.
 */
import { GAP_STATES } from '../evaluate/states.js';
import { round } from '../evaluate/scores.js';
import type { ControlView, TechniqueEvaluation } from '../evaluate/types.js';
import { byString, sortedUnique } from '../model/order.js';
import type { Report } from '../model/report.js';
import { canonicalId, compareIds, frameworkName } from './frameworks.js';

export type ComplianceSection = NonNullable<Report['compliance']>;

const hasIds = (c: ControlView) => Object.values(c.compliance).some((ids) => ids.length > 0);

/** Undefined when no control carries a compliance id (the report then has no compliance section). */
export function complianceSection(controls: readonly ControlView[], techniques: readonly TechniqueEvaluation[]): ComplianceSection | undefined {
  const mappedControls = controls.filter(hasIds);
  if (!mappedControls.length) return undefined;
  const overlay = new Map(techniques.map((t) => [t.id, t]));
  const implemented = mappedControls.filter((c) => c.status === 'implemented');
  const reachedBy = (list: readonly ControlView[]) => new Set(list.flatMap((c) => c.techniques).filter((t) => overlay.has(t)));
  const share = (n: number) => (overlay.size ? round(n / overlay.size) : 0);

  const reached = reachedBy(implemented);
  const totalWeight = techniques.reduce((n, t) => n + t.weight, 0);
  const reachedWeight = techniques.filter((t) => reached.has(t.id)).reduce((n, t) => n + t.weight, 0);
  const uncovered = techniques
    .filter((t) => !reached.has(t.id))
    .sort((a, b) => b.priority - a.priority || b.weight - a.weight || byString(a.id, b.id))
    .map((t) => ({ id: t.id, name: t.name, state: t.state, weight: t.weight, priority: t.priority, gap: GAP_STATES.has(t.state) }));

  const keys = sortedUnique(mappedControls.flatMap((c) => Object.keys(c.compliance).filter((k) => c.compliance[k].length)));
  const frameworks = keys.map((key) => {
    const carrying = new Map<string, ControlView[]>();
    for (const c of mappedControls) {
      for (const raw of c.compliance[key] ?? []) {
        const id = canonicalId(key, raw);
        const list = carrying.get(id) ?? carrying.set(id, []).get(id)!;
        if (!list.includes(c)) list.push(c);
      }
    }
    const withKey = implemented.filter((c) => (c.compliance[key] ?? []).length);
    const here = reachedBy(withKey);
    return {
      key,
      name: frameworkName(key),
      controls: sortedUnique(mappedControls.filter((c) => (c.compliance[key] ?? []).length).map((c) => c.id)),
      reached: here.size,
      share: share(here.size),
      requirements: [...carrying.keys()].sort(compareIds).map((id) => {
        const list = carrying.get(id)!;
        return {
          id,
          controls: sortedUnique(list.map((c) => c.id)),
          reached: sortedUnique(reachedBy(list.filter((c) => c.status === 'implemented'))),
        };
      }),
    };
  });

  return {
    controls: sortedUnique(implemented.map((c) => c.id)),
    floor: {
      overlay: overlay.size,
      reached: reached.size,
      share: share(reached.size),
      weighted_share: totalWeight ? round(reachedWeight / totalWeight) : 0,
      uncovered,
      uncovered_gaps: uncovered.filter((u) => u.gap).length,
    },
    frameworks,
  };
}
