/**
 * The named rule for Sigma rules (SPEC §5), run with the other reference rules. Sigma content is
 * written by others and often runs ahead of the pinned ATT&CK release, so every problem here is a
 * warning (or a note): the rule is read, what cannot be resolved is ignored, nothing blocks.
 *
 * Existence always comes from the catalog. The only table is NEWER_TACTICS, a hint for the message
 * when a tactic the catalog lacks is one a known later release introduced.
 */
import { findTactic, resolveId, type ResolvableKind } from '../catalog/lookup.js';
import type { Catalog } from '../catalog/types.js';
import { finding, type Finding, type NodePath } from '../model/findings.js';
import type { DetectionRecord, Repository } from '../model/repository.js';
import { SIGMA_DEFAULT_STATUS, SIGMA_RELATION_TYPES, SIGMA_STATUSES, SIGMA_TECHNIQUE_TAG, sigmaOf, type SigmaMeta, type SigmaTag } from '../load/sigma.js';

/** Tactic shortnames a later ATT&CK release introduced: only used to explain a tag the catalog lacks. */
const NEWER_TACTICS: Record<string, { major: number; note: string }> = {
  stealth: { major: 19, note: 'where Defense Evasion was split into Stealth and Defense Impairment' },
  'defense-impairment': { major: 19, note: 'where Defense Evasion was split into Stealth and Defense Impairment' },
};

/** `attack.<x>` tags naming other ATT&CK objects, by the letter their ids start with. */
const OBJECT_TAGS: { pattern: RegExp; kind: ResolvableKind; noun: string }[] = [
  { pattern: /^g\d{4}$/i, kind: 'group', noun: 'group' },
  { pattern: /^s\d{4}$/i, kind: 'software', noun: 'software' },
  { pattern: /^c\d{4}$/i, kind: 'campaign', noun: 'campaign' },
];

const release = (catalog: Catalog) => `ATT&CK ${catalog.domain} ${catalog.version}`;
const major = (catalog: Catalog) => Number.parseInt(catalog.version, 10);
const READ = 'the rule is read, the tag ignored';

/** The highest technique and sub-technique numbers a release has ever used (active or retired). */
interface Numbering {
  parent: number;
  sub: Map<number, number>;
}
const numberings = new WeakMap<Catalog, Numbering>();
function numbering(catalog: Catalog): Numbering {
  let n = numberings.get(catalog);
  if (n) return n;
  n = { parent: 0, sub: new Map() };
  const ids = [...Object.keys(catalog.techniques), ...Object.entries(catalog.retired).filter(([, r]) => !r.objectKind || r.objectKind === 'technique').map(([id]) => id)];
  for (const id of ids) {
    const m = /^T(\d{4})(?:\.(\d{3}))?$/.exec(id);
    if (!m) continue;
    const p = Number(m[1]);
    n.parent = Math.max(n.parent, p);
    if (m[2]) n.sub.set(p, Math.max(n.sub.get(p) ?? 0, Number(m[2])));
  }
  numberings.set(catalog, n);
  return n;
}

/** Why an unknown technique id looks like one from a later release, or undefined when it does not. */
function newerTechnique(catalog: Catalog, id: string): string | undefined {
  const m = /^T(\d{4})(?:\.(\d{3}))?$/.exec(id);
  if (!m) return undefined;
  const n = numbering(catalog);
  const p = Number(m[1]);
  if (p > n.parent) return `its number is above the highest technique of ${catalog.version}, T${String(n.parent).padStart(4, '0')}`;
  if (m[2] && (catalog.techniques[`T${m[1]}`] || catalog.retired[`T${m[1]}`]) && Number(m[2]) > (n.sub.get(p) ?? 0)) {
    return `T${m[1]} has no sub-technique numbered that high in ${catalog.version}`;
  }
  return undefined;
}

const technique = (catalog: Catalog, id: string) => (catalog.techniques[id] ? `${id} (${catalog.techniques[id].name})` : id);

