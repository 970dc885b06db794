/**
 * The gate's rules (SPEC §12), pure: base and head reports evaluated at the same `now` in, verdict
 * out. Regression = in both overlays with lower credit in head. New gap = in a gap state in head
 * and not a gap in base (or new to the overlay); when only newly profiled groups bring it, it is a
 * warning while `new_groups_may_add_gaps` holds. Invalid = any error finding in head.
 */
import { byString } from '../model/order.js';
import type { Report, ReportTechnique } from '../model/report.js';
import type { State } from '../model/schemas.js';
import { locateRecord, locateWhere } from './locate.js';
import {
  DEFAULT_GATE_POLICY,
  type EvidenceChange,
  type EvidenceKind,
  type GatePolicy,
  type GateResult,
  type Rule,
  type Snapshot,
  type TechniqueChange,
} from './types.js';

export const GAP_STATES: readonly State[] = ['failed', 'visible', 'blind'];
export const isGap = (state: State | undefined): boolean => state !== undefined && GAP_STATES.includes(state);

export const TELEMETRY_FILE = 'coverage/telemetry.yaml';
export const CONFIG_FILE = 'tidemark.yaml';
const EPSILON = 1e-9;

export function compare(base: Snapshot, head: Snapshot, policy: GatePolicy = DEFAULT_GATE_POLICY): GateResult {
  const changedFiles = diffFiles(base.sources, head.sources);
  const errors = head.findings.filter((f) => f.severity === 'error');
  // Warnings the base already had are not this change's business; lines move, so match without them.
  const key = (f: { code: string; file?: string; message: string }) => `${f.code}\u0000${f.file ?? ''}\u0000${f.message}`;
  const known = new Set(base.findings.filter((f) => f.severity === 'warning').map(key));
  const warnings = head.findings.filter((f) => f.severity === 'warning' && !known.has(key(f)));
  const notes: string[] = [];
  const result: GateResult = {
    verdict: 'pass',
    failed: [],
    policy,
    score: { before: base.report?.summary.score, after: head.report?.summary.score },
    attack: { base: release(base.report), head: release(head.report) },
    changes: [],
    regressions: [],
    newGaps: [],
    newGroupGaps: [],
    newGroups: [],
    errors,
    warnings,
    changedFiles: [...changedFiles].sort(byString),
    notes,
  };

  if (!head.report) notes.push('The head revision could not be evaluated because of the errors below, so coverage was not compared.');
  else if (!base.report) notes.push('The base revision could not be evaluated (its content has errors), so there is nothing to compare coverage with.');
  if (base.report && head.report) {
    if (result.attack.base !== result.attack.head) notes.push(`The ATT&CK release changes from ${result.attack.base} to ${result.attack.head}.`);
    classify(result, base as Snapshot & { report: Report }, head as Snapshot & { report: Report }, changedFiles, policy);
  }

  const failed = new Set<Rule>();
  if ((errors.length > 0 && policy.fail_on.includes('invalid')) || !head.report) failed.add('invalid');
  if (result.regressions.length > 0 && policy.fail_on.includes('regression')) failed.add('regression');
  if (result.newGaps.length > 0 && policy.fail_on.includes('new_gap')) failed.add('new_gap');
  if (head.report && policy.min_score > 0 && head.report.summary.score < policy.min_score - EPSILON) failed.add('min_score');
  result.failed = (['invalid', 'regression', 'new_gap', 'min_score'] as const).filter((r) => failed.has(r));
  result.verdict = result.failed.length > 0 ? 'fail' : 'pass';
  return result;
}

function classify(result: GateResult, base: Snapshot & { report: Report }, head: Snapshot & { report: Report }, changedFiles: Set<string>, policy: GatePolicy) {
  const before = new Map(base.report.techniques.map((t) => [t.id, t]));
  const after = new Map(head.report.techniques.map((t) => [t.id, t]));
  const baseGroups = new Set(base.report.groups.filter((g) => g.enabled).map((g) => g.id));
  const newGroups = new Set(head.report.groups.filter((g) => g.enabled && !baseGroups.has(g.id)).map((g) => g.id));
  result.newGroups = [...newGroups].sort(byString);

  const ids = [...new Set([...before.keys(), ...after.keys()])].sort(byString);
  for (const id of ids) {
    const b = before.get(id);
    const h = after.get(id);
    const stateChanged = b?.state !== h?.state;
    const creditChanged = b && h ? Math.abs(b.credit - h.credit) > EPSILON : true;
    if (!stateChanged && !creditChanged) continue;

    const rules: TechniqueChange['rules'] = [];
    if (b && h && h.credit < b.credit - EPSILON) rules.push('regression');
    let newGroupGap = false;
    if (h && isGap(h.state) && !isGap(b?.state)) {
      // New to the overlay only because of groups that base did not profile.
      const onlyNewGroups = !b && !h.baseline && h.groups.length > 0 && h.groups.every((g) => newGroups.has(g));
      if (onlyNewGroups && policy.new_groups_may_add_gaps) newGroupGap = true;
      else rules.push('new_gap');
    }
    const found = evidenceChanges(b, h, base, head, changedFiles);
    const cause = pickCause(found);
    // Only the cause is annotated, so only its line is looked up.
    if (cause?.[ENTRY]) Object.assign(cause, position(cause[ENTRY], cause.change, head));
    const evidence = found.map(({ [ENTRY]: _entry, ...change }) => change);
    const change: TechniqueChange = {
      id,
      name: (h ?? b)!.name,
      before: b && { state: b.state, credit: b.credit },
      after: h && { state: h.state, credit: h.credit },
      rules,
      newGroupGap,
      cause: cause && evidence[found.indexOf(cause)],
      evidence,
    };
    result.changes.push(change);
    if (rules.includes('regression')) result.regressions.push(change);
    if (rules.includes('new_gap')) result.newGaps.push(change);
    if (newGroupGap) result.newGroupGaps.push(change);
  }
}

