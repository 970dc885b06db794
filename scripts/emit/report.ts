/**
 * Evaluation → `report.json` (SPEC §11, `ReportSchema`). Only copies and sorts: every figure was
 * computed by evaluate, except the compliance section, which `scripts/compliance/floor.ts` derives
 * from evaluate's controls and techniques. Arrays are sorted by code point and no path is
 * absolute, so identical inputs give identical bytes.
 */
import { complianceSection } from '../compliance/floor.js';
import type { Evaluation, ResultView, TechniqueReason } from '../evaluate/types.js';
import { sortFindings, type NodePath } from '../model/findings.js';
import { byString, sortedUnique } from '../model/order.js';
import type { Report } from '../model/report.js';

export interface ReportMeta {
  toolVersion: string;
  /** ISO 8601 instant; pass the evaluation's `now` for reproducible bytes. */
  generatedAt: string;
  /** Line of a node (from the load stage's source map); findings and runs without one get none / 0. */
  locate?: (file: string, path: NodePath) => number | undefined;
}

/** Repository-relative, forward slashes: an absolute path never leaves the machine it was made on. */
export function relativePath(file: string): string {
  const slashed = file.replace(/\\/g, '/');
  return slashed.replace(/^[A-Za-z]:\//, '').replace(/^\/+/, '');
}

const sorted = (values: readonly string[]) => sortedUnique(values);

function reportRun(run: ResultView, meta: ReportMeta) {
  return {
    date: run.date,
    outcome: run.outcome,
    ...(run.detection !== undefined ? { detection: run.detection } : {}),
    ...(run.test !== undefined ? { test: { ...run.test } } : {}),
    ...(run.host !== undefined ? { host: run.host } : {}),
    fresh: run.fresh,
    file: relativePath(run.file),
    line: meta.locate?.(run.file, run.path) ?? 0,
  };
}

const reasonKey = (r: TechniqueReason) => `${r.group}\u0000${r.via}\u0000${r.ref ?? ''}\u0000${r.file ?? ''}`;

function reportReasons(reasons: readonly TechniqueReason[], meta: ReportMeta) {
  return [...reasons]
    .sort((a, b) => byString(reasonKey(a), reasonKey(b)))
    .map((r) => {
      const line = r.file && r.path && r.via === 'add' ? meta.locate?.(r.file, r.path) : undefined;
      return {
        group: r.group,
        via: r.via,
        ...(r.ref !== undefined ? { ref: r.ref } : {}),
        ...(r.file !== undefined ? { file: relativePath(r.file) } : {}),
        ...(line !== undefined ? { line } : {}),
      };
    });
}

export function buildReport(evaluation: Evaluation, meta: ReportMeta): Report {
  const e = evaluation;
  const compliance = complianceSection(e.controls, e.techniques);
  return {
    tool: { name: 'tidemark', version: meta.toolVersion },
    generated_at: meta.generatedAt,
    attack: { domain: e.attack.domain, version: e.attack.version },
    organisation: { name: e.organisation.name, platforms: sorted(e.organisation.platforms) },
    summary: {
      overlay: e.summary.overlay,
      states: { ...e.summary.states },
      score: e.summary.score,
      gaps: e.summary.gaps,
      untested_coverage: e.summary.untestedCoverage,
      stale_profiles: e.summary.staleProfiles,
    },
    // Matrix order is the meaning of this array; it is the catalog's order, stable by construction.
    tactics: e.tactics.map((t) => ({ id: t.id, shortname: t.shortname, name: t.name, score: t.score, overlay: t.overlay })),
    techniques: [...e.techniques]
      .sort((a, b) => byString(a.id, b.id))
      .map((t) => ({
        id: t.id,
        name: t.name,
        // Tactics stay in matrix order (the catalog's), which is what the site shows.
        tactics: [...t.tactics],
        platforms: sorted(t.platforms),
        ...(t.parent ? { parent: t.parent } : {}),
        groups: sorted(t.groups),
        baseline: t.baseline,
        reasons: reportReasons(t.reasons, meta),
        weight: t.weight,
        state: t.state,
        credit: t.credit,
        priority: t.priority,
        detections: sorted(t.detections),
        controls: sorted(t.controls),
        validations: t.validations.map((v) => reportRun(v, meta)),
        data_components: sorted(t.dataComponents),
        telemetry: sorted(t.telemetry),
      })),
    groups: [...e.groups]
      .sort((a, b) => byString(a.id, b.id) || byString(a.file, b.file))
      .map((g) => ({
        id: g.id,
        name: g.name,
        relevance: g.relevance,
        weight: g.weight,
        rationale: g.rationale,
        reviewed: g.reviewed,
        stale: g.stale,
        enabled: g.enabled,
        file: relativePath(g.file),
        techniques: sorted(g.techniques),
        score: g.score,
        states: { ...g.states },
      })),
    // Backlog order is its meaning (priority, groups, id): kept as evaluate ordered it.
    backlog: e.backlog.map((b) => ({
      id: b.id,
      name: b.name,
      priority: b.priority,
      state: b.state,
      groups: sorted(b.groups),
      action: b.action,
      ...(b.tests ? { tests: b.tests.map((t) => ({ guid: t.guid, name: t.name })) } : {}),
    })),
    detections: [...e.detections]
      .sort((a, b) => byString(a.id, b.id) || byString(a.file, b.file))
      .map((d) => ({
        id: d.id,
        title: d.title,
        kind: d.kind,
        status: d.status,
        techniques: sorted(d.techniques),
        telemetry: sorted(d.telemetry),
        counts: d.counts,
        ...(d.reason !== undefined ? { reason: d.reason } : {}),
        ...(d.description !== undefined ? { description: d.description } : {}),
        ...(d.owner !== undefined ? { owner: d.owner } : {}),
        file: relativePath(d.file),
      })),
    controls: [...e.controls]
      .sort((a, b) => byString(a.id, b.id) || byString(a.file, b.file))
      .map((c) => ({
        id: c.id,
        title: c.title,
        status: c.status,
        techniques: sorted(c.techniques),
        mitigations: sorted(c.mitigations),
        compliance: Object.fromEntries(Object.keys(c.compliance).sort(byString).map((k) => [k, sorted(c.compliance[k])])),
        ...(c.description !== undefined ? { description: c.description } : {}),
        ...(c.owner !== undefined ? { owner: c.owner } : {}),
        file: relativePath(c.file),
      })),
    telemetry: [...e.telemetry]
      .sort((a, b) => byString(a.id, b.id))
      .map((s) => ({ id: s.id, name: s.name, status: s.status, platforms: sorted(s.platforms), data_components: sorted(s.dataComponents) })),
    data_components: [...e.dataComponents].sort((a, b) => byString(a.id, b.id)).map((dc) => ({ id: dc.id, name: dc.name })),
    catalog: [...e.matrix]
      .sort((a, b) => byString(a.id, b.id))
      .map((t) => ({ id: t.id, name: t.name, tactics: [...t.tactics], platforms: sorted(t.platforms), ...(t.parent ? { parent: t.parent } : {}) })),
    findings: sortFindings(
      e.findings.map((f) => {
        const line = f.line ?? (f.file && f.path ? meta.locate?.(f.file, f.path) : undefined);
        return { ...f, ...(f.file !== undefined ? { file: relativePath(f.file) } : {}), ...(line !== undefined ? { line } : {}) };
      }),
    ).map((f) => ({
      severity: f.severity,
      code: f.code,
      message: f.message,
      ...(f.file !== undefined ? { file: f.file } : {}),
      ...(f.line !== undefined ? { line: f.line } : {}),
    })),
    ...(compliance ? { compliance } : {}),
  };
}