function checkTechniqueTag(catalog: Catalog, tag: string, id: string, at: { file: string; path: NodePath }): Finding[] {
  const r = resolveId(catalog, id, 'technique');
  switch (r.status) {
    case 'active':
      return [];
    case 'revoked':
      return [
        finding(
          'technique-revoked',
          `${tag}: ${id} (${r.name}) is revoked in ${release(catalog)}${r.replacedBy ? `; its replacement is ${technique(catalog, r.replacedBy)}` : ''} — the rule is read, but the tag covers no technique until the rule names ${r.replacedBy ?? 'an active one'}.`,
          at,
          'warning',
        ),
      ];
    case 'deprecated':
      return [finding('technique-deprecated', `${tag}: ${id} (${r.name}) is deprecated in ${release(catalog)} and has no replacement — ${READ}.`, at, 'warning')];
    case 'unknown': {
      const why = newerTechnique(catalog, id);
      if (why) {
        return [
          finding(
            'sigma-newer-release',
            `${tag}: ${id} is not in ${release(catalog)}; it appears to come from a newer release (ATT&CK ${major(catalog) + 1} or later: ${why}) — ${READ}.`,
            at,
          ),
        ];
      }
      return [finding('technique-unknown', `${tag}: ${id} is not a technique of ${release(catalog)} — ${READ}.`, at, 'warning')];
    }
  }
}

function checkTag(catalog: Catalog, tag: SigmaTag, file: string): Finding[] {
  const at = { file, path: tag.path };
  if (typeof tag.value !== 'string') return [finding('sigma-tag-unknown', `tag ${JSON.stringify(tag.value)} is not a string; it is ignored.`, at)];
  const value = tag.value.trim();
  const dot = value.indexOf('.');
  // Namespaces other than attack (cve, detection, car, tlp, stp, a team's own) are not ATT&CK's to check.
  if (dot < 0 || value.slice(0, dot).toLowerCase() !== 'attack') return [];
  const name = value.slice(dot + 1);
  const techniqueMatch = SIGMA_TECHNIQUE_TAG.exec(value);
  if (techniqueMatch) return checkTechniqueTag(catalog, value, techniqueMatch[1].toUpperCase(), at);
  const object = OBJECT_TAGS.find((o) => o.pattern.test(name));
  if (object) {
    const id = name.toUpperCase();
    const r = resolveId(catalog, id, object.kind);
    if (r.status === 'active') return [];
    if (r.status === 'revoked') {
      return [finding('sigma-tag-revoked', `${value}: ${object.noun} ${id} (${r.name}) is revoked in ${release(catalog)}${r.replacedBy ? `; its replacement is ${r.replacedBy}` : ''} — ${READ}.`, at)];
    }
    if (r.status === 'deprecated') return [finding('sigma-tag-revoked', `${value}: ${object.noun} ${id} (${r.name}) is deprecated in ${release(catalog)} — ${READ}.`, at)];
    return [finding('sigma-tag-unknown', `${value}: ${id} is not a ${object.noun} of ${release(catalog)} — ${READ}.`, at)];
  }
  if (findTactic(catalog, name)) return [];
  const key = name.toLowerCase().replace(/[\s_]+/g, '-');
  const newer = NEWER_TACTICS[key];
  if (newer && newer.major > major(catalog)) {
    return [
      finding(
        'sigma-newer-release',
        `${value}: tactic "${key}" is not in ${release(catalog)}; it appears to come from a newer release (ATT&CK ${newer.major}, ${newer.note}) — ${READ}.`,
        at,
      ),
    ];
  }
  return [
    finding(
      'sigma-tag-unknown',
      `${value}: "${name}" is neither a tactic (${catalog.tactics.map((t) => t.shortname).join(', ')}) nor a technique, group or software id of ${release(catalog)} — ${READ}.`,
      at,
    ),
  ];
}

