/**
 * Lines for annotations: find the record with a given `id` in a YAML text and, inside it, a key.
 * Used for records whose position the report does not carry (detections, controls, telemetry
 * sources, groups); validations carry their own line.
 */
import { LineCounter, isScalar, parseAllDocuments, visit, type Document, type Node, type Pair } from 'yaml';

export interface Position {
  line: number;
  col: number;
}

/**
 * Position of `key` in the first mapping whose `id` is `id` (of the `id` key when `key` is absent
 * from it), or undefined when no such mapping exists or the text does not parse.
 */
export const locateRecord = (text: string, id: string, key?: string): Position | undefined => locateWhere(text, { id }, key);

/**
 * Position of `key` in the first mapping whose scalar values equal `fields` (of its first matched
 * field when `key` is absent from it).
 */
export function locateWhere(text: string, fields: Record<string, string>, key?: string): Position | undefined {
  const entries = Object.entries(fields);
  if (entries.length === 0) return undefined;
  let found: Position | undefined;
  try {
    const { docs, lineCounter } = parsed(text);
    for (const doc of docs) {
      if (doc.errors.length > 0) continue;
      visit(doc, {
        Map(_, map) {
          const pairs = entries.map(([name, value]) => {
            const pair = pairOf(map.items, name);
            return pair && isScalar(pair.value) && String(pair.value.value) === value ? pair : undefined;
          });
          if (pairs.some((p) => p === undefined)) return undefined;
          const target = (key !== undefined && pairOf(map.items, key)) || pairs[0]!;
          found = positionOf(target.key as Node, lineCounter);
          return visit.BREAK;
        },
      });
      if (found) break;
    }
  } catch {
    return undefined;
  }
  return found;
}

/** One change can touch hundreds of techniques whose evidence sits in the same file: parse it once. */
const cache = new Map<string, { docs: Document.Parsed[]; lineCounter: LineCounter }>();
const CACHE_SIZE = 32;

function parsed(text: string): { docs: Document.Parsed[]; lineCounter: LineCounter } {
  let entry = cache.get(text);
  if (!entry) {
    const lineCounter = new LineCounter();
    const all = parseAllDocuments(text, { lineCounter, uniqueKeys: false });
    entry = { docs: Array.isArray(all) ? all : [], lineCounter };
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(text, entry);
  }
  return entry;
}

const pairOf = (items: Pair[], key: string): Pair | undefined => items.find((p) => isScalar(p.key) && String(p.key.value) === key);

function positionOf(node: Node | null | undefined, lineCounter: LineCounter): Position | undefined {
  const offset = node?.range?.[0];
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  return { line, col };
}
