/**
 * An ATT&CK Navigator layer (format 4.x; a file may hold an array of layers) → a custom group
 * `groups/x-<slug>.yaml` per layer: a threat-intelligence vendor's or a red team's view of what
 * matters becomes a profile the overlay counts. Pure planning (`planLayers`), then the kind's `run`.
 *
 * A technique is taken when an enabled entry has a score above the threshold (default 0), or has
 * no score at all (a layer that only highlights techniques). Entries per tactic are one technique.
 * Ids are checked against the pinned release: revoked → the replacement; deprecated or unknown →
 * reported and left out (Navigator itself drops unknown ids silently).
 */
import { basename } from 'node:path';
import { dump } from 'js-yaml';
import type { Catalog } from '../catalog/types.js';
import { idsOf, listIds, placeNewFiles, plural, readContent, slugify, type ContentKind, type ContentOutcome, type ContentRequest, type NewFile } from './content.js';
import { translateTechnique } from '../compliance/translate.js';
import { writeFilesAtomic } from '../write/atomic.js';
import { isObject, jsonLocator, parseJson, str } from './json.js';
import { readInput } from './run.js';
import type { Problem } from './types.js';

export interface LayerPlan {
  name: string;
  /** Entries in the layer's `techniques`. */
  read: number;
  /** Distinct techniques taken (pinned release ids). */
  techniques: string[];
  below: number;
  disabled: number;
  replaced: Record<string, string>;
  deprecated: string[];
  unknown: string[];
  file: NewFile;
  /** The layer's ATT&CK release when it is not the pinned one's major. */
  otherRelease?: string;
}

export interface NavigatorOptions {
  catalog: Catalog;
  threshold: number;
  today: string;
  source: string;
}

function planLayer(layer: Record<string, unknown>, at: (path: (string | number)[]) => number, base: (string | number)[], o: NavigatorOptions, problems: Problem[]): LayerPlan | undefined {
  const name = str(layer.name);
  if (!name) {
    problems.push({ line: at(base), message: 'the layer has no `name`: it names the group' });
    return undefined;
  }
  const domain = str(layer.domain);
  if (domain && domain !== o.catalog.domain) {
    problems.push({ line: at([...base, 'domain']), message: `layer "${name}" is for ${domain}; this repository pins ${o.catalog.domain}` });
    return undefined;
  }
  if (!Array.isArray(layer.techniques)) {
    problems.push({ line: at(base), message: `layer "${name}" has no \`techniques\` list` });
    return undefined;
  }
  const plan: Omit<LayerPlan, 'file'> = { name, read: layer.techniques.length, techniques: [], below: 0, disabled: 0, replaced: {}, deprecated: [], unknown: [] };
  const versions = isObject(layer.versions) ? layer.versions : {};
  const attack = str(versions.attack);
  if (attack && attack.split('.')[0] !== o.catalog.version.split('.')[0]) plan.otherRelease = attack;
  const taken = new Set<string>();
  const seen = new Set<string>();
  layer.techniques.forEach((entry, i) => {
    if (!isObject(entry)) {
      problems.push({ line: at([...base, 'techniques', i]), message: `technique entry ${i + 1} is not an object` });
      return;
    }
    const raw = str(entry.techniqueID)?.toUpperCase();
    if (!raw || !/^T[0-9]{4}(\.[0-9]{3})?$/.test(raw)) {
      problems.push({ line: at([...base, 'techniques', i, 'techniqueID']), message: `"${str(entry.techniqueID) ?? ''}" is not a technique id (T#### or T####.###)` });
      return;
    }
    if (entry.score !== undefined && entry.score !== null && typeof entry.score !== 'number') {
      problems.push({ line: at([...base, 'techniques', i, 'score']), message: `the score of ${raw} is ${JSON.stringify(entry.score)}, not a number` });
      return;
    }
    if (entry.enabled === false) return void plan.disabled++;
    const score = typeof entry.score === 'number' ? entry.score : undefined;
    if (score !== undefined && !(score > o.threshold)) return void plan.below++;
    if (seen.has(raw)) return;
    seen.add(raw);
    const t = translateTechnique(raw, o.catalog);
    if (t.status === 'active') taken.add(t.id);
    else if (t.status === 'revoked') {
      plan.replaced[raw] = t.id;
      taken.add(t.id);
    } else if (t.status === 'deprecated') plan.deprecated.push(raw);
    else plan.unknown.push(raw);
  });
  plan.techniques = [...taken].sort();
  const slug = slugify(name, 60);
  const description = str(layer.description);
  const value = {
    id: `X-${slug}`,
    name,
    relevance: 'medium',
    rationale: description && description !== name ? `${name}: ${description}` : name,
    reviewed: o.today,
    enabled: true,
    sources: [{ title: `ATT&CK Navigator layer ${o.source}${attack ? ` (ATT&CK ${attack})` : ''}` }],
    techniques: { add: plan.techniques },
  };
  const comment = `# Imported by tidemark import navigator from ${o.source.replace(/[\r\n]+/g, ' ')}: techniques scored above ${o.threshold} (or unscored); relevance is a default, set it.\n`;
  return { ...plan, file: { path: `groups/x-${slug}.yaml`, id: value.id, text: `${comment}${dump(value, { flowLevel: 3, lineWidth: -1, noRefs: true })}` } };
}

