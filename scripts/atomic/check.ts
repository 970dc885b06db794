/**
 * Emulation results that name an Atomic Red Team test must name a real one, of their technique.
 * Warnings, not errors: the index may be older than the test, or on another ATT&CK release.
 */
import { finding, type Finding, type NodePath } from '../model/findings.js';
import type { AtomicIndex } from './parse.js';

export interface AtomicResult {
  technique: string;
  test?: { type: string; id?: string; name?: string };
  file?: string;
  path?: NodePath;
}

export function checkAtomicIds(records: readonly AtomicResult[], index: AtomicIndex): Finding[] {
  const findings: Finding[] = [];
  for (const record of records) {
    if (record.test?.type !== 'atomic' || !record.test.id) continue;
    const at = { file: record.file, path: [...(record.path ?? []), 'test', 'id'] };
    const test = index.tests[record.test.id.trim().toLowerCase()];
    if (!test) {
      findings.push(finding('atomic-test-unknown', `Atomic test ${record.test.id} is not in the Atomic Red Team index.`, at));
    } else if (test.technique !== record.technique.toUpperCase()) {
      findings.push(
        finding(
          'atomic-test-mismatch',
          `Atomic test ${record.test.id} ("${test.name}") is a test of ${test.technique}, not of ${record.technique}.`,
          at,
        ),
      );
    }
  }
  return findings;
}
