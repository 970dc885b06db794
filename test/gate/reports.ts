/** Hand-made reports for the pure gate: only the fields the comparison reads are meaningful. */
import type { Report, ReportTechnique } from '../../scripts/model/report.js';
import type { State } from '../../scripts/model/schemas.js';
import type { Snapshot } from '../../scripts/gate/types.js';

export const CREDIT: Record<State, number> = { validated: 1, blocked: 1, detected: 0.5, mitigated: 0.5, failed: 0, visible: 0, blind: 0 };

type TechniqueInput = Partial<ReportTechnique> & { id: string; state: State };

export interface ReportInput {
  techniques: TechniqueInput[];
  groups?: { id: string; file?: string; enabled?: boolean; name?: string }[];
  detections?: { id: string; file: string; status?: string; counts?: boolean; reason?: string; techniques?: string[] }[];
  controls?: { id: string; file: string; status?: string; techniques?: string[] }[];
  telemetry?: { id: string; status?: string }[];
  score?: number;
}

const zeroStates = () => ({ validated: 0, blocked: 0, detected: 0, mitigated: 0, failed: 0, visible: 0, blind: 0 });

export function makeReport(input: ReportInput): Report {
  const techniques: ReportTechnique[] = input.techniques.map((t) => ({
    name: `Technique ${t.id}`,
    tactics: ['execution'],
    platforms: ['Windows'],
    groups: ['G0001'],
    baseline: false,
    weight: 3,
    credit: CREDIT[t.state],
    priority: 0,
    detections: [],
    controls: [],
    validations: [],
    data_components: [],
    telemetry: [],
    ...t,
  }));
  const states = zeroStates();
  for (const t of techniques) states[t.state]++;
  const score = input.score ?? (techniques.length ? techniques.reduce((s, t) => s + t.credit, 0) / techniques.length : 0);
  return {
    tool: { name: 'tidemark', version: '0.1.0' },
    generated_at: '2026-10-01T12:00:00.000Z',
    attack: { domain: 'enterprise-attack', version: '18.1' },
    organisation: { name: 'Test', platforms: [] },
    summary: { overlay: techniques.length, states, score, gaps: states.failed + states.visible + states.blind, untested_coverage: 0, stale_profiles: 0 },
    tactics: [],
    techniques,
    groups: (input.groups ?? [{ id: 'G0001' }]).map((g) => ({
      id: g.id,
      name: g.name ?? `Group ${g.id}`,
      relevance: 'high',
      weight: 3,
      rationale: 'test',
      reviewed: '2026-01-01',
      stale: false,
      enabled: g.enabled ?? true,
      file: g.file ?? `groups/${g.id.toLowerCase()}.yaml`,
      techniques: techniques.filter((t) => t.groups.includes(g.id)).map((t) => t.id),
      score: 0,
      states: zeroStates(),
    })),
    backlog: [],
    detections: (input.detections ?? []).map((d) => ({
      id: d.id,
      title: d.id,
      kind: 'native' as const,
      status: d.status ?? 'stable',
      techniques: d.techniques ?? [],
      telemetry: [],
      counts: d.counts ?? true,
      reason: d.reason,
      file: d.file,
    })),
    controls: (input.controls ?? []).map((c) => ({
      id: c.id,
      title: c.id,
      status: c.status ?? 'implemented',
      techniques: c.techniques ?? [],
      mitigations: [],
      compliance: {},
      file: c.file,
    })),
    telemetry: (input.telemetry ?? []).map((s) => ({ id: s.id, name: s.id, status: s.status ?? 'collected', platforms: [], data_components: [] })),
    data_components: [],
    catalog: [],
    findings: [],
  };
}

export function snapshot(input: ReportInput | undefined, sources: Record<string, string> = {}, findings: Snapshot['findings'] = []): Snapshot {
  return { report: input ? makeReport(input) : undefined, findings, sources: new Map(Object.entries(sources)) };
}
