import { relative, resolve } from 'node:path';
import { computeHistory, writeJson } from '../history/index.js';
import { EXIT, type Command } from './command.js';

export const historyCommand: Command = {
  name: 'history',
  summary: 'Compute the coverage score of every commit that changed content, for the site trend',
  usage: 'history [--ref REF] [--out FILE] [--cache FILE] [--no-cache] [--attack-file PATH] [--repo DIR]',
  help: [
    'Walks the first-parent history of --ref (default HEAD), evaluates each commit that changed',
    'tidemark.yaml, groups/, detections/, controls/ or coverage/ at its own commit date, and writes',
    '[{commit, date, score, states, overlay}] oldest first to --out (default build/history.json).',
    'Points are cached by commit in --cache (default build/history-cache.json): a second run only',
    'evaluates new commits, and between commits only the changed files are read.',
    'Commits whose content cannot be evaluated are left out and listed.',
    '',
    'Exit codes: 0 written, 2 usage, not a git repository, or ATT&CK data unavailable.',
  ].join('\n'),
  options: {
    ref: { type: 'string' },
    out: { type: 'string' },
    cache: { type: 'string' },
    'no-cache': { type: 'boolean' },
    'attack-file': { type: 'string' },
  },
  async run({ values, repoDir, io, env }) {
    const out = resolve(repoDir, (values.out as string | undefined) ?? 'build/history.json');
    const cachePath = values['no-cache'] ? undefined : resolve(repoDir, (values.cache as string | undefined) ?? 'build/history-cache.json');
    const result = await computeHistory({
      repoDir,
      env,
      ref: values.ref as string | undefined,
      cachePath,
      attackFile: values['attack-file'] as string | undefined,
    });
    await writeJson(out, result.points);
    for (const s of result.skipped) io.err(`history: skipped ${s.commit.slice(0, 10)} (${s.date.slice(0, 10)}): ${s.skipped}`);
    const last = result.points.at(-1);
    io.out(
      `history: ${result.points.length} point${result.points.length === 1 ? '' : 's'} (${result.evaluated} evaluated, ${result.reused} from cache)` +
        `${last ? `, latest score ${(last.score * 100).toFixed(1)}%` : ''} → ${relative(process.cwd(), out) || out}`,
    );
    return EXIT.ok;
  },
};
