/**
 * Sigma rules are read unchanged (SPEC §5): a YAML document with top-level `logsource` and
 * `detection` is a rule, and becomes a DetectionRecord with the techniques of its ATT&CK tags.
 * What only Sigma has (tags of every namespace, the status as written, `related`, every logsource
 * of a rule collection) rides along as `sigma` on the record, for the Sigma validation rule and
 * the evaluation; nothing is judged here.
 *
 * Rule collections (Sigma 1.x `action: global | reset | repeat`) are expanded as Sigma defines
 * them: a `global` document is deep-merged under every following rule document, `reset` drops it,
 * `repeat` deep-merges into the previous rule document. The documents of a collection that end up
 * with one id are one rule with several logsources (one per variant).
 */
import type { NodePath } from '../model/findings.js';
import type { DetectionRecord } from '../model/repository.js';

/** `attack.t1059.001` in any case → T1059.001. */
export const SIGMA_TECHNIQUE_TAG = /^attack\.(t\d{4}(?:\.\d{3})?)$/i;

/** The statuses the Sigma specification defines. */
export const SIGMA_STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'] as const;

/** Relation types of `related` entries. */
export const SIGMA_RELATION_TYPES = ['derived', 'obsolete', 'merged', 'renamed', 'similar'] as const;

/** The status a rule without one is read as. */
export const SIGMA_DEFAULT_STATUS = 'experimental';

const COLLECTION_ACTIONS = new Set(['global', 'reset', 'repeat']);

type Plain = Record<string, unknown>;

const isPlain = (value: unknown): value is Plain => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A document written for Sigma: it has `logsource` or `detection` (a native detection has
 * neither), or is a collection's `action` document. One with only one of the two keys is an
 * incomplete rule, or a variant of a collection whose other half is in its `global` document.
 */
export const isSigmaRule = (value: unknown): value is Plain =>
  isPlain(value) && ('logsource' in value || 'detection' in value || (typeof value.action === 'string' && COLLECTION_ACTIONS.has(value.action)));

export interface SigmaTag {
  value: unknown;
  path: NodePath;
}

export interface SigmaRelation {
  /** The related rule's id, when it is a string. */
  id?: string;
  /** The relation type, lower-cased, when it is a string. */
  type?: string;
  /** The entry as written (for messages about malformed entries). */
  raw: unknown;
  path: NodePath;
}

export interface SigmaMeta {
  /** `status` as written; undefined when the rule has none. */
  status: unknown;
  /** `tags` as written is neither absent nor a list. */
  tagsMalformed: boolean;
  tags: SigmaTag[];
  related: SigmaRelation[];
  /** Every logsource of the rule: one, or one per document of a collection that shares its id. */
  logsources: Record<string, string>[];
  /** Required top-level keys the (merged) rule lacks: id, title, logsource, detection. */
  missing: string[];
  /** Where each top-level key of the (merged) rule was written, for findings. */
  at: Record<string, NodePath>;
  /** Set when the rule came out of a rule collection: the documents that made it. */
  collection?: { global: number[]; documents: number[]; repeats: number[] };
}

export interface SigmaRecord extends DetectionRecord {
  kind: 'sigma';
  sigma: SigmaMeta;
}

/** The Sigma part of a detection record, when it is a Sigma rule read by this loader. */
export const sigmaOf = (d: DetectionRecord): SigmaMeta | undefined => (d.kind === 'sigma' ? (d as Partial<SigmaRecord>).sigma : undefined);

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A (possibly merged) rule document: its value and, per top-level key, the document it came from. */
interface Layer {
  value: Plain;
  origin: Record<string, number | undefined>;
  global: number[];
  documents: number[];
  repeats: number[];
}

const docIndex = (path: NodePath): number | undefined => {
  const first = path[0];
  return typeof first === 'string' && first.startsWith('$doc:') ? Number(first.slice(5)) : undefined;
};

const docPath = (index: number | undefined): NodePath => (index === undefined ? [] : [`$doc:${index}`]);

/** Sigma's deep merge: maps merge key by key, anything else (lists included) is replaced. */
function deepMerge(base: Plain, over: Plain): Plain {
  const out: Plain = { ...base };
  for (const [key, value] of Object.entries(over)) {
    out[key] = isPlain(out[key]) && isPlain(value) ? deepMerge(out[key] as Plain, value) : value;
  }
  return out;
}

function layerOf(value: Plain, index: number | undefined): Layer {
  const { action: _action, ...rest } = value;
  return {
    value: rest,
    origin: Object.fromEntries(Object.keys(rest).map((k) => [k, index])),
    global: [],
    documents: index === undefined ? [] : [index],
    repeats: [],
  };
}

function stack(base: Layer | undefined, top: Layer): Layer {
  if (!base) return top;
  return {
    value: deepMerge(base.value, top.value),
    origin: { ...base.origin, ...top.origin },
    global: [...base.global, ...top.global],
    documents: [...base.documents, ...top.documents],
    repeats: [...base.repeats, ...top.repeats],
  };
}

