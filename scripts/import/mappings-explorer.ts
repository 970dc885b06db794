/**
 * CTID Mappings Explorer JSON → mapping rows (pure). Any framework and release: the metadata says
 * which framework (`mapping_framework`, `mapping_framework_version`) and which ATT&CK release
 * (`attack_version`, `technology_domain`) the rows speak about. Rows keep their `mapping_type`
 * as the file writes it (`mitigates`, `protects`, `technique_scores` with `score_category` and
 * `score_value`, `related_to`, or null with `status: non_mappable`); `MAPPING_TYPES` says which
 * of them mean "the capability mitigates the technique", the only ones a control can take over.
 */
import { basename } from 'node:path';
import type { Catalog } from '../catalog/types.js';
import { listIds, plural, readContent, wrapIds, type ContentKind, type ContentOutcome, type ContentRequest } from './content.js';
import { FRAMEWORKS, frameworkOfExplorer } from '../compliance/frameworks.js';
import { propose, readControls, requirementMap, type Proposal } from '../compliance/proposals.js';
import { translateAll, type TranslationSummary } from '../compliance/translate.js';
import { appendToList } from '../compliance/yaml-edit.js';
import { writeFilesAtomic } from '../write/atomic.js';
import { readInput } from './run.js';
import { isObject, jsonLocator, parseJson, str } from './json.js';
import type { Problem } from './types.js';

export interface MappingMetadata {
  framework?: string;
  frameworkVersion?: string;
  /** ATT&CK release of the rows, e.g. `16.1`. */
  attackVersion?: string;
  /** `enterprise`, `mobile`, `ics`. */
  domain?: string;
  mappingVersion?: string;
}

export interface MappingRow {
  /** Position in `mapping_objects`. */
  index: number;
  /** The capability (control) id as written, e.g. `AC-02`; absent on non-mappable rows. */
  capability?: string;
  capabilityGroup?: string;
  /** `mapping_type` as written; null when the file has none. */
  type: string | null;
  technique?: string;
  status?: string;
  scoreCategory?: string;
  scoreValue?: string;
}

export interface MappingFile {
  metadata: MappingMetadata;
  /** Entries of `mapping_objects`, whatever became of them. */
  read: number;
  rows: MappingRow[];
  problems: Problem[];
}

/** Whether a row says the capability mitigates the technique, by mapping type. Other types are read and counted, never proposed. */
export const MAPPING_TYPES: Record<string, { meaning: string; mitigates(row: MappingRow): boolean }> = {
  mitigates: { meaning: 'the control mitigates the technique', mitigates: () => true },
  protects: { meaning: 'the capability protects against the technique', mitigates: () => true },
  technique_scores: {
    meaning: 'scored protect/detect/respond; only protect mitigates (detect and respond are detections, not controls)',
    mitigates: (row) => row.scoreCategory?.toLowerCase() === 'protect',
  },
  related_to: { meaning: 'related (vulnerabilities, incidents): says nothing about mitigation', mitigates: () => false },
};

export const isNonMappable = (row: MappingRow) => row.status?.toLowerCase() === 'non_mappable';

export const mitigates = (row: MappingRow): boolean =>
  !isNonMappable(row) && row.type !== null && row.capability !== undefined && row.technique !== undefined && (Object.hasOwn(MAPPING_TYPES, row.type) && MAPPING_TYPES[row.type].mitigates(row));

/** The label a row is counted under: its mapping type, `non-mappable`, or `no mapping type`. */
export function tallyKey(row: MappingRow): string {
  if (isNonMappable(row)) return 'non-mappable';
  if (row.type === null) return 'no mapping type';
  if (row.type === 'technique_scores') return `technique_scores ${row.scoreCategory ?? '?'}`;
  return row.type;
}

