/**
 * The shape of a CLI command. Commands are thin shells: they parse flags, call the pipeline and
 * return an exit code; `main.ts` is the one place that turns errors into exit codes.
 */
import type { ParseArgsConfig } from 'node:util';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export interface CommandContext {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
  /** Absolute path of the repository (`--repo DIR`, default the current directory). */
  repoDir: string;
  /** `--now DATE`, default the current time. */
  now: Date;
  io: Io;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  name: string;
  summary: string;
  /** Usage line after `tidemark `, e.g. `validate [--format text|json|github]`. */
  usage: string;
  /** Longer help text: what it does and its exit codes. */
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(ctx: CommandContext): Promise<number>;
}

/** An error the user can fix (bad flag, missing data, not a git repository): exit 2, no stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}
