/**
 * `tidemark import <kind> FILE`: read the input, decide outcomes, drop what the repository already
 * holds, write one file whole. The only effects are reading the inputs and the repository and the
 * one atomic write at the end; nothing is written while the input has any problem.
 */
import { lstat, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UsageError } from '../cli/command.js';
import type { Outcome, Validation } from '../model/schemas.js';
import { MAX_FILE_BYTES } from '../load/reader.js';
import { writeFilesAtomic } from '../write/atomic.js';
import { decideOutcomes, parseAlerts } from './alerts.js';
import { readAtomicRuns } from './atomic.js';
import { readCalderaRuns } from './caldera.js';
import { readDetectionTechniques, readValidationFiles } from './repository.js';
import { utcDay } from './time.js';
import type { ImportResult, OutcomeSource, Problem, RunsResult, Skip } from './types.js';
import { parseVectr } from './vectr.js';
import { chooseTarget, newRecords } from './write.js';

export interface ImportRequest {
  kind: ImportKind;
  /** Absolute path of the input. */
  file: string;
  repoDir: string;
  /** One outcome for every run (atomic, caldera without alerts). */
  outcome?: Outcome;
  /** Absolute path of the alerts file (atomic, caldera). */
  alertsFile?: string;
  windowMs: number;
  /** UTC day naming the output file (from --now); default the latest run's day. */
  day?: string;
  dryRun?: boolean;
  /** ATT&CK technique names by id (VECTR rows without MitreID); called only when needed. */
  techniqueNames(): Promise<Record<string, string>>;
}

export interface FileProblem extends Problem {
  file: string;
}

export interface ImportReport {
  kind: ImportKind;
  file: string;
  /** Entries read from the input (rows, procedures, links). */
  read: number;
  /** Every record the input produced, before deduplication. */
  records: Validation[];
  /** The records written (or that would be, with dryRun). */
  written: Validation[];
  /** Repository-relative path of the file written. */
  target?: string;
  appended?: boolean;
  skipped: Skip[];
  problems: FileProblem[];
  /** Alert rules that are not detections of the repository (kept in notes). */
  foreignRules: string[];
  tally?: Record<string, number>;
  /** Files under coverage/validations/ that do not parse: their records could not be checked for duplicates. */
  unreadable: string[];
}

type Reader = (text: string) => RunsResult & { tally?: Record<string, number> };

/** The kinds of input, and what each needs. */
export const IMPORT_KINDS = {
  atomic: { usesAlerts: true, describes: 'Invoke-AtomicRedTeam CSV log or ATTiRe JSON log', read: readAtomicRuns as Reader },
  caldera: { usesAlerts: true, describes: 'CALDERA operation report or event log (JSON)', read: readCalderaRuns as Reader },
  vectr: { usesAlerts: false, describes: 'VECTR CSV export (outcomes from the file)', read: undefined },
} as const;
export type ImportKind = keyof typeof IMPORT_KINDS;

const bom = (bytes: Buffer): string => {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  return bytes.toString('utf8');
};

export async function readInput(path: string, what: string): Promise<string> {
  try {
    return bom(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (code ?? String(error));
    throw new UsageError(`cannot read ${what} ${path}: ${why}`);
  }
}

const tag = (file: string, problems: readonly Problem[]): FileProblem[] => problems.map((p) => ({ file, ...p }));

async function parseInput(req: ImportRequest, text: string): Promise<{ result: ImportResult; problems: FileProblem[]; foreignRules: string[] }> {
  const spec = IMPORT_KINDS[req.kind];
  if (!spec.read) {
    let result = parseVectr(text);
    if (result.needsNames && !result.problems.length) result = parseVectr(text, await req.techniqueNames());
    return { result, problems: tag(req.file, result.problems), foreignRules: [] };
  }
  const runs = spec.read(text);
  const problems = tag(req.file, runs.problems);
  let source: OutcomeSource;
  if (req.alertsFile) {
    const alerts = parseAlerts(await readInput(req.alertsFile, 'alerts file'));
    problems.push(...tag(req.alertsFile, alerts.problems));
    source = { kind: 'alerts', alerts: alerts.alerts, windowMs: req.windowMs, detections: await readDetectionTechniques(req.repoDir) };
  } else source = { kind: 'fixed', outcome: req.outcome ?? 'not-detected' };
  const decided = problems.length ? { records: [], foreignRules: [] } : decideOutcomes(runs.runs, source);
  return {
    result: { records: decided.records, lines: runs.runs.map((r) => r.line), skipped: runs.skipped, problems: runs.problems, read: runs.read, tally: runs.tally },
    problems,
    foreignRules: decided.foreignRules,
  };
}

export async function runImport(req: ImportRequest): Promise<ImportReport> {
  const text = await readInput(req.file, `${req.kind} input`);
  const { result, problems, foreignRules } = await parseInput(req, text);
  const report: ImportReport = {
    kind: req.kind,
    file: req.file,
    read: result.read,
    records: result.records,
    written: [],
    skipped: [...result.skipped],
    problems,
    foreignRules,
    tally: result.tally,
    unreadable: [],
  };
  if (problems.length) return report;
  const existing = await readValidationFiles(req.repoDir);
  report.unreadable = existing.filter((f) => !f.parsed).map((f) => f.path);
  const { fresh, present } = newRecords(result.records, existing);
  for (const { index, where } of present) report.skipped.push({ line: result.lines[index], reason: 'already recorded', detail: where });
  report.skipped.sort((a, b) => a.line - b.line);
  if (!fresh.length) return report;
  const written = fresh.map((i) => result.records[i]);
  // A loop, not Math.max(...): a spread of a few hundred thousand records overflows the stack.
  const day = req.day ?? utcDay(written.reduce((latest, r) => Math.max(latest, Date.parse(r.date)), -Infinity));
  const target = chooseTarget(req.kind, day, written, `tidemark import ${req.kind} ${basename(req.file)}: ${written.length} record(s)`, existing);
  // A file tidemark would then refuse to read (file-too-large) is not written at all.
  const bytes = Buffer.byteLength(target.text);
  if (bytes > MAX_FILE_BYTES) {
    const message = `the ${written.length} new records come to ${(bytes / 1048576).toFixed(1)} MiB in ${target.path}, over the ${MAX_FILE_BYTES / 1048576} MiB tidemark reads per content file; import the log in parts`;
    return { ...report, problems: [{ file: req.file, line: 1, message }] };
  }
  // chooseTarget knows only the files that could be read: one that is there but was not (over the
  // size limit, a link, unreadable) is never replaced by a new file of the same name.
  if (!target.appended && (await lstat(join(req.repoDir, target.path)).then(() => true, () => false))) {
    throw new UsageError(`${target.path} exists but could not be read (over the size limit, a link, or unreadable); it is not replaced, nothing written. Move it, or import with --now for another day.`);
  }
  // writeFilesAtomic also refuses a path that a link in the repository leads outside it.
  if (!req.dryRun) await writeFilesAtomic(req.repoDir, { [target.path]: target.text });
  return { ...report, written, target: target.path, appended: target.appended };
}
