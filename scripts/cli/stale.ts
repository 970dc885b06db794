/**
 * `tidemark stale`: group reviews past their age, emulation evidence that lapses within 30 days,
 * and a pinned ATT&CK release older than the newest; `--open-issues` files them on GitHub.
 */
import { octokitIssues, issuesTarget } from '../github/octokit-issues.js';
import { syncIssues } from '../stale/issues.js';
import { renderText } from '../stale/render.js';
import { HORIZON_DAYS, runStale } from '../stale/run.js';
import { EXIT, UsageError, type Command } from './command.js';
import { formatFindings } from './findings-output.js';

const FORMATS = ['text', 'json'] as const;

export const staleCommand: Command = {
  name: 'stale',
  summary: 'Expired group reviews, lapsing emulation evidence, an outdated ATT&CK pin; --open-issues files them',
  usage: 'stale [--open-issues] [--skip-release-check] [--format text|json] [--now DATE] [--attack-file PATH] [--repo DIR]',
  help: [
    'Reports, at --now (default: the current time):',
    '  - group profiles whose `reviewed` is older than policy.review_max_age_days;',
    `  - techniques whose emulation evidence lapses within ${HORIZON_DAYS} days (every result that is fresh`,
    '    now is older than policy.validation_max_age_days by then), with the state they fall to, and',
    '    techniques whose evidence has already lapsed;',
    '  - the pinned ATT&CK release, when the release index (TIDEMARK_ATTACK_MIRROR/index.json, else',
    '    the network) lists a newer one. --skip-release-check leaves this out.',
    '',
    '--open-issues files one GitHub issue per finding (label tidemark-stale, with a hidden',
    'fingerprint), never twice for the same finding, and closes with a comment the open ones that no',
    'longer apply. It reads GITHUB_TOKEN, GITHUB_REPOSITORY (owner/name) and GITHUB_API_URL.',
    '',
    'Exit codes: 0 nothing stale, 1 something stale (or the repository cannot be evaluated),',
    '2 usage, ATT&CK data or release index unavailable, or GitHub failed.',
  ].join('\n'),
  options: {
    'open-issues': { type: 'boolean' },
    'skip-release-check': { type: 'boolean' },
    format: { type: 'string' },
    'attack-file': { type: 'string' },
  },
  async run({ values, repoDir, now, io, env }) {
    const format = (values.format ?? 'text') as (typeof FORMATS)[number];
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${String(values.format)}".`);
    const target = values['open-issues'] ? issuesTarget(env) : undefined;
    if (target && 'problem' in target) throw new UsageError(`--open-issues: ${target.problem}`);

    const outcome = await runStale({
      repoDir,
      now,
      env,
      attackFile: values['attack-file'] as string | undefined,
      releaseCheck: values['skip-release-check'] !== true,
    });
    if (!outcome.evaluated) {
      const errors = outcome.findings.filter((f) => f.severity === 'error');
      io.err(formatFindings(errors, 'text'));
      io.err('stale: the repository cannot be evaluated; fix the errors above first. No issue was filed or closed.');
      return EXIT.failed;
    }
    const { result } = outcome;
    io.out(format === 'json' ? JSON.stringify(result, null, 2) : renderText(result));

    if (target && 'target' in target) {
      const sync = await syncIssues(octokitIssues(target.target), result).catch((error: unknown) => {
        throw new UsageError(`--open-issues: could not list the open issues: ${error instanceof Error ? error.message : String(error)}`);
      });
      for (const c of sync.created) io.err(`opened #${c.number}: ${c.title}`);
      for (const c of sync.closed) io.err(`closed #${c.number} (${c.fingerprint}): no longer stale`);
      if (sync.open.length) io.err(`${sync.open.length} already open: ${sync.open.map((o) => `#${o.number}`).join(', ')}`);
      if (sync.failures.length) {
        for (const f of sync.failures) io.err(`--open-issues: ${f}`);
        return EXIT.usage;
      }
    }
    return result.findings.length ? EXIT.failed : EXIT.ok;
  },
};
