/**
 * Property-based fuzzing of the loader (parseFiles, shapeRepository) and, for a smaller number of
 * runs, of the whole pipeline on a real repository: no input makes tidemark throw, exit codes are
 * only 0, 1 and 2, findings point at real lines, and what `validate` accepts `score` handles.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseFiles } from '../../scripts/load/files.js';
import { shapeRepository } from '../../scripts/validate/shape.js';
import { BASE, cleanRepo, cli, NOW, outputProblems, removeTemplate, STACK_TRACE, writeFiles } from '../hostile/harness.js';
import { anyBytes, anyText, asYaml, mutated, options, RUNS, yamlSoup } from './arbitraries.js';

const CONTENT_PATHS = [
  'tidemark.yaml',
  'groups/g.yaml',
  'detections/d.yaml',
  'detections/sigma/r.yml',
  'controls/c.yaml',
  'coverage/telemetry.yaml',
  'coverage/validations/v.yaml',
];
const path = fc.constantFrom(...CONTENT_PATHS);
const enc = (s: string) => new TextEncoder().encode(s);

/** A Sigma rule to mutate alongside the native files. */
const SIGMA = {
  title: 'Encoded PowerShell',
  id: '5f8a3c2e-1111-4c3b-9d1e-000000000009',
  status: 'stable',
  logsource: { product: 'windows', category: 'process_creation' },
  detection: { sel: { CommandLine: '* -enc *' }, condition: 'sel' },
  tags: ['attack.execution', 'attack.t1059.001'],
};

/** Every file of the clean repository as a value, plus a Sigma rule: what the mutations start from. */
const VALID: Record<string, unknown> = { ...Object.fromEntries(Object.entries(BASE).map(([p, t]) => [p, parse(t)])), 'detections/sigma/r.yml': SIGMA };

/** One file of VALID, changed in one place. */
const mutatedFile = fc.constantFrom(...Object.keys(VALID)).chain((file) => mutated(VALID[file]).map((value) => ({ file, text: asYaml(value) })));

function expectSaneFindings(parsed: ReturnType<typeof parseFiles>, texts: string[]): void {
  parsed.forEach((p, i) => {
    const lines = texts[i].split(/\r\n|\r|\n/).length + 1;
    for (const f of p.findings) {
      expect(f.severity).toBe('error');
      expect(f.file).toBe(p.file);
      expect(f.line).toBeGreaterThanOrEqual(1);
      expect(f.line).toBeLessThanOrEqual(Math.max(lines, 1));
      expect(f.col).toBeGreaterThanOrEqual(1);
      expect(typeof f.message).toBe('string');
    }
    if (p.findings.length) expect(p.values).toEqual([]);
  });
}

afterAll(removeTemplate);

describe('fuzz: loader', () => {
  it(`parseFiles never throws on arbitrary bytes, and places every finding on a line of the file (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(path, anyBytes), { minLength: 1, maxLength: 4 }), (files) => {
        const parsed = parseFiles(files.map(([p, bytes]) => ({ path: p, bytes })));
        expectSaneFindings(
          parsed,
          files.map(([, bytes]) => new TextDecoder().decode(bytes)),
        );
      }),
      options(),
    );
  });

  it(`parseFiles then shapeRepository never throw on YAML soup (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(path, fc.oneof(yamlSoup, anyText)), { minLength: 1, maxLength: 5 }), (files) => {
        const parsed = parseFiles(files.map(([p, text]) => ({ path: p, bytes: enc(text) })));
        expectSaneFindings(parsed, files.map(([, t]) => t));
        const shaped = shapeRepository(parsed);
        for (const f of shaped.findings) expect(['error', 'warning', 'info']).toContain(f.severity);
      }),
      options(),
    );
  });

  it(`shapeRepository never throws on valid files changed in one place, and leaves Object.prototype alone (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.array(mutatedFile, { minLength: 1, maxLength: 3 }), (changed) => {
        const files = { ...BASE, ...Object.fromEntries(changed.map((c) => [c.file, c.text])) };
        const parsed = parseFiles(Object.entries(files).map(([p, t]) => ({ path: p, bytes: enc(t) })));
        const shaped = shapeRepository(parsed);
        // A repository exists exactly when tidemark.yaml is valid.
        if (shaped.repository) expect(shaped.findings.some((f) => f.file === 'tidemark.yaml' && f.severity === 'error')).toBe(false);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Object.getPrototypeOf({})).toBe(Object.prototype);
      }),
      options(),
    );
  });
});

describe('fuzz: the whole pipeline on a repository', () => {
  const runs = Math.max(5, Math.round(RUNS / 4));
  it(
    `validate and score exit 0, 1 or 2 without a trace, and what validate accepts score writes (${runs} runs)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(mutatedFile, { minLength: 1, maxLength: 2 }), async (changed) => {
          const dir = await cleanRepo();
          try {
            writeFiles(dir, Object.fromEntries(changed.map((c) => [c.file, c.text])));
            const validate = await cli(['validate', '--repo', dir]);
            const score = await cli(['score', '--repo', dir, '--now', NOW]);
            for (const run of [validate, score]) {
              expect([0, 1, 2]).toContain(run.code);
              expect(run.stdout + run.stderr).not.toMatch(STACK_TRACE);
              expect(run.stderr).not.toContain('internal error');
            }
            if (validate.code === 0) {
              expect(score.code, score.stderr).toBe(0);
              const report = JSON.parse(readFileSync(join(dir, 'build', 'report.json'), 'utf8')) as { techniques: unknown[] };
              expect(Array.isArray(report.techniques)).toBe(true);
            }
            if (score.code !== 2 && existsSync(join(dir, 'build'))) expect(outputProblems(join(dir, 'build'))).toEqual([]);
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        }),
        options(runs),
      );
    },
    600_000,
  );
});
