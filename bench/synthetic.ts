/**
 * A large synthetic repository for benchmarks: every active group of the pinned release profiled,
 * thousands of detections, controls and emulation results, and a telemetry inventory. Content is
 * drawn from a seeded generator over the real catalog, so every id validates and runs repeat.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Catalog } from '../scripts/catalog/types.js';

export interface SyntheticSize {
  detections: number;
  controls: number;
  validations: number;
  /** Share of detections written as Sigma rules. */
  sigmaShare: number;
}

/** The "1×" size of the benchmarks (issue: 5,000 detections, 300 controls, 2,000 results). */
export const BASE_SIZE: SyntheticSize = { detections: 5000, controls: 300, validations: 2000, sigmaShare: 0.2 };

export const scaled = (factor: number): SyntheticSize => ({
  detections: Math.round(BASE_SIZE.detections * factor),
  controls: Math.round(BASE_SIZE.controls * factor),
  validations: Math.round(BASE_SIZE.validations * factor),
  sigmaShare: BASE_SIZE.sigmaShare,
});

/** mulberry32: small, fast and seedable, so a benchmark repository is the same on every run. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const some = <T>(xs: readonly T[], n: number): T[] => [...new Set(Array.from({ length: n }, () => pick(xs)))];
  return { next, pick, some };
}

const SIGMA_SOURCES = [
  { product: 'windows', category: 'process_creation' },
  { product: 'windows', category: 'network_connection' },
  { product: 'windows', category: 'registry_set' },
  { product: 'linux', category: 'process_creation' },
  { product: 'aws', service: 'cloudtrail' },
];

export async function generateRepository(dir: string, catalog: Catalog, size: SyntheticSize, now: Date, seed = 42): Promise<void> {
  const r = random(seed);
  const techniques = Object.keys(catalog.techniques).sort();
  const components = Object.keys(catalog.dataComponents).sort();
  const mitigations = Object.keys(catalog.mitigations).sort();
  const statuses = ['stable', 'stable', 'stable', 'test', 'experimental'];
  for (const folder of ['groups', 'detections/native', 'detections/sigma', 'controls', 'coverage/validations']) {
    await mkdir(join(dir, folder), { recursive: true });
  }
  await writeFile(
    join(dir, 'tidemark.yaml'),
    `attack: { domain: ${catalog.domain}, version: "${catalog.version}" }\norganisation:\n  name: Synthetic Benchmark Org\n  platforms: [Windows, Linux, macOS, IaaS, SaaS, Office Suite, Identity Provider]\nprofile: { baseline: 20 }\n`,
  );

  const groups = Object.keys(catalog.groups).sort();
  await Promise.all(
    groups.map((id) =>
      writeFile(
        join(dir, 'groups', `${id}.yaml`),
        `id: ${id}\nrelevance: ${r.pick(['high', 'medium', 'low'])}\nrationale: Synthetic profile of ${id}.\nreviewed: 2026-0${1 + Math.floor(r.next() * 9)}-15\n`,
      ),
    ),
  );

  const sources = Array.from({ length: 40 }, (_, i) => {
    const sigma = i < SIGMA_SOURCES.length ? SIGMA_SOURCES[i] : undefined;
    return [
      `  - id: src-${i}`,
      `    name: Synthetic source ${i}`,
      `    status: ${i % 7 === 6 ? 'planned' : 'collected'}`,
      `    data_components: [${r.some(components, 4).join(', ')}]`,
      ...(sigma ? [`    sigma: [{ ${Object.entries(sigma).map(([k, v]) => `${k}: ${v}`).join(', ')} }]`] : []),
    ].join('\n');
  });
  await writeFile(join(dir, 'coverage', 'telemetry.yaml'), `sources:\n${sources.join('\n')}\n`);

  const detectionIds: string[] = [];
  const writes: [string, string][] = [];
  for (let i = 0; i < size.detections; i++) {
    const mapped = r.some(techniques, 1 + Math.floor(r.next() * 3));
    if (r.next() < size.sigmaShare) {
      const uuid = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const logsource = r.pick(SIGMA_SOURCES);
      detectionIds.push(uuid);
      writes.push([
          join(dir, 'detections', 'sigma', `rule_${i}.yml`),
          `title: Synthetic rule ${i}\nid: ${uuid}\nstatus: ${r.pick(statuses)}\ndescription: Synthetic Sigma rule for benchmarks.\ntags:\n${mapped.map((t) => `  - attack.${t.toLowerCase()}`).join('\n')}\nlogsource:\n${Object.entries(logsource).map(([k, v]) => `  ${k}: ${v}`).join('\n')}\ndetection:\n  selection:\n    CommandLine|contains: synthetic-${i}\n  condition: selection\nlevel: medium\n`,
      ]);
    } else {
      const id = `det-${i}`;
      detectionIds.push(id);
      writes.push([
          join(dir, 'detections', 'native', `${id}.yaml`),
          `id: ${id}\ntitle: Synthetic detection ${i}\nstatus: ${r.pick(statuses)}\ntechniques: [${mapped.join(', ')}]\ntelemetry: [src-${Math.floor(r.next() * 40)}]\nowner: soc@example.org\nquery:\n  language: splunk\n  text: 'index=main synthetic=${i}'\n`,
      ]);
    }
  }
  for (let i = 0; i < size.controls; i++) {
    writes.push([
        join(dir, 'controls', `ctl-${i}.yaml`),
        `id: ctl-${i}\ntitle: Synthetic control ${i}\nstatus: ${r.pick(['implemented', 'implemented', 'partial', 'planned'])}\ntechniques: [${r.some(techniques, 1 + Math.floor(r.next() * 4)).join(', ')}]\nmitigations: [${r.pick(mitigations)}]\n`,
    ]);
  }
  const perFile = 100;
  for (let f = 0; f * perFile < size.validations; f++) {
    const records: string[] = [];
    for (let i = f * perFile; i < Math.min(size.validations, (f + 1) * perFile); i++) {
      const day = new Date(now.getTime() - Math.floor(r.next() * 300) * 86_400_000).toISOString().slice(0, 10);
      const detection = r.next() < 0.5 ? `\n  detection: ${r.pick(detectionIds)}` : '';
      records.push(`- technique: ${r.pick(techniques)}\n  date: ${day}\n  outcome: ${r.pick(['detected', 'not-detected', 'blocked'])}${detection}\n  host: host-${i % 50}`);
    }
    writes.push([join(dir, 'coverage', 'validations', `run-${f}.yaml`), `${records.join('\n')}\n`]);
  }
  // In batches: thousands of writes at once would exhaust file descriptors.
  for (let i = 0; i < writes.length; i += 256) await Promise.all(writes.slice(i, i + 256).map(([path, text]) => writeFile(path, text)));
}
