/**
 * One commit's point: its parsed content → repository → evaluation at the commit's date. The same
 * stages as `analyse` (scripts/pipeline.ts) after parsing; parsing itself is left to the snapshot
 * so unchanged files are not parsed again. Reference checks are skipped: they add findings, never
 * change a figure.
 */
import { loadCatalog } from '../catalog/source.js';
import type { Catalog } from '../catalog/types.js';
import { evaluate } from '../evaluate/index.js';
import { catalogRequest } from '../pipeline.js';
import { shapeRepository } from '../validate/shape.js';
import type { ParsedFile } from '../load/yaml.js';
import type { CachedPoint } from './types.js';

export interface CatalogOptions {
  repoDir: string;
  env: NodeJS.ProcessEnv;
  attackFile?: string;
}

/** Catalogs by `domain@version`, loaded once per run however many commits pin the release. */
export type CatalogCache = Map<string, Promise<Catalog>>;

export async function evaluateCommit(
  files: ParsedFile[],
  commit: { commit: string; date: string },
  catalogs: CatalogCache,
  options: CatalogOptions,
): Promise<CachedPoint> {
  const { repository } = shapeRepository(files);
  if (!repository) return { ...commit, skipped: 'tidemark.yaml is missing or invalid at this commit' };
  const { attack } = repository.config;
  const key = `${attack.domain}@${attack.version}@${attack.sha256 ?? ''}`;
  let catalog = catalogs.get(key);
  if (!catalog) {
    catalog = loadCatalog(catalogRequest(attack, options)).then((loaded) => loaded.catalog);
    catalogs.set(key, catalog);
  }
  const { summary } = evaluate(repository, await catalog, new Date(commit.date));
  return { ...commit, score: summary.score, states: { ...summary.states }, overlay: summary.overlay };
}