// ---------------------------------------------------------------------------------------------
// Evidence: what a technique's state rests on, as comparable entries, and their differences.

/** Records by id, built once per report: large repositories have thousands of detections. */
interface ReportIndex {
  groups: Map<string, Report['groups'][number]>;
  detections: Map<string, Report['detections'][number]>;
  controls: Map<string, Report['controls'][number]>;
  telemetry: Map<string, Report['telemetry'][number]>;
}
const indexes = new WeakMap<Report, ReportIndex>();
function index(report: Report): ReportIndex {
  let found = indexes.get(report);
  if (!found) {
    const byId = <T extends { id: string }>(items: T[]) => new Map(items.map((item) => [item.id, item]));
    found = { groups: byId(report.groups), detections: byId(report.detections), controls: byId(report.controls), telemetry: byId(report.telemetry) };
    indexes.set(report, found);
  }
  return found;
}

const ENTRY = Symbol('entry');
type Found = EvidenceChange & { [ENTRY]?: EvidenceEntry };

interface EvidenceEntry {
  kind: EvidenceKind;
  id: string;
  file: string;
  /** Changes when the entry's effect on the technique may have changed. */
  fingerprint: string;
  describe: string;
  status?: string;
  counts?: boolean;
  reason?: string;
  fresh?: boolean;
  line?: number;
  /** Fields that identify a record without an id (emulation results). */
  match?: Record<string, string>;
}

function evidenceOf(technique: ReportTechnique | undefined, report: Report): Map<string, EvidenceEntry> {
  const entries = new Map<string, EvidenceEntry>();
  if (!technique) return entries;
  const add = (entry: EvidenceEntry) => entries.set(`${entry.kind}:${entry.file}:${entry.id}`, entry);
  for (const id of technique.groups) {
    const group = index(report).groups.get(id);
    if (!group) continue;
    // The profile entry that brings the technique (a `techniques.add` line), when the report says.
    const reason = technique.reasons?.find((r) => r.group === id && r.file === group.file && r.line !== undefined);
    add({ kind: 'group', id, file: group.file, fingerprint: 'profiled', describe: `group ${id} (${group.name})`, line: reason?.line });
  }
  for (const id of technique.detections) {
    const d = index(report).detections.get(id);
    if (!d) continue;
    const counts = d.counts ? 'counts' : `does not count${d.reason ? `: ${d.reason}` : ''}`;
    add({
      kind: 'detection',
      id,
      file: d.file,
      fingerprint: `${d.status}|${d.counts}`,
      describe: `detection ${id} (status ${d.status}, ${counts})`,
      status: d.status,
      counts: d.counts,
      reason: d.reason,
    });
  }
  for (const id of technique.controls) {
    const c = index(report).controls.get(id);
    if (c) add({ kind: 'control', id, file: c.file, fingerprint: c.status, describe: `control ${id} (status ${c.status})`, status: c.status });
  }
  for (const v of technique.validations) {
    const id = `${v.date} ${v.outcome}${v.test?.id ? ` ${v.test.id}` : ''}${v.detection ? ` ${v.detection}` : ''}`;
    add({
      kind: 'validation',
      id,
      file: v.file,
      fingerprint: String(v.fresh),
      describe: `emulation result ${v.date} ${v.outcome}${v.fresh ? '' : ' (expired)'}`,
      fresh: v.fresh,
      line: v.line > 0 ? v.line : undefined,
      match: { technique: technique.id, date: v.date, outcome: v.outcome },
    });
  }
  for (const id of technique.telemetry) {
    add({ kind: 'telemetry', id, file: TELEMETRY_FILE, fingerprint: 'collected', describe: `telemetry source ${id} (collected)` });
  }
  return entries;
}

