/**
 * Where ATT&CK ids occur in a file's text. Two passes over the same text:
 *
 * - every occurrence, comments and free text included, with word boundaries: `T1086`, `G0016`,
 *   `M1040` natively, and Sigma tags `attack.t1086` in any case (what a person must look at);
 * - the structural ones: YAML values that are the id or the tag itself (`techniques: [T1086]`,
 *   `- attack.t1086`, `id: G0016`), which `upgrade --write` may replace. A mention in a comment, a
 *   description or a URL is never rewritten.
 *
 * Offsets are into the text as given (callers strip a BOM first); columns count UTF-16 code units
 * from 1, like every other position tidemark prints.
 */
import { parseAllDocuments, Scalar, visit } from 'yaml';
import type { Reference } from './types.js';

const ID = String.raw`T\d{4}(?:\.\d{3})?|[GMCS]\d{4}`;
/** A native id, upper-case, not glued to a word on either side; `T1059.0011` is not T1059.001. */
const NATIVE = new RegExp(String.raw`(?<![A-Za-z0-9_])(?:${ID})(?![A-Za-z0-9_]|\.\d)`, 'g');
/** A Sigma ATT&CK tag: technique, group or software, any case. */
const SIGMA = new RegExp(String.raw`(?<![A-Za-z0-9_.-])attack\.(t\d{4}(?:\.\d{3})?|[gs]\d{4})(?![A-Za-z0-9_-]|\.\d)`, 'gi');
const NATIVE_VALUE = new RegExp(String.raw`^(?:${ID})$`);
const SIGMA_VALUE = /^attack\.(t\d{4}(?:\.\d{3})?|[gs]\d{4})$/i;
const SIGMA_PREFIX = 'attack.'.length;

export interface Located {
  line: number;
  col: number;
}

/** Offset → line and column, by binary search over line starts. */
export function lineIndex(text: string): (offset: number) => Located {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo] + 1 };
  };
}

/** Offsets of ids that are YAML values by themselves. A file that does not parse has none. */
export function structuralOffsets(text: string): Set<number> {
  const offsets = new Set<number>();
  let documents;
  try {
    documents = parseAllDocuments(text, { keepSourceTokens: false });
  } catch {
    return offsets;
  }
  if (!Array.isArray(documents)) return offsets;
  for (const doc of documents) {
    if (doc.errors.length) continue;
    visit(doc, {
      Scalar(key, node) {
        if (key === 'key' || typeof node.value !== 'string' || !node.range) return;
        // A block scalar is prose, even when it holds nothing but an id.
        if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) return;
        const value = node.value.trim();
        const source = text.slice(node.range[0], node.range[1]);
        if (NATIVE_VALUE.test(value)) {
          const at = source.indexOf(value);
          if (at !== -1) offsets.add(node.range[0] + at);
        } else if (SIGMA_VALUE.test(value)) {
          const at = source.indexOf(value);
          if (at !== -1) offsets.add(node.range[0] + at + SIGMA_PREFIX);
        }
      },
    });
  }
  return offsets;
}

/** Every ATT&CK id in `text`, in order, marked structural or not. */
export function scanReferences(file: string, text: string): Reference[] {
  const locate = lineIndex(text);
  const structural = structuralOffsets(text);
  const found = new Map<number, Reference>();
  const add = (offset: number, token: string, form: Reference['form']) => {
    if (found.has(offset)) return;
    found.set(offset, { file, ...locate(offset), offset, token, id: token.toUpperCase(), form, structural: structural.has(offset) });
  };
  for (const m of text.matchAll(SIGMA)) add(m.index + SIGMA_PREFIX, m[1], 'sigma-tag');
  for (const m of text.matchAll(NATIVE)) add(m.index, m[0], 'id');
  return [...found.values()].sort((a, b) => a.offset - b.offset);
}

/** The replacement id written in the style of the token it replaces (`t1086` → `t1059.001`). */
export function inStyleOf(token: string, replacement: string): string {
  return token === token.toLowerCase() ? replacement.toLowerCase() : replacement.toUpperCase();
}
