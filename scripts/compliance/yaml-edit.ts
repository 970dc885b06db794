/**
 * Adding entries to a list in a YAML file a person wrote, changing nothing else (pure). The new
 * text is inserted at exact offsets: a flow list `[a, b]` gets `, c` before its `]`, a block list
 * gets new `- c` lines after its last entry at the same indentation. Comments, quoting, folded
 * text and key order stay byte for byte. The result is parsed again and compared; when the edit
 * cannot be made that way (an unusual layout), the `yaml` Document API does it, which keeps
 * comments but may re-wrap long text.
 */
import { dump } from 'js-yaml';
import { isMap, isSeq, parseDocument, type Document, type YAMLSeq } from 'yaml';

type Path = (string | number)[];

const lineStart = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;

/** One list entry as YAML text, without the `- ` marker: a scalar (`T1059`) or a block mapping. */
function render(value: unknown): string {
  return dump(value, { flowLevel: 1, lineWidth: -1, noRefs: true }).replace(/\n$/, '');
}

function seqAt(doc: Document, path: Path): YAMLSeq | undefined | null {
  const node = doc.getIn(path, true);
  if (node === undefined) return undefined;
  return isSeq(node) ? node : null;
}

function offsetEdit(text: string, seq: YAMLSeq, values: unknown[]): string | undefined {
  const [start, valueEnd] = seq.range ?? [];
  if (start === undefined || valueEnd === undefined) return undefined;
  const scalars = values.every((v) => typeof v === 'string' || typeof v === 'number');
  if (seq.flow) {
    if (!scalars) return undefined;
    const added = values.map((v) => render(v)).join(', ');
    if (seq.items.length === 0) {
      if (text[start] !== '[' || text[valueEnd - 1] !== ']') return undefined;
      return `${text.slice(0, start)}[${added}]${text.slice(valueEnd)}`;
    }
    const last = seq.items[seq.items.length - 1] as { range?: [number, number, number] };
    if (!last.range) return undefined;
    const at = last.range[1];
    return `${text.slice(0, at)}, ${added}${text.slice(at)}`;
  }
  if (seq.items.length === 0) return undefined;
  const indent = start - lineStart(text, start);
  if (text.slice(lineStart(text, start), start).trim() !== '') return undefined; // `- - x` or `key: - x`: not a plain block list
  const last = seq.items[seq.items.length - 1] as { range?: [number, number, number] };
  if (!last.range) return undefined;
  let at = last.range[1];
  while (at > 0 && (text[at - 1] === '\n' || text[at - 1] === '\r' || text[at - 1] === ' ' || text[at - 1] === '\t')) at--;
  const eol = text.indexOf('\n', at);
  const crlf = text.includes('\r\n');
  const nl = crlf ? '\r\n' : '\n';
  const pad = ' '.repeat(indent);
  const lines = values.map((v) => {
    const [first, ...rest] = render(v).split('\n');
    return [`${pad}- ${first}`, ...rest.map((l) => (l ? `${pad}  ${l}` : l))].join(nl);
  });
  if (eol === -1) return `${text}${nl}${lines.join(nl)}${nl}`;
  const cut = crlf && text[eol - 1] === '\r' ? eol - 1 : eol;
  return `${text.slice(0, cut)}${nl}${lines.join(nl)}${text.slice(cut)}`;
}

export interface AppendResult {
  text: string;
  /** How the edit was made: exact offsets, or the Document API (comments kept, text may be re-wrapped). */
  how: 'offsets' | 'document';
}

/**
 * `text` with `values` appended to the list at `path` (e.g. `['techniques']`, `['sources']`).
 * A missing key gets a new block list at the end of the top-level mapping. Throws when the node
 * at `path` is not a list or the text is not a YAML mapping.
 */
export function appendToList(text: string, path: Path, values: unknown[]): AppendResult {
  if (values.length === 0) return { text, how: 'offsets' };
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`not valid YAML: ${doc.errors[0].message}`);
  if (!isMap(doc.contents) && doc.contents !== null) throw new Error('not a YAML mapping');
  const seq = seqAt(doc, path);
  if (seq === null) throw new Error(`\`${path.join('.')}\` is not a list`);
  const before = seq ? (seq.toJSON() as unknown[]) : [];
  const expected = JSON.stringify([...before, ...values]);
  const check = (candidate: string) => {
    const again = parseDocument(candidate);
    return again.errors.length === 0 && JSON.stringify(again.getIn(path)) === expected && sameElsewhere(doc, again, path);
  };
  if (seq) {
    const edited = offsetEdit(text, seq, values);
    if (edited !== undefined && check(edited)) return { text: edited, how: 'offsets' };
  } else if (path.length === 1) {
    const sep = text === '' || text.endsWith('\n') ? '' : '\n';
    const added = `${text}${sep}${render({ [path[0]]: values })}\n`;
    if (check(added)) return { text: added, how: 'offsets' };
  }
  const node = seq ?? doc.createNode([]);
  for (const v of values) node.items.push(doc.createNode(v));
  if (!seq) doc.setIn(path, node);
  return { text: doc.toString(), how: 'document' };
}

/** Everything but the list at `path` parses to the same values. */
function sameElsewhere(a: Document, b: Document, path: Path): boolean {
  const strip = (d: Document) => {
    const value = d.toJS() as unknown;
    let parent: unknown = value;
    for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)?.[key];
    if (parent && typeof parent === 'object') delete (parent as Record<string | number, unknown>)[path[path.length - 1]];
    return JSON.stringify(value);
  };
  return strip(a) === strip(b);
}
