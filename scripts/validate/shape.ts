/**
 * Phase one of validation: every file against its JSON Schema (ajv), defaults applied, errors
 * mapped to findings on the offending node. What passes becomes the Repository records.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { TSchema } from '@sinclair/typebox';
import { finding, type Finding, type NodePath } from '../model/findings.js';
import type { DetectionRecord, Repository } from '../model/repository.js';
import {
  ConfigSchema,
  ControlSchema,
  DetectionSchema,
  GroupSchema,
  TelemetrySchema,
  ValidationsSchema,
  type Config,
  type Control,
  type GroupProfile,
  type NativeDetection,
  type Telemetry,
  type Validation,
} from '../model/schemas.js';
import { isSigmaRule, sigmaToDetection } from '../load/sigma.js';
import type { ParsedFile } from '../load/yaml.js';

export type Kind = 'config' | 'group' | 'detection' | 'control' | 'telemetry' | 'validations';

/** Which schema a file is read with, by where it lives (SPEC §1). */
const KINDS: [RegExp, Kind][] = [
  [/^tidemark\.yaml$/, 'config'],
  [/^groups\/.+\.ya?ml$/i, 'group'],
  [/^detections\/.+\.ya?ml$/i, 'detection'],
  [/^controls\/.+\.ya?ml$/i, 'control'],
  [/^coverage\/telemetry\.ya?ml$/i, 'telemetry'],
  [/^coverage\/validations\/.+\.ya?ml$/i, 'validations'],
];

export const kindOf = (path: string): Kind | undefined => KINDS.find(([pattern]) => pattern.test(path))?.[1];

const ajv = new Ajv2020({ allErrors: true, useDefaults: true, strict: false, verbose: true });
const compiled = new Map<TSchema, ValidateFunction>();
function validator(schema: TSchema): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) compiled.set(schema, (fn = ajv.compile(schema)));
  return fn;
}

/** Checks `value` against `schema`; findings point at the offending nodes. */
export function checkShape(schema: TSchema, value: unknown, file: string, base: NodePath, unknownKeysAreErrors: boolean): Finding[] {
  const validate = validator(schema);
  if (validate(value)) return [];
  return toFindings(validate.errors ?? [], schema, file, base, unknownKeysAreErrors);
}

