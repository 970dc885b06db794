/**
 * Site benchmark: build time of the Astro site for a repository's report (target ≤ 90 s) and the
 * matrix page's gzipped size (target ≤ 500 KB). The report comes from `<repo>/build/report.json`
 * when present, else from `tidemark score` run into a temporary folder.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MIRROR = process.env.TIDEMARK_ATTACK_MIRROR ?? join(ROOT, '..', 'shared', 'attack');
const TARGET_BUILD_MS = 90_000;
const TARGET_MATRIX_GZIP = 500 * 1024;

export interface SiteFigures {
  overlay: number;
  pages: number;
  buildMs: number;
  matrixBytes: number;
  matrixGzipBytes: number;
}

function countPages(dir: string): number {
  let n = 0;
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) n += countPages(path);
    else if (entry.endsWith('.html')) n++;
  }
  return n;
}

/** Builds the site for `reportPath` into `outDir`; throws with Astro's output when the build fails. */
export function buildSite(reportPath: string, outDir: string, extraEnv: NodeJS.ProcessEnv = {}): number {
  // A test runner's variables (Vitest sets BASE_URL, MODE, NODE_ENV=test…) would leak into Vite's import.meta.env.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(BASE_URL|MODE|DEV|PROD|SSR|NODE_ENV|VITEST.*|TEST)$/.test(key)));
  const start = performance.now();
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'astro', 'astro.js'), 'build', '--root', join(ROOT, 'site')], {
    // Astro keeps its build chunks in `<cwd>/.astro` when the output is elsewhere: keep them in the site's ignored folder.
    cwd: join(ROOT, 'site'),
    env: { ...env, TIDEMARK_REPORT: reportPath, TIDEMARK_SITE_OUT: outDir, ASTRO_TELEMETRY_DISABLED: '1', ...extraEnv },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (result.status !== 0) throw new Error(`astro build failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return performance.now() - start;
}

export async function measureSite(repoDir: string): Promise<SiteFigures> {
  const work = mkdtempSync(join(tmpdir(), 'tidemark-bench-site-'));
  try {
    let report = join(repoDir, 'build', 'report.json');
    if (!existsSync(report)) {
      const out = join(work, 'build');
      try {
        execFileSync(process.execPath, [join(ROOT, 'bin', 'tidemark.js'), 'score', '--repo', repoDir, '--out', out, '--now', '2026-12-01', '--quiet'], {
          stdio: ['ignore', 'ignore', 'pipe'],
          env: { ...process.env, TIDEMARK_ATTACK_MIRROR: MIRROR },
        });
      } catch (error) {
        // Exit 1 (content errors) still writes the report; anything else is reported below.
        if (!existsSync(join(out, 'report.json'))) throw new Error(`tidemark score wrote no report for ${repoDir}:\n${String((error as { stderr?: unknown }).stderr ?? error)}`);
      }
      report = join(out, 'report.json');
    }
    const dist = join(work, 'dist');
    const buildMs = buildSite(report, dist);
    const matrix = readFileSync(join(dist, 'matrix', 'index.html'));
    const overlay = (JSON.parse(readFileSync(report, 'utf8')) as { summary: { overlay: number } }).summary.overlay;
    return { overlay, pages: countPages(dist), buildMs, matrixBytes: matrix.length, matrixGzipBytes: gzipSync(matrix).length };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function formatSite(f: SiteFigures): string {
  const ok = (pass: boolean) => (pass ? 'ok' : 'MISSED');
  return [
    `## site (${f.overlay} overlay techniques, ${f.pages} pages)`,
    `site build: ${(f.buildMs / 1000).toFixed(1)} s (target ≤ ${TARGET_BUILD_MS / 1000} s) ${ok(f.buildMs <= TARGET_BUILD_MS)}`,
    `matrix page: ${(f.matrixGzipBytes / 1024).toFixed(0)} KB gzipped, ${(f.matrixBytes / 1024).toFixed(0)} KB raw (target ≤ ${TARGET_MATRIX_GZIP / 1024} KB gzipped) ${ok(f.matrixGzipBytes <= TARGET_MATRIX_GZIP)}`,
  ].join('\n');
}

/** What `npm run bench` calls with the large synthetic repository. */
export async function benchSite(repoDir: string): Promise<string> {
  return formatSite(await measureSite(repoDir));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2] ?? ROOT;
  console.log(await benchSite(dir));
}
