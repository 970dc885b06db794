/**
 * SECURITY.md names, for each defence, the test that proves it. This keeps the names true: every
 * `file › test name` reference points at a file that holds a test of that name, and every corpus
 * case it cites exists in test/hostile/corpus.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCases, repoCases } from './corpus.js';
import { ROOT } from './harness.js';

const doc = readFileSync(join(ROOT, 'SECURITY.md'), 'utf8');
/** Text as the test names it: Markdown escapes of `|` and `\\` undone. */
const plain = (s: string) => s.replace(/\\\|/g, '|').replace(/\\\\/g, '\\').trim();

describe('SECURITY.md', () => {
  it('cites only tests that exist, by file and name', () => {
    let file = '';
    const missing: string[] = [];
    // `test/x.test.ts › name`, and `… › name` continuing with the file last named.
    for (const m of doc.matchAll(/`(test\/[^`\s]+\.ts|…) › ([^`]+)`/g)) {
      if (m[1] !== '…') file = m[1];
      const name = plain(m[2]).split(/: …|…/)[0].trim();
      const path = join(ROOT, file);
      if (!existsSync(path)) missing.push(`${file} (no such file)`);
      else if (!readFileSync(path, 'utf8').includes(name.replace(/\\/g, '\\\\')) && !readFileSync(path, 'utf8').includes(name)) missing.push(`${file} › ${name}`);
    }
    expect(missing).toEqual([]);
  });

  it('cites only corpus cases that exist', () => {
    const names = new Set([...repoCases(), ...importCases()].map((c) => c.name));
    const cited = [...doc.matchAll(/`((?:yaml|size|encoding|output|prototype|links|special files|ids|text|config|environment|gate|scale|import): [^`]+)`/g)].map((m) => plain(m[1]));
    expect(cited.length).toBeGreaterThan(40);
    expect(cited.filter((c) => !names.has(c))).toEqual([]);
  });
});
