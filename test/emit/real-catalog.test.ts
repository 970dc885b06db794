/**
 * Integration with the real ATT&CK 18.1 catalog of the offline mirror (TIDEMARK_ATTACK_MIRROR, set
 * by vitest.config.ts): the sample Navigator layer and tidemark's own layers checked against it.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../scripts/catalog/source.js';
import type { Catalog } from '../../scripts/catalog/types.js';
import { renderOutputs } from '../../scripts/emit/index.js';
import { checkLayer } from '../../scripts/emit/navigator.js';
import { buildReport } from '../../scripts/emit/report.js';
import { evaluate } from '../../scripts/evaluate/index.js';
import { config, group, native, NOW, repository, run, source } from '../evaluate/builders.js';

const SAMPLE = new URL('../../../shared/corpora/navigator/art-navigator-layer.json', import.meta.url);

let cacheDir: string;
let catalog: Catalog;
beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'tidemark-emit-'));
  ({ catalog } = await loadCatalog({ domain: 'enterprise-attack', version: '18.1', mirror: process.env.TIDEMARK_ATTACK_MIRROR, cacheDir, downloadBase: 'http://127.0.0.1:1' }));
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

describe('against ATT&CK enterprise 18.1', () => {
  it('the Atomic Red Team layer is sound except for ids newer than 18.1, which Navigator would drop', async () => {
    const problems = checkLayer(JSON.parse(await readFile(SAMPLE, 'utf8')), catalog);
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) expect(p).toMatch(/^techniques\[\d+\]\.techniqueID: T\d{4}(\.\d{3})? is not an active technique of ATT&CK enterprise-attack 18\.1/);
    // ATT&CK 19 split Defense Evasion: T1685 and its sub-techniques do not exist in 18.1.
    expect(problems.some((p) => p.includes(' T1685 '))).toBe(true);
  });

  it("tidemark's layers for real groups pass the checker", () => {
    const repo = repository({
      config: config({ organisation: { platforms: ['Windows', 'Linux', 'IaaS', 'Identity Provider', 'Office Suite'] }, profile: { include_software: true, baseline: 20 } }),
      groups: [group('G0016'), group('G0102', { relevance: 'medium' }), group('C0024', { relevance: 2 })],
      detections: [native('det-ps', ['T1059.001'])],
      telemetry: [source('sysmon', { data_components: ['Process Creation'] })],
      validations: [run('T1059.001', '2026-10-01', 'detected')],
    });
    const evaluation = evaluate(repo, catalog, NOW);
    expect(evaluation.techniques.length).toBeGreaterThan(100);
    const problems: string[] = [];
    const outputs = renderOutputs(buildReport(evaluation, { toolVersion: '0.1.0', generatedAt: NOW.toISOString() }), catalog, repo.config, problems);
    expect(problems).toEqual([]);
    for (const name of Object.keys(outputs).filter((n) => n.startsWith('layers/'))) expect([name, checkLayer(JSON.parse(outputs[name]), catalog)]).toEqual([name, []]);
  });
});
