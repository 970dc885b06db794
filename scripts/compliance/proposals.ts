/**
 * Which techniques a control's compliance ids mitigate according to a mapping, and which of them
 * the control does not list yet (pure). Ids are compared in canonical form (`AC-02` = `AC-2`).
 * An enhancement (`CM-7(5)`) is its own requirement: it takes only what the mapping says about
 * it, never its base control's techniques; when the mapping only knows the base, the proposal
 * says so.
 */
import { isObject, str } from '../import/json.js';
import { byString, sortedUnique } from '../model/order.js';
import type { RepoFile } from '../import/content.js';
import { canonicalId, compareIds } from './frameworks.js';

export interface ControlDoc {
  id: string;
  path: string;
  text: string;
  status?: string;
  techniques: string[];
  /** Framework key → ids as written. */
  compliance: Record<string, string[]>;
}

/** Controls read from `controls/`; files that are not a control with an id are returned apart. */
export function readControls(files: readonly RepoFile[]): { controls: ControlDoc[]; unreadable: string[] } {
  const controls: ControlDoc[] = [];
  const unreadable: string[] = [];
  for (const f of files) {
    const v = f.value;
    const id = isObject(v) ? str(v.id) : undefined;
    if (!isObject(v) || !id) {
      unreadable.push(f.path);
      continue;
    }
    const compliance: Record<string, string[]> = {};
    if (isObject(v.compliance)) {
      for (const [key, ids] of Object.entries(v.compliance)) {
        if (Array.isArray(ids)) compliance[key] = ids.map((x) => str(x)).filter((x): x is string => x !== undefined);
      }
    }
    controls.push({
      id,
      path: f.path,
      text: f.text,
      status: str(v.status),
      techniques: Array.isArray(v.techniques) ? v.techniques.map((t) => String(t).trim().toUpperCase()) : [],
      compliance,
    });
  }
  return { controls, unreadable };
}

/** Canonical requirement id → techniques (pinned release) it mitigates. */
export type RequirementMap = Map<string, Set<string>>;

export function requirementMap(pairs: Iterable<{ requirement: string; technique: string }>, framework: string): RequirementMap {
  const map: RequirementMap = new Map();
  for (const { requirement, technique } of pairs) {
    const key = canonicalId(framework, requirement);
    (map.get(key) ?? map.set(key, new Set()).get(key)!).add(technique);
  }
  return map;
}

export interface Proposal {
  control: string;
  path: string;
  status?: string;
  /** The control's ids of this framework, canonical, sorted. */
  requirements: string[];
  /** Requirements the mapping says nothing about, each with a note when the mapping knows its base control. */
  unmapped: { id: string; base?: string }[];
  /** Techniques the requirements mitigate (pinned release), sorted. */
  mapped: string[];
  /** Techniques to add: mapped and not listed, sorted. */
  add: string[];
}

const baseOf = (id: string) => /^(.*)\([0-9]+\)$/.exec(id)?.[1];

/** One proposal per control that carries ids of `framework` (retired controls are left out). */
export function propose(controls: readonly ControlDoc[], framework: string, map: RequirementMap): Proposal[] {
  const out: Proposal[] = [];
  for (const c of [...controls].sort((a, b) => byString(a.id, b.id) || byString(a.path, b.path))) {
    const ids = c.compliance[framework];
    if (!ids?.length || c.status === 'retired') continue;
    const requirements = [...new Set(ids.map((id) => canonicalId(framework, id)))].sort(compareIds);
    const mapped = sortedUnique(requirements.flatMap((r) => [...(map.get(r) ?? [])]));
    const listed = new Set(c.techniques);
    const unmapped = requirements
      .filter((r) => !map.has(r))
      .map((id) => {
        const base = baseOf(id);
        return base && map.has(base) ? { id, base } : { id };
      });
    out.push({ control: c.id, path: c.path, ...(c.status ? { status: c.status } : {}), requirements, unmapped, mapped, add: mapped.filter((t) => !listed.has(t)) });
  }
  return out;
}
