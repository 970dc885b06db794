/**
 * `tidemark attack diff A B` and `tidemark attack upgrade --to V [--write]`: what a change of
 * ATT&CK release does to this repository, and the change itself.
 */
import { renderMarkdown, renderText } from '../upgrade/render.js';
import { runUpgrade } from '../upgrade/run.js';
import { EXIT, UsageError, type Command } from './command.js';

const FORMATS = ['text', 'markdown', 'json'] as const;
type Format = (typeof FORMATS)[number];
const VERSION = /^\d+(?:\.\d+)*$/;

function parseFormat(value: unknown): Format {
  const format = value ?? 'text';
  if (!FORMATS.includes(format as Format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${String(format)}".`);
  return format as Format;
}

function version(value: string, what: string, allowLatest = false): string {
  if (VERSION.test(value) || (allowLatest && value === 'latest')) return value;
  throw new UsageError(`${what} ${JSON.stringify(value)} is not an ATT&CK release; write it like 18.1${allowLatest ? ' (or latest)' : ''}.`);
}

export const attackCommand: Command = {
  name: 'attack',
  summary: 'What a change of ATT&CK release does to this repository; move the pin (diff, upgrade)',
  usage: 'attack diff A B | attack upgrade --to V|latest [--write] [--format text|markdown|json] [--now DATE] [--repo DIR]',
  help: [
    'attack diff A B       Compares two releases of the pinned domain: techniques added, revoked (with',
    '                      their replacement), deprecated, renamed, moved between tactics, with changed',
    '                      platforms; the techniques each profiled group gains or loses; every file, line',
    '                      and column of this repository that refers to an affected id; and the coverage',
    '                      score and states evaluated at A and at B (at --now).',
    'attack upgrade --to V The same report from the pinned release to V (latest: the newest in the',
    '                      ATT&CK release index). With --write, tidemark.yaml is pinned to V and every',
    '                      revoked id used as a value (native ids and Sigma tags such as attack.t1086)',
    '                      is replaced by its replacement; only those tokens change, and the files are',
    '                      written all or none. Deprecated ids and ids revoked without a replacement are',
    '                      listed for a person.',
    '',
    '--format text|markdown|json   markdown is a pull-request body.',
    'ATT&CK data comes from TIDEMARK_ATTACK_MIRROR, the cache (.cache/attack) or a download.',
    '',
    'Exit codes: 0 done, 1 ids in use need a person (deprecated, or revoked without a replacement),',
    '2 usage, ATT&CK data unavailable, or a file could not be written.',
  ].join('\n'),
  options: { to: { type: 'string' }, write: { type: 'boolean' }, format: { type: 'string' } },
  async run({ values, positionals, repoDir, now, io, env }) {
    const [sub, ...rest] = positionals;
    const format = parseFormat(values.format);
    let request;
    if (sub === 'diff') {
      if (rest.length !== 2) throw new UsageError('attack diff needs two releases: attack diff 17.1 18.1');
      if (values.to !== undefined || values.write) throw new UsageError('--to and --write belong to "attack upgrade"; "attack diff" only reports.');
      request = { from: version(rest[0], 'release'), to: version(rest[1], 'release') };
    } else if (sub === 'upgrade') {
      if (rest.length) throw new UsageError(`attack upgrade takes no positional arguments (got ${rest.join(' ')}); use --to V.`);
      if (typeof values.to !== 'string') throw new UsageError('attack upgrade needs --to V (a release such as 18.1, or latest).');
      request = { to: version(values.to, '--to', true), write: values.write === true };
    } else {
      throw new UsageError(sub === undefined ? 'say what to do: attack diff A B, or attack upgrade --to V' : `unknown subcommand "${sub}"; use diff or upgrade.`);
    }
    const { report, warnings } = await runUpgrade({ repoDir, now, env, ...request });
    for (const w of warnings) io.err(`warning: ${w}`);
    const mode = sub === 'upgrade' ? 'upgrade' : 'diff';
    if (format === 'json') io.out(JSON.stringify(report, null, 2));
    else if (format === 'markdown') io.out(renderMarkdown(report, { mode }));
    else io.out(renderText(report, { mode }));
    return report.manual.length ? EXIT.failed : EXIT.ok;
  },
};
