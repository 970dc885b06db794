/** `tidemark import <kind> FILE`: emulation results into coverage/validations/ (SPEC §8, §12). */
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { AttackDataError, loadCatalog } from '../catalog/source.js';
import { IMPORT_KINDS, runImport, type ImportKind, type ImportReport } from '../import/run.js';
import { parseDuration, utcDay } from '../import/time.js';
import { isObject, str } from '../import/json.js';
import { OUTCOMES, type Outcome } from '../model/schemas.js';
import { EXIT, UsageError, type Command, type CommandContext } from './command.js';

const DEFAULT_WINDOW = '15m';

/** Technique names of the pinned release, for VECTR rows that name a technique instead of its id. */
async function catalogNames({ repoDir, env, values }: CommandContext): Promise<Record<string, string>> {
  const config = await readFile(join(repoDir, 'tidemark.yaml'), 'utf8').then(
    (text) => parse(text) as unknown,
    () => undefined,
  );
  const attack = isObject(config) && isObject(config.attack) ? config.attack : undefined;
  const version = str(attack?.version);
  if (!version) throw new UsageError(`no ATT&CK pin (attack.version in ${join(repoDir, 'tidemark.yaml')}) to resolve technique names with`);
  try {
    const { catalog } = await loadCatalog({
      domain: str(attack?.domain) ?? 'enterprise-attack',
      version,
      sha256: str(attack?.sha256),
      attackFile: typeof values['attack-file'] === 'string' ? resolve(values['attack-file']) : undefined,
      mirror: env.TIDEMARK_ATTACK_MIRROR,
      cacheDir: join(repoDir, '.cache', 'attack'),
    });
    return Object.fromEntries(Object.values(catalog.techniques).map((t) => [t.id, t.name]));
  } catch (error) {
    if (error instanceof AttackDataError) throw new UsageError(error.message);
    throw error;
  }
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const MAX_LINES_LISTED = 12;

function lineList(lines: number[]): string {
  const shown = lines.slice(0, MAX_LINES_LISTED).join(', ');
  return lines.length > MAX_LINES_LISTED ? `${shown}, … (${lines.length - MAX_LINES_LISTED} more)` : shown;
}

export function formatSummary(report: ImportReport, repoDir: string, dryRun: boolean): string {
  const out: string[] = [];
  const input = relative(process.cwd(), report.file) || report.file;
  const tally = report.tally && Object.keys(report.tally).length
    ? ` (${Object.entries(report.tally).map(([k, n]) => `${k} ${n}`).join(', ')})`
    : '';
  out.push(`read ${count(report.read, 'entry', 'entries')} from ${input}${tally}`);
  if (report.written.length) {
    const byOutcome = OUTCOMES.map((o) => [o, report.written.filter((r) => r.outcome === o).length] as const).filter(([, n]) => n);
    const where = relative(process.cwd(), join(repoDir, report.target!)) || report.target!;
    out.push(
      `${dryRun ? 'would write' : report.appended ? 'appended' : 'wrote'} ${count(report.written.length, 'record')} to ${where}: ${byOutcome.map(([o, n]) => `${n} ${o}`).join(', ')}`,
    );
  } else out.push('wrote nothing: no new records');
  if (report.skipped.length) {
    const reasons = new Map<string, number[]>();
    for (const s of report.skipped) reasons.set(s.reason, [...(reasons.get(s.reason) ?? []), s.line]);
    out.push(`skipped ${count(report.skipped.length, 'entry', 'entries')}:`);
    for (const [reason, lines] of [...reasons].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))) {
      out.push(`  ${lines.length} ${reason} (line${lines.length === 1 ? '' : 's'} ${lineList(lines)})`);
    }
    // Techniques that could not be named: which names, so the export can be fixed at the source.
    const unresolved = new Map<string, number[]>();
    for (const s of report.skipped) if (s.reason.startsWith('no MitreID') && s.detail) unresolved.set(s.detail, [...(unresolved.get(s.detail) ?? []), s.line]);
    for (const [detail, lines] of unresolved) out.push(`    ${detail}: line${lines.length === 1 ? '' : 's'} ${lineList(lines)}`);
  }
  if (report.foreignRules.length) {
    out.push(`note: alerts from ${report.foreignRules.join(', ')} matched runs but are not detections in this repository; kept in notes, not as "detection"`);
  }
  for (const file of report.unreadable) out.push(`note: ${file} does not parse, so its records were not checked for duplicates (run tidemark validate)`);
  return out.join('\n');
}

