/**
 * Where the site reads its inputs and where it writes: shared by astro.config.mjs (plain JS, loaded
 * before Vite) and the pages. Everything comes from the environment so CI, tests and the benchmark
 * can point one site at any report without touching the tree.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root: the site lives in `<repo>/site`. Pages run from bundled chunks whose
 * import.meta.url is inside the output folder, so astro.config.mjs (never bundled) records the root
 * in TIDEMARK_REPO_DIR for them.
 */
export const REPO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = (env) => env.TIDEMARK_REPO_DIR || REPO_DIR;

/** `TIDEMARK_REPORT=path`, default `<repo>/build/report.json`. */
export const reportPath = (env = process.env) => resolve(env.TIDEMARK_REPORT || join(repoDir(env), 'build', 'report.json'));

/** The folder `tidemark score` wrote into: layers, backlog.csv, summary.md and history.json sit beside the report. */
export const buildDir = (env = process.env) => dirname(reportPath(env));

/** `TIDEMARK_HISTORY=path`, default `history.json` beside the report. */
export const historyPath = (env = process.env) => resolve(env.TIDEMARK_HISTORY || join(buildDir(env), 'history.json'));

/** GitHub Pages project sites live under `/<repo>/`: `TIDEMARK_SITE_BASE`, default `/`, always with both slashes. */
export function siteBase(env = process.env) {
  const raw = (env.TIDEMARK_SITE_BASE || '/').trim();
  const inner = raw.split('/').filter(Boolean).map(encodeURIComponent).join('/');
  return inner ? `/${inner}/` : '/';
}

/** `TIDEMARK_SITE_OUT=dir` lets tests and benchmarks build elsewhere than `site/dist`. */
export const outDir = (env = process.env) => resolve(env.TIDEMARK_SITE_OUT || join(repoDir(env), 'site', 'dist'));

/**
 * The artefacts published under `/downloads/`: name in the site, path on disk, what it is. Only
 * those that exist are copied and listed.
 */
export function artefacts(env = process.env) {
  const dir = buildDir(env);
  const fixed = [
    { name: 'report.json', source: reportPath(env), kind: 'report', title: 'Coverage report (JSON)', description: 'Everything this site shows, as computed by tidemark score. Validates against the report JSON Schema.' },
    { name: 'backlog.csv', source: join(dir, 'backlog.csv'), kind: 'backlog', title: 'Gap backlog (CSV)', description: 'The prioritised gaps with their next action, for a spreadsheet or a ticket import.' },
    { name: 'summary.md', source: join(dir, 'summary.md'), kind: 'summary', title: 'Summary (Markdown)', description: 'The text of the pull-request comment.' },
    { name: 'history.json', source: historyPath(env), kind: 'history', title: 'Coverage history (JSON)', description: 'Score and state counts for each commit that changed content.' },
  ];
  const layers = [];
  const layerDir = join(dir, 'layers');
  for (const [file, title, description] of [
    ['coverage.json', 'Coverage layer', 'Every overlay technique coloured by its coverage state.'],
    ['overlay.json', 'Overlay heat map', 'Every overlay technique scored by the number of profiled groups using it.'],
  ]) {
    layers.push({ name: `layers/${file}`, source: join(layerDir, file), kind: 'layer', title, description });
  }
  const groupFiles = existsSync(layerDir) ? readdirSync(layerDir).filter((f) => /^group-[A-Za-z0-9._-]+\.json$/.test(f)).sort() : [];
  for (const file of groupFiles) {
    const group = file.slice('group-'.length, -'.json'.length);
    layers.push({ name: `layers/${file}`, source: join(layerDir, file), kind: 'layer', group, title: `Group layer ${group}`, description: `The techniques of ${group} coloured by coverage state.` });
  }
  return [...fixed, ...layers].filter((a) => existsSync(a.source));
}
