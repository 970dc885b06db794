/**
 * DeTT&CT administration files → repository content. Pure planning first (`planDettect`), then
 * the kind's `run` with the reads and the one write.
 *
 * | file_type | becomes |
 * | --- | --- |
 * | data-source-administration | telemetry sources in coverage/telemetry.yaml (one per products × systems × status) |
 * | technique-administration | native detections in detections/dettect/ (latest detection score ≥ 1) |
 * | group-administration | custom groups groups/x-<slug>.yaml |
 *
 * What has no equivalent in tidemark is counted and reported, never guessed: DeTT&CT data sources
 * (`… [DeTT&CT data source]`), visibility scores (tidemark derives visibility from the telemetry
 * inventory), exceptions, software of groups, technique ids the pinned release does not know.
 */
import { basename } from 'node:path';
import { dump } from 'js-yaml';
import { parseDocument } from 'yaml';
import type { Catalog, DataComponent } from '../catalog/types.js';
import { findDataComponent } from '../catalog/lookup.js';
import {
  idsOf,
  listIds,
  placeNewFiles,
  plural,
  readContent,
  readOne,
  slugify,
  type ContentKind,
  type ContentOutcome,
  type ContentRequest,
  type NewFile,
} from './content.js';
import { translateTechnique } from '../compliance/translate.js';
import { appendToList } from '../compliance/yaml-edit.js';
import type { TelemetrySource } from '../model/schemas.js';
import { writeFilesAtomic } from '../write/atomic.js';
import { isObject, str } from './json.js';
import { readInput } from './run.js';
import type { Problem } from './types.js';

export const DETTECT_DIR = 'detections/dettect';
export const TELEMETRY_FILE = 'coverage/telemetry.yaml';

export interface DettectPlan {
  fileType?: string;
  /** Entries read: data source entries, technique detection entries, groups. */
  read: number;
  telemetry: TelemetrySource[];
  /** New files under detections/dettect/ and groups/. */
  files: NewFile[];
  /** Entries deliberately not imported, counted per reason. */
  skipped: Record<string, number>;
  /** What had no equivalent, one line each. */
  noEquivalent: string[];
  /** Ids revoked in the pinned release, carried over to their replacement. */
  replaced: Record<string, string>;
  problems: Problem[];
}

export interface DettectOptions {
  catalog: Catalog;
  /** UTC day of the import, `reviewed` of new groups. */
  today: string;
  /** Name of the input file, for comments and rationales. */
  source: string;
}

type Obj = Record<string, unknown>;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const strings = (v: unknown): string[] => list(v).map((x) => str(x)).filter((x): x is string => x !== undefined);
const count = (plan: DettectPlan, reason: string) => (plan.skipped[reason] = (plan.skipped[reason] ?? 0) + 1);
const dateKey = (v: unknown): string => (v instanceof Date ? v.toISOString() : (str(v) ?? ''));
// One comment line: a line break in the file name would otherwise start YAML of its own.
const header = (source: string) => `# Imported by tidemark import dettect from ${source.replace(/[\r\n]+/g, ' ')}; edit freely.\n`;
const yamlText = (source: string, value: unknown) => `${header(source)}${dump(value, { flowLevel: 1, lineWidth: -1, noRefs: true })}`;

/** The technique in the pinned release: same id, its replacement, or nothing (recorded as no equivalent). */
function technique(plan: DettectPlan, catalog: Catalog, id: string, where: string): string | undefined {
  const t = translateTechnique(id.toUpperCase(), catalog);
  if (t.status === 'active') return t.id;
  if (t.status === 'revoked') {
    plan.replaced[t.from] = t.id;
    return t.id;
  }
  plan.noEquivalent.push(`${where}: ${id} is ${t.status === 'deprecated' ? 'deprecated' : 'not a technique'} in ATT&CK ${catalog.domain} ${catalog.version}`);
  return undefined;
}

// --- data sources --------------------------------------------------------------------------

const QUALITY = ['device_completeness', 'data_field_completeness', 'timeliness', 'consistency', 'retention'] as const;

