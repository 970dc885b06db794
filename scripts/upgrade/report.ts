/** The pieces of an upgrade, assembled into the report the CLI renders. Pure. */
import type { Analysis } from '../pipeline.js';
import { byString } from '../model/order.js';
import type { RewritePlan } from './rewrite.js';
import type { AffectedReference, CatalogDiff, ProfileChange, ScoreSnapshot, UpgradeReport } from './types.js';

export function snapshot(version: string, analysis: Analysis): ScoreSnapshot {
  const count = (severity: string) => analysis.findings.filter((f) => f.severity === severity).length;
  const s = analysis.report?.summary;
  return {
    version,
    ...(s ? { score: s.score, overlay: s.overlay, gaps: s.gaps, states: { ...s.states } } : {}),
    errors: count('error'),
    warnings: count('warning'),
  };
}

/** Profiled groups whose evaluated set differs between the two analyses (matched by file). */
export function profileChanges(from: Analysis, to: Analysis): ProfileChange[] {
  const before = new Map((from.evaluation?.groups ?? []).map((g) => [g.file, g]));
  const out: ProfileChange[] = [];
  for (const g of to.evaluation?.groups ?? []) {
    const old = before.get(g.file);
    if (!old) continue;
    const a = new Set(old.techniques);
    const b = new Set(g.techniques);
    const gained = g.techniques.filter((t) => !a.has(t));
    const lost = old.techniques.filter((t) => !b.has(t));
    if (gained.length || lost.length) out.push({ id: g.id, name: g.name, file: g.file, gained, lost });
  }
  return out.sort((x, y) => byString(x.id, y.id) || byString(x.file, y.file));
}

export interface ReportParts {
  domain: string;
  pinned: string;
  diff: CatalogDiff;
  references: AffectedReference[];
  plan: RewritePlan;
  analyses: { from: Analysis; to: Analysis; rewritten?: Analysis };
  written: boolean;
}

export function buildUpgradeReport(p: ReportParts): UpgradeReport {
  return {
    domain: p.domain,
    pinned: p.pinned,
    from: p.diff.from,
    to: p.diff.to,
    diff: p.diff,
    profiles: profileChanges(p.analyses.from, p.analyses.to),
    references: [...p.references].sort((x, y) => byString(x.file, y.file) || x.offset - y.offset),
    scores: {
      from: snapshot(p.diff.from, p.analyses.from),
      to: snapshot(p.diff.to, p.analyses.to),
      ...(p.analyses.rewritten ? { rewritten: snapshot(p.diff.to, p.analyses.rewritten) } : {}),
    },
    rewrite: { files: p.plan.rewrites.map((r) => r.file), replacements: p.plan.replacements, pin: p.plan.pin },
    manual: p.plan.manual,
    written: p.written,
  };
}
