/**
 * Generators shared by the property-based tests. FUZZ_RUNS raises the number of runs per property
 * (default 100; the whole-pipeline property runs a quarter of that, each run being a real repository).
 */
import fc from 'fast-check';
import { stringify } from 'yaml';

export const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS ?? 100) || 100);
export const options = (runs = RUNS) => ({ numRuns: runs, endOnFailure: true });

/** Pieces of YAML syntax: soup made of them reaches far more parser states than random text. */
const YAML_TOKENS = [
  '[', ']', '{', '}', ',', ':', ': ', '- ', '? ', '&a ', '*a', '&b ', '*b', '!!str ', '!!binary ', '!custom ', '!<tag:x> ',
  '"', "'", '\\', '\n', '\r\n', '\r', '  ', '\t', '# c', '---', '...', '%YAML 1.1\n', '%TAG ! tag:x:\n', '|', '>', '|-', '>+',
  'id', 'title', 'status', 'techniques', 'T1059.001', 'det-x', 'stable', '__proto__', 'constructor', 'null', '~', 'true', '1e999',
  '2026-09-01', '\u0000', '\u001b[2J', '\ufeff', '\u2028', 'é', '😀', '\ud800',
];

export const yamlSoup = fc.array(fc.constantFrom(...YAML_TOKENS), { maxLength: 80 }).map((t) => t.join(''));

/** Text of any kind: unicode strings, YAML soup, and raw bytes decoded loosely. */
export const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), yamlSoup, fc.string({ maxLength: 200 }));

export const anyBytes = fc.oneof(
  fc.uint8Array({ maxLength: 400 }),
  anyText.map((t) => new TextEncoder().encode(t)),
);

/** A JSON-like value, with keys that are hostile to plain objects. */
export const hostileKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', ''), fc.string({ maxLength: 12 }));
export const anyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ maxLength: 30 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

type Doc = unknown;

/** A valid document with one place changed: a field replaced, added or removed, or an item spliced. */
export function mutated(valid: Doc): fc.Arbitrary<Doc> {
  const paths: (string | number)[][] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, [...path, i]));
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, [...path, k]);
  };
  walk(valid, []);
  return fc.tuple(fc.constantFrom(...paths), fc.constantFrom('replace', 'add', 'remove'), anyValue, hostileKey).map(([path, op, value, key]) => {
    const root = structuredClone(valid) as Record<string | number, unknown>;
    if (path.length === 0) return op === 'replace' ? value : root;
    let parent = root;
    for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, unknown>;
    const last = path[path.length - 1];
    if (op === 'replace') parent[last] = value;
    else if (op === 'remove') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else {
      const target = parent[last];
      if (Array.isArray(target)) target.push(value);
      else if (target && typeof target === 'object') Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
      else parent[last] = value;
    }
    return root;
  });
}

/** YAML text of a value, or of its mutation into something YAML cannot say plainly. */
export const asYaml = (value: unknown): string => stringify(value, { aliasDuplicateObjects: false });
