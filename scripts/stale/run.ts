/**
 * `tidemark stale`: the effects around `findStale`. The repository is evaluated at `now` and at
 * `now` + horizon (same files, same catalog), and the release index is read from the mirror's
 * index.json or the network.
 */
import { DEFAULT_INDEX_URL, readReleaseIndex } from '../catalog/releases.js';
import { parseYaml, type ParsedFile } from '../load/yaml.js';
import type { Finding } from '../model/findings.js';
import { analyse, workingTree } from '../pipeline.js';
import { findStale } from './find.js';
import type { StaleKind, StaleResult } from './types.js';

export const HORIZON_DAYS = 30;
const MS_PER_DAY = 86_400_000;

export interface StaleRequest {
  repoDir: string;
  now: Date;
  env: NodeJS.ProcessEnv;
  attackFile?: string;
  /** Read the ATT&CK release index (default true). */
  releaseCheck?: boolean;
}

export type StaleOutcome =
  | { evaluated: true; result: StaleResult; findings: Finding[] }
  /** The repository could not be evaluated: its errors, and nothing is known to be stale or not. */
  | { evaluated: false; findings: Finding[] };

export async function runStale(req: StaleRequest): Promise<StaleOutcome> {
  const options = { repoDir: req.repoDir, env: req.env, attackFile: req.attackFile };
  const now = await analyse(workingTree(req.repoDir), { ...options, now: req.now });
  if (!now.evaluation || !now.catalog || !now.config) return { evaluated: false, findings: now.findings };
  const laterInstant = new Date(req.now.getTime() + HORIZON_DAYS * MS_PER_DAY);
  const later = await analyse(workingTree(req.repoDir), { ...options, now: laterInstant, catalog: now.catalog });
  if (!later.evaluation) return { evaluated: false, findings: later.findings };

  const checked: StaleKind[] = ['profile', 'evidence'];
  let newest: { version: string; modified?: string } | undefined;
  if (req.releaseCheck !== false) {
    const index = await readReleaseIndex(req.env.TIDEMARK_ATTACK_MIRROR || DEFAULT_INDEX_URL);
    const release = index[now.evaluation.attack.domain];
    if (release) newest = { version: release.version, ...(release.modified ? { modified: release.modified } : {}) };
    checked.push('release');
  }

  const parsed = new Map<string, ParsedFile>();
  const lineOf = (file: string, path: (string | number)[]) => {
    let p = parsed.get(file);
    if (!p) {
      p = parseYaml(file, now.sources.get(file) ?? '');
      parsed.set(file, p);
    }
    return p.locate(path).line;
  };
  const findings = findStale({
    now: now.evaluation,
    later: later.evaluation,
    findings: now.findings,
    reviewMaxAgeDays: now.config.policy.review_max_age_days,
    validationMaxAgeDays: now.config.policy.validation_max_age_days,
    lineOf,
    ...(newest ? { newest } : {}),
  });
  return { evaluated: true, result: { now: req.now.toISOString(), horizonDays: HORIZON_DAYS, checked, findings }, findings: now.findings };
}
