/**
 * `tidemark <command>`: dispatch, shared flags, and the single place where failures become exit
 * codes. Nothing below the CLI prints or exits.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT, UsageError, type Command, type CommandContext, type Io } from './command.js';
import { AttackDataError } from '../catalog/errors.js';
import { TOOL_VERSION } from '../model/version.js';
import { COMMANDS } from './commands.js';

const SHARED_OPTIONS = {
  repo: { type: 'string' },
  now: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Set when the reader of a stream went away (`tidemark validate | head`): nothing more is written to it. */
const closed = { stdout: false, stderr: false };

const stdio: Io = {
  out: (text) => void (closed.stdout || process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)),
  err: (text) => void (closed.stderr || process.stderr.write(text.endsWith('\n') ? text : `${text}\n`)),
};

/** A reader that stops early is not an error worth a stack trace: the command finishes and keeps its exit code. */
let pipesGuarded = false;
function guardPipes(): void {
  if (pipesGuarded) return;
  pipesGuarded = true;
  for (const name of ['stdout', 'stderr'] as const) {
    process[name].on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      closed[name] = true;
    });
  }
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'tidemark: threat-informed defense as code',
    '',
    'Usage: tidemark <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command accepts --repo DIR (default: current directory), --now DATE and --help.',
    'ATT&CK data: --attack-file PATH, or TIDEMARK_ATTACK_MIRROR=DIR|URL to work offline.',
  ].join('\n');
}

const commandHelp = (c: Command) => `Usage: tidemark ${c.usage}\n\n${c.summary}\n\n${c.help}`;

export function parseNow(value: string | undefined, fallback: Date): Date {
  if (value === undefined) return fallback;
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00Z` : value);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--now ${JSON.stringify(value)} is not a date; use YYYY-MM-DD or an ISO 8601 date-time.`);
  return date;
}

export async function main(argv: string[], io: Io = stdio, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (io === stdio) guardPipes();
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(overview());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version') {
    io.out(TOOL_VERSION);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`tidemark: unknown command "${name}".\n\n${overview()}`);
    return EXIT.usage;
  }
  try {
    const parsed = parseArgs({
      args: rest,
      options: { ...SHARED_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    const values = parsed.values as CommandContext['values'];
    const positionals = parsed.positionals;
    if (values.help) {
      io.out(commandHelp(command));
      return EXIT.ok;
    }
    const repoDir = resolve(typeof values.repo === 'string' ? values.repo : '.');
    const now = parseNow(typeof values.now === 'string' ? values.now : undefined, new Date());
    return await command.run({ values, positionals, repoDir, now, io, env });
  } catch (error) {
    return report(error, command, io);
  }
}

function report(error: unknown, command: Command, io: Io): number {
  if (error instanceof UsageError || isParseArgsError(error) || isKnownEnvironmentError(error)) {
    io.err(`tidemark ${command.name}: ${(error as Error).message}`);
    if (isParseArgsError(error)) io.err(`Run "tidemark ${command.name} --help" for usage.`);
    return EXIT.usage;
  }
  // A bug, not bad input: say so plainly, keep the trace out of the user's way unless asked for.
  const message = error instanceof Error ? error.message : String(error);
  io.err(`tidemark ${command.name}: internal error: ${message}\nPlease report it; set TIDEMARK_DEBUG=1 for details.`);
  if (process.env.TIDEMARK_DEBUG && error instanceof Error && error.stack) io.err(error.stack);
  return EXIT.usage;
}

const isParseArgsError = (error: unknown): boolean =>
  error instanceof TypeError && String((error as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS');

/** Errors from the environment (ATT&CK data unavailable, git missing): exit 2 with their message. */
const isKnownEnvironmentError = (error: unknown): boolean =>
  error instanceof AttackDataError || (error instanceof Error && (error as { exitCode?: number }).exitCode === EXIT.usage);