function toFindings(errors: ErrorObject[], schema: TSchema, file: string, base: NodePath, strictKeys: boolean): Finding[] {
  // An anyOf reports each failed branch; the branches' own errors only add noise.
  const anyOfPaths = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.schemaPath);
  const kept = errors.filter((e) => e.keyword === 'anyOf' || !anyOfPaths.some((p) => e.schemaPath.startsWith(p.slice(0, -'/anyOf'.length) + '/anyOf/')));
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const error of kept) {
    const path = [...base, ...pointerToPath(error.instancePath)];
    const where = path.length ? `\`${path.filter((p) => !String(p).startsWith('$doc')).join('.')}\`` : 'the document';
    let f: Finding;
    switch (error.keyword) {
      case 'additionalProperties': {
        const key = String(error.params.additionalProperty);
        const message = `unknown key \`${key}\` in ${where}`;
        f = strictKeys
          ? finding('config-unknown-key', message, { file, path: [...path, key], onKey: true })
          : finding('unknown-key', `${message}; it is kept but ignored`, { file, path: [...path, key], onKey: true });
        break;
      }
      case 'required':
        f = finding('schema', `${where} is missing the required key \`${String(error.params.missingProperty)}\``, { file, path });
        break;
      case 'enum':
        f = finding('schema', `${where} must be one of: ${(error.params.allowedValues as unknown[]).join(', ')}`, { file, path });
        break;
      case 'anyOf': {
        const described = describeAt(schema, error.schemaPath);
        f = finding('schema', `${where} ${described ? `must be ${described}` : 'does not match any allowed form'}`, { file, path });
        break;
      }
      case 'pattern': {
        const description = describeAt(schema, error.schemaPath.replace(/\/pattern$/, ''));
        f = finding('schema', `${where} is ${JSON.stringify(valueHint(error.data))}: expected ${description ?? `to match ${String(error.params.pattern)}`}`, { file, path });
        break;
      }
      case 'type':
        f = finding('schema', `${where} must be ${article(String(error.params.type))}${typeHint(error)}`, { file, path });
        break;
      default:
        f = finding('schema', `${where} ${error.message ?? 'is invalid'}`, { file, path });
    }
    const key = `${f.code}|${f.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(f);
    }
  }
  return out;
}

function pointerToPath(pointer: string): NodePath {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** The `description` of the subschema at an ajv schemaPath (`#/properties/x/anyOf`). */
function describeAt(schema: TSchema, schemaPath: string): string | undefined {
  let node: unknown = schema;
  for (const part of schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    if (part === 'anyOf') break;
    node = (node as Record<string, unknown>)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  const description = (node as { description?: unknown })?.description;
  return typeof description === 'string' ? description : undefined;
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);
const valueHint = (value: unknown) => (typeof value === 'string' && value.length > 60 ? `${value.slice(0, 57)}...` : value);
const typeHint = (error: ErrorObject) =>
  error.params.type === 'string' && typeof error.data === 'number' ? ` (quote it: "${String(error.data)}")` : '';

export interface Shaped {
  repository?: Repository;
  findings: Finding[];
}

/** All files → Repository. Without a valid tidemark.yaml nothing further can be evaluated. */
export function shapeRepository(files: ParsedFile[]): Shaped {
  const findings: Finding[] = [];
  let config: Config | undefined;
  const repo: Omit<Repository, 'config'> = { groups: [], detections: [], controls: [], telemetry: [], validations: [] };
  let configSeen = false;

  for (const parsed of files) {
    const { file } = parsed;
    const kind = kindOf(file);
    if (!kind) continue;
    if (parsed.findings.length) continue;
    const docs = parsed.values;
    if (kind !== 'detection' && docs.length > 1) {
      findings.push(finding('yaml-syntax', `${file} holds ${docs.length} YAML documents; this file takes one.`, { file, path: [] }));
      continue;
    }
    const value = docs[0];
    if (kind === 'config') {
      configSeen = true;
      const problems = checkShape(ConfigSchema, value ?? {}, file, [], true);
      for (const p of problems) findings.push(p); // not push(...): there may be more than the stack takes
      if (!problems.some((p) => p.severity === 'error')) config = value as Config;
      continue;
    }
    if (value === undefined || value === null) {
      findings.push(finding('schema', `${file} is empty.`, { file, path: [] }, 'warning'));
      continue;
    }
    switch (kind) {
      case 'group':
        if (accept(GroupSchema, value, file, [], findings)) repo.groups.push({ ...(value as GroupProfile), file, path: [] });
        break;
      case 'control':
        if (accept(ControlSchema, value, file, [], findings)) repo.controls.push({ ...(value as Control), file, path: [] });
        break;
      case 'telemetry':
        if (accept(TelemetrySchema, value, file, [], findings)) {
          (value as Telemetry).sources.forEach((source, index) => repo.telemetry.push({ ...source, file, path: ['sources', index] }));
        }
        break;
      case 'validations': {
        // Checked against the form the document chose (a list, or `validations:`), so a wrong
        // field is reported where it is rather than as the whole union not matching at line 1.
        const form = Array.isArray(value) ? ValidationsSchema.anyOf[0] : typeof value === 'object' ? ValidationsSchema.anyOf[1] : ValidationsSchema;
        if (accept(form, value, file, [], findings)) {
          const list = Array.isArray(value) ? value : (value as { validations: Validation[] }).validations;
          const base: NodePath = Array.isArray(value) ? [] : ['validations'];
          (list as Validation[]).forEach((record, index) => repo.validations.push({ ...record, file, path: [...base, index] }));
        }
        break;
      }
      case 'detection':
        docs.forEach((doc, index) => {
          const base: NodePath = docs.length > 1 ? [`$doc:${index}`] : [];
          const record = toDetection(doc, file, base, findings);
          if (record) repo.detections.push(record);
        });
        break;
    }
  }
  if (!configSeen) {
    findings.push(
      finding('schema', 'tidemark.yaml is missing: every repository needs one, at least `attack: { version: "18.1" }`.', { file: 'tidemark.yaml', path: [] }),
    );
  }
  return { repository: config ? { config, ...repo } : undefined, findings };
}

function accept(schema: TSchema, value: unknown, file: string, base: NodePath, findings: Finding[]): boolean {
  const problems = checkShape(schema, value, file, base, false);
  for (const p of problems) findings.push(p); // not push(...): there may be more than the stack takes
  return !problems.some((p) => p.severity === 'error');
}

function toDetection(value: unknown, file: string, base: NodePath, findings: Finding[]): DetectionRecord | undefined {
  if (value === null || value === undefined) return undefined;
  if (isSigmaRule(value)) return sigmaToDetection(value, file, base);
  if (!accept(DetectionSchema, value, file, base, findings)) return undefined;
  const d = value as NativeDetection;
  return {
    id: d.id,
    title: d.title,
    kind: 'native',
    status: d.status,
    techniques: d.techniques,
    techniquePaths: d.techniques.map((_, i) => [...base, 'techniques', i]),
    platforms: d.platforms ?? [],
    telemetry: d.telemetry ?? [],
    description: d.description,
    owner: d.owner,
    file,
    path: base,
  };
}