function checkStatus(d: DetectionRecord, meta: SigmaMeta): Finding[] {
  const at = { file: d.file, path: meta.at.status };
  if (meta.status === undefined || meta.status === null) {
    return [finding('sigma-status', `Sigma rule ${d.id} has no status; it is read as ${SIGMA_DEFAULT_STATUS}, which counts only if policy.counted_statuses lists it.`, at)];
  }
  if (typeof meta.status !== 'string' || !(SIGMA_STATUSES as readonly string[]).includes(meta.status.trim().toLowerCase())) {
    return [
      finding(
        'sigma-status',
        `Sigma rule ${d.id} has status ${JSON.stringify(meta.status)}, which is not a Sigma status (${SIGMA_STATUSES.join(', ')}); it counts only if policy.counted_statuses lists it.`,
        at,
      ),
    ];
  }
  return [];
}

function checkRelated(d: DetectionRecord, meta: SigmaMeta): Finding[] {
  return meta.related.flatMap((r) => {
    if (r.id && r.type && (SIGMA_RELATION_TYPES as readonly string[]).includes(r.type)) return [];
    const problem = !r.id ? 'has no id' : `has type ${JSON.stringify((r.raw as { type?: unknown }).type)}, not one of ${SIGMA_RELATION_TYPES.join(', ')}`;
    return [finding('sigma-related', `Sigma rule ${d.id}: a \`related\` entry ${problem}; it is ignored.`, { file: d.file, path: r.path })];
  });
}

const MISSING: Record<string, string> = {
  id: 'no `id`: it is known by its file name, which a rename changes',
  title: 'no `title`',
  logsource: 'no `logsource`: its telemetry need is unknown',
  detection: 'no `detection`: it matches nothing',
};

function checkStructure(d: DetectionRecord, meta: SigmaMeta): Finding[] {
  const out = meta.missing.map((key) => finding('sigma-rule', `Sigma rule ${d.id} has ${MISSING[key]}.`, { file: d.file, path: d.path }));
  if (meta.tagsMalformed) out.push(finding('sigma-tag-unknown', `Sigma rule ${d.id}: \`tags\` is not a list; its tags are ignored.`, { file: d.file, path: meta.at.tags }));
  if (meta.collection) {
    const { global, documents, repeats } = meta.collection;
    const parts = [
      global.length ? `global document${global.length > 1 ? 's' : ''} ${global.join(', ')}` : '',
      `rule document${documents.length > 1 ? 's' : ''} ${documents.join(', ')}`,
      repeats.length ? `repeated in ${repeats.join(', ')}` : '',
    ].filter(Boolean);
    out.push(
      finding(
        'sigma-collection',
        `Sigma rule ${d.id} is read from a rule collection (${parts.join('; ')}, counting from 0) as one rule with ${meta.logsources.length} logsource${meta.logsources.length > 1 ? 's' : ''}.`,
        { file: d.file, path: d.path },
      ),
    );
  }
  return out;
}

/** Every Sigma rule of the repository: tags against the catalog, status, `related`, structure. */
export function checkSigma(repo: Repository, catalog: Catalog): Finding[] {
  const out: Finding[] = [];
  // Variants of one collection with different ids share the global document's tags: report each once.
  const seen = new Set<string>();
  for (const d of repo.detections) {
    if (d.kind !== 'sigma') continue;
    const meta = sigmaOf(d);
    if (!meta) {
      // A Sigma record built elsewhere (not by load/sigma.ts): only its techniques can be checked.
      d.techniques.forEach((id, i) => out.push(...checkTechniqueTag(catalog, `attack.${id.toLowerCase()}`, id, { file: d.file, path: d.techniquePaths[i] ?? d.path })));
      continue;
    }
    out.push(...checkStructure(d, meta), ...checkStatus(d, meta), ...checkRelated(d, meta));
    for (const tag of meta.tags) {
      const key = `${d.file}|${JSON.stringify(tag.path)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(...checkTag(catalog, tag, d.file));
    }
  }
  return out;
}
