/**
 * evaluate: Repository + Catalog + an instant → Evaluation, the plain data every output is made
 * from. Pure and linear: evidence is indexed by technique once, then each overlay technique is a
 * handful of lookups.
 */
import type { Catalog } from '../catalog/types.js';
import type { Finding } from '../model/findings.js';
import { byString, sortedUnique } from '../model/order.js';
import type { ControlRecord, Repository } from '../model/repository.js';
import { buildBacklog, type ActionContext } from './backlog.js';
import { dayString, todayOf } from './dates.js';
import { assessDetections } from './detections.js';
import { isStale, shallowProfile, staleProfile, untestedCoverage, validatedButBlind } from './findings.js';
import { buildOverlay } from './overlay.js';
import { creditOf, meanCredit, priorityOf, round, stateCounts, tacticScores, weightedScore } from './scores.js';
import { assessTechnique, GAP_STATES, indexEvidence, viewResults } from './states.js';
import { indexTelemetry, providers } from './telemetry.js';
import type { ControlView, EvaluateOptions, Evaluation, GroupEvaluation, TechniqueEvaluation } from './types.js';

export type * from './types.js';

function viewControl(c: ControlRecord): ControlView {
  return {
    id: c.id,
    title: c.title,
    status: c.status,
    techniques: [...c.techniques],
    mitigations: [...(c.mitigations ?? [])],
    compliance: Object.fromEntries(
      Object.entries(c.compliance ?? {})
        .filter((e): e is [string, string[]] => Array.isArray(e[1]))
        .sort((a, b) => byString(a[0], b[0])),
    ),
    ...(c.description !== undefined ? { description: c.description } : {}),
    ...(c.owner !== undefined ? { owner: c.owner } : {}),
    file: c.file,
    path: c.path,
  };
}

export function evaluate(repo: Repository, catalog: Catalog, now: Date, options: EvaluateOptions = {}): Evaluation {
  const { config } = repo;
  const { policy } = config;
  const today = todayOf(now);

  const overlay = buildOverlay(repo, catalog);
  const telemetry = indexTelemetry(repo.telemetry, catalog);
  const detections = assessDetections(repo.detections, repo.telemetry, telemetry, policy);
  const controls = repo.controls.map(viewControl).sort((a, b) => byString(a.id, b.id) || byString(a.file, b.file));
  const results = viewResults(repo.validations, today, policy.validation_max_age_days);
  const evidence = indexEvidence(detections.views, controls, results, telemetry);

  const techniques = overlay.techniques.map((entry): TechniqueEvaluation => {
    const technique = catalog.techniques[entry.id];
    const ev = assessTechnique(entry.id, technique, evidence);
    const weight = round(entry.weight);
    const credit = round(creditOf(ev.state, policy));
    return {
      id: entry.id,
      name: technique?.name ?? entry.id,
      tactics: [...(technique?.tactics ?? [])],
      platforms: [...(technique?.platforms ?? [])],
      ...(technique?.parent ? { parent: technique.parent } : {}),
      groups: entry.groups,
      baseline: entry.baseline,
      reasons: entry.reasons,
      weight,
      state: ev.state,
      credit,
      priority: priorityOf(weight, credit),
      detections: ev.detections,
      counting: ev.counting,
      controls: ev.controls,
      implemented: ev.implemented,
      validations: ev.validations,
      ...(ev.decisive ? { decisive: ev.decisive } : {}),
      dataComponents: ev.dataComponents,
      telemetry: ev.telemetry,
    };
  });
  const byId = new Map(techniques.map((t) => [t.id, t]));

  const groups = overlay.groups.map((g): GroupEvaluation => {
    const mine = g.enabled ? g.techniques.map((id) => byId.get(id)!) : [];
    return {
      ...g,
      stale: isStale(g.reviewed, today, policy.review_max_age_days),
      score: meanCredit(mine.map((t) => t.credit)),
      states: stateCounts(mine.map((t) => t.state)),
    };
  });

  const states = stateCounts(techniques.map((t) => t.state));
  const untested = untestedCoverage({ states });
  const summary = {
    overlay: techniques.length,
    states,
    score: weightedScore(techniques),
    gaps: techniques.filter((t) => GAP_STATES.has(t.state)).length,
    untestedCoverage: round(untested.share),
    staleProfiles: groups.filter((g) => g.stale).length,
  };

  const detectionById = new Map(detections.views.map((d) => [d.id, d]));
  const dcName = (id: string) => (Object.hasOwn(catalog.dataComponents, id) ? catalog.dataComponents[id].name : id);
  const context: ActionContext = {
    dataComponentName: dcName,
    source: (id) => telemetry.byId.get(id),
    uncollected: (dcs) => providers(telemetry, dcs, 'notCollected'),
    detection: (id) => detectionById.get(id),
    today: dayString(today),
    validationMaxAgeDays: policy.validation_max_age_days,
    ...(options.suggestTests ? { suggestTests: options.suggestTests } : {}),
  };

  const findings: Finding[] = [
    ...detections.findings,
    ...groups.flatMap((g) => [...(g.stale ? [staleProfile(g, policy.review_max_age_days)] : []), ...[shallowProfile(g)].filter((f) => f !== undefined)]),
    ...techniques.map(validatedButBlind).filter((f) => f !== undefined),
    untested.finding,
  ];

  const mentioned = sortedUnique([...techniques.flatMap((t) => t.dataComponents), ...telemetry.views.flatMap((s) => s.dataComponents)]);

  return {
    now: now.toISOString(),
    today: dayString(today),
    attack: { domain: catalog.domain, version: catalog.version },
    organisation: { name: config.organisation.name, platforms: [...(config.organisation.platforms ?? [])] },
    site: { ...(config.site?.url ? { url: config.site.url } : {}), base: config.site?.base ?? '/' },
    summary,
    tactics: tacticScores(catalog.tactics, techniques),
    techniques,
    groups,
    baseline: overlay.baseline,
    backlog: buildBacklog(techniques, context),
    detections: detections.views,
    controls,
    telemetry: telemetry.views,
    dataComponents: mentioned.map((id) => ({ id, name: dcName(id) })),
    matrix: Object.values(catalog.techniques)
      .map((t) => ({ id: t.id, name: t.name, tactics: [...t.tactics], platforms: [...t.platforms], ...(t.parent ? { parent: t.parent } : {}) }))
      .sort((a, b) => byString(a.id, b.id)),
    findings,
  };
}
