/**
 * The hostile-input corpus (corpus.ts) against `validate`, `score` and `gate` on a real git
 * repository (base: the clean commit; head: the working tree with the hostile files added), and
 * against every `import` kind. Each case must end in a finding (with its line where one applies)
 * and exit 1 or 2, or exit 0 where the input is in fact valid; never a stack trace or an internal
 * error, never a hang (bounded time), bounded memory where the case is about size, and whatever
 * was written must still be inert and parseable.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../scripts/cli/commands.js';
import { CONTENT_KINDS, EMULATION_KINDS, importCases, repoCases, wrongTypeCases, type Cmd, type Exit, type ImportCase, type ImportKind, type RepoCase } from './corpus.js';
import { cleanRepo, cli, listFiles, measured, NOW, outputProblems, removeTemplate, STACK_TRACE, type CliRun } from './harness.js';

const tally = { repository: 0, imports: 0, runs: 0, failures: 0 };

afterAll(async () => {
  await removeTemplate();
  const cases = tally.repository + tally.imports;
  console.log(
    `hostile corpus: ${cases} cases (${tally.repository} repository cases against validate, score and gate; ${tally.imports} import cases), ${tally.runs} command runs, ${tally.failures} failures`,
  );
});

/** Counts the case and its outcome for the summary line. */
function counted(kind: 'repository' | 'imports', body: () => Promise<void>): () => Promise<void> {
  return async () => {
    tally[kind]++;
    try {
      await body();
    } catch (error) {
      tally.failures++;
      throw error;
    }
  };
}

/** What every printed output must satisfy, whatever the input. */
function expectClean(run: CliRun, what: string): void {
  const printed = run.stdout + run.stderr;
  expect(printed, `${what}: stack trace`).not.toMatch(STACK_TRACE);
  expect(run.stderr, `${what}: internal error`).not.toContain('internal error');
  expect(run.ms, `${what}: took ${run.ms} ms`).toBeLessThan(60_000);
  // Terminal control and forged workflow commands: a line may start with `::` only as tidemark's own annotation.
  expect(/[\u001b\u009b]/.test(printed), `${what}: raw escape sequence printed`).toBe(false);
  for (const line of printed.split(/\r?\n/)) {
    if (line.startsWith('::')) expect(line, `${what}: forged workflow command`).toMatch(/^::(error|warning|notice) file=[^,:\n]*(,line=\d+)?(,col=\d+)?,title=[^:]*::/);
  }
  tally.runs++;
}

const ARGS: Record<Cmd, (dir: string) => string[]> = {
  validate: (dir) => ['validate', '--repo', dir, '--format', 'json'],
  score: (dir) => ['score', '--repo', dir, '--now', NOW],
  gate: (dir) => ['gate', '--repo', dir, '--now', NOW, '--base', 'main', '--annotations'],
};

interface JsonFinding {
  file?: string;
  line?: number;
  code: string;
  message: string;
}

