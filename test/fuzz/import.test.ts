/**
 * Property-based fuzzing of the import parsers (pure: text in, runs, records or plans out): they
 * never throw, every problem names a line of the input, and whatever they turn into records is
 * content tidemark itself accepts, written as YAML that reads back to the same records.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadCatalog } from '../../scripts/catalog/source.js';
import type { Catalog } from '../../scripts/catalog/types.js';
import { decideOutcomes, parseAlerts } from '../../scripts/import/alerts.js';
import { readAtomicRuns } from '../../scripts/import/atomic.js';
import { readCalderaRuns } from '../../scripts/import/caldera.js';
import { parseCsv, readCsvTable } from '../../scripts/import/csv.js';
import { planDettect } from '../../scripts/import/dettect.js';
import { jsonLocator, parseJson } from '../../scripts/import/json.js';
import { parseMappingsExplorer } from '../../scripts/import/mappings-explorer.js';
import { planLayers } from '../../scripts/import/navigator.js';
import { parseDuration, parseUtc } from '../../scripts/import/time.js';
import type { Problem, Run } from '../../scripts/import/types.js';
import { parseVectr } from '../../scripts/import/vectr.js';
import { renderRecords } from '../../scripts/import/write.js';
import { ValidationSchema, type Validation } from '../../scripts/model/schemas.js';
import { checkShape } from '../../scripts/validate/shape.js';
import { anyText, anyValue, hostileKey, options, RUNS } from './arbitraries.js';

const linesOf = (text: string) => text.split('\n').length;

function expectProblemsOnLines(problems: readonly Problem[], text: string): void {
  for (const p of problems) {
    expect(Number.isInteger(p.line)).toBe(true);
    expect(p.line).toBeGreaterThanOrEqual(1);
    expect(p.line).toBeLessThanOrEqual(linesOf(text));
    expect(p.message.length).toBeLessThan(5_000);
  }
}

/** Records are valid content and survive the trip through the YAML the import writes. */
function expectWritableRecords(records: readonly Validation[]): void {
  for (const r of records) expect(checkShape(ValidationSchema, structuredClone(r), 'v.yaml', [], true)).toEqual([]);
  if (!records.length) return;
  const text = renderRecords(records, 'fuzz\nwith a line break');
  expect(parse(text)).toEqual(JSON.parse(JSON.stringify(records)));
}

// --- generators of inputs shaped like each format, with hostile values in every field ---------

const cell = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('T1059.001', 't1003', '2026-10-01T10:00:00Z', '2026-02-31', '=cmd|x', '"', ',', '\r\n', 'Detected', 'TBD', 'constructor', '__proto__', ''));
const csvText = (header: string[]) =>
  fc.array(fc.array(cell, { minLength: 1, maxLength: header.length + 1 }), { maxLength: 8 }).chain((rows) =>
    fc.boolean().map((crlf) => {
      const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
      const eol = crlf ? '\r\n' : '\n';
      return [header, ...rows].map((r) => r.map(quote).join(',')).join(eol) + eol;
    }),
  );

const ATOMIC_COLUMNS = ['Execution Time (UTC)', 'Technique', 'Test Name', 'Hostname', 'GUID', 'ExitCode'];
const VECTR_COLUMNS = ['MitreID', 'Method', 'Variant', 'Outcome', 'Start Time', 'Start Time Epoch', 'TargetAssets', 'Campaign', 'DetectingTools'];