export function planLayers(text: string, o: NavigatorOptions): { layers: LayerPlan[]; problems: Problem[] } {
  const { value, problem } = parseJson(text, 'Navigator layer');
  if (problem) return { layers: [], problems: [problem] };
  const at = jsonLocator(text);
  const problems: Problem[] = [];
  const raw = Array.isArray(value) ? value : [value];
  const layers: LayerPlan[] = [];
  raw.forEach((layer, i) => {
    const base = Array.isArray(value) ? [i] : [];
    if (!isObject(layer)) problems.push({ line: at(base), message: 'not a Navigator layer (a JSON object with name, domain, versions and techniques)' });
    else {
      const plan = planLayer(layer, at, base, o, problems);
      if (plan && !plan.techniques.length) problems.push({ line: at([...base, 'techniques']), message: `layer "${plan.name}" has no enabled technique scored above ${o.threshold}: a group needs at least one` });
      else if (plan) layers.push(plan);
    }
  });
  return { layers, problems };
}

async function run(req: ContentRequest): Promise<ContentOutcome> {
  const text = await readInput(req.file, 'Navigator layer');
  const catalog = await req.pinned();
  const source = basename(req.file);
  const threshold = req.threshold ?? 0;
  const { layers, problems } = planLayers(text, { catalog, threshold, today: req.now.toISOString().slice(0, 10), source });
  if (problems.length) return { code: 1, out: [], err: [...problems.map((p) => `${req.file}:${p.line}: ${p.message}`), 'nothing written'] };
  const groups = await readContent(req.repoDir, 'groups');
  const placement = placeNewFiles(layers.map((l) => l.file), new Map(groups.map((g) => [g.path, g.text])), idsOf(groups));
  const out: string[] = [];
  for (const l of layers) {
    out.push(`layer "${l.name}": read ${plural(l.read, 'entry', 'entries')}; ${plural(l.techniques.length, 'technique')} taken (score above ${threshold} or unscored)${l.below ? `, ${l.below} at or below` : ''}${l.disabled ? `, ${l.disabled} disabled` : ''}`);
    if (l.otherRelease) out.push(`  the layer was made for ATT&CK ${l.otherRelease}; ids checked against the pinned ${catalog.version}`);
    const replaced = Object.entries(l.replaced);
    if (replaced.length) out.push(`  revoked, replaced: ${listIds(replaced.map(([a, b]) => `${a} → ${b}`))}`);
    if (l.deprecated.length) out.push(`  deprecated in ATT&CK ${catalog.version}, left out: ${listIds(l.deprecated)}`);
    if (l.unknown.length) out.push(`  not techniques of ATT&CK ${catalog.domain} ${catalog.version}, left out: ${listIds(l.unknown)}`);
  }
  if (placement.conflicts.length) return { code: 1, out, err: [...placement.conflicts, 'nothing written'] };
  const paths = Object.keys(placement.write);
  if (paths.length && !req.dryRun) await writeFilesAtomic(req.repoDir, placement.write);
  if (paths.length) out.push(`${req.dryRun ? 'would write' : 'wrote'} ${listIds(paths)}: custom group${paths.length === 1 ? '' : 's'} with relevance medium (edit it to weigh the group)`);
  if (placement.unchanged.length) out.push(`already imported, unchanged: ${listIds(placement.unchanged)}`);
  return { code: 0, out, err: [] };
}

export const navigatorKind: ContentKind = {
  describes: 'ATT&CK Navigator layer (JSON) → custom group groups/x-<slug>.yaml (--threshold N, default 0)',
  flags: ['threshold'],
  run,
};
