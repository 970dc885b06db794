/**
 * `node --import tsx test/hostile/measure.ts ARGS…`: runs `tidemark ARGS…` in-process and writes
 * {code, maxRssKb, ms} to the file named by TIDEMARK_MEASURE_OUT, so a test can bound the memory
 * of one run without the test runner's own heap in the figure.
 */
import { writeFileSync } from 'node:fs';
import { main } from '../../scripts/cli/main.js';

const out = process.env.TIDEMARK_MEASURE_OUT;
const started = performance.now();
const code = await main(process.argv.slice(2));
const ms = performance.now() - started;
if (out) writeFileSync(out, JSON.stringify({ code, maxRssKb: process.resourceUsage().maxRSS, ms }));
process.exitCode = code;
