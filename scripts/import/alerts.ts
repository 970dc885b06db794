/**
 * The outcome stage. An emulation run is `detected` only when an alert is matched to it (SPEC §8):
 * same host (case-insensitive; a short name also matches its FQDN, as `WS-0142` and
 * `ws-0142.corp.example`, since test logs and EDRs name hosts differently), raised within the window
 * after the run started (both ends included), by a detection that maps to the run's technique (one
 * the alert names itself, or one the repository's detection with that id maps). Every other run is
 * `not-detected`. Exit codes and timeouts never decide it.
 */
import { TECHNIQUE_ID, type Validation } from '../model/schemas.js';
import { readCsvTable } from './csv.js';
import { isObject, jsonLocator, str } from './json.js';
import { parseUtc } from './time.js';
import type { Alert, OutcomeSource, Problem, Run } from './types.js';

const TECHNIQUE = new RegExp(TECHNIQUE_ID);

function alertFrom(line: number, get: (key: string) => string | undefined, problems: Problem[]): Alert | undefined {
  const timeText = get('time');
  const host = get('host');
  const rule = get('rule') ?? get('detection');
  const missing = [!timeText && 'time', !host && 'host', !rule && 'rule (or detection)'].filter(Boolean);
  if (missing.length) {
    problems.push({ line, message: `the alert has no ${missing.join(', ')}` });
    return undefined;
  }
  const time = parseUtc(timeText);
  if (time === undefined) {
    problems.push({ line, message: `alert time ${JSON.stringify(timeText)} is not an ISO 8601 date-time` });
    return undefined;
  }
  const techniques = (get('technique') ?? get('techniques') ?? '')
    .split(/[\s,;|]+/)
    .filter(Boolean)
    .map((t) => t.toUpperCase());
  const bad = techniques.find((t) => !TECHNIQUE.test(t));
  if (bad) {
    problems.push({ line, message: `alert technique ${JSON.stringify(bad)} is not an ATT&CK technique id (T1234 or T1234.001)` });
    return undefined;
  }
  return { line, time, host: host!, rule: rule!, techniques };
}

/** Alerts from CSV with a header, JSON lines, or a JSON array: `time`, `host`, `rule` or `detection`, optional `technique`. */
export function parseAlerts(text: string): { alerts: Alert[]; problems: Problem[] } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const alerts: Alert[] = [];
  const problems: Problem[] = [];
  const first = body.trimStart()[0];
  if (first === '{' || first === '[') {
    const lines = body.split('\n');
    const entries: { line: number; value: unknown }[] = [];
    if (first === '[') {
      try {
        // Each alert on the line it starts on (not its position in the array).
        const lineOf = jsonLocator(body);
        (JSON.parse(body) as unknown[]).forEach((value, i) => entries.push({ line: lineOf([i]), value }));
      } catch (error) {
        problems.push({ line: 1, message: `the alerts file is not valid JSON: ${(error as Error).message}` });
      }
    } else {
      lines.forEach((raw, i) => {
        if (!raw.trim()) return;
        try {
          entries.push({ line: i + 1, value: JSON.parse(raw) });
        } catch {
          problems.push({ line: i + 1, message: 'this line is not a JSON object (alerts as JSON lines: one object per line)' });
        }
      });
    }
    for (const { line, value } of entries) {
      if (!isObject(value)) {
        problems.push({ line, message: 'an alert must be a JSON object' });
        continue;
      }
      const get = (key: string) => {
        const v = value[key];
        return Array.isArray(v) ? v.map(str).filter(Boolean).join(',') || undefined : str(v);
      };
      const alert = alertFrom(line, get, problems);
      if (alert) alerts.push(alert);
    }
    return { alerts, problems: problems.sort((a, b) => a.line - b.line) };
  }
  const table = readCsvTable(body, ['time', 'host', 'rule|detection'], 'alerts file');
  problems.push(...table.problems);
  for (const record of table.records) {
    const alert = alertFrom(record.line, (key) => record.get(key).trim() || undefined, problems);
    if (alert) alerts.push(alert);
  }
  return { alerts, problems };
}

export interface Decided {
  records: Validation[];
  /** Alert rules that are not detections of this repository (kept in notes, not as `detection`). */
  foreignRules: string[];
}

/** Gives every run its outcome and turns it into a record. */
export function decideOutcomes(runs: readonly Run[], source: OutcomeSource): Decided {
  const foreign = new Set<string>();
  if (source.kind === 'fixed') return { records: runs.map((run) => toRecord(run, source.outcome)), foreignRules: [] };
  const byLowerId = new Map(Object.keys(source.detections).map((id) => [id.toLowerCase(), id]));
  // Alerts by short host name; the full names are compared after.
  const byHost = new Map<string, Alert[]>();
  for (const alert of source.alerts) {
    const key = shortHost(alert.host);
    const list = byHost.get(key);
    // Appended in place: copying the list per alert is quadratic in the alerts of one host.
    if (list) list.push(alert);
    else byHost.set(key, [alert]);
  }
  const covers = (alert: Alert, technique: string): boolean => {
    if (alert.techniques.includes(technique)) return true;
    const id = byLowerId.get(alert.rule.toLowerCase());
    return id !== undefined && source.detections[id].includes(technique);
  };
  const records = runs.map((run) => {
    const start = Date.parse(run.start);
    const match = (run.host ? (byHost.get(shortHost(run.host)) ?? []) : [])
      .filter((a) => sameHost(a.host, run.host!) && a.time >= start && a.time <= start + source.windowMs && covers(a, run.technique))
      .sort((a, b) => a.time - b.time || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0))[0];
    if (!match) return toRecord(run, 'not-detected');
    const detection = byLowerId.get(match.rule.toLowerCase());
    if (!detection) foreign.add(match.rule);
    return toRecord(run, 'detected', detection, detection ? undefined : `alert ${match.rule}`);
  });
  return { records, foreignRules: [...foreign].sort() };
}

const shortHost = (host: string): string => host.trim().toLowerCase().split('.')[0];

/** Equal ignoring case, or one is the short name of the other (no dot in it). */
export function sameHost(a: string, b: string): boolean {
  const x = a.trim().toLowerCase();
  const y = b.trim().toLowerCase();
  return x === y || (!x.includes('.') && y.split('.')[0] === x) || (!y.includes('.') && x.split('.')[0] === y);
}

function toRecord(run: Run, outcome: Validation['outcome'], detection?: string, alertNote?: string): Validation {
  const notes = [run.notes, alertNote].filter(Boolean).join('; ');
  return {
    technique: run.technique,
    date: run.start,
    outcome,
    ...(detection ? { detection } : {}),
    test: run.test,
    ...(run.host ? { host: run.host } : {}),
    ...(notes ? { notes } : {}),
  };
}
