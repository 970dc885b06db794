/**
 * Invoke-AtomicRedTeam execution logs → runs: the default CSV logger and the ATTiRe JSON logger.
 *
 * CSV: every value is quoted; both time columns end in `Z`, but only "Execution Time (UTC)" is UTC
 * (the local one is local time with a misleading `Z`), so the local column is never read. Test id =
 * the GUID (lower-case), test name kept; a non-zero exit code is kept in `notes` only.
 */
import { TECHNIQUE_ID } from '../model/schemas.js';
import { decideOutcomes } from './alerts.js';
import { readCsvTable } from './csv.js';
import { isObject, jsonLocator, parseJson, str, type JsonPath } from './json.js';
import { isoSeconds, parseUtc } from './time.js';
import type { ImportResult, OutcomeSource, Problem, Run, RunsResult } from './types.js';

const TECHNIQUE = new RegExp(TECHNIQUE_ID);

const CSV_COLUMNS = ['Execution Time (UTC)', 'Technique', 'Test Name', 'Hostname', 'GUID'] as const;

const exitNote = (code: string | undefined): string | undefined =>
  code !== undefined && /^-?\d+$/.test(code.trim()) && Number(code) !== 0 ? `exit code ${Number(code)}` : undefined;

export function readAtomicCsv(text: string): RunsResult {
  const table = readCsvTable(text, CSV_COLUMNS, 'Invoke-AtomicRedTeam log');
  const problems: Problem[] = [...table.problems];
  const runs: Run[] = [];
  for (const row of table.records) {
    const utc = row.get('Execution Time (UTC)').trim();
    const time = parseUtc(utc);
    const technique = row.get('Technique').trim().toUpperCase();
    if (time === undefined) {
      problems.push({ line: row.line, message: `"Execution Time (UTC)" ${JSON.stringify(utc)} is not a date-time` });
      continue;
    }
    if (!TECHNIQUE.test(technique)) {
      problems.push({ line: row.line, message: `"Technique" ${JSON.stringify(row.get('Technique'))} is not an ATT&CK technique id` });
      continue;
    }
    const guid = row.get('GUID').trim().toLowerCase();
    const name = row.get('Test Name').trim();
    const host = row.get('Hostname').trim();
    const notes = exitNote(row.get('ExitCode'));
    runs.push({
      line: row.line,
      technique,
      start: isoSeconds(time),
      ...(host ? { host } : {}),
      test: { type: 'atomic', ...(guid ? { id: guid } : {}), ...(name ? { name } : {}) },
      ...(notes ? { notes } : {}),
    });
  }
  return { runs, skipped: [], problems, read: table.records.length };
}

/** ATTiRe 1.1 (Invoke-AtomicRedTeam's Attire logger): one run per procedure, started at its first step. */
export function readAttire(text: string): RunsResult {
  const parsed = parseJson(text, 'ATTiRe log');
  if (parsed.problem) return { runs: [], skipped: [], problems: [parsed.problem], read: 0 };
  const root = parsed.value;
  const lineOf = jsonLocator(text);
  const problems: Problem[] = [];
  const problem = (path: JsonPath, message: string) => problems.push({ line: lineOf(path), message });
  if (!isObject(root) || !Array.isArray(root.procedures)) {
    problem([], 'not an ATTiRe log: the top-level object has no "procedures" list');
    return { runs: [], skipped: [], problems, read: 0 };
  }
  const execution = isObject(root['execution-data']) ? root['execution-data'] : {};
  const target = isObject(execution.target) ? execution.target : {};
  const host = str(target.host);
  const generated = parseUtc(execution['time-generated']);
  const runs: Run[] = [];
  root.procedures.forEach((procedure, i) => {
    const at: JsonPath = ['procedures', i];
    if (!isObject(procedure)) return problem(at, 'a procedure must be an object');
    const technique = str(procedure['mitre-technique-id'])?.toUpperCase();
    if (!technique || !TECHNIQUE.test(technique)) {
      return problem([...at, 'mitre-technique-id'], `"mitre-technique-id" ${JSON.stringify(procedure['mitre-technique-id'] ?? null)} is not an ATT&CK technique id`);
    }
    const steps = Array.isArray(procedure.steps) ? procedure.steps.filter(isObject) : [];
    const starts: number[] = [];
    for (const [j, step] of steps.entries()) {
      if (step['time-start'] === undefined) continue;
      const t = parseUtc(step['time-start']);
      if (t === undefined) return problem([...at, 'steps', j, 'time-start'], `"time-start" ${JSON.stringify(step['time-start'])} is not a date-time`);
      starts.push(t);
    }
    // A loop, not Math.min(...starts): a spread of a few hundred thousand steps overflows the stack.
    const start = starts.length ? starts.reduce((a, b) => Math.min(a, b)) : generated;
    if (start === undefined) return problem(at, 'the procedure has no step "time-start" and the log no "time-generated"');
    const notes = [
      ...new Set(
        steps.flatMap((step) => [
          step['is-timeout'] === true ? 'timed out' : undefined,
          exitNote(step['exit-code'] === undefined || step['exit-code'] === null ? undefined : String(step['exit-code'])),
        ]),
      ),
    ].filter(Boolean);
    const procedureId = isObject(procedure['procedure-id']) ? str(procedure['procedure-id'].id)?.toLowerCase() : undefined;
    const name = str(procedure['procedure-name']);
    runs.push({
      line: lineOf(at),
      technique,
      start: isoSeconds(start),
      ...(host ? { host } : {}),
      test: { type: 'atomic', ...(procedureId ? { id: procedureId } : {}), ...(name ? { name } : {}) },
      ...(notes.length ? { notes: notes.join('; ') } : {}),
    });
  });
  return { runs, skipped: [], problems, read: root.procedures.length };
}

/** Either logger's output, told apart by its first character. */
export function readAtomicRuns(text: string): RunsResult {
  const first = text.replace(/^\uFEFF/, '').trimStart()[0];
  return first === '{' || first === '[' ? readAttire(text) : readAtomicCsv(text);
}

export function parseAtomic(text: string, outcomes: OutcomeSource): ImportResult {
  const { runs, skipped, problems, read } = readAtomicRuns(text);
  return { records: decideOutcomes(runs, outcomes).records, lines: runs.map((r) => r.line), skipped, problems, read };
}