export const importCommand: Command = {
  name: 'import',
  summary: 'Import emulation results (Atomic Red Team, CALDERA, VECTR) into coverage/validations/',
  usage: 'import <atomic|caldera|vectr> FILE [--alerts FILE [--window 15m] | --outcome detected|not-detected|blocked] [--dry-run] [--repo DIR] [--now DATE]',
  help: [
    'Kinds:',
    ...Object.entries(IMPORT_KINDS).map(([kind, spec]) => `  ${kind.padEnd(8)} ${spec.describes}`),
    '',
    'atomic and caldera runs get their outcome from alerts: --alerts FILE (CSV with a header, or JSON',
    'lines: time, host, rule or detection, optional technique; times without a zone are UTC). A run is',
    'detected when an alert on the same host (any case; a short name matches its FQDN), within --window',
    '(90s, 15m, 1h; default 15m) after the run started, comes from a detection mapped to the run\'s',
    'technique (named by the alert, or by the detection in detections/); otherwise not-detected. Exit',
    'codes and timeouts are kept in notes, never taken as outcomes. Without alerts, --outcome must say',
    'what happened to every run. CALDERA cleanup links and links that never ran are skipped.',
    'vectr exports carry their own outcome (TBD rows are skipped); a row without MitreID is resolved',
    'from the technique name in Method using the pinned ATT&CK release (--attack-file PATH to point at it).',
    '',
    'Writes coverage/validations/<kind>-<day>.yaml (day: the latest run\'s UTC day, or --now), whole or',
    'not at all. Results already in coverage/validations/ (same technique, date, test, host, outcome)',
    'are not written again, so importing the same file twice adds nothing.',
    '',
    'Exit codes: 0 imported (or nothing new), 1 the input has problems (nothing written, each shown',
    'with its line), 2 usage error or ATT&CK data unavailable.',
  ].join('\n'),
  options: {
    alerts: { type: 'string' },
    window: { type: 'string' },
    outcome: { type: 'string' },
    'attack-file': { type: 'string' },
    'dry-run': { type: 'boolean' },
  },
  async run(ctx) {
    const { values, positionals, repoDir, now, io } = ctx;
    const [kind, file, ...extra] = positionals;
    const kinds = Object.keys(IMPORT_KINDS).join(', ');
    if (!kind) throw new UsageError(`say what to import: one of ${kinds}, then the file`);
    if (!(kind in IMPORT_KINDS)) throw new UsageError(`unknown kind "${kind}"; use one of ${kinds}`);
    if (!file) throw new UsageError(`name the ${kind} file to import`);
    if (extra.length) throw new UsageError(`one file at a time; unexpected ${extra.map((e) => `"${e}"`).join(' ')}`);
    const spec = IMPORT_KINDS[kind as ImportKind];
    const alerts = values.alerts as string | undefined;
    const outcome = values.outcome as string | undefined;
    const window = values.window as string | undefined;
    if (!spec.usesAlerts && (alerts || outcome || window)) {
      throw new UsageError(`${kind} exports carry their own outcome; --alerts, --window and --outcome do not apply`);
    }
    if (spec.usesAlerts && !alerts && !outcome) {
      throw new UsageError(
        `${kind} logs say whether a test ran, not whether it was detected: give --alerts FILE to match runs to alerts, or --outcome detected|not-detected|blocked to set the outcome of every run`,
      );
    }
    if (alerts && outcome) throw new UsageError('give --alerts or --outcome, not both');
    if (outcome && !OUTCOMES.includes(outcome as Outcome)) throw new UsageError(`--outcome must be one of ${OUTCOMES.join(', ')}, not "${outcome}"`);
    if (window && !alerts) throw new UsageError('--window applies only with --alerts');
    const windowMs = parseDuration(window ?? DEFAULT_WINDOW);
    if (windowMs === undefined) throw new UsageError(`--window "${window}" is not a duration; write e.g. 90s, 15m or 1h`);
    const dryRun = values['dry-run'] === true;
    const report = await runImport({
      kind: kind as ImportKind,
      file: resolve(file),
      repoDir,
      alertsFile: alerts ? resolve(alerts) : undefined,
      outcome: outcome as Outcome | undefined,
      windowMs,
      day: values.now !== undefined ? utcDay(now.getTime()) : undefined,
      dryRun,
      techniqueNames: () => catalogNames(ctx),
    });
    if (report.problems.length) {
      for (const p of report.problems) io.err(`${relative(process.cwd(), p.file) || p.file}:${p.line}: ${p.message}`);
      io.err(`nothing written: ${count(report.problems.length, 'problem')} in the input`);
      return EXIT.failed;
    }
    io.out(formatSummary(report, repoDir, dryRun));
    return EXIT.ok;
  },
};