const field = fc.oneof(anyValue, fc.constantFrom('T1059.001', 'T1003.001', '2026-10-01T10:00:00Z', '2026-10-01 10:00:00', 0, 1, 124, -3, 'p1', 'constructor', 'toString', '__proto__', 'mitigates', 'technique-administration'));
const attire = fc.record({
  'execution-data': fc.record({ 'time-generated': field, target: fc.record({ host: field }) }),
  procedures: fc.oneof(field, fc.array(fc.record({ 'mitre-technique-id': field, 'procedure-name': field, 'procedure-id': fc.record({ id: field }), steps: fc.array(fc.record({ 'time-start': field, 'exit-code': field, 'is-timeout': field }), { maxLength: 3 }) }), { maxLength: 4 })),
});
const calderaLink = fc.record({
  status: field,
  agent_reported_time: field,
  delegated_timestamp: field,
  agent_metadata: fc.record({ paw: field, host: field }),
  ability_metadata: fc.record({ ability_id: field, ability_name: field }),
  attack_metadata: fc.record({ technique_id: field }),
  command: field,
  cleanup: field,
});
const caldera = fc.oneof(
  fc.array(calderaLink, { maxLength: 5 }),
  fc.record({ name: field, host_group: fc.array(fc.record({ paw: field, host: field }), { maxLength: 2 }), steps: fc.dictionary(hostileKey, fc.record({ steps: fc.array(calderaLink, { maxLength: 3 }) }), { maxKeys: 2 }) }),
);
const json = (arb: fc.Arbitrary<unknown>) => fc.tuple(arb, fc.constantFrom(0, 2)).map(([v, indent]) => JSON.stringify(v, null, indent));

// --------------------------------------------------------------------------------------------

let catalog: Catalog;
beforeAll(async () => {
  ({ catalog } = await loadCatalog({ domain: 'enterprise-attack', version: '18.1', mirror: process.env.TIDEMARK_ATTACK_MIRROR, cacheDir: '/tmp/tidemark-fuzz-cache' }));
}, 120_000);

