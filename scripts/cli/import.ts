/** `tidemark import <kind> FILE`: emulation results into coverage/validations/ (SPEC §8, §12), and content from other tools. */
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { AttackDataError, loadCatalog } from '../catalog/source.js';
import { catalogRequest } from '../pipeline.js';
import type { Catalog } from '../catalog/types.js';
import type { ContentKind } from '../import/content.js';
import { dettectKind } from '../import/dettect.js';
import { mappingsExplorerKind } from '../import/mappings-explorer.js';
import { navigatorKind } from '../import/navigator.js';
import { IMPORT_KINDS, runImport, type ImportKind, type ImportReport } from '../import/run.js';
import { parseDuration, utcDay } from '../import/time.js';
import { isObject, str } from '../import/json.js';
import { OUTCOMES, type Outcome } from '../model/schemas.js';
import { EXIT, UsageError, type Command, type CommandContext } from './command.js';

const DEFAULT_WINDOW = '15m';

/** Kinds that bring content (controls, telemetry, detections, groups) rather than emulation results. */
const CONTENT_KINDS: Record<string, ContentKind> = {
  'mappings-explorer': mappingsExplorerKind,
  dettect: dettectKind,
  navigator: navigatorKind,
};

/** The pinned catalog, or another release of a domain (`release`), from the sources of SPEC §2. */
async function catalogFor({ repoDir, env, values }: CommandContext, release?: { domain: string; version: string }): Promise<Catalog> {
  const config = await readFile(join(repoDir, 'tidemark.yaml'), 'utf8').then(
    (text) => parse(text) as unknown,
    () => undefined,
  );
  const attack = isObject(config) && isObject(config.attack) ? config.attack : undefined;
  const version = str(attack?.version);
  if (!version) throw new UsageError(`no ATT&CK pin (attack.version in ${join(repoDir, 'tidemark.yaml')})`);
  const pin = { domain: release?.domain ?? str(attack?.domain) ?? 'enterprise-attack', version: release?.version ?? version, sha256: release ? undefined : str(attack?.sha256) };
  const attackFile = !release && typeof values['attack-file'] === 'string' ? resolve(values['attack-file']) : undefined;
  return (await loadCatalog(catalogRequest(pin, { repoDir, env, attackFile }))).catalog;
}

/** Technique names of the pinned release, for VECTR rows that name a technique instead of its id. */
async function catalogNames(ctx: CommandContext): Promise<Record<string, string>> {
  const catalog = await catalogFor(ctx);
  return Object.fromEntries(Object.values(catalog.techniques).map((t) => [t.id, t.name]));
}