function evidenceChanges(
  b: ReportTechnique | undefined,
  h: ReportTechnique | undefined,
  base: Snapshot & { report: Report },
  head: Snapshot & { report: Report },
  changedFiles: Set<string>,
): Found[] {
  const was = evidenceOf(b, base.report);
  const now = evidenceOf(h, head.report);
  const changes: Found[] = [];
  for (const [key, entry] of now) {
    const old = was.get(key);
    if (old && old.fingerprint === entry.fingerprint) continue;
    changes.push({
      kind: entry.kind,
      id: entry.id,
      file: entry.file,
      change: old ? 'changed' : 'added',
      detail: old ? changedDetail(old, entry) : `${entry.describe} added`,
      fileChanged: changedFiles.has(entry.file),
      [ENTRY]: entry,
    });
  }
  for (const [key, entry] of was) {
    if (now.has(key)) continue;
    changes.push({
      kind: entry.kind,
      id: entry.id,
      file: entry.file,
      change: 'removed',
      detail: removedDetail(entry, head),
      fileChanged: changedFiles.has(entry.file),
      [ENTRY]: entry,
    });
  }
  if (changedFiles.has(CONFIG_FILE)) {
    changes.push({ kind: 'config', id: CONFIG_FILE, file: CONFIG_FILE, change: 'changed', detail: 'tidemark.yaml changed (policy or profile)', fileChanged: true });
  }
  return changes.sort((x, y) => KIND_ORDER[x.kind] - KIND_ORDER[y.kind] || byString(x.file, y.file) || byString(x.id, y.id));
}

function changedDetail(old: EvidenceEntry, now: EvidenceEntry): string {
  const name = `${now.kind} ${now.id}`;
  if (old.status !== now.status) return `${name}: status ${old.status} → ${now.status}${now.counts === false && now.reason ? ` (${now.reason})` : ''}`;
  if (now.kind === 'detection') return now.counts ? `${name} counts again` : `${name} no longer counts${now.reason ? `: ${now.reason}` : ''}`;
  if (now.kind === 'validation') return now.fresh ? `${now.describe} is within the freshness window` : `emulation result ${now.id} expired`;
  return `${old.describe} → ${now.describe}`;
}

/** Why an entry left the technique's evidence, using what head says about the record now. */
function removedDetail(entry: EvidenceEntry, head: Snapshot & { report: Report }): string {
  const report = head.report;
  switch (entry.kind) {
    case 'telemetry': {
      const source = index(report).telemetry.get(entry.id);
      return source ? `telemetry source ${entry.id} is now ${source.status}` : `telemetry source ${entry.id} removed`;
    }
    case 'detection': {
      const d = index(report).detections.get(entry.id);
      return d ? `detection ${entry.id} no longer maps to this technique` : `detection ${entry.id} removed`;
    }
    case 'control': {
      const c = index(report).controls.get(entry.id);
      return c ? `control ${entry.id} no longer maps to this technique` : `control ${entry.id} removed`;
    }
    case 'group': {
      const g = index(report).groups.get(entry.id);
      return g ? `group ${entry.id} no longer uses this technique${g.enabled ? '' : ' (disabled)'}` : `group ${entry.id} removed from the profile`;
    }
    default:
      return `${entry.describe} removed`;
  }
}

/** Where the responsible line is in head: validations carry theirs; records are found by id. */
function position(entry: EvidenceEntry, change: EvidenceChange['change'], head: Snapshot): { line?: number; col?: number } {
  if (change === 'removed' && !head.sources.has(entry.file)) return {};
  if (change === 'removed' && entry.kind === 'validation') return {};
  if (entry.line !== undefined) return { line: entry.line, col: 1 };
  const text = head.sources.get(entry.file);
  if (text === undefined) return {};
  if (entry.match) return locateWhere(text, entry.match) ?? {};
  const key = entry.kind === 'group' ? (change === 'removed' ? 'techniques' : 'id') : change === 'added' ? 'id' : 'status';
  return locateRecord(text, entry.id, key) ?? {};
}

const KIND_ORDER: Record<EvidenceKind, number> = { validation: 0, detection: 1, control: 2, telemetry: 3, group: 4, config: 5 };

/** A record in a file this change touched explains the state change better than one that only moved. */
export function pickCause<T extends EvidenceChange>(evidence: T[]): T | undefined {
  return evidence.find((e) => e.fileChanged && e.kind !== 'config') ?? evidence.find((e) => e.fileChanged) ?? evidence[0];
}

/** Files that appear, disappear or change between two revisions. */
export function diffFiles(base: Map<string, string>, head: Map<string, string>): Set<string> {
  const changed = new Set<string>();
  for (const [file, text] of head) if (base.get(file) !== text) changed.add(file);
  for (const file of base.keys()) if (!head.has(file)) changed.add(file);
  return changed;
}

const release = (report: Report | undefined) => (report ? `${report.attack.domain} ${report.attack.version}` : undefined);
