/**
 * The JSON Schemas of every file tidemark reads: the single source of truth. TypeScript types are
 * derived from them with `Static`, and `npm run schemas` writes them to `schemas/*.json` for
 * editors (a test fails when the written files drift from these definitions).
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const strict = { additionalProperties: false } as const;

/** A string enum as a plain JSON Schema `enum`, so validation messages list the allowed values. */
const StringEnum = <T extends readonly string[]>(values: T, options: { default?: T[number]; description?: string } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

export const TECHNIQUE_ID = '^T[0-9]{4}(\\.[0-9]{3})?$';
export const GROUP_ID = '^(G[0-9]{4}|C[0-9]{4}|X-[a-z0-9][a-z0-9-]*)$';
/** Local ids (detections, controls, telemetry): no path separators, no spaces, no markup. */
export const LOCAL_ID = '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$';
const DATE = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
const DATE_TIME = '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$';

const TechniqueId = Type.String({ pattern: TECHNIQUE_ID, description: 'ATT&CK technique or sub-technique id, e.g. T1059.001' });
const LocalId = Type.String({ pattern: LOCAL_ID, description: 'Unique id: letters, digits, . _ : -' });
const Text = Type.String({ minLength: 1 });

export const Relevance = Type.Union(
  [StringEnum(['high', 'medium', 'low'] as const), Type.Number({ exclusiveMinimum: 0 })],
  { description: 'high | medium | low | a positive number' },
);

const credit = (value: number) => Type.Number({ minimum: 0, maximum: 1, default: value });

export const STATES = ['validated', 'blocked', 'detected', 'mitigated', 'failed', 'visible', 'blind'] as const;
export type State = (typeof STATES)[number];

export const ConfigSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    attack: Type.Object(
      {
        domain: StringEnum(['enterprise-attack', 'mobile-attack', 'ics-attack'] as const, { default: 'enterprise-attack' }),
        version: Type.String({ pattern: '^[0-9]+\\.[0-9]+$', description: 'ATT&CK release, e.g. "18.1" (quote it)' }),
        sha256: Type.Optional(Type.String({ pattern: '^[a-f0-9]{64}$', description: 'sha256 of the uncompressed bundle JSON' })),
      },
      strict,
    ),
    organisation: Type.Object(
      {
        name: Type.String({ default: 'Unnamed organisation' }),
        platforms: Type.Optional(Type.Array(Text, { description: 'ATT&CK platform names' })),
      },
      { ...strict, default: {} },
    ),
    profile: Type.Object(
      {
        include_campaigns: Type.Boolean({ default: true }),
        include_software: Type.Boolean({ default: false }),
        baseline: Type.Integer({ minimum: 0, default: 0 }),
      },
      { ...strict, default: {} },
    ),
    policy: Type.Object(
      {
        counted_statuses: Type.Array(Text, { default: ['stable', 'test'] }),
        validation_max_age_days: Type.Integer({ minimum: 0, default: 180 }),
        review_max_age_days: Type.Integer({ minimum: 0, default: 365 }),
        relevance: Type.Object(
          {
            high: Type.Number({ exclusiveMinimum: 0, default: 3 }),
            medium: Type.Number({ exclusiveMinimum: 0, default: 2 }),
            low: Type.Number({ exclusiveMinimum: 0, default: 1 }),
          },
          { ...strict, default: {} },
        ),
        credit: Type.Object(
          {
            validated: credit(1),
            blocked: credit(1),
            detected: credit(0.5),
            mitigated: credit(0.5),
            failed: credit(0),
            visible: credit(0),
            blind: credit(0),
          },
          { ...strict, default: {} },
        ),
      },
      { ...strict, default: {} },
    ),
    gate: Type.Object(
      {
        fail_on: Type.Array(StringEnum(['invalid', 'regression', 'new_gap'] as const), {
          default: ['invalid', 'regression', 'new_gap'],
        }),
        new_groups_may_add_gaps: Type.Boolean({ default: true }),
        min_score: Type.Number({ minimum: 0, maximum: 1, default: 0 }),
      },
      { ...strict, default: {} },
    ),
    atomic_red_team: Type.Optional(
      Type.Object({ index: Type.String({ description: 'Path (relative to the repository) or URL of the Atomic Red Team index.csv' }) }, strict),
    ),
    site: Type.Object(
      {
        url: Type.Optional(Type.String({ description: 'Where the site is published; used for links in layers and comments' })),
        base: Type.String({ default: '/', description: 'Base path of the published site, e.g. /tidemark/' }),
      },
      { ...strict, default: {} },
    ),
  },
  { ...strict, $id: 'tidemark.schema.json', title: 'tidemark.yaml' },
);
export type Config = Static<typeof ConfigSchema>;

const TechniqueRef = Type.Union([
  TechniqueId,
  Type.Object({ id: TechniqueId, source: Type.Optional(Type.String()), reason: Type.Optional(Type.String()) }),
]);

