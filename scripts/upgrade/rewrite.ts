/**
 * The text edits `upgrade --write` makes, computed without touching the disk. Every edit replaces
 * exactly the characters of one token, so comments, key order, quoting and line endings stay
 * byte-identical: a revoked id that is a YAML value becomes its replacement (in the case style of
 * the token), and the pin in tidemark.yaml moves to the new release.
 */
import { isScalar, parseDocument, Scalar } from 'yaml';
import { byString } from '../model/order.js';
import { inStyleOf } from './tokens.js';
import type { AffectedReference, Edit, FileRewrite, ManualItem, Reference } from './types.js';

export class PinNotFound extends Error {
  override name = 'PinNotFound';
}

/** Applies non-overlapping edits (offsets into the original text). */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((x, y) => x.offset - y.offset);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.offset < at) throw new RangeError(`overlapping edits at offset ${e.offset}`);
    out += text.slice(at, e.offset) + e.text;
    at = e.offset + e.length;
  }
  return out + text.slice(at);
}

function scalarSource(node: Scalar, value: string): string {
  if (node.type === Scalar.QUOTE_DOUBLE) return `"${value}"`;
  if (node.type === Scalar.QUOTE_SINGLE) return `'${value}'`;
  return value;
}

/**
 * Edits that pin tidemark.yaml to `version` (and `sha256`, when the file pins a hash). Throws
 * PinNotFound when the file has no `attack.version` value to edit.
 */
export function pinEdits(text: string, version: string, sha256?: string): Edit[] {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new PinNotFound(`tidemark.yaml does not parse: ${doc.errors[0].message.split('\n')[0]}`);
  const edits: Edit[] = [];
  const replace = (key: string, value: string) => {
    const node = doc.getIn(['attack', key], true);
    if (!isScalar(node) || !node.range) return false;
    const [start, end] = node.range;
    const source = scalarSource(node, value);
    if (text.slice(start, end) !== source) edits.push({ offset: start, length: end - start, text: source });
    return true;
  };
  if (!replace('version', version)) throw new PinNotFound('tidemark.yaml has no attack.version to update');
  if (sha256) replace('sha256', sha256);
  return edits;
}

export interface RewritePlan {
  rewrites: FileRewrite[];
  replacements: { file: string; line: number; col: number; from: string; to: string }[];
  manual: ManualItem[];
  pin: boolean;
}

/**
 * Replace every structural reference to an id revoked with a replacement; list for a human the
 * ids that are deprecated, removed, or revoked without a replacement and used structurally.
 */
export function planRewrite(
  texts: ReadonlyMap<string, string>,
  references: readonly AffectedReference[],
  pin: { file: string; edits: Edit[] },
): RewritePlan {
  const edits = new Map<string, Edit[]>();
  const replacements: RewritePlan['replacements'] = [];
  const manual = new Map<string, ManualItem>();
  const push = (file: string, edit: Edit) => edits.set(file, [...(edits.get(file) ?? []), edit]);

  for (const ref of references) {
    const { affected } = ref;
    const retired = affected.change === 'revoked' || affected.change === 'deprecated' || affected.change === 'removed';
    if (!retired) continue;
    if (affected.change === 'revoked' && affected.replacedBy) {
      if (!ref.structural) continue;
      const to = inStyleOf(ref.token, affected.replacedBy);
      push(ref.file, { offset: ref.offset, length: ref.token.length, text: to });
      replacements.push({ file: ref.file, line: ref.line, col: ref.col, from: ref.token, to });
      continue;
    }
    const item = manual.get(affected.id) ?? { id: affected.id, name: affected.name, why: whyManual(affected.change), references: [] as Reference[] };
    const { affected: _affected, ...plain } = ref;
    item.references.push(plain);
    manual.set(affected.id, item);
  }
  if (pin.edits.length) for (const e of pin.edits) push(pin.file, e);

  const rewrites = [...edits.entries()]
    .map(([file, list]) => ({ file, edits: list.sort((x, y) => x.offset - y.offset), text: applyEdits(texts.get(file) ?? '', list) }))
    .sort((x, y) => byString(x.file, y.file));
  return {
    rewrites,
    replacements,
    // Only ids used as values need a decision; a mention in a comment alone is shown, not required.
    manual: [...manual.values()].filter((m) => m.references.some((r) => r.structural)).sort((x, y) => byString(x.id, y.id)),
    pin: pin.edits.length > 0,
  };
}

function whyManual(change: string): string {
  if (change === 'deprecated') return 'deprecated without a replacement: remove it or map the behaviour to an active id';
  if (change === 'removed') return 'not in the new release: remove it or map the behaviour to an active id';
  return 'revoked without a single replacement: choose the active id that fits';
}
