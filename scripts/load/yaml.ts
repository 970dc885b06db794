/**
 * YAML text → plain values, keeping each document so that any node can later be located by its
 * path. The `yaml` package is used rather than js-yaml because it keeps a syntax tree with source
 * ranges (line and column of every node, also after parsing) and refuses alias bombs by itself.
 * Duplicate keys are found here, in one pass per map: the package's own check compares each key
 * with every earlier one, so a file of a few hundred thousand keys would take hours.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, parseAllDocuments, type Alias, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { finding, type Finding, type NodePath } from '../model/findings.js';

export interface Position {
  line: number;
  col: number;
}

export interface ParsedFile {
  file: string;
  text: string;
  /** One value per YAML document; empty when the file could not be parsed. */
  values: unknown[];
  findings: Finding[];
  /** A path may start with `$doc:N` to name the N-th document of a multi-document file. */
  locate(path: NodePath, onKey?: boolean): Position;
}

/** Aliases expand into copies: a handful is legitimate, thousands are an attack. */
const MAX_ALIAS_COUNT = 100;

/**
 * Nodes one file may hold. Parsing keeps about a kilobyte per node, so this bounds the memory of
 * one file (a realistic 10 MiB file has about 600,000 nodes; 10 MiB of `a,a,a,…` has five million
 * and would exhaust the heap).
 */
export const MAX_YAML_NODES = 1_000_000;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeText(file: string, bytes: Uint8Array): { text?: string; findings: Finding[] } {
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return { findings: [{ ...finding('file-encoding', `${file} is a binary file (NUL byte at offset ${nul}), not YAML text.`, { file }), line: lineAt(bytes, nul), col: 1 }] };
  }
  try {
    const text = utf8.decode(bytes);
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, findings: [] };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    return { findings: [{ ...finding('file-encoding', `${file} is not valid UTF-8 (invalid byte at offset ${bad}).`, { file }), line: lineAt(bytes, bad), col: 1 }] };
  }
}

export function parseYaml(file: string, text: string): ParsedFile {
  const lineCounter = new LineCounter();
  const findings: Finding[] = [];
  let documents: Document.Parsed[] = [];
  const overBudget = nodeBudgetExceeded(text);
  if (overBudget !== undefined) {
    const { line, col } = lineAndCol(text, overBudget);
    findings.push({
      ...finding('yaml-too-complex', `${file} holds more than ${MAX_YAML_NODES.toLocaleString('en')} YAML nodes (the limit is passed here); it was not read.`, { file }),
      line,
      col,
    });
  } else {
    try {
      documents = parseAllDocuments(text, { lineCounter, uniqueKeys: false, prettyErrors: false }) as Document.Parsed[];
    } catch (error) {
      // The parser recurses per nesting level: absurd depth exhausts the stack.
      findings.push({ ...finding('yaml-too-complex', `${file}: ${describe(error)}; the YAML is nested too deeply to read.`, { file }), line: 1, col: 1 });
    }
  }
  if (!Array.isArray(documents)) documents = [];
  const values: unknown[] = [];
  for (const doc of documents) {
    for (const error of doc.errors) {
      const pos = lineCounter.linePos(error.pos[0]);
      // RESOURCE_EXHAUSTION: the composer ran out of stack on deep nesting.
      const code = error.code === 'RESOURCE_EXHAUSTION' ? 'yaml-too-complex' : 'yaml-syntax';
      const message = code === 'yaml-too-complex' ? `${firstLine(error.message)}: the YAML is nested too deeply to read` : firstLine(error.message);
      findings.push({ ...finding(code, message, { file }), line: pos.line, col: pos.col });
    }
    if (doc.errors.length) continue;
    const duplicates = duplicateKeys(doc);
    for (const key of duplicates) {
      const pos = lineCounter.linePos(key.range?.[0] ?? 0);
      findings.push({ ...finding('yaml-duplicate-key', `Map keys must be unique; ${JSON.stringify(keyText(key))} appears twice`, { file }), line: pos.line, col: pos.col });
    }
    if (duplicates.length) continue;
    const unresolved = unresolvedAlias(doc);
    if (unresolved) {
      const pos = lineCounter.linePos(unresolved.range?.[0] ?? 0);
      findings.push({ ...finding('yaml-syntax', `the alias *${unresolved.source} names no anchor defined before it`, { file }), line: pos.line, col: pos.col });
      continue;
    }
    try {
      values.push(doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }));
    } catch (error) {
      findings.push({ ...finding('yaml-too-complex', `${file}: ${describe(error)}.`, { file }), line: 1, col: 1 });
    }
  }
  const failed = findings.length > 0;
  return {
    file,
    text,
    values: failed ? [] : values,
    findings,
    locate: (path, onKey = false) => {
      const doc = typeof path[0] === 'string' && path[0].startsWith('$doc:') ? Number(path[0].slice(5)) : -1;
      return doc >= 0 ? locateNode(documents[doc], path.slice(1), lineCounter, onKey) : locateNode(documents[0], path, lineCounter, onKey);
    },
  };
}

