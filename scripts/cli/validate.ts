import { hasErrors } from '../model/findings.js';
import { analyse, workingTree } from '../pipeline.js';
import { EXIT, type Command } from './command.js';
import { countLine, formatFindings, parseFormat } from './findings-output.js';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check every file against its schema and the pinned ATT&CK release',
  usage: 'validate [--format text|json|github] [--attack-file PATH] [--repo DIR]',
  help: [
    'Reads tidemark.yaml, groups/, detections/, controls/ and coverage/, checks their shape and every',
    'reference (techniques, groups, mitigations, data components, telemetry and detection ids).',
    'Findings print as `file:line:col severity code message`.',
    '',
    'Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage or ATT&CK data unavailable.',
  ].join('\n'),
  options: { format: { type: 'string' }, 'attack-file': { type: 'string' } },
  async run({ values, repoDir, now, io, env }) {
    const format = parseFormat(values.format);
    const attackFile = values['attack-file'] as string | undefined;
    const analysis = await analyse(workingTree(repoDir), { repoDir, now, env, attackFile, validateOnly: true });
    for (const w of analysis.attackWarnings ?? []) io.err(`warning: ${w}`);
    const shown = analysis.findings.filter((f) => f.severity !== 'info');
    if (format === 'json') io.out(formatFindings(shown, format));
    else {
      if (shown.length) io.out(formatFindings(shown, format));
      if (format === 'text') io.err(`${shown.length ? '' : 'valid: '}${countLine(shown)}`);
    }
    return hasErrors(analysis.findings) ? EXIT.failed : EXIT.ok;
  },
};
