/**
 * `npm run bench`: every speed and memory target of the project, measured in one run and printed
 * side by side with its target. Figures, not pass/fail tests: the machine decides the numbers.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../scripts/catalog/source.js';
import { benchCatalog, formatCatalogBench } from './catalog.js';
import { generateRepository, scaled } from './synthetic.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MIRROR = process.env.TIDEMARK_ATTACK_MIRROR ?? join(ROOT, '..', 'shared', 'attack');
const env = { ...process.env, TIDEMARK_ATTACK_MIRROR: MIRROR };
const NOW = '2026-12-01';

interface Measured {
  ms: number;
  maxRssMb: number;
  code: number;
}

/** A run of bench/child.ts in a fresh process; `wallMs` includes Node start-up and module loading. */
function child(...args: string[]): Measured & { wallMs: number } {
  const start = performance.now();
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'child.ts'), ...args], { env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const wallMs = performance.now() - start;
  return { ...(JSON.parse(out.trim().split('\n').pop()!) as Measured), wallMs };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f0 = (x: number) => x.toFixed(0);
const ok = (pass: boolean) => (pass ? 'ok' : 'MISSED');

function processMs(args: string[], runs = 3): number {
  return median(
    Array.from({ length: runs }, () => {
      const start = performance.now();
      try {
        execFileSync(process.execPath, [join(ROOT, 'bin', 'tidemark.js'), ...args], { env, stdio: 'ignore' });
      } catch {
        // A verdict exit code still measures the run.
      }
      return performance.now() - start;
    }),
  );
}

async function main() {
  const only = process.argv[2];
  console.log(`tidemark bench — ${new Date().toISOString()}, node ${process.version}, mirror ${MIRROR}\n`);

  if (!only || only === 'catalog') {
    console.log('## ATT&CK catalog (enterprise 18.1)');
    console.log(formatCatalogBench(await benchCatalog(MIRROR)));
    console.log();
  }

  if (!only || only === 'validate') {
    console.log('## validate on the example repository (whole process, median of 3)');
    processMs(['validate', '--repo', ROOT], 1);
    const ms = processMs(['validate', '--repo', ROOT]);
    console.log(`validate: ${f0(ms)} ms (target ≤ 1500 ms) ${ok(ms <= 1500)}\n`);
  }

  const { catalog } = await loadCatalog({ domain: 'enterprise-attack', version: '18.1', mirror: MIRROR, cacheDir: join(ROOT, '.cache', 'attack') });
  const repos: Record<number, string> = {};
  const repoAt = async (factor: number) => {
    if (!repos[factor]) {
      repos[factor] = mkdtempSync(join(tmpdir(), `tidemark-bench-${factor}x-`));
      await generateRepository(repos[factor], catalog, scaled(factor), new Date(NOW));
    }
    return repos[factor];
  };

  try {
    if (!only || only === 'score') {
      const size = scaled(1);
      console.log(`## score on the large synthetic repository (1×: ${Object.keys(catalog.groups).length} groups, ${size.detections} detections, ${size.controls} controls, ${size.validations} results)`);
      const dir = await repoAt(1);
      child('cli', 'score', '--repo', dir, '--now', NOW, '--quiet'); // warms the catalog cache and the transform cache
      const floor = child('floor', dir);
      const score = child('cli', 'score', '--repo', dir, '--now', NOW, '--quiet');
      const ratio = score.ms / floor.ms;
      console.log(`floor (read + parse every YAML file + warm catalog): ${f0(floor.ms)} ms`);
      console.log(`score:                                              ${f0(score.ms)} ms = ${ratio.toFixed(2)}× floor (target ≤ 2×) ${ok(ratio <= 2)}`);
      console.log(`score peak RSS: ${f0(score.maxRssMb)} MB (target ≤ 400 MB) ${ok(score.maxRssMb <= 400)}; whole process ${f0(score.wallMs)} ms`);
      console.log('\nscoring step alone (evaluate):');
      const steps: [number, number][] = [];
      for (const factor of [1, 2, 4]) {
        const step = child('evaluate', await repoAt(factor), NOW);
        steps.push([factor, step.ms]);
        console.log(`  ${factor}×: ${f0(step.ms)} ms (${(step.ms / factor).toFixed(1)} ms per 1×)`);
      }
      const growth = steps[2][1] / steps[0][1];
      console.log(`  4× / 1× = ${growth.toFixed(2)} (linear ≈ 4) ${ok(growth <= 5)}\n`);
    }

    if (!only || only === 'scale') {
      console.log('## scale curve: score at 1×, 4×, 16× (whole process)');
      for (const factor of [1, 4, 16]) {
        const dir = await repoAt(factor);
        const run = child('cli', 'score', '--repo', dir, '--now', NOW, '--quiet');
        console.log(`  ${factor}× (${scaled(factor).detections} detections): ${f0(run.ms)} ms, peak RSS ${f0(run.maxRssMb)} MB`);
      }
      console.log();
    }

    if (!only || only === 'gate') {
      console.log('## gate with a one-file change vs score, on the 1× synthetic repository');
      const { benchGate } = await import('./gate.js');
      const g = await benchGate(await repoAt(1), 3, env);
      console.log(`score ${f0(g.scoreMs)} ms, gate ${f0(g.gateMs)} ms = ${g.gateOverScore.toFixed(2)}× (target ≤ ${g.targets.gateOverScore}×) ${ok(g.pass)}\n`);
    }

    if ((!only || only === 'site') && existsSync(join(ROOT, 'bench', 'site.ts'))) {
      console.log('## site build on the 1× synthetic repository');
      const { benchSite } = (await import('./site.js')) as { benchSite: (dir: string) => Promise<unknown> };
      console.log(await benchSite(await repoAt(1)));
      console.log();
    }
  } finally {
    for (const dir of Object.values(repos)) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