/**
 * Line and column of the node at `path` (of its key with `onKey`); where the path runs past what
 * exists (a missing key), the deepest existing node.
 */
function locateNode(doc: Document.Parsed | undefined, path: NodePath, lineCounter: LineCounter, onKey: boolean): Position {
  if (!doc?.contents) return { line: 1, col: 1 };
  let node: Node | null = doc.contents as Node;
  let at = node.range?.[0] ?? 0;
  for (const [index, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = pairOf(node, String(segment));
      if (!pair) break;
      const key = pair.key as Node;
      at = key.range?.[0] ?? at;
      if (!pair.value || (onKey && index === path.length - 1)) break;
      node = pair.value as Node;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      node = node.items[segment] as Node;
    } else {
      break;
    }
    at = node.range?.[0] ?? at;
  }
  const pos = lineCounter.linePos(at);
  return { line: pos.line, col: pos.col };
}

/**
 * Every key that repeats an earlier key of the same map (as the JavaScript property it becomes, so
 * `1` and `"1"` collide). Iterative, so deep nesting cannot exhaust the stack here.
 */
function duplicateKeys(doc: Document.Parsed): Node[] {
  const found: Node[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (isScalar(pair.key)) {
          const key = String(pair.key.value);
          if (seen.has(key)) found.push(pair.key);
          else seen.add(key);
        } else if (pair.key) stack.push(pair.key);
        if (pair.value && !isAlias(pair.value)) stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) if (!isAlias(item)) stack.push(isPair(item) ? item.value : item);
    }
  }
  return found.sort((a, b) => (a.range?.[0] ?? 0) - (b.range?.[0] ?? 0));
}

/** The first alias without an anchor before it (toJS would throw without saying where). */
function unresolvedAlias(doc: Document.Parsed): Alias | undefined {
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const node = stack.pop();
    if (isAlias(node)) {
      if (node.resolve(doc) === undefined) return node;
    } else if (isMap(node) || isSeq(node)) {
      for (const item of node.items) {
        if (isPair(item)) stack.push(item.key, item.value);
        else stack.push(item);
      }
    }
  }
  return undefined;
}

const keyText = (key: Node) => (isScalar(key) ? String(key.value) : String(key));

/**
 * Offset at which the file passes MAX_YAML_NODES, or undefined when it stays below. Every node
 * needs a separator (a line break, `,`, `[`, `{`, `-`, `:` or `?`), so a file with fewer of those
 * is under the budget without further work; only files with more are counted exactly, by lexing
 * (scalars, flow collections, sequence items, documents).
 */
function nodeBudgetExceeded(text: string): number | undefined {
  let separators = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // \n , [ { - : ?
    if (c === 10 || c === 44 || c === 91 || c === 123 || c === 45 || c === 58 || c === 63) separators++;
  }
  if (separators <= MAX_YAML_NODES) return undefined;
  let nodes = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    // \x02 document, \x18 flow end and \x1f scalar are markers the lexer adds: no source text.
    if (token === '\x1f' || token === '[' || token === '{' || token === '-' || token === '?' || token === '---' || token === '\x02') nodes++;
    if (nodes > MAX_YAML_NODES) return offset;
    if (token !== '\x02' && token !== '\x18' && token !== '\x1f') offset += token.length;
  }
  return undefined;
}

function lineAndCol(text: string, offset: number): Position {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: offset - start + 1 };
}

/**
 * The pair of `key` in a map. Large maps get an index on first use: a file with a hundred thousand
 * unknown keys has as many findings to place, and a scan per finding would be quadratic.
 */
const keyIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();
function pairOf(map: YAMLMap, key: string): Pair | undefined {
  const matches = (p: Pair) => isPair(p) && isScalar(p.key) && String(p.key.value) === key;
  if (map.items.length < 64) return map.items.find(matches);
  let index = keyIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items) if (isPair(p) && isScalar(p.key) && !index.has(String(p.key.value))) index.set(String(p.key.value), p);
    keyIndexes.set(map, index);
  }
  return index.get(key);
}

const firstLine = (message: string) => message.split('\n')[0];
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0) return i;
    // The second byte's range excludes overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    const [low, high] = b === 0xe0 ? [0xa0, 0xbf] : b === 0xed ? [0x80, 0x9f] : b === 0xf0 ? [0x90, 0xbf] : b === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    if (need > 0 && !((bytes[i + 1] ?? 0) >= low && (bytes[i + 1] ?? 0) <= high)) return i;
    for (let k = 2; k <= need; k++) if ((bytes[i + k] ?? 0) >> 6 !== 0b10) return i;
    i += need + 1;
  }
  return 0;
}
