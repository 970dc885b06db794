import { relative, resolve } from 'node:path';
import { renderOutputs } from '../emit/index.js';
import { hasErrors } from '../model/findings.js';
import { analyse, workingTree } from '../pipeline.js';
import { writeFilesAtomic } from '../write/atomic.js';
import { EXIT, type Command } from './command.js';
import { countLine, formatFindings, oneLine } from './findings-output.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export const scoreCommand: Command = {
  name: 'score',
  summary: 'Validate, then compute the coverage map, scores and gap backlog into build/',
  usage: 'score [--out DIR] [--now DATE] [--attack-file PATH] [--quiet] [--repo DIR]',
  help: [
    'Evaluates every technique of the overlay at --now (default: the current time) and writes',
    'report.json, backlog.csv, summary.md and ATT&CK Navigator layers (layers/) to --out',
    '(default: build/ in the repository). Identical inputs and --now give identical bytes.',
    '',
    'Exit codes: 0 written, 1 written but the content has errors, 2 usage or ATT&CK data unavailable.',
  ].join('\n'),
  options: { out: { type: 'string' }, 'attack-file': { type: 'string' }, quiet: { type: 'boolean', short: 'q' } },
  async run({ values, repoDir, now, io, env }) {
    const out = resolve(repoDir, (values.out as string | undefined) ?? 'build');
    const analysis = await analyse(workingTree(repoDir), { repoDir, now, env, attackFile: values['attack-file'] as string | undefined });
    for (const w of analysis.attackWarnings ?? []) io.err(`warning: ${w}`);
    const problems = analysis.findings.filter((f) => f.severity !== 'info');
    if (problems.length) io.err(formatFindings(problems, 'text'));
    const { report, catalog, config } = analysis;
    if (!report || !catalog || !config) {
      io.err(`score: nothing written; fix the errors above first (${countLine(problems)}).`);
      return EXIT.failed;
    }
    const dropped: string[] = [];
    const outputs = renderOutputs(report, catalog, config, dropped);
    for (const problem of dropped) io.err(`warning: ${problem}`);
    await writeFilesAtomic(out, outputs);
    if (!values.quiet) {
      const s = report.summary;
      const states = Object.entries(s.states)
        .filter(([, n]) => n > 0)
        .map(([state, n]) => `${state} ${n}`)
        .join(', ');
      const top = report.backlog.slice(0, 5).map((b, i) => `  ${i + 1}. ${b.id} ${oneLine(b.name)} (${b.state}, priority ${b.priority}): ${oneLine(b.action)}`);
      io.out(
        [
          `${oneLine(report.organisation.name)}: coverage score ${pct(s.score)} over ${s.overlay} techniques (ATT&CK ${report.attack.domain} ${report.attack.version})`,
          `States: ${states}`,
          `Gaps: ${s.gaps}; only detected or mitigated, never validated: ${pct(s.untested_coverage)}`,
          ...(top.length ? ['Top gaps:', ...top] : []),
          `Outputs: ${relative(process.cwd(), out) || '.'}/ (report.json, summary.md, backlog.csv, layers/)`,
        ].join('\n'),
      );
    }
    return hasErrors(analysis.findings) ? EXIT.failed : EXIT.ok;
  },
};
