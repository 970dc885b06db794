import { describe, expect, it } from 'vitest';
import { renderOutputs } from '../../scripts/emit/index.js';
import { checkLayer } from '../../scripts/emit/navigator.js';
import { buildReport } from '../../scripts/emit/report.js';
import { evaluate } from '../../scripts/evaluate/index.js';
import type { Repository } from '../../scripts/model/repository.js';
import { catalog } from '../fixtures/catalog.js';
import { NOW } from '../evaluate/builders.js';
import { SCENARIO } from '../evaluate/scenario.js';

const render = (repo: Repository) => {
  const evaluation = evaluate(structuredClone(repo), catalog, NOW, { suggestTests: () => [{ guid: 'f7e6ec05-c19e-4a80-a7e7-241027992fdb', name: 'Mimikatz' }] });
  const report = buildReport(evaluation, { toolVersion: '0.1.0', generatedAt: NOW.toISOString() });
  return renderOutputs(report, catalog, repo.config);
};

/** The same content, every list in the opposite order (files read in another order). */
const reversed = (repo: Repository): Repository => ({
  ...repo,
  groups: [...repo.groups].reverse(),
  detections: [...repo.detections].reverse(),
  controls: [...repo.controls].reverse(),
  telemetry: [...repo.telemetry].reverse(),
  validations: [...repo.validations].reverse(),
});

describe('renderOutputs', () => {
  const outputs = render(SCENARIO);

  it('names every output', () => {
    expect(Object.keys(outputs)).toEqual([
      'report.json',
      'layers/coverage.json',
      'layers/group-G0016.json',
      'layers/group-G0102.json',
      'layers/overlay.json',
      'backlog.csv',
      'summary.md',
    ]);
  });

  it('writes report.json as 2-space JSON with a final newline', () => {
    expect(outputs['report.json'].startsWith('{\n  "tool": {\n    "name": "tidemark"')).toBe(true);
    expect(outputs['report.json'].endsWith('}\n')).toBe(true);
  });

  it('writes layers that pass checkLayer against the catalog', () => {
    for (const name of Object.keys(outputs).filter((n) => n.startsWith('layers/'))) expect(checkLayer(JSON.parse(outputs[name]), catalog)).toEqual([]);
  });

  it('is byte-identical across runs', () => {
    expect(render(SCENARIO)).toEqual(outputs);
  });

  it('is byte-identical whatever order the files were read in', () => {
    expect(render(reversed(SCENARIO))).toEqual(outputs);
  });

  it('reports dropped layer entries to the problems sink', () => {
    const evaluation = evaluate(SCENARIO, catalog, NOW);
    const report = buildReport(evaluation, { toolVersion: '0.1.0', generatedAt: NOW.toISOString() });
    const ghost = { ...report, techniques: [...report.techniques, { ...report.techniques[0], id: 'T9999' }] };
    const problems: string[] = [];
    renderOutputs(ghost, catalog, SCENARIO.config, problems);
    expect(problems).toHaveLength(2);
  });
});