/** A DeTT&CT data source name as an ATT&CK data component: exact name, or the same name in another case. */
function dataComponent(catalog: Catalog, name: string): DataComponent | undefined {
  const exact = findDataComponent(catalog, name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  return Object.values(catalog.dataComponents).find((dc) => dc.name.toLowerCase() === lower);
}

function planDataSources(doc: Obj, plan: DettectPlan, { catalog, source }: DettectOptions): void {
  const systems = new Map<string, string[]>();
  for (const s of list(doc.systems)) if (isObject(s) && str(s.applicable_to)) systems.set(str(s.applicable_to)!.toLowerCase(), strings(s.platform));
  const allPlatforms = [...new Set([...systems.values()].flat())].filter((p) => p.toLowerCase() !== 'all').sort();
  const platformsOf = (applicable: string[]) => {
    if (applicable.some((a) => a.toLowerCase() === 'all')) return allPlatforms;
    const out = new Set<string>();
    for (const a of applicable) {
      const p = systems.get(a.toLowerCase());
      if (p) p.filter((x) => x.toLowerCase() !== 'all').forEach((x) => out.add(x));
      else plan.noEquivalent.push(`applicable_to "${a}" is not one of the file's systems: no platforms for it`);
    }
    return [...out].sort();
  };
  interface Entry { dc: string; applicable: string[]; products: string[]; collected: boolean; comments: string[]; analytics: boolean }
  const entries: Entry[] = [];
  let partial = 0;
  for (const ds of list(doc.data_sources)) {
    if (!isObject(ds)) continue;
    const name = str(ds.data_source_name) ?? '';
    // DeTT&CT 1.x files put the details on the data source itself; later ones list them per system.
    const details = Array.isArray(ds.data_source) ? ds.data_source : [ds];
    plan.read += details.length;
    const dc = name && !/\[DeTT&CT data source\]\s*$/i.test(name) ? dataComponent(catalog, name) : undefined;
    if (!dc) {
      plan.noEquivalent.push(
        /\[DeTT&CT data source\]/i.test(name)
          ? `data source "${name}" is DeTT&CT's own, not an ATT&CK data component`
          : `data source "${name}" is not a data component of ATT&CK ${catalog.domain} ${catalog.version}`,
      );
      for (let i = 0; i < details.length; i++) count(plan, 'data source without an ATT&CK data component');
      continue;
    }
    // The latest entry per set of systems counts.
    const latest = new Map<string, Obj>();
    for (const d of details) {
      if (!isObject(d)) continue;
      const key = strings(d.applicable_to).map((a) => a.toLowerCase()).sort().join('\u0000') || 'all';
      const held = latest.get(key);
      const stamp = (x: Obj) => `${dateKey(x.date_registered)}\u0000${dateKey(x.date_connected)}`;
      if (held) count(plan, 'older entry for the same systems');
      if (!held || stamp(d) > stamp(held)) latest.set(key, d);
    }
    for (const d of latest.values()) {
      const quality = isObject(d.data_quality) ? d.data_quality : {};
      const scores = QUALITY.map((k) => Number(quality[k] ?? 0));
      const collected = scores.every((s) => s > 0);
      if (!collected && scores.some((s) => s > 0)) partial++;
      const applicable = strings(d.applicable_to);
      entries.push({
        dc: dc.name,
        applicable: applicable.length ? applicable : ['all'],
        products: strings(d.products).sort(),
        collected,
        comments: strings(d.comment),
        analytics: d.available_for_data_analytics !== false,
      });
    }
  }
  if (partial) plan.noEquivalent.push(`${plural(partial, 'data source entry', 'data source entries')} with some data quality dimensions at 0 imported as planned (collected needs every dimension above 0)`);
  const exceptions = list(doc.exceptions).length;
  if (exceptions) plan.noEquivalent.push(`${plural(exceptions, 'exception')} (techniques hidden from the heat map): tidemark has no exceptions; remove the technique from the profile instead`);

  const bySource = new Map<string, TelemetrySource & { comments: Set<string>; analytics: boolean }>();
  for (const e of entries) {
    const systemsLabel = e.applicable.some((a) => a.toLowerCase() === 'all') ? 'all systems' : e.applicable.join(', ');
    const what = e.products.length ? e.products.join(', ') : e.dc;
    const status = e.collected ? 'collected' : 'planned';
    const id = `dettect-${slugify(what, 50)}-${slugify(systemsLabel, 50)}${e.collected ? '' : '-planned'}`;
    let s = bySource.get(id);
    if (!s) {
      const platforms = platformsOf(e.applicable);
      s = { id, name: `${what} (${systemsLabel})`, status, ...(platforms.length ? { platforms } : {}), data_components: [], comments: new Set(), analytics: true };
      bySource.set(id, s);
    }
    if (!s.data_components!.includes(e.dc)) s.data_components!.push(e.dc);
    e.comments.forEach((c) => s.comments.add(c));
    s.analytics &&= e.analytics;
  }
  for (const s of [...bySource.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const { comments, analytics, ...source_ } = s;
    const notes = [`From DeTT&CT ${source}.`, ...(analytics ? [] : ['Not available for data analytics in DeTT&CT.']), ...comments];
    plan.telemetry.push({ ...source_, data_components: [...source_.data_components!].sort(), description: notes.join(' ') });
  }
}

// --- techniques ----------------------------------------------------------------------------

/** The latest logbook entry (by date; undated entries count as oldest; the first wins a tie). */
function latestScore(detection: Obj): { score?: number; date?: string; comment?: string } {
  const book = list(detection.score_logbook).filter(isObject);
  if (!book.length) return detection.score === undefined ? {} : { score: Number(detection.score) };
  let best = book[0];
  for (const e of book.slice(1)) if (dateKey(e.date) > dateKey(best.date)) best = e;
  return { score: Number(best.score), date: dateKey(best.date).slice(0, 10) || undefined, comment: str(best.comment) };
}

function planTechniques(doc: Obj, plan: DettectPlan, { catalog, source }: DettectOptions): void {
  const filePlatforms = strings(doc.platform).filter((p) => p.toLowerCase() !== 'all');
  let visible = 0;
  const ids = new Set<string>();
  for (const t of list(doc.techniques)) {
    if (!isObject(t)) continue;
    const raw = str(t.technique_id) ?? '';
    const detections = list(t.detection).filter(isObject);
    plan.read += detections.length;
    if (list(t.visibility).filter(isObject).some((v) => (latestScore(v).score ?? 0) >= 1)) visible++;
    const scored = detections.map((d) => ({ d, latest: latestScore(d) })).filter(({ latest }) => {
      const s = latest.score;
      if (s !== undefined && s >= 1) return true;
      count(plan, s === undefined || Number.isNaN(s) ? 'detection without a score' : s < 0 ? 'detection score -1 (no detection)' : 'detection score 0 (forecast, none in place)');
      return false;
    });
    if (!scored.length) continue;
    const id = technique(plan, catalog, raw, `technique ${raw || '(no id)'}`);
    if (!id) {
      for (let i = 0; i < scored.length; i++) count(plan, 'technique not in the pinned release');
      continue;
    }
    const name = catalog.techniques[id]?.name ?? str(t.technique_name) ?? id;
    for (const { d, latest } of scored) {
      const applicable = strings(d.applicable_to);
      const all = !applicable.length || applicable.some((a) => a.toLowerCase() === 'all');
      const systemsLabel = all ? 'all systems' : applicable.join(', ');
      let detId = `dettect-${id.toLowerCase().replace('.', '-')}-${slugify(systemsLabel, 60)}`;
      for (let n = 2; ids.has(detId); n++) detId = `${detId.replace(/-[0-9]+$/, '')}-${n}`;
      ids.add(detId);
      const location = strings(d.location);
      const comments = [str(d.comment), latest.comment].filter((c): c is string => Boolean(c));
      const description = [
        `DeTT&CT detection score ${latest.score}${latest.date ? ` (${latest.date})` : ''} on ${systemsLabel}, from ${source}.`,
        ...(raw.toUpperCase() !== id ? [`DeTT&CT names it ${raw}, revoked in ATT&CK ${catalog.version}.`] : []),
        ...comments,
      ].join(' ');
      const value = {
        id: detId,
        title: `${name} (DeTT&CT, ${systemsLabel})`,
        status: 'stable',
        techniques: [id],
        ...(all && filePlatforms.length ? { platforms: filePlatforms } : {}),
        score: latest.score,
        ...(location.length ? { location } : {}),
        description,
      };
      plan.files.push({ path: `${DETTECT_DIR}/${detId}.yaml`, id: detId, text: yamlText(source, value) });
    }
  }
  if (visible) plan.noEquivalent.push(`visibility scores of ${plural(visible, 'technique')}: no equivalent (tidemark derives visibility from ${TELEMETRY_FILE})`);
}

// --- groups --------------------------------------------------------------------------------

function planGroups(doc: Obj, plan: DettectPlan, { catalog, source, today }: DettectOptions): void {
  const platforms = strings(doc.platform);
  if (platforms.length) plan.noEquivalent.push(`the file's platforms (${platforms.join(', ')}): tidemark filters every profile by organisation.platforms in tidemark.yaml`);
  for (const g of list(doc.groups)) {
    if (!isObject(g)) continue;
    plan.read++;
    const name = str(g.group_name) ?? 'Unnamed group';
    const campaign = str(g.campaign);
    const label = campaign ? `${name}, ${campaign}` : name;
    // technique_id: a list (each weighs 1) or a map id → weight.
    const weights = new Map<string, number>();
    const rawIds = isObject(g.technique_id) ? Object.entries(g.technique_id) : strings(g.technique_id).map((id) => [id, 1] as [string, unknown]);
    for (const [raw, w] of rawIds) {
      const weight = Number(w ?? 1);
      if (!(weight > 0)) {
        plan.noEquivalent.push(`group "${label}": ${raw} has weight ${String(w)}; only positive weights become relevance`);
        continue;
      }
      const id = technique(plan, catalog, raw, `group "${label}"`);
      if (id) weights.set(id, Math.max(weights.get(id) ?? 0, weight));
    }
    const software = strings(g.software_id);
    if (software.length) plan.noEquivalent.push(`group "${label}": software ${listIds(software)} not imported (a custom group lists techniques; add the software's techniques to techniques.add if wanted)`);
    if (!weights.size) {
      count(plan, 'group without a technique of the pinned release');
      continue;
    }
    const distinct = [...new Set(weights.values())].sort((a, b) => b - a);
    if (distinct.length > 1) plan.noEquivalent.push(`group "${label}": technique weights ${distinct.join(', ')} differ; one group per weight, so each technique keeps its weight as relevance`);
    const slug = slugify(label, 60);
    for (const weight of distinct) {
      const suffix = distinct.length > 1 ? `-w${String(weight).replace('.', '-')}` : '';
      const id = `X-${slug}${suffix}`;
      const techniques = [...weights].filter(([, w]) => w === weight).map(([t]) => t).sort();
      const value = {
        id,
        name: distinct.length > 1 ? `${label} (weight ${weight})` : label,
        relevance: weight,
        rationale: `Imported from DeTT&CT group administration ${source}: ${label}${distinct.length > 1 ? `, techniques of weight ${weight}` : ''}.`,
        reviewed: today,
        enabled: g.enabled !== false,
        techniques: { add: techniques },
      };
      plan.files.push({ path: `groups/x-${slug}${suffix}.yaml`, id, text: `${header(source)}${dump(value, { flowLevel: 3, lineWidth: -1, noRefs: true })}` });
    }
  }
}

// --- the plan ------------------------------------------------------------------------------

const PLANNERS: Record<string, (doc: Obj, plan: DettectPlan, options: DettectOptions) => void> = {
  'data-source-administration': planDataSources,
  'technique-administration': planTechniques,
  'group-administration': planGroups,
};

export function planDettect(text: string, options: DettectOptions): DettectPlan {
  const plan: DettectPlan = { read: 0, telemetry: [], files: [], skipped: {}, noEquivalent: [], replaced: {}, problems: [] };
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    plan.problems.push({ line: e.linePos?.[0].line ?? 1, message: `not valid YAML: ${e.message.split('\n')[0]}` });
    return plan;
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // An alias without its anchor, or an alias bomb: toJS throws rather than reporting.
    plan.problems.push({ line: 1, message: `not valid YAML: ${(error as Error).message.split('\n')[0]}` });
    return plan;
  }
  const fileType = isObject(value) ? str(value.file_type) : undefined;
  // Own keys only: a file_type of "constructor" must not find Object.prototype's.
  const planner = fileType && Object.hasOwn(PLANNERS, fileType) ? PLANNERS[fileType] : undefined;
  if (!isObject(value) || !planner) {
    plan.problems.push({ line: 1, message: `not a DeTT&CT administration file tidemark reads: file_type is ${fileType ? `"${fileType}"` : 'missing'} (expected ${Object.keys(PLANNERS).join(', ')})` });
    return plan;
  }
  plan.fileType = fileType;
  const domain = str(value.domain);
  if (domain && domain !== options.catalog.domain) {
    plan.problems.push({ line: 1, message: `the file is for ${domain}; this repository pins ${options.catalog.domain}` });
    return plan;
  }
  planner(value, plan, options);
  return plan;
}

// --- `tidemark import dettect FILE` ---------------------------------------------------------

/** coverage/telemetry.yaml with the new sources appended; ids already there are unchanged (same entry) or conflicts. */
function mergeTelemetry(current: { text: string; value: unknown } | undefined, sources: TelemetrySource[]) {
  const held = new Map<string, unknown>();
  const existing = isObject(current?.value) && Array.isArray(current.value.sources) ? current.value.sources : [];
  for (const s of existing) if (isObject(s) && str(s.id)) held.set(str(s.id)!, s);
  const fresh: TelemetrySource[] = [];
  const unchanged: string[] = [];
  const conflicts: string[] = [];
  for (const s of sources) {
    const there = held.get(s.id);
    if (there === undefined) fresh.push(s);
    else if (JSON.stringify(there) === JSON.stringify(s)) unchanged.push(s.id);
    else conflicts.push(`${TELEMETRY_FILE}: source ${s.id} exists with other content; not overwritten (rename or remove it to import again)`);
  }
  if (!fresh.length || conflicts.length) return { fresh, unchanged, conflicts };
  if (!current || current.text.trim() === '') {
    const text = `# Telemetry inventory (SPEC §7).\n${dump({ sources: fresh }, { flowLevel: 3, lineWidth: -1, noRefs: true })}`;
    return { fresh, unchanged, conflicts, text };
  }
  if (current.value !== null && !isObject(current.value)) {
    return { fresh, unchanged, conflicts: [`${TELEMETRY_FILE} is not a YAML mapping; add the sources by hand or fix it first`] };
  }
  try {
    return { fresh, unchanged, conflicts, text: appendToList(current.text, ['sources'], fresh).text };
  } catch (error) {
    return { fresh, unchanged, conflicts: [`${TELEMETRY_FILE}: ${(error as Error).message}`] };
  }
}

async function run(req: ContentRequest): Promise<ContentOutcome> {
  const text = await readInput(req.file, 'DeTT&CT file');
  const catalog = await req.pinned();
  const source = basename(req.file);
  const plan = planDettect(text, { catalog, today: req.now.toISOString().slice(0, 10), source });
  if (plan.problems.length) {
    return { code: 1, out: [], err: [...plan.problems.map((p) => `${req.file}:${p.line}: ${p.message}`), 'nothing written'] };
  }
  const dirs = [...new Set(plan.files.map((f) => f.path.split('/')[0]))];
  const existing = (await Promise.all(dirs.map((d) => readContent(req.repoDir, d)))).flat();
  const detectionFiles = await readContent(req.repoDir, 'detections');
  const ids = new Map([...idsOf(detectionFiles), ...idsOf(existing.filter((f) => f.path.startsWith('groups/')))]);
  const placement = placeNewFiles(plan.files, new Map(existing.map((f) => [f.path, f.text])), ids);
  const telemetry = plan.telemetry.length ? mergeTelemetry(await readOne(req.repoDir, TELEMETRY_FILE), plan.telemetry) : undefined;
  const conflicts = [...placement.conflicts, ...(telemetry?.conflicts ?? [])];

  const out = [`read ${plural(plan.read, 'entry', 'entries')} from ${source} (DeTT&CT ${plan.fileType})`];
  const replaced = Object.entries(plan.replaced);
  if (replaced.length) out.push(`revoked in ATT&CK ${catalog.version}, carried over to the replacement: ${listIds(replaced.map(([a, b]) => `${a} → ${b}`))}`);
  for (const [reason, n] of Object.entries(plan.skipped).sort((a, b) => b[1] - a[1])) out.push(`skipped ${n}: ${reason}`);
  if (plan.noEquivalent.length) out.push('no equivalent in tidemark:', ...[...new Set(plan.noEquivalent)].map((l) => `  ${l}`));
  if (conflicts.length) return { code: 1, out, err: [...conflicts, 'nothing written: the repository already holds other content under these names'] };

  const files: Record<string, string> = { ...placement.write };
  if (telemetry?.text !== undefined) files[TELEMETRY_FILE] = telemetry.text;
  if (Object.keys(files).length && !req.dryRun) await writeFilesAtomic(req.repoDir, files);
  const verb = req.dryRun ? 'would write' : 'wrote';
  const newFiles = Object.keys(placement.write);
  if (newFiles.length) out.push(`${verb} ${plural(newFiles.length, 'file')}: ${listIds(newFiles, 8)}`);
  if (telemetry?.fresh.length) out.push(`${req.dryRun ? 'would add' : 'added'} ${plural(telemetry.fresh.length, 'telemetry source')} to ${TELEMETRY_FILE}: ${listIds(telemetry.fresh.map((s) => `${s.id} (${s.status})`), 8)}`);
  const same = [...placement.unchanged, ...(telemetry?.unchanged ?? [])];
  if (same.length) out.push(`already imported, unchanged: ${listIds(same, 8)}`);
  if (!newFiles.length && !telemetry?.fresh.length) out.push('nothing new to write');
  return { code: 0, out, err: [] };
}

export const dettectKind: ContentKind = {
  describes: 'DeTT&CT data source, technique or group administration (YAML) → telemetry, detections, groups',
  flags: [],
  run,
};