export const GroupSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    id: Type.String({ pattern: GROUP_ID, description: 'ATT&CK group G####, campaign C####, or custom X-<slug>' }),
    name: Type.Optional(Text),
    relevance: Relevance,
    rationale: Text,
    reviewed: Type.String({ pattern: DATE, description: 'Date of the last review, YYYY-MM-DD' }),
    owner: Type.Optional(Type.String()),
    enabled: Type.Boolean({ default: true }),
    sources: Type.Optional(
      Type.Array(Type.Object({ title: Text, url: Type.Optional(Type.String()), date: Type.Optional(Type.String({ pattern: DATE })) })),
    ),
    techniques: Type.Optional(
      Type.Object({ add: Type.Optional(Type.Array(TechniqueRef)), remove: Type.Optional(Type.Array(TechniqueRef)) }, strict),
    ),
  },
  { ...strict, $id: 'group.schema.json', title: 'Group profile (groups/*.yaml)' },
);
export type GroupProfile = Static<typeof GroupSchema>;

export const DETECTION_STATUSES = ['experimental', 'test', 'stable', 'deprecated'] as const;

export const DetectionSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    id: LocalId,
    title: Text,
    status: StringEnum(DETECTION_STATUSES),
    techniques: Type.Array(TechniqueId, { minItems: 1 }),
    platforms: Type.Optional(Type.Array(Text)),
    telemetry: Type.Optional(Type.Array(LocalId, { description: 'Ids of coverage/telemetry.yaml sources this detection needs' })),
    owner: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    references: Type.Optional(Type.Array(Type.String())),
    query: Type.Optional(Type.Object({ language: Text, text: Text }, strict)),
    score: Type.Optional(Type.Number({ description: 'Detection score carried over from DeTT&CT' })),
    location: Type.Optional(Type.Array(Type.String())),
  },
  { ...strict, $id: 'detection.schema.json', title: 'Native detection (detections/**/*.yaml)' },
);
export type NativeDetection = Static<typeof DetectionSchema>;

export const CONTROL_STATUSES = ['implemented', 'partial', 'planned', 'retired'] as const;

export const ControlSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    id: LocalId,
    title: Text,
    status: StringEnum(CONTROL_STATUSES),
    techniques: Type.Array(TechniqueId),
    mitigations: Type.Optional(Type.Array(Type.String({ pattern: '^M[0-9]{4}$' }))),
    compliance: Type.Optional(
      Type.Object(
        {
          'nist-800-53-r5': Type.Optional(Type.Array(Type.String({ pattern: '^[A-Z]{2}-[0-9]{1,2}(\\([0-9]{1,2}\\))?$' }))),
          'cis-v8': Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{1,2}(\\.[0-9]{1,2})?$' }))),
          'iso-27001-2022': Type.Optional(Type.Array(Type.String({ pattern: '^A\\.[5-8]\\.[0-9]{1,2}$' }))),
        },
        strict,
      ),
    ),
    owner: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
  },
  { ...strict, $id: 'control.schema.json', title: 'Preventive control (controls/*.yaml)' },
);
export type Control = Static<typeof ControlSchema>;

export const TELEMETRY_STATUSES = ['collected', 'planned', 'retired'] as const;

export const TelemetrySourceSchema = Type.Object(
  {
    id: LocalId,
    name: Text,
    status: StringEnum(TELEMETRY_STATUSES),
    platforms: Type.Optional(Type.Array(Text)),
    data_components: Type.Optional(Type.Array(Text, { description: 'ATT&CK data component ids (DC0032) or exact names' })),
    sigma: Type.Optional(
      Type.Array(Type.Record(Type.String(), Type.String()), { description: 'Sigma logsource selectors, e.g. {product: windows, category: process_creation}' }),
    ),
    retention_days: Type.Optional(Type.Integer({ minimum: 0 })),
    description: Type.Optional(Type.String()),
  },
  { ...strict, anyOf: [{ required: ['data_components'] }, { required: ['sigma'] }] },
);
export type TelemetrySource = Static<typeof TelemetrySourceSchema>;

export const TelemetrySchema = Type.Object(
  { $schema: Type.Optional(Type.String()), sources: Type.Array(TelemetrySourceSchema) },
  { ...strict, $id: 'telemetry.schema.json', title: 'Telemetry inventory (coverage/telemetry.yaml)' },
);
export type Telemetry = Static<typeof TelemetrySchema>;

export const OUTCOMES = ['detected', 'not-detected', 'blocked'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const ValidationSchema = Type.Object(
  {
    technique: TechniqueId,
    date: Type.String({ pattern: DATE_TIME, description: 'Date or date-time of the run, UTC' }),
    outcome: StringEnum(OUTCOMES),
    detection: Type.Optional(LocalId),
    test: Type.Optional(
      Type.Object(
        {
          type: StringEnum(['atomic', 'caldera', 'vectr', 'manual'] as const),
          id: Type.Optional(Type.String()),
          name: Type.Optional(Type.String()),
        },
        strict,
      ),
    ),
    host: Type.Optional(Type.String()),
    notes: Type.Optional(Type.String()),
  },
  strict,
);
export type Validation = Static<typeof ValidationSchema>;

export const ValidationsSchema = Type.Union(
  [Type.Array(ValidationSchema), Type.Object({ $schema: Type.Optional(Type.String()), validations: Type.Array(ValidationSchema) }, strict)],
  { $id: 'validations.schema.json', title: 'Emulation results (coverage/validations/*.yaml)' },
);

/** Every schema an author's file is checked against, by the file name written for editors. */
export const CONTENT_SCHEMAS: Record<string, TSchema> = {
  'tidemark.schema.json': ConfigSchema,
  'group.schema.json': GroupSchema,
  'detection.schema.json': DetectionSchema,
  'control.schema.json': ControlSchema,
  'telemetry.schema.json': TelemetrySchema,
  'validations.schema.json': ValidationsSchema,
};