describe('fuzz: import parsers', () => {
  it(`CSV: parseCsv and readCsvTable never throw and report lines of the input (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.oneof(anyText, csvText(ATOMIC_COLUMNS)), (text) => {
        const { rows, problem } = parseCsv(text);
        for (const row of rows) expect(row.line).toBeLessThanOrEqual(linesOf(text));
        if (problem) expectProblemsOnLines([problem], text);
        expectProblemsOnLines(readCsvTable(text, ['Technique', 'GUID|Test Name'], 'log').problems, text);
      }),
      options(),
    );
  });

  it(`Atomic Red Team (CSV and ATTiRe): runs become valid, writable records (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.oneof(anyText, csvText(ATOMIC_COLUMNS), json(attire)), fc.constantFrom('detected', 'not-detected', 'blocked') as fc.Arbitrary<Validation['outcome']>, (text, outcome) => {
        const runs = readAtomicRuns(text);
        expectProblemsOnLines(runs.problems, text);
        expectWritableRecords(decideOutcomes(runs.runs, { kind: 'fixed', outcome }).records);
      }),
      options(),
    );
  });

  it(`CALDERA (reports and event logs): runs become valid, writable records (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.oneof(anyText, json(caldera)), (text) => {
        const runs = readCalderaRuns(text);
        expectProblemsOnLines(runs.problems, text);
        for (const s of runs.skipped) expect(s.line).toBeLessThanOrEqual(linesOf(text));
        expectWritableRecords(decideOutcomes(runs.runs, { kind: 'fixed', outcome: 'not-detected' }).records);
      }),
      options(),
    );
  });

  it(`VECTR: records are valid and writable, with and without technique names (${RUNS} runs)`, () => {
    const names = { 'T1059.001': 'PowerShell', T1059: 'Command and Scripting Interpreter', constructor: 'x' };
    fc.assert(
      fc.property(fc.oneof(anyText, csvText(VECTR_COLUMNS)), fc.boolean(), (text, withNames) => {
        const result = parseVectr(text, withNames ? names : undefined);
        expectProblemsOnLines(result.problems, text);
        if (!result.problems.length) expectWritableRecords(result.records);
      }),
      options(),
    );
  });

  it(`alerts and outcome matching: never throw, detected only with a matching alert (${RUNS} runs)`, () => {
    const alertRow = fc.tuple(field, field, field, field).map(([time, host, rule, technique]) => ({ time, host, rule, technique }));
    const alertsText = fc.oneof(anyText, json(fc.array(alertRow, { maxLength: 5 })), fc.array(alertRow, { maxLength: 5 }).map((rows) => rows.map((r) => JSON.stringify(r)).join('\n')), csvText(['time', 'host', 'rule', 'technique']));
    const run = fc.record({
      line: fc.nat(),
      technique: fc.constantFrom('T1059.001', 'T1003'),
      start: fc.constantFrom('2026-10-01T10:00:00Z', '2026-10-01T11:00:00Z'),
      host: fc.option(fc.constantFrom('ws-1', 'WS-1.corp.example', '', 'constructor'), { nil: undefined }),
      test: fc.constant({ type: 'atomic' as const }),
    }) as fc.Arbitrary<Run>;
    fc.assert(
      fc.property(alertsText, fc.array(run, { maxLength: 5 }), fc.dictionary(hostileKey, fc.array(fc.constantFrom('T1059.001', 'T1003')), { maxKeys: 3 }), (text, runs, detections) => {
        const { alerts, problems } = parseAlerts(text);
        expectProblemsOnLines(problems, text);
        const decided = decideOutcomes(runs, { kind: 'alerts', alerts, windowMs: 15 * 60_000, detections: { ...detections } });
        expect(decided.records).toHaveLength(runs.length);
        decided.records.forEach((r, i) => {
          if (r.outcome === 'detected') expect(runs[i].host).toBeTruthy();
        });
        expectWritableRecords(decided.records.map((r) => ({ ...r, test: { type: 'atomic' } })));
      }),
      options(),
    );
  });

  it(`JSON helpers and times: never throw, lines inside the text (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.oneof(anyText, json(anyValue)), fc.array(fc.oneof(hostileKey, fc.nat(5)), { maxLength: 4 }), (text, path) => {
        const parsed = parseJson(text, 'input');
        if (parsed.problem) expectProblemsOnLines([parsed.problem], text);
        else expect(jsonLocator(text)(path)).toBeLessThanOrEqual(linesOf(text));
        const t = parseUtc(text.slice(0, 40));
        if (t !== undefined) expect(Number.isFinite(t)).toBe(true);
        const d = parseDuration(text.slice(0, 12));
        if (d !== undefined) expect(d).toBeGreaterThanOrEqual(0);
      }),
      options(),
    );
  });

  it(`content kinds (DeTT&CT, Navigator, Mappings Explorer): plans never throw, new files parse (${RUNS} runs)`, () => {
    const layer = fc.record({ name: field, domain: field, versions: fc.record({ attack: field }), techniques: fc.oneof(field, fc.array(fc.record({ techniqueID: field, score: field, enabled: field }), { maxLength: 4 })) });
    const mapping = fc.record({ metadata: fc.record({ attack_version: field, technology_domain: field, mapping_framework: field, mapping_framework_version: field }), mapping_objects: fc.oneof(field, fc.array(fc.record({ capability_id: field, attack_object_id: field, mapping_type: field, status: field }), { maxLength: 4 })) });
    const dettect = fc.record({ version: field, file_type: fc.oneof(field, fc.constantFrom('data-source-administration', 'technique-administration', 'group-administration')), data_sources: fc.array(fc.record({ data_source_name: field, data_quality: field }), { maxLength: 3 }), techniques: fc.array(fc.record({ technique_id: field, detection: field }), { maxLength: 3 }), groups: fc.array(fc.record({ group_name: field, technique_id: field }), { maxLength: 3 }) });
    fc.assert(
      fc.property(fc.oneof(anyText, json(layer), json(mapping), json(dettect).map((j) => j)), (text) => {
        const o = { catalog, today: '2026-11-01', source: 'in\nput' };
        const layers = planLayers(text, { ...o, threshold: 0 });
        expectProblemsOnLines(layers.problems, text);
        const mappings = parseMappingsExplorer(text);
        expectProblemsOnLines(mappings.problems, text);
        const plan = planDettect(text, o);
        expectProblemsOnLines(plan.problems, text);
        for (const file of plan.files) {
          expect(file.path).toMatch(/^(detections|groups)\/[^/]+(\/[^/]+)*\.yaml$/);
          expect(file.path).not.toContain('..');
          expect(() => parse(file.text)).not.toThrow();
        }
      }),
      options(),
    );
  });
});
