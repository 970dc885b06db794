/**
 * The Atomic Red Team index CSV (`Tactic, Technique #, Technique Name, Test #, Test Name, Test
 * GUID, Executor Name`, one row per test per tactic) and atomics files (`atomics/<T>/<T>.yaml`)
 * into one index of tests keyed by GUID. Plain data, so it can be cached as JSON.
 */
import { parse } from 'yaml';
import { readCsvTable } from '../import/csv.js';
import { isObject, str } from '../import/json.js';
import type { Problem } from '../import/types.js';
import { attackPlatforms, platformsOfExecutor } from './platforms.js';

export interface AtomicTest {
  /** Lower-case GUID, the stable key. */
  guid: string;
  technique: string;
  /** 1-based position in the technique's atomics file. */
  number: number;
  name: string;
  executor: string;
  /** ATT&CK platform names; empty = runs anywhere (manual tests). */
  platforms: string[];
  /** Where `platforms` came from: the executor (index only) or the atomics file. */
  platformsFrom: 'executor' | 'atomics';
  tactics: string[];
}

export interface AtomicIndex {
  /** By lower-case GUID. */
  tests: Record<string, AtomicTest>;
  /** Technique id (upper-case) → GUIDs in test-number order. */
  byTechnique: Record<string, string[]>;
}

const COLUMNS = ['Tactic', 'Technique #', 'Technique Name', 'Test #', 'Test Name', 'Test GUID', 'Executor Name'] as const;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function addTest(index: AtomicIndex, test: AtomicTest): void {
  index.tests[test.guid] = test;
  const list = (index.byTechnique[test.technique] ??= []);
  if (!list.includes(test.guid)) list.push(test.guid);
  list.sort((a, b) => index.tests[a].number - index.tests[b].number || (a < b ? -1 : 1));
}

/** Parses the index CSV; rows that cannot be used are reported and left out. */
export function parseAtomicIndex(text: string): { index: AtomicIndex; problems: Problem[] } {
  const index: AtomicIndex = { tests: {}, byTechnique: {} };
  const table = readCsvTable(text, COLUMNS, 'Atomic Red Team index');
  const problems = [...table.problems];
  for (const row of table.records) {
    const guid = row.get('Test GUID').trim().toLowerCase();
    const technique = row.get('Technique #').trim().toUpperCase();
    if (!GUID.test(guid)) {
      problems.push({ line: row.line, message: `"Test GUID" ${JSON.stringify(row.get('Test GUID'))} is not a GUID` });
      continue;
    }
    const tactic = row.get('Tactic').trim();
    const known = index.tests[guid];
    if (known) {
      if (known.technique !== technique) {
        problems.push({ line: row.line, message: `test ${guid} is listed under ${known.technique} and ${technique}; the first is kept` });
      } else if (tactic && !known.tactics.includes(tactic)) known.tactics.push(tactic);
      continue;
    }
    const executor = row.get('Executor Name').trim().toLowerCase();
    addTest(index, {
      guid,
      technique,
      number: Number(row.get('Test #')) || 0,
      name: row.get('Test Name').trim(),
      executor,
      platforms: platformsOfExecutor(executor),
      platformsFrom: 'executor',
      tactics: tactic ? [tactic] : [],
    });
  }
  return { index, problems };
}

/**
 * Applies an atomics file (`atomics/<T>/<T>.yaml`) to the index: its `supported_platforms` replace
 * what the executor suggested, and tests the index does not list yet are added.
 */
export function applyAtomicsFile(index: AtomicIndex, yamlText: string): void {
  let doc: unknown;
  try {
    doc = parse(yamlText, { uniqueKeys: false, maxAliasCount: 100 });
  } catch {
    return;
  }
  if (!isObject(doc) || !Array.isArray(doc.atomic_tests)) return;
  const technique = str(doc.attack_technique)?.toUpperCase();
  doc.atomic_tests.forEach((raw, i) => {
    if (!isObject(raw)) return;
    const guid = str(raw.auto_generated_guid)?.toLowerCase();
    if (!guid || !GUID.test(guid)) return;
    const platforms = Array.isArray(raw.supported_platforms) ? attackPlatforms(raw.supported_platforms.map(String)) : undefined;
    const known = index.tests[guid];
    if (known) {
      if (platforms) Object.assign(known, { platforms, platformsFrom: 'atomics' });
      return;
    }
    if (!technique) return;
    const executor = isObject(raw.executor) ? (str(raw.executor.name)?.toLowerCase() ?? '') : '';
    addTest(index, {
      guid,
      technique,
      number: i + 1,
      name: str(raw.name) ?? guid,
      executor,
      platforms: platforms ?? platformsOfExecutor(executor),
      platformsFrom: platforms ? 'atomics' : 'executor',
      tactics: [],
    });
  });
}
