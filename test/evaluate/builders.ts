/**
 * Small Repository objects for evaluate and emit tests: each builder fills the required fields and
 * the origin (file and node path) so tests state only what they are about.
 */
import type { ControlRecord, DetectionRecord, GroupRecord, Repository, TelemetryRecord, ValidationRecord } from '../../scripts/model/repository.js';
import type { Config } from '../../scripts/model/schemas.js';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };

export function config(overrides: DeepPartial<Config> = {}): Config {
  const base: Config = {
    attack: { domain: 'enterprise-attack', version: '18.1' },
    organisation: { name: 'Example Regional Health' },
    profile: { include_campaigns: true, include_software: false, baseline: 0 },
    policy: {
      counted_statuses: ['stable', 'test'],
      validation_max_age_days: 180,
      review_max_age_days: 365,
      relevance: { high: 3, medium: 2, low: 1 },
      credit: { validated: 1, blocked: 1, detected: 0.5, mitigated: 0.5, failed: 0, visible: 0, blind: 0 },
    },
    gate: { fail_on: ['invalid', 'regression', 'new_gap'], new_groups_may_add_gaps: true, min_score: 0 },
    site: { base: '/' },
  };
  const merge = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) {
      out[k] = v && typeof v === 'object' && !Array.isArray(v) && a[k] && typeof a[k] === 'object' ? merge(a[k] as Record<string, unknown>, v as Record<string, unknown>) : v;
    }
    return out;
  };
  return merge(base as unknown as Record<string, unknown>, overrides as Record<string, unknown>) as unknown as Config;
}

export function group(id: string, fields: Partial<GroupRecord> = {}): GroupRecord {
  return { id, relevance: 'high', rationale: `Why ${id} matters`, reviewed: '2026-09-01', enabled: true, file: `groups/${id}.yaml`, path: [], ...fields };
}

export function native(id: string, techniques: string[], fields: Partial<DetectionRecord> = {}): DetectionRecord {
  return {
    id,
    title: `Detection ${id}`,
    kind: 'native',
    status: 'stable',
    techniques,
    techniquePaths: techniques.map((_, i) => ['techniques', i]),
    platforms: [],
    telemetry: [],
    file: `detections/${id}.yaml`,
    path: [],
    ...fields,
  };
}

export function sigma(id: string, techniques: string[], logsource: Record<string, string>, fields: Partial<DetectionRecord> = {}): DetectionRecord {
  return native(id, techniques, {
    kind: 'sigma',
    logsource,
    techniquePaths: techniques.map((_, i) => ['tags', i]),
    file: `detections/sigma/${id}.yml`,
    ...fields,
  });
}

export function control(id: string, techniques: string[], fields: Partial<ControlRecord> = {}): ControlRecord {
  return { id, title: `Control ${id}`, status: 'implemented', techniques, file: `controls/${id}.yaml`, path: [], ...fields };
}

let sourceIndex = 0;
export function source(id: string, fields: Partial<TelemetryRecord> = {}): TelemetryRecord {
  return { id, name: `Source ${id}`, status: 'collected', data_components: [], file: 'coverage/telemetry.yaml', path: ['sources', sourceIndex++], ...fields };
}

export function run(technique: string, date: string, outcome: ValidationRecord['outcome'], fields: Partial<ValidationRecord> = {}): ValidationRecord {
  return { technique, date, outcome, file: 'coverage/validations/2026.yaml', path: [0], ...fields };
}

export function repository(parts: Partial<Repository> = {}): Repository {
  return { config: config(), groups: [], detections: [], controls: [], telemetry: [], validations: [], ...parts };
}

/** The instant most tests evaluate at. */
export const NOW = new Date('2026-10-15T12:00:00Z');
