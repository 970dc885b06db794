/**
 * YAML text → plain values, keeping each document so that any node can later be located by its
 * path. The `yaml` package is used rather than js-yaml because it keeps a syntax tree with source
 * ranges (line and column of every node, also after parsing) and refuses duplicate keys and alias
 * bombs by itself.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
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
  try {
    documents = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false }) as Document.Parsed[];
  } catch (error) {
    // The parser recurses per nesting level: absurd depth exhausts the stack.
    findings.push({ ...finding('yaml-too-complex', `${file}: ${describe(error)}; the YAML is nested too deeply to read.`, { file }), line: 1, col: 1 });
  }
  if (!Array.isArray(documents)) documents = [];
  const values: unknown[] = [];
  for (const doc of documents) {
    for (const error of doc.errors) {
      const pos = lineCounter.linePos(error.pos[0]);
      const duplicate = error.code === 'DUPLICATE_KEY';
      findings.push({
        ...finding(duplicate ? 'yaml-duplicate-key' : 'yaml-syntax', `${firstLine(error.message)}`, { file }),
        line: pos.line,
        col: pos.col,
      });
    }
    if (doc.errors.length) continue;
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
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
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
    for (let k = 1; k <= need; k++) if ((bytes[i + k] ?? 0) >> 6 !== 0b10) return i;
    i += need + 1;
  }
  return 0;
}
