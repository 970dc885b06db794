/**
 * `build/report.json` (SPEC §11): the one artefact the site, the gate and Navigator layers read.
 * The schema ships as `schemas/report.schema.json`; the site re-validates the report against it.
 * Every array is sorted and nothing holds an absolute path, so identical inputs and `--now` give
 * identical bytes.
 */
import { Type, type Static } from '@sinclair/typebox';
import { STATES } from './schemas.js';

const StateSchema = Type.Union(STATES.map((s) => Type.Literal(s)));
const Ids = Type.Array(Type.String());
const StateCounts = Type.Object(Object.fromEntries(STATES.map((s) => [s, Type.Integer({ minimum: 0 })])) as Record<
  (typeof STATES)[number],
  ReturnType<typeof Type.Integer>
>);

const ReportValidation = Type.Object({
  date: Type.String(),
  outcome: Type.String(),
  detection: Type.Optional(Type.String()),
  test: Type.Optional(Type.Object({ type: Type.String(), id: Type.Optional(Type.String()), name: Type.Optional(Type.String()) })),
  host: Type.Optional(Type.String()),
  /** Whether the run falls inside the freshness window at `generated_at`. */
  fresh: Type.Boolean(),
  file: Type.String(),
  line: Type.Integer(),
});

export const ReportTechniqueSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  tactics: Ids,
  platforms: Ids,
  parent: Type.Optional(Type.String()),
  /** Enabled profiled groups whose set holds it (baseline-only techniques: empty). */
  groups: Ids,
  /** True when only the baseline brings it into the overlay. */
  baseline: Type.Boolean(),
  /** Why it is in the overlay: which group brought it and how (`uses`, `campaign`, `software`, `add`, `baseline`). */
  reasons: Type.Optional(
    Type.Array(
      Type.Object({
        group: Type.String(),
        via: Type.Union(['uses', 'campaign', 'software', 'add', 'baseline'].map((v) => Type.Literal(v))),
        /** The campaign or software it came through, or the profiled campaign. */
        ref: Type.Optional(Type.String()),
        /** The group profile (or its `techniques.add` entry) that brought it. */
        file: Type.Optional(Type.String()),
        line: Type.Optional(Type.Integer()),
      }),
    ),
  ),
  weight: Type.Number(),
  state: StateSchema,
  credit: Type.Number(),
  priority: Type.Number(),
  /** Detections mapped to it, counting or not (see `report.detections[].counts`). */
  detections: Ids,
  controls: Ids,
  validations: Type.Array(ReportValidation),
  /** Relevant ATT&CK data components. */
  data_components: Ids,
  /** Collected telemetry sources that provide one of its data components. */
  telemetry: Ids,
});

/**
 * Compliance as the floor (scripts/compliance/floor.ts): per framework, each requirement and the
 * controls that carry it; how much of the overlay the implemented compliance-mapped controls
 * reach, and the overlay techniques none of them lists. Absent when no control has compliance ids.
 */
export const ReportComplianceSchema = Type.Object({
  /** Implemented controls with at least one compliance id: the floor. */
  controls: Ids,
  floor: Type.Object({
    overlay: Type.Integer({ minimum: 0 }),
    /** Overlay techniques listed by at least one of `controls`. */
    reached: Type.Integer({ minimum: 0 }),
    /** reached / overlay (0 for an empty overlay). */
    share: Type.Number(),
    /** The same, weighted by technique weight. */
    weighted_share: Type.Number(),
    /** Overlay techniques no implemented compliance-mapped control lists: by priority, weight, id. */
    uncovered: Type.Array(
      Type.Object({ id: Type.String(), name: Type.String(), state: StateSchema, weight: Type.Number(), priority: Type.Number(), gap: Type.Boolean() }),
    ),
    /** How many of `uncovered` are gaps (failed, visible, blind). */
    uncovered_gaps: Type.Integer({ minimum: 0 }),
  }),
  frameworks: Type.Array(
    Type.Object({
      /** The key under `compliance:` (nist-800-53-r5, cis-v8, iso-27001-2022). */
      key: Type.String(),
      name: Type.String(),
      /** Controls (any status) carrying ids of this framework. */
      controls: Ids,
      /** Overlay techniques listed by this framework's implemented controls, and their share of the overlay. */
      reached: Type.Integer({ minimum: 0 }),
      share: Type.Number(),
      /** Requirement ids in canonical form (NIST AC-02 is AC-2), in catalogue order. */
      requirements: Type.Array(
        Type.Object({
          id: Type.String(),
          /** Controls (any status) carrying it. */
          controls: Ids,
          /** Overlay techniques its implemented controls list. */
          reached: Ids,
        }),
      ),
    }),
  ),
});

