/**
 * VECTR CSV exports → records. VECTR records the purple team's verdict, so the outcome comes from
 * the file: Blocked → blocked, Detected → detected, NotDetected → not-detected; TBD rows are not
 * results yet and are skipped. An empty MitreID is resolved from the technique name in `Method`
 * when exactly one technique has that name (exact, case-insensitive; "Parent: Sub" also accepted),
 * otherwise the row is skipped and reported with its line.
 */
import { TECHNIQUE_ID, type Outcome, type Validation } from '../model/schemas.js';
import { readCsvTable } from './csv.js';
import { isoSeconds, parseUtc } from './time.js';
import type { ImportResult, Problem, Skip } from './types.js';

const TECHNIQUE = new RegExp(TECHNIQUE_ID);

export const VECTR_OUTCOMES: Record<string, Outcome | null> = {
  blocked: 'blocked',
  detected: 'detected',
  notdetected: 'not-detected',
  tbd: null,
};

const REQUIRED = ['MitreID', 'Method', 'Variant', 'Outcome', 'Start Time|Start Time Epoch'] as const;

/** Technique name (lower-case) → ids, with sub-techniques also under "Parent: Sub". */
export function nameIndex(names: Record<string, string>): Map<string, string[]> {
  const index = new Map<string, string[]>();
  const add = (name: string, id: string) => {
    const key = name.trim().replace(/\s+/g, ' ').toLowerCase();
    const ids = index.get(key) ?? [];
    if (!ids.includes(id)) index.set(key, [...ids, id]);
  };
  for (const [id, name] of Object.entries(names)) {
    add(name, id);
    const parent = id.includes('.') ? names[id.split('.')[0]] : undefined;
    if (parent) add(`${parent}: ${name}`, id);
  }
  return index;
}

export interface VectrResult extends ImportResult {
  tally: Record<string, number>;
  /** Rows with an empty MitreID were found and no `names` were given: parse again with them. */
  needsNames: boolean;
}

export function parseVectr(text: string, names?: Record<string, string>): VectrResult {
  const table = readCsvTable(text, REQUIRED, 'VECTR export');
  const problems: Problem[] = [...table.problems];
  const skipped: Skip[] = [];
  const records: Validation[] = [];
  const lines: number[] = [];
  const tally: Record<string, number> = {};
  const index = names ? nameIndex(names) : undefined;
  let needsNames = false;
  for (const row of table.records) {
    const rawOutcome = row.get('Outcome').trim();
    const key = rawOutcome.replace(/[\s_-]+/g, '').toLowerCase();
    // Own keys only: `in` would accept "constructor" and make Object a record's outcome.
    if (!Object.hasOwn(VECTR_OUTCOMES, key)) {
      problems.push({ line: row.line, message: `Outcome ${JSON.stringify(rawOutcome)} is not one of Blocked, Detected, NotDetected, TBD` });
      continue;
    }
    tally[rawOutcome] = (tally[rawOutcome] ?? 0) + 1;
    const outcome = VECTR_OUTCOMES[key];
    if (!outcome) {
      skipped.push({ line: row.line, reason: 'outcome TBD' });
      continue;
    }
    const epoch = row.get('Start Time Epoch').trim();
    const time = parseUtc(row.get('Start Time')) ?? (/^\d{10,13}$/.test(epoch) ? Number(epoch) * (epoch.length <= 10 ? 1000 : 1) : undefined);
    if (time === undefined) {
      problems.push({ line: row.line, message: `the row has no readable "Start Time" (${JSON.stringify(row.get('Start Time'))})` });
      continue;
    }
    let techniques = row
      .get('MitreID')
      .split(/[\s,;]+/)
      .filter(Boolean)
      .map((t) => t.toUpperCase());
    const bad = techniques.find((t) => !TECHNIQUE.test(t));
    if (bad) {
      problems.push({ line: row.line, message: `MitreID ${JSON.stringify(bad)} is not an ATT&CK technique id` });
      continue;
    }
    const method = row.get('Method').trim();
    if (!techniques.length) {
      if (!index) {
        needsNames = true;
        skipped.push({ line: row.line, reason: 'no MitreID (technique names not loaded)', detail: method });
        continue;
      }
      const ids = index.get(method.replace(/\s+/g, ' ').toLowerCase()) ?? [];
      if (ids.length !== 1) {
        skipped.push({
          line: row.line,
          reason: ids.length ? 'no MitreID; Method names several techniques' : 'no MitreID; Method is not a technique name',
          detail: ids.length ? `${method}: ${ids.join(', ')}` : method,
        });
        continue;
      }
      techniques = ids;
    }
    const variant = row.get('Variant').trim();
    const host = row.get('TargetAssets').trim();
    const notes = [
      row.get('Campaign').trim() && `campaign ${row.get('Campaign').trim()}`,
      outcome !== 'not-detected' && row.get('DetectingTools').trim() && `detecting tools: ${row.get('DetectingTools').trim()}`,
    ].filter(Boolean);
    for (const technique of techniques) {
      lines.push(row.line);
      records.push({
        technique,
        date: isoSeconds(time),
        outcome,
        test: { type: 'vectr', ...(variant ? { name: variant } : {}) },
        // One asset is a host; a list of them is kept in notes.
        ...(host && !host.includes(',') ? { host } : {}),
        ...(notes.length || host.includes(',') ? { notes: [...notes, host.includes(',') ? `targets ${host}` : ''].filter(Boolean).join('; ') } : {}),
      });
    }
  }
  return { records, lines, skipped, problems, read: table.records.length, tally, needsNames };
}
