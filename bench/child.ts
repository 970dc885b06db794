/**
 * One measured run in a fresh process, so timings include cold caches and peak RSS is this run's
 * alone. Prints one JSON line: {ms, maxRssMb, code}.
 *   floor DIR   read and parse every YAML file of DIR, plus the warm catalog load
 *   cli ARGS…   run `tidemark ARGS…` in-process
 *   evaluate DIR NOW  time the evaluation step alone (after loading)
 */
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadCatalog } from '../scripts/catalog/source.js';
import { main } from '../scripts/cli/main.js';
import { evaluate } from '../scripts/evaluate/index.js';
import { workingTree } from '../scripts/load/tree.js';
import { analyse } from '../scripts/pipeline.js';

const [mode, ...args] = process.argv.slice(2);
const quiet = { out: () => undefined, err: () => undefined };
let ms = 0;
let code = 0;

if (mode === 'floor') {
  const dir = args[0];
  const start = performance.now();
  const { files } = await workingTree(dir).read();
  const utf8 = new TextDecoder();
  for (const f of files) parseAllDocuments(utf8.decode(f.bytes));
  await loadCatalog({ domain: 'enterprise-attack', version: '18.1', mirror: process.env.TIDEMARK_ATTACK_MIRROR, cacheDir: join(dir, '.cache', 'attack') });
  ms = performance.now() - start;
} else if (mode === 'cli') {
  const start = performance.now();
  code = await main(args, quiet);
  ms = performance.now() - start;
} else if (mode === 'evaluate') {
  const [dir, now] = args;
  const analysis = await analyse(workingTree(dir), { repoDir: dir, now: new Date(now), env: process.env, validateOnly: true });
  if (!analysis.repository || !analysis.catalog) throw new Error('the repository did not load');
  const start = performance.now();
  evaluate(analysis.repository, analysis.catalog, new Date(now));
  ms = performance.now() - start;
}
process.stdout.write(`${JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, code })}\n`);