export const ReportSchema = Type.Object(
  {
    tool: Type.Object({ name: Type.Literal('tidemark'), version: Type.String() }),
    generated_at: Type.String(),
    attack: Type.Object({ domain: Type.String(), version: Type.String() }),
    organisation: Type.Object({ name: Type.String(), platforms: Ids }),
    summary: Type.Object({
      overlay: Type.Integer(),
      states: StateCounts,
      score: Type.Number(),
      gaps: Type.Integer(),
      /** Share of covered overlay techniques that are only detected or mitigated (SPEC §9). */
      untested_coverage: Type.Number(),
      stale_profiles: Type.Integer(),
    }),
    /** The matrix's tactics in catalog order, with the per-tactic score over the overlay. */
    tactics: Type.Array(
      Type.Object({ id: Type.String(), shortname: Type.String(), name: Type.String(), score: Type.Number(), overlay: Type.Integer() }),
    ),
    /** Overlay techniques only, by id. */
    techniques: Type.Array(ReportTechniqueSchema),
    groups: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        relevance: Type.Union([Type.String(), Type.Number()]),
        weight: Type.Number(),
        rationale: Type.String(),
        reviewed: Type.String(),
        stale: Type.Boolean(),
        enabled: Type.Boolean(),
        file: Type.String(),
        techniques: Ids,
        score: Type.Number(),
        states: StateCounts,
      }),
    ),
    backlog: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        priority: Type.Number(),
        state: StateSchema,
        groups: Ids,
        action: Type.String(),
        /** Suggested Atomic Red Team tests, when an index is configured. */
        tests: Type.Optional(Type.Array(Type.Object({ guid: Type.String(), name: Type.String() }))),
      }),
    ),
    detections: Type.Array(
      Type.Object({
        id: Type.String(),
        title: Type.String(),
        kind: Type.Union([Type.Literal('native'), Type.Literal('sigma')]),
        status: Type.String(),
        techniques: Ids,
        telemetry: Ids,
        /** Whether it counts (status counted and telemetry met). */
        counts: Type.Boolean(),
        /** Why it does not count, when it does not. */
        reason: Type.Optional(Type.String()),
        description: Type.Optional(Type.String()),
        owner: Type.Optional(Type.String()),
        file: Type.String(),
      }),
    ),
    controls: Type.Array(
      Type.Object({
        id: Type.String(),
        title: Type.String(),
        status: Type.String(),
        techniques: Ids,
        mitigations: Ids,
        compliance: Type.Record(Type.String(), Ids),
        description: Type.Optional(Type.String()),
        owner: Type.Optional(Type.String()),
        file: Type.String(),
      }),
    ),
    telemetry: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        status: Type.String(),
        platforms: Ids,
        data_components: Ids,
      }),
    ),
    /** Names of every data component the report mentions. */
    data_components: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
    /** Every active technique of the pinned release, for the matrix's "all techniques" view. */
    catalog: Type.Array(
      Type.Object({ id: Type.String(), name: Type.String(), tactics: Ids, platforms: Ids, parent: Type.Optional(Type.String()) }),
    ),
    findings: Type.Array(
      Type.Object({
        severity: Type.String(),
        code: Type.String(),
        message: Type.String(),
        file: Type.Optional(Type.String()),
        line: Type.Optional(Type.Integer()),
      }),
    ),
    compliance: Type.Optional(ReportComplianceSchema),
  },
  { $id: 'report.schema.json', title: 'tidemark report (build/report.json)' },
);
export type Report = Static<typeof ReportSchema>;
export type ReportTechnique = Static<typeof ReportTechniqueSchema>;