export function tally(rows: readonly MappingRow[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of rows) counts[tallyKey(row)] = (counts[tallyKey(row)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
}

const TECHNIQUE = /^T[0-9]{4}(\.[0-9]{3})?$/;

export function parseMappingsExplorer(text: string): MappingFile {
  const { value, problem } = parseJson(text, 'Mappings Explorer file');
  if (problem) return { metadata: {}, read: 0, rows: [], problems: [problem] };
  const line = jsonLocator(text);
  if (!isObject(value) || !Array.isArray(value.mapping_objects)) {
    return { metadata: {}, read: 0, rows: [], problems: [{ line: 1, message: 'not a Mappings Explorer file: no `mapping_objects` list' }] };
  }
  const meta = isObject(value.metadata) ? value.metadata : {};
  const metadata: MappingMetadata = {
    framework: str(meta.mapping_framework),
    frameworkVersion: str(meta.mapping_framework_version),
    attackVersion: str(meta.attack_version),
    domain: str(meta.technology_domain),
    mappingVersion: str(meta.mapping_version),
  };
  const rows: MappingRow[] = [];
  const problems: Problem[] = [];
  value.mapping_objects.forEach((raw, index) => {
    if (!isObject(raw)) {
      problems.push({ line: line(['mapping_objects', index]), message: `mapping object ${index + 1} is not an object` });
      return;
    }
    const technique = str(raw.attack_object_id)?.toUpperCase();
    if (technique !== undefined && !TECHNIQUE.test(technique)) {
      // Mappings to other ATT&CK objects (none today) are not techniques a control can list.
      problems.push({ line: line(['mapping_objects', index, 'attack_object_id']), message: `"${technique}" is not an ATT&CK technique id` });
      return;
    }
    const type = raw.mapping_type === null || raw.mapping_type === undefined ? null : str(raw.mapping_type) ?? null;
    const row: MappingRow = { index, type };
    const set = <K extends keyof MappingRow>(key: K, v: MappingRow[K] | undefined) => {
      if (v !== undefined) row[key] = v;
    };
    set('capability', str(raw.capability_id));
    set('capabilityGroup', str(raw.capability_group));
    set('technique', technique);
    set('status', str(raw.status));
    set('scoreCategory', str(raw.score_category));
    set('scoreValue', str(raw.score_value));
    if (!isNonMappable(row) && row.type !== null && (row.capability === undefined || row.technique === undefined)) {
      problems.push({
        line: line(['mapping_objects', index]),
        message: `mapping object ${index + 1} (${row.type}) lacks ${row.capability === undefined ? '`capability_id`' : '`attack_object_id`'}`,
      });
      return;
    }
    rows.push(row);
  });
  return { metadata, read: value.mapping_objects.length, rows, problems };
}

// ---------------------------------------------------------------------------------------------
// `tidemark import mappings-explorer FILE [--write]`: the composition. Reads the input, both
// ATT&CK releases and controls/; writes only with --write, every edited control at once.

const domainOf = (technologyDomain: string | undefined, pinned: string) => {
  const d = technologyDomain?.toLowerCase();
  if (!d) return pinned;
  return d.endsWith('-attack') ? d : `${d}-attack`;
};

function translationLines(summary: TranslationSummary, from: string, to: string, note?: string): string[] {
  const revoked = Object.entries(summary.revoked).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const parts = [
    revoked.length ? `${plural(revoked.length, 'technique')} revoked and replaced: ${listIds(revoked.map(([a, b]) => `${a} → ${b}`))}` : 'no technique revoked in between',
    ...(summary.deprecated.length ? [`${summary.deprecated.length} deprecated, dropped: ${listIds(summary.deprecated)}`] : []),
    ...(summary.unknown.length ? [`${summary.unknown.length} unknown to ATT&CK ${to}, dropped: ${listIds(summary.unknown)}`] : []),
  ];
  return [`ATT&CK ${from} → ${to} (the repository's pin): ${parts.join('; ')}`, ...(note ? [`  note: ${note}`] : [])];
}

function proposalLines(p: Proposal): string[] {
  const head = `  ${p.control} (${p.path}${p.status ? `, ${p.status}` : ''}) ${p.requirements.join(', ')}: ${plural(p.mapped.length, 'technique')} mapped, ${p.add.length ? `${p.add.length} not listed yet` : 'all listed'}`;
  const notes = p.unmapped.map((u) => `    ${u.id} is not in the mapping${u.base ? ` (it maps the base control ${u.base}; list ${u.base} too if the control implements it)` : ''}`);
  return [head, ...notes, ...wrapIds(p.add, '      ')];
}

async function run(req: ContentRequest): Promise<ContentOutcome> {
  const input = parseMappingsExplorer(await readInput(req.file, 'Mappings Explorer file'));
  if (input.problems.length) {
    return { code: 1, out: [], err: [...input.problems.map((p) => `${req.file}:${p.line}: ${p.message}`), `nothing done: ${plural(input.problems.length, 'problem')} in the input`] };
  }
  const pinned = await req.pinned();
  const { metadata: m } = input;
  const domain = domainOf(m.domain, pinned.domain);
  const out: string[] = [];
  const what = [m.framework, m.frameworkVersion].filter(Boolean).join(' ') || 'unnamed framework';
  out.push(`read ${plural(input.read, 'mapping object')} from ${basename(req.file)}: ${what} on ATT&CK ${domain} ${m.attackVersion ?? '(release not stated)'}`);
  out.push(`  by mapping type: ${Object.entries(tally(input.rows)).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  const nonMappable = input.rows.filter(isNonMappable).length;
  out.push(`  non-mappable rows (techniques no ${what} control addresses): ${nonMappable}`);
  if (domain !== pinned.domain) {
    return { code: 1, out, err: [`the mapping is for ATT&CK ${domain}; this repository pins ${pinned.domain}: nothing to propose`] };
  }

  let source: Catalog | undefined;
  let note: string | undefined;
  const from = m.attackVersion && /^[0-9]+(\.[0-9]+)?$/.test(m.attackVersion) ? m.attackVersion : undefined;
  if (!from) note = `the file states no usable ATT&CK release ("${m.attackVersion ?? ''}"): ids are read as ${pinned.version} ids, revocations followed in ${pinned.version}`;
  else if (from !== pinned.version) {
    const loaded = await req.release(domain, from);
    if ('unavailable' in loaded) note = `ATT&CK ${from} is unavailable (${loaded.unavailable}); ids revoked before ${from} are followed through ${pinned.version}'s revocations only`;
    else source = loaded;
  }
  const { map, summary } = translateAll(input.rows.flatMap((r) => (r.technique ? [r.technique] : [])), pinned, source ?? (from === pinned.version ? pinned : undefined));
  out.push(...translationLines(summary, from ?? '?', pinned.version, note));

  const framework = frameworkOfExplorer(m.framework, m.frameworkVersion);
  if (!framework) {
    out.push(`controls carry compliance ids of ${Object.keys(FRAMEWORKS).join(', ')}; none of them is ${what}: nothing to propose`);
    return { code: 0, out, err: [] };
  }
  const pairs = input.rows.filter(mitigates).flatMap((r) => {
    const technique = map.get(r.technique!);
    return technique ? [{ requirement: r.capability!, technique }] : [];
  });
  const requirements = requirementMap(pairs, framework.key);
  const { controls, unreadable } = readControls(await readContent(req.repoDir, 'controls'));
  const proposals = propose(controls, framework.key, requirements);
  const without = controls.filter((c) => !(c.compliance[framework.key]?.length)).length;
  out.push(`controls with ${framework.key} ids: ${proposals.length}${without ? ` (${without} without)` : ''}`);
  for (const p of proposals) out.push(...proposalLines(p));
  for (const path of unreadable) out.push(`note: ${path} is not a control with an id; skipped (run tidemark validate)`);

  const todo = proposals.filter((p) => p.add.length);
  const total = todo.reduce((n, p) => n + p.add.length, 0);
  if (!todo.length) {
    out.push('nothing to add: every control lists the techniques its requirements mitigate');
    return { code: 0, out, err: [] };
  }
  if (!req.write) {
    out.push(`${plural(total, 'technique')} to add to ${plural(todo.length, 'control')}; review them, then run again with --write to add them to the controls' techniques`);
    return { code: 0, out, err: [] };
  }
  const files: Record<string, string> = {};
  const byPath = new Map(controls.map((c) => [c.path, c]));
  const rewrapped: string[] = [];
  const failed: string[] = [];
  for (const p of todo) {
    try {
      const edit = appendToList(byPath.get(p.path)!.text, ['techniques'], p.add);
      files[p.path] = edit.text;
      if (edit.how === 'document') rewrapped.push(p.path);
    } catch (error) {
      failed.push(`${p.path}: ${(error as Error).message}`);
    }
  }
  if (failed.length) return { code: 1, out, err: [...failed.map((f) => `cannot edit ${f}`), 'nothing written'] };
  if (!req.dryRun) await writeFilesAtomic(req.repoDir, files);
  out.push(`${req.dryRun ? 'would add' : 'added'} ${plural(total, 'technique')} to ${plural(todo.length, 'control')}: ${listIds(Object.keys(files))}`);
  for (const path of rewrapped) out.push(`note: ${path} has an unusual layout; it was rewritten with its comments kept, check the diff`);
  return { code: 0, out, err: [] };
}

export const mappingsExplorerKind: ContentKind = {
  describes: 'CTID Mappings Explorer JSON: propose the techniques controls\' compliance ids mitigate (--write adds them)',
  flags: ['write'],
  run,
};
