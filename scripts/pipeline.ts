/**
 * The composition every command uses: load → validate → resolve against ATT&CK → evaluate → report.
 * Reading files and the catalog are the only effects; every stage between them is pure.
 */
import { join } from 'node:path';
import { checkAtomicIds, loadAtomicIndex, suggestTests } from './atomic/index.js';
import { loadCatalog } from './catalog/source.js';
import type { Catalog } from './catalog/types.js';
import { evaluate, type Evaluation } from './evaluate/index.js';
import { buildReport } from './emit/report.js';
import { parseFiles, resolvePositions, skippedFindings } from './load/files.js';
import type { RepoReader } from './load/reader.js';
import { sortFindings, type Finding } from './model/findings.js';
import type { Report } from './model/report.js';
import type { Repository } from './model/repository.js';
import type { Config } from './model/schemas.js';
import { TOOL_VERSION } from './model/version.js';
import { checkReferences } from './validate/references.js';
import { shapeRepository } from './validate/shape.js';

export { workingTree } from './load/tree.js';

export interface AnalyseOptions {
  repoDir: string;
  now: Date;
  env: NodeJS.ProcessEnv;
  attackFile?: string;
  /** Stop after validation (the `validate` command). */
  validateOnly?: boolean;
  /** A catalog already loaded for this pin (the gate reuses one for base and head). */
  catalog?: Catalog;
}

export interface Analysis {
  /** Sorted, with line and column filled in. */
  findings: Finding[];
  config?: Config;
  repository?: Repository;
  catalog?: Catalog;
  evaluation?: Evaluation;
  report?: Report;
  /** Text of every file read, by repository-relative path. */
  sources: Map<string, string>;
  /** Where the ATT&CK data came from, for messages. */
  attackSource?: string;
  /** What loading the ATT&CK data noticed without failing (a damaged cache entry rebuilt, an unwritable cache). */
  attackWarnings?: string[];
}

/** Where a repository's pinned release is looked for: flag, mirror, the repository's cache, download. */
export const catalogRequest = (attack: { domain: string; version: string; sha256?: string }, options: { repoDir: string; env: NodeJS.ProcessEnv; attackFile?: string }) => ({
  domain: attack.domain,
  version: attack.version,
  sha256: attack.sha256,
  attackFile: options.attackFile,
  mirror: options.env.TIDEMARK_ATTACK_MIRROR || undefined,
  cacheDir: join(options.repoDir, '.cache', 'attack'),
});

export async function analyse(reader: RepoReader, options: AnalyseOptions): Promise<Analysis> {
  const { files, skipped } = await reader.read();
  const parsed = parseFiles(files);
  const sources = new Map(parsed.map((p) => [p.file, p.text]));
  const findings: Finding[] = [...skippedFindings(skipped), ...parsed.flatMap((p) => p.findings)];
  const shaped = shapeRepository(parsed);
  // Loops rather than push(...list): a spread of more than about 120,000 findings (one file of
  // unknown keys can make that many) overflows the stack.
  for (const f of shaped.findings) findings.push(f);
  const repository = shaped.repository;
  const finish = (extra: Partial<Analysis> = {}): Analysis => ({
    findings: sortFindings(resolvePositions(findings, parsed)),
    config: repository?.config,
    repository,
    sources,
    ...extra,
  });
  if (!repository) return finish();

  const { config } = repository;
  let catalog = options.catalog;
  let attackSource: string | undefined;
  let attackWarnings: string[] | undefined;
  if (!catalog || catalog.version !== config.attack.version || catalog.domain !== config.attack.domain) {
    const loaded = await loadCatalog(catalogRequest(config.attack, options));
    catalog = loaded.catalog;
    attackSource = loaded.source;
    attackWarnings = loaded.warnings;
  }
  for (const f of checkReferences(repository, catalog)) findings.push(f);
  const atomic = config.atomic_red_team ? await loadAtomicIndex(config.atomic_red_team.index, { repoDir: options.repoDir }) : undefined;
  if (atomic) for (const f of checkAtomicIds(repository.validations, atomic.index)) findings.push(f);
  if (options.validateOnly) return finish({ catalog, attackSource, attackWarnings });

  const platforms = config.organisation.platforms;
  const evaluation = evaluate(repository, catalog, options.now, {
    suggestTests: atomic && ((technique) => suggestTests(atomic.index, technique, platforms)),
  });
  for (const f of evaluation.findings) findings.push(f);
  const all = sortFindings(resolvePositions(findings, parsed));
  const byFile = new Map(parsed.map((p) => [p.file, p]));
  const report = buildReport(
    { ...evaluation, findings: all },
    { toolVersion: TOOL_VERSION, generatedAt: options.now.toISOString(), locate: (file, path) => byFile.get(file)?.locate(path).line },
  );
  return { findings: all, config, repository, catalog, evaluation, report, sources, attackSource, attackWarnings };
}
