/**
 * Catalog load times for enterprise-attack 18.1 against their targets:
 *   floor — read + gunzip + JSON.parse of the same bundle, measured in the same run;
 *   cold  — loadCatalog with an empty cache dir (hash, parse, build, write the compact cache) ≤ 1.5 × floor;
 *   warm  — loadCatalog again, from the compact cache ≤ 150 ms.
 * Each figure is the median of several runs after one warm-up, floor and cold interleaved so
 * that both see the same machine; the warm-up runs are reported too (a CLI run pays those). Run alone: `npx tsx bench/catalog.ts [mirror dir]`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { loadCatalog } from '../scripts/catalog/source.js';

export const TARGETS = { coldOverFloor: 1.5, warmMs: 150 } as const;

const DOMAIN = 'enterprise-attack';
const VERSION = '18.1';

export interface CatalogBench {
  bundle: string;
  floorMs: number;
  coldMs: number;
  warmMs: number;
  coldOverFloor: number;
  /** The first cold load of the process, before the JIT has seen the code (what a CLI run pays). */
  firstColdMs: number;
  firstFloorMs: number;
  targets: typeof TARGETS;
  pass: { cold: boolean; warm: boolean };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function time(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

export async function benchCatalog(mirrorDir: string, runs = 5): Promise<CatalogBench> {
  const bundle = join(mirrorDir, `${DOMAIN}-${VERSION}.json.gz`);
  const scratch = await mkdtemp(join(tmpdir(), 'tidemark-bench-catalog-'));
  const request = (cacheDir: string) => ({ domain: DOMAIN, version: VERSION, mirror: mirrorDir, cacheDir, downloadBase: 'http://127.0.0.1:1' });
  try {
    const floor = () => time(async () => JSON.parse(gunzipSync(await readFile(bundle)).toString('utf8')));
    let fresh = 0;
    const cold = () => time(() => loadCatalog(request(join(scratch, `cold-${fresh++}`))));
    const warmDir = join(scratch, 'warm');
    const warm = async () => {
      const start = performance.now();
      const loaded = await loadCatalog(request(warmDir));
      if (!loaded.cached) throw new Error('the warm load did not use the compact cache');
      return performance.now() - start;
    };

    const firstFloorMs = await floor();
    const firstColdMs = await cold();
    const floors: number[] = [];
    const colds: number[] = [];
    for (let i = 0; i < runs; i++) {
      floors.push(await floor());
      colds.push(await cold());
    }
    await loadCatalog(request(warmDir));
    await warm();
    const warms: number[] = [];
    for (let i = 0; i < runs; i++) warms.push(await warm());

    const floorMs = median(floors);
    const coldMs = median(colds);
    const warmMs = median(warms);
    const coldOverFloor = coldMs / floorMs;
    return {
      bundle,
      floorMs,
      coldMs,
      warmMs,
      coldOverFloor,
      firstColdMs,
      firstFloorMs,
      targets: TARGETS,
      pass: { cold: coldOverFloor <= TARGETS.coldOverFloor, warm: warmMs <= TARGETS.warmMs },
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

export function formatCatalogBench(b: CatalogBench): string {
  const ok = (pass: boolean) => (pass ? 'ok' : 'MISSED');
  return [
    `catalog ${DOMAIN} ${VERSION} (${b.bundle})`,
    `  floor (read + gunzip + JSON.parse)  ${b.floorMs.toFixed(0).padStart(5)} ms`,
    `  cold load (empty cache)             ${b.coldMs.toFixed(0).padStart(5)} ms  = ${b.coldOverFloor.toFixed(2)} × floor  (target ≤ ${TARGETS.coldOverFloor} ×)  ${ok(b.pass.cold)}`,
    `  warm load (compact cache)           ${b.warmMs.toFixed(0).padStart(5)} ms  (target ≤ ${TARGETS.warmMs} ms)  ${ok(b.pass.warm)}`,
    `  first runs of the process: floor ${b.firstFloorMs.toFixed(0)} ms, cold ${b.firstColdMs.toFixed(0)} ms (${(b.firstColdMs / b.firstFloorMs).toFixed(2)} ×)`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const mirror = process.argv[2] ?? process.env.TIDEMARK_ATTACK_MIRROR ?? fileURLToPath(new URL('../../shared/attack', import.meta.url));
  const result = await benchCatalog(mirror);
  console.log(formatCatalogBench(result));
  if (!result.pass.cold || !result.pass.warm) process.exitCode = 1;
}