async function runContent(kind: string, spec: ContentKind, file: string, ctx: CommandContext): Promise<number> {
  const { values, repoDir, now, io } = ctx;
  for (const flag of ['alerts', 'window', 'outcome'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} applies to emulation results, not to ${kind}`);
  }
  for (const flag of ['write', 'threshold'] as const) {
    if (values[flag] !== undefined && !spec.flags.includes(flag)) throw new UsageError(`--${flag} does not apply to ${kind}`);
  }
  let threshold: number | undefined;
  if (values.threshold !== undefined) {
    threshold = Number(values.threshold);
    if (String(values.threshold).trim() === '' || !Number.isFinite(threshold)) throw new UsageError(`--threshold must be a number, not "${String(values.threshold)}"`);
  }
  let pinned: Promise<Catalog> | undefined;
  const outcome = await spec.run({
    file: resolve(file),
    repoDir,
    now,
    dryRun: values['dry-run'] === true,
    write: values.write === true,
    threshold,
    pinned: () => (pinned ??= catalogFor(ctx)),
    release: (domain, version) =>
      catalogFor(ctx, { domain, version }).catch((error: unknown) => {
        if (error instanceof UsageError || error instanceof AttackDataError) return { unavailable: error.message.split('\n')[0] };
        throw error;
      }),
  });
  for (const line of outcome.err) io.err(line);
  if (outcome.out.length) io.out(outcome.out.join('\n'));
  return outcome.code === 0 ? EXIT.ok : EXIT.failed;
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
    // Appended in place: copying per entry is quadratic, and a re-import skips every row.
    const add = (map: Map<string, number[]>, key: string, line: number) => void (map.get(key)?.push(line) ?? map.set(key, [line]));
    for (const s of report.skipped) add(reasons, s.reason, s.line);
    out.push(`skipped ${count(report.skipped.length, 'entry', 'entries')}:`);
    for (const [reason, lines] of [...reasons].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))) {
      out.push(`  ${lines.length} ${reason} (line${lines.length === 1 ? '' : 's'} ${lineList(lines)})`);
    }
    // Techniques that could not be named: which names, so the export can be fixed at the source.
    const unresolved = new Map<string, number[]>();
    for (const s of report.skipped) if (s.reason.startsWith('no MitreID') && s.detail) add(unresolved, s.detail, s.line);
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
  summary: 'Import emulation results (Atomic Red Team, CALDERA, VECTR) and content from other tools (Mappings Explorer, DeTT&CT, Navigator)',
  usage:
    'import <atomic|caldera|vectr> FILE [--alerts FILE [--window 15m] | --outcome detected|not-detected|blocked] [--dry-run] [--repo DIR] [--now DATE]\n' +
    '       tidemark import <mappings-explorer [--write] | dettect | navigator [--threshold N]> FILE [--dry-run] [--repo DIR] [--now DATE]',
  help: [
    'Kinds:',
    ...Object.entries(IMPORT_KINDS).map(([kind, spec]) => `  ${kind.padEnd(17)} ${spec.describes}`),
    ...Object.entries(CONTENT_KINDS).map(([kind, spec]) => `  ${kind.padEnd(17)} ${spec.describes}`),
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
    'mappings-explorer prints, per control, the techniques its compliance ids mitigate that it does not',
    'list yet (ATT&CK ids of the mapping\'s release translated to the pinned one); --write adds them to the',
    'controls\' techniques, keeping the files\' layout. dettect and navigator write new files (detections/dettect/,',
    'groups/) and add sources to coverage/telemetry.yaml; an existing file or id with other content is never',
    'overwritten: the import stops and writes nothing. See scripts/compliance/README.md.',
    '',
    'Exit codes: 0 imported (or nothing new), 1 the input has problems or the repository holds conflicting',
    'content (nothing written, each shown), 2 usage error or ATT&CK data unavailable.',
  ].join('\n'),
  options: {
    alerts: { type: 'string' },
    window: { type: 'string' },
    outcome: { type: 'string' },
    'attack-file': { type: 'string' },
    'dry-run': { type: 'boolean' },
    write: { type: 'boolean' },
    threshold: { type: 'string' },
  },
  async run(ctx) {
    const { values, positionals, repoDir, now, io } = ctx;
    const [kind, file, ...extra] = positionals;
    const kinds = [...Object.keys(IMPORT_KINDS), ...Object.keys(CONTENT_KINDS)].join(', ');
    if (!kind) throw new UsageError(`say what to import: one of ${kinds}, then the file`);
    if (!Object.hasOwn(IMPORT_KINDS, kind) && !Object.hasOwn(CONTENT_KINDS, kind)) throw new UsageError(`unknown kind "${kind}"; use one of ${kinds}`);
    if (!file) throw new UsageError(`name the ${kind} file to import`);
    if (extra.length) throw new UsageError(`one file at a time; unexpected ${extra.map((e) => `"${e}"`).join(' ')}`);
    if (Object.hasOwn(CONTENT_KINDS, kind)) return runContent(kind, CONTENT_KINDS[kind], file, ctx);
    if (values.write !== undefined || values.threshold !== undefined) throw new UsageError(`--write and --threshold do not apply to ${kind}`);
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