async function runRepoCase(c: RepoCase): Promise<void> {
  const dir = await cleanRepo();
  try {
    for (const [path, content] of Object.entries(c.files ?? {})) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    c.setup?.(dir);
    const expected: Record<Cmd, Exit> = { validate: c.exit, score: c.score ?? c.exit, gate: c.gate ?? c.exit };
    const runs: Partial<Record<Cmd, CliRun>> = {};
    // A case about size runs score and gate in child processes whose peak memory is measured, at
    // the same time as validate runs here.
    const commands = c.commands ?? (c.maxRssMb ? ['validate'] : ['validate', 'score', 'gate']);
    const children = c.maxRssMb
      ? {
          score: measured(['score', '--repo', dir, '--now', NOW, '--out', join(dir, 'build-score')]),
          gate: measured(['gate', '--repo', dir, '--now', NOW, '--base', 'main', '--out', join(dir, 'build-gate')]),
        }
      : undefined;
    for (const cmd of commands as Cmd[]) {
      const run = await cli([...ARGS[cmd](dir), ...(c.flags ?? [])]);
      runs[cmd] = run;
      expectClean(run, cmd);
      expect(run.code, `${cmd} exit code; stderr: ${run.stderr.slice(0, 600)}`).toBe(expected[cmd]);
      if (cmd === 'validate' && !c.generated && !c.maxRssMb) {
        // The text format too: what people and CI logs see.
        const text = await cli(['validate', '--repo', dir, ...(c.flags ?? [])]);
        expectClean(text, 'validate (text)');
        expect(text.code).toBe(expected.validate);
      }
    }
    if (c.finding && runs.validate) {
      const findings = JSON.parse(runs.validate.stdout || '[]') as JsonFinding[];
      const want = c.finding;
      const lines = want.line === undefined ? undefined : ([] as number[]).concat(want.line);
      const match = findings.find(
        (f) =>
          f.file === want.file &&
          (want.code === undefined || (typeof want.code === 'string' ? f.code === want.code : want.code.test(f.code))) &&
          (lines === undefined || lines.includes(f.line ?? -1)),
      );
      expect(match, `a finding ${JSON.stringify(want)} among ${JSON.stringify(findings.slice(0, 5)).slice(0, 1500)}`).toBeDefined();
    }
    if (runs.score && runs.score.code !== 2) expect(outputProblems(join(dir, 'build'))).toEqual([]);
    if (c.secret) {
      const printed = Object.values(runs).map((r) => r!.stdout + r!.stderr).join('\n');
      expect(printed.includes(c.secret), 'the secret was printed').toBe(false);
      for (const file of listFiles(join(dir, 'build'))) expect(readFileSync(join(dir, 'build', file), 'utf8').includes(c.secret), `the secret is in build/${file}`).toBe(false);
    }
    c.check?.(dir);
    if (children && c.maxRssMb) {
      for (const cmd of ['score', 'gate'] as const) {
        const m = await children[cmd];
        expect(m.stdout + m.stderr).not.toMatch(STACK_TRACE);
        expect(m.stderr).not.toContain('internal error');
        expect(m.code, `${cmd} exit code; stderr: ${m.stderr.slice(0, 600)}`).toBe(expected[cmd]);
        tally.runs++;
        if (m.code !== 2) expect(outputProblems(join(dir, `build-${cmd}`))).toEqual([]);
        expect(m.maxRssMb, `peak RSS of ${cmd}: ${m.maxRssMb.toFixed(0)} MB`).toBeLessThan(c.maxRssMb);
        console.log(`hostile corpus: ${c.name}: ${cmd} in a child process took ${(m.ms / 1000).toFixed(1)} s, peak RSS ${m.maxRssMb.toFixed(0)} MB`);
      }
    }
    expect(({} as Record<string, unknown>).polluted, 'Object.prototype polluted').toBeUndefined();
    expect(existsSync('/tmp/tidemark-pwned')).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runImportCase(c: ImportCase, kind: ImportKind): Promise<void> {
  const repo = await cleanRepo();
  const inputs = mkdtempSync(join(tmpdir(), 'tidemark-import-input-'));
  try {
    c.setup?.(repo);
    const content = c.input(kind);
    const file = join(inputs, c.fileName ?? (kind === 'dettect' ? 'input.yaml' : kind === 'atomic' || kind === 'vectr' ? 'input.csv' : 'input.json'));
    if (content === 'dir') mkdirSync(file);
    else if (content !== null) writeFileSync(file, content);
    const args = c.args?.(kind, repo) ?? (kind === 'atomic' || kind === 'caldera' ? ['--outcome', 'detected'] : []);
    const run = await cli(['import', kind, file, '--repo', repo, ...args]);
    expectClean(run, `import ${kind}`);
    const want = typeof c.exit === 'function' ? c.exit(kind as ImportKind) : c.exit;
    expect(run.code, `exit code; stderr: ${run.stderr.slice(0, 600)}`).toBe(want);
    expect(run.stderr.length, 'messages stay short whatever the input').toBeLessThan(20_000);
    if (c.line !== undefined) expect(run.stderr).toMatch(new RegExp(`:${c.line}: `));
    c.check?.(repo, kind);
    if (run.code === 0 && EMULATION_KINDS.includes(kind)) {
      // What an import writes is content tidemark itself reads back without a shape error.
      const validate = await cli(['validate', '--repo', repo, '--format', 'json']);
      const findings = JSON.parse(validate.stdout || '[]') as JsonFinding[];
      expect(findings.filter((f) => /^(schema|yaml-|file-)/.test(f.code))).toEqual([]);
    }
    expect(({} as Record<string, unknown>).polluted, 'Object.prototype polluted').toBeUndefined();
  } finally {
    rmSync(repo, { recursive: true, force: true });
    rmSync(inputs, { recursive: true, force: true });
  }
}

const ALL_REPO_CASES = [...repoCases(), ...wrongTypeCases()];
const isLarge = (c: RepoCase) => c.large === true || c.maxRssMb !== undefined;

// Small cases run a few at a time: each spends much of its time waiting for git.
describe.concurrent('hostile corpus: repository content against validate, score and gate', () => {
  for (const c of ALL_REPO_CASES.filter((c) => !isLarge(c))) it(c.name, counted('repository', () => runRepoCase(c)), 120_000);
});

describe('hostile corpus: large repository content against validate, score and gate (one at a time)', () => {
  for (const c of ALL_REPO_CASES.filter(isLarge)) it(c.name, counted('repository', () => runRepoCase(c)), 300_000);
});

/** Import cases whose input is megabytes: run alone. */
const LARGE_IMPORTS = /garbage|130,000 runs|100,000 alerts/;

describe('hostile corpus: every import kind', () => {
  const registered = COMMANDS.find((c) => c.name === 'import');
  it('import is a registered command', () => expect(registered).toBeDefined());

  for (const c of importCases()) {
    for (const kind of c.kinds) {
      const test = LARGE_IMPORTS.test(c.name) ? it : it.concurrent;
      test(
        `${c.name} [${kind}]`,
        counted('imports', () => runImportCase(c, kind)),
        120_000,
      );
    }
  }
  for (const kind of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    it(
      `import: a kind named after an Object.prototype member [${kind}]`,
      counted('imports', async () => {
        const repo = await cleanRepo();
        try {
          const input = join(repo, 'coverage', 'telemetry.yaml');
          const run = await cli(['import', kind, input, '--repo', repo]);
          expectClean(run, `import ${kind}`);
          expect(run.code).toBe(2);
          expect(run.stderr).toContain('unknown kind');
          expect(listFiles(join(repo, 'coverage', 'validations'))).toEqual(['2026.yaml']);
        } finally {
          rmSync(repo, { recursive: true, force: true });
        }
      }),
    );
  }
  it('covers every kind the import command offers', () => {
    const help = registered?.help ?? '';
    for (const kind of [...EMULATION_KINDS, ...CONTENT_KINDS]) expect(help).toContain(kind);
  });
});
