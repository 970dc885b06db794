/**
 * `gate --base REF`, the composition: read the base from git objects, evaluate head (the working
 * tree) and base at the same `now`, compare, render. The one ATT&CK catalog is loaded once when
 * both revisions pin the same release.
 */
import { gitRevision } from '../load/git.js';
import type { Finding } from '../model/findings.js';
import { analyse, workingTree, type Analysis } from '../pipeline.js';
import { gateAnnotations, type Annotation } from './annotations.js';
import { compare } from './compare.js';
import { renderMarkdown } from './markdown.js';
import { DEFAULT_GATE_POLICY, type GateResult, type Snapshot } from './types.js';

export interface GateOptions {
  repoDir: string;
  baseRef: string;
  now: Date;
  env: NodeJS.ProcessEnv;
  attackFile?: string;
}

export interface GateRun {
  result: GateResult;
  /** The summary: job summary, build/gate.md and the pull-request comment. */
  markdown: string;
  annotations: Annotation[];
  base: { ref: string; commit: string };
}

export async function runGate(options: GateOptions): Promise<GateRun> {
  const { repoDir, now, env, attackFile } = options;
  // Resolve the base first: a missing ref is an environment error (exit 2) before any work.
  const baseReader = await gitRevision(repoDir, options.baseRef);
  const head = await analyse(workingTree(repoDir), { repoDir, now, env, attackFile });
  const base = await analyse(baseReader, { repoDir, now, env, attackFile, catalog: head.catalog });
  const result = compare(snapshot(base), snapshot(head), head.config?.gate ?? DEFAULT_GATE_POLICY);
  const markdown = renderMarkdown(result, { baseRef: baseReader.ref, baseCommit: baseReader.commit, siteUrl: head.config?.site?.url });
  return { result, markdown, annotations: gateAnnotations(result), base: { ref: baseReader.ref, commit: baseReader.commit } };
}

/** Info findings (figures such as untested coverage) are not the gate's business. */
const snapshot = (analysis: Analysis): Snapshot => ({
  report: analysis.report,
  findings: analysis.findings.filter((f: Finding) => f.severity !== 'info'),
  sources: analysis.sources,
});