/**
 * State of the collection being read. shape.ts hands the documents of a file over one at a time
 * and in order (`$doc:0`, `$doc:1`, …), so the global and previous documents are kept between
 * calls; a single-document file, another file or a lower document index starts afresh.
 */
interface Collection {
  file: string;
  last: number;
  global?: Layer;
  previous?: Layer;
  /** The first record of each id the collection produced: later variants fold into it. */
  byId: Map<string, SigmaRecord>;
}
let open: Collection | undefined;

/**
 * One Sigma document → a detection record; undefined for a collection's `global`/`reset`
 * documents and for variants folded into an earlier record of the same collection.
 */
export function sigmaToDetection(rule: Plain, file: string, path: NodePath): DetectionRecord | undefined {
  const index = docIndex(path);
  if (index === undefined) {
    open = undefined;
    return build(layerOf(rule, undefined), file, path);
  }
  if (!open || open.file !== file || index <= open.last) open = { file, last: index, byId: new Map() };
  open.last = index;
  const action = text(rule.action)?.toLowerCase();
  if (action === 'global') {
    const layer = layerOf(rule, index);
    open.global = stack(open.global, { ...layer, global: [index], documents: [] });
    return undefined;
  }
  if (action === 'reset') {
    open.global = undefined;
    return undefined;
  }
  const own = layerOf(rule, index);
  const merged = action === 'repeat' ? stack(open.previous, { ...own, repeats: [index] }) : stack(open.global, own);
  open.previous = merged;
  const record = build(merged, file, path);
  const fromCollection = merged.global.length > 0 || merged.repeats.length > 0;
  const first = fromCollection ? open.byId.get(record.id) : undefined;
  if (first) {
    fold(first, record);
    return undefined;
  }
  if (fromCollection) open.byId.set(record.id, record);
  return record;
}

/** A later variant of a collection rule adds its logsources, techniques and tags to the first. */
function fold(into: SigmaRecord, variant: SigmaRecord): void {
  into.sigma.logsources.push(...variant.sigma.logsources);
  const seen = new Set(into.sigma.tags.map((t) => JSON.stringify(t.path)));
  into.sigma.tags.push(...variant.sigma.tags.filter((t) => !seen.has(JSON.stringify(t.path))));
  variant.techniques.forEach((id, i) => {
    if (!into.techniques.includes(id)) {
      into.techniques.push(id);
      into.techniquePaths.push(variant.techniquePaths[i]);
    }
  });
  const c = into.sigma.collection;
  const v = variant.sigma.collection;
  if (c && v) c.documents = [...new Set([...c.documents, ...v.documents, ...v.repeats])].sort((a, b) => a - b);
}

function build(layer: Layer, file: string, path: NodePath): SigmaRecord {
  const rule = layer.value;
  const at = (key: string): NodePath => [...(layer.origin[key] === undefined ? path : docPath(layer.origin[key])), key];
  const tagsPath = at('tags');
  const tags: SigmaTag[] = Array.isArray(rule.tags) ? rule.tags.map((value, i) => ({ value, path: [...tagsPath, i] })) : [];
  const techniques: string[] = [];
  const techniquePaths: NodePath[] = [];
  for (const tag of tags) {
    const match = typeof tag.value === 'string' ? SIGMA_TECHNIQUE_TAG.exec(tag.value.trim()) : null;
    if (match) {
      techniques.push(match[1].toUpperCase());
      techniquePaths.push(tag.path);
    }
  }
  const logsource: Record<string, string> = {};
  if (isPlain(rule.logsource)) {
    for (const [key, value] of Object.entries(rule.logsource)) {
      if (typeof value === 'string') logsource[key] = value;
    }
  }
  const relatedPath = at('related');
  const related: SigmaRelation[] = Array.isArray(rule.related)
    ? rule.related.map((raw, i) => ({
        raw,
        path: [...relatedPath, i],
        ...(isPlain(raw) && typeof raw.id === 'string' ? { id: raw.id.trim() } : {}),
        ...(isPlain(raw) && typeof raw.type === 'string' ? { type: raw.type.trim().toLowerCase() } : {}),
      }))
    : [];
  const status = text(rule.status)?.trim().toLowerCase() || SIGMA_DEFAULT_STATUS;
  const id = text(rule.id)?.trim() || file;
  const fromCollection = layer.global.length > 0 || layer.repeats.length > 0;
  return {
    id,
    title: text(rule.title) ?? id,
    kind: 'sigma',
    status,
    techniques,
    techniquePaths,
    platforms: [],
    telemetry: [],
    logsource,
    description: text(rule.description),
    owner: text(rule.author),
    file,
    path,
    sigma: {
      status: rule.status,
      tagsMalformed: rule.tags !== undefined && rule.tags !== null && !Array.isArray(rule.tags),
      tags,
      related,
      logsources: [logsource],
      missing: ['id', 'title', 'logsource', 'detection'].filter((k) => rule[k] === undefined || rule[k] === null),
      at: Object.fromEntries(['id', 'title', 'status', 'tags', 'related', 'logsource', 'detection'].map((k) => [k, at(k)])),
      ...(fromCollection ? { collection: { global: [...new Set(layer.global)], documents: layer.documents, repeats: layer.repeats } } : {}),
    },
  };
}
