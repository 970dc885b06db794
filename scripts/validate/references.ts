/**
 * Phase two of validation: named rules over all documents, checked against the ATT&CK catalog and
 * across files. Each rule returns findings; none throws.
 */
import { finding, type Finding, type NodePath } from '../model/findings.js';
import type { Catalog } from '../catalog/types.js';
import type { Origin, Repository } from '../model/repository.js';
import { checkSigma } from './sigma.js';

type Rule = (repo: Repository, catalog: Catalog) => Finding[];

const release = (catalog: Catalog) => `ATT&CK ${catalog.domain} ${catalog.version}`;

/** One technique reference: active, revoked (name the replacement), deprecated or unknown. */
function checkTechnique(catalog: Catalog, id: string, at: { file: string; path: NodePath }, severity?: 'warning'): Finding[] {
  if (catalog.techniques[id]) return [];
  const retired = catalog.retired[id];
  if (retired?.kind === 'revoked') {
    const instead = retired.replacedBy ? `; use ${retired.replacedBy} (${catalog.techniques[retired.replacedBy]?.name ?? 'its replacement'}) instead` : '';
    return [finding('technique-revoked', `${id} (${retired.name}) is revoked in ${release(catalog)}${instead}.`, at, severity)];
  }
  if (retired?.kind === 'deprecated') {
    return [finding('technique-deprecated', `${id} (${retired.name}) is deprecated in ${release(catalog)} and has no replacement.`, at, severity)];
  }
  return [
    finding(
      'technique-unknown',
      `${id} is not a technique of ${release(catalog)}; check the id, or pin a newer release in tidemark.yaml if it was added since.`,
      at,
      severity,
    ),
  ];
}

const refId = (ref: string | { id: string }) => (typeof ref === 'string' ? ref : ref.id);

const techniques: Rule = (repo, catalog) => {
  const out: Finding[] = [];
  for (const group of repo.groups) {
    for (const list of ['add', 'remove'] as const) {
      (group.techniques?.[list] ?? []).forEach((ref, i) => {
        const path = typeof ref === 'string' ? ['techniques', list, i] : ['techniques', list, i, 'id'];
        out.push(...checkTechnique(catalog, refId(ref), { file: group.file, path }));
      });
    }
  }
  for (const d of repo.detections) {
    // Sigma rules are read unchanged and often run ahead of the pinned release: their tags are
    // checked by the Sigma rule (validate/sigma.ts), as warnings.
    if (d.kind === 'sigma') continue;
    d.techniques.forEach((id, i) => out.push(...checkTechnique(catalog, id, { file: d.file, path: d.techniquePaths[i] })));
  }
  for (const c of repo.controls) c.techniques.forEach((id, i) => out.push(...checkTechnique(catalog, id, { file: c.file, path: [...c.path, 'techniques', i] })));
  for (const v of repo.validations) out.push(...checkTechnique(catalog, v.technique, { file: v.file, path: [...v.path, 'technique'] }));
  return out;
};

const groups: Rule = (repo, catalog) =>
  repo.groups.flatMap((g) => {
    if (g.id.startsWith('X-')) {
      const missing = [!g.name && 'name', !g.techniques?.add?.length && 'techniques.add'].filter(Boolean);
      return missing.length ? [finding('schema', `custom group ${g.id} needs ${missing.join(' and ')}`, { file: g.file, path: ['id'] })] : [];
    }
    const known = g.id.startsWith('C') ? catalog.campaigns[g.id] : catalog.groups[g.id];
    if (known) return [];
    const retired = catalog.retired[g.id];
    const at = { file: g.file, path: ['id'] };
    if (retired?.kind === 'revoked') {
      return [finding('group-revoked', `${g.id} (${retired.name}) is revoked in ${release(catalog)}${retired.replacedBy ? `; profile ${retired.replacedBy} instead` : ''}.`, at)];
    }
    if (retired?.kind === 'deprecated') return [finding('group-revoked', `${g.id} (${retired.name}) is deprecated in ${release(catalog)}.`, at)];
    return [finding('group-unknown', `${g.id} is not a ${g.id.startsWith('C') ? 'campaign' : 'group'} of ${release(catalog)}.`, at)];
  });

const mitigations: Rule = (repo, catalog) =>
  repo.controls.flatMap((c) =>
    (c.mitigations ?? []).flatMap((id, i) =>
      catalog.mitigations[id] ? [] : [finding('mitigation-unknown', `${id} is not a mitigation of ${release(catalog)}.`, { file: c.file, path: [...c.path, 'mitigations', i] })],
    ),
  );

const dataComponents: Rule = (repo, catalog) => {
  const names = new Set(Object.values(catalog.dataComponents).map((dc) => dc.name));
  return repo.telemetry.flatMap((s) =>
    (s.data_components ?? []).flatMap((ref, i) =>
      Object.hasOwn(catalog.dataComponents, ref) || names.has(ref)
        ? []
        : [finding('data-component-unknown', `"${ref}" is neither the id nor the exact name of a data component of ${release(catalog)}.`, { file: s.file, path: [...s.path, 'data_components', i] })],
    ),
  );
};

const references: Rule = (repo) => {
  const out: Finding[] = [];
  const telemetry = new Set(repo.telemetry.map((s) => s.id));
  for (const d of repo.detections) {
    if (d.kind !== 'native') continue;
    d.telemetry.forEach((id, i) => {
      if (!telemetry.has(id)) out.push(finding('telemetry-unknown', `${d.id} needs telemetry "${id}", which coverage/telemetry.yaml does not list.`, { file: d.file, path: [...d.path, 'telemetry', i] }));
    });
  }
  const detections = new Set(repo.detections.map((d) => d.id));
  for (const v of repo.validations) {
    if (v.detection && !detections.has(v.detection)) {
      out.push(finding('detection-unknown', `the result names detection "${v.detection}", which no file under detections/ defines.`, { file: v.file, path: [...v.path, 'detection'] }));
    }
  }
  return out;
};

const platforms: Rule = (repo, catalog) => {
  const known = new Set(Object.values(catalog.techniques).flatMap((t) => t.platforms));
  return (repo.config.organisation.platforms ?? []).flatMap((p, i) =>
    known.has(p)
      ? []
      : [finding('platform-unknown', `"${p}" is not a platform of ${release(catalog)} (known: ${[...known].sort().join(', ')}); it matches no technique.`, { file: 'tidemark.yaml', path: ['organisation', 'platforms', i] })],
  );
};

/** Ids are unique across the repository, per kind (a detection and a control may share a name). */
const uniqueIds: Rule = (repo) => {
  const out: Finding[] = [];
  const kinds: [string, (Origin & { id: string })[]][] = [
    ['group', repo.groups],
    ['detection', repo.detections],
    ['control', repo.controls],
    ['telemetry source', repo.telemetry],
  ];
  for (const [kind, records] of kinds) {
    const first = new Map<string, Origin>();
    for (const r of records) {
      const earlier = first.get(r.id);
      if (earlier) out.push(finding('duplicate-id', `${kind} id "${r.id}" is already used in ${earlier.file}.`, { file: r.file, path: [...r.path, 'id'] }));
      else first.set(r.id, r);
    }
  }
  return out;
};

export const RULES: Record<string, Rule> = { techniques, groups, mitigations, dataComponents, references, platforms, uniqueIds, sigma: checkSigma };

export const checkReferences = (repo: Repository, catalog: Catalog): Finding[] => Object.values(RULES).flatMap((rule) => rule(repo, catalog));
