/**
 * Every output of `tidemark score` as text, by relative file name (SPEC §11). Pure: the caller
 * writes the files. Identical inputs give identical bytes.
 */
import type { Catalog } from '../catalog/types.js';
import type { Report } from '../model/report.js';
import type { Config } from '../model/schemas.js';
import { backlogCsv } from './csv.js';
import { summaryMarkdown } from './markdown.js';
import { buildLayers, siteUrl } from './navigator.js';

export { buildReport, type ReportMeta } from './report.js';
export { buildLayers, checkLayer, readLayers } from './navigator.js';
export { backlogCsv } from './csv.js';
export { summaryMarkdown } from './markdown.js';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * `report.json`, `layers/coverage.json`, `layers/overlay.json`, `layers/group-<id>.json`,
 * `backlog.csv`, `summary.md`. Layer entries whose technique the catalog lacks are dropped; a
 * message for each is pushed to `problems` when given.
 */
export function renderOutputs(report: Report, catalog: Catalog, config: Pick<Config, 'site'>, problems?: string[]): Record<string, string> {
  const { layers, problems: dropped } = buildLayers(report, catalog, config);
  problems?.push(...dropped);
  const outputs: Record<string, string> = { 'report.json': json(report) };
  for (const name of Object.keys(layers).sort()) outputs[name] = json(layers[name]);
  outputs['backlog.csv'] = backlogCsv(report);
  outputs['summary.md'] = summaryMarkdown(report, { siteUrl: siteUrl(config) });
  return outputs;
}
