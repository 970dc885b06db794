import { describe, expect, it } from 'vitest';
import { canonicalId, compareIds, frameworkOfExplorer } from '../../scripts/compliance/frameworks.js';

describe('compliance ids in canonical form', () => {
  it.each([
    ['nist-800-53-r5', 'AC-2', 'AC-2'],
    ['nist-800-53-r5', 'AC-02', 'AC-2'],
    ['nist-800-53-r5', 'ac-02', 'AC-2'],
    ['nist-800-53-r5', 'AC-2(1)', 'AC-2(1)'],
    ['nist-800-53-r5', 'AC-02(01)', 'AC-2(1)'],
    ['nist-800-53-r5', 'AC-2 (1)', 'AC-2(1)'],
    ['nist-800-53-r5', 'SI-03', 'SI-3'],
    ['nist-800-53-r5', 'SC-10', 'SC-10'],
    ['cis-v8', '10.5', '10.5'],
    ['cis-v8', '10.05', '10.5'],
    ['cis-v8', '4', '4'],
    ['iso-27001-2022', 'A.8.7', 'A.8.7'],
    ['iso-27001-2022', 'A.8.07', 'A.8.7'],
    ['iso-27001-2022', '8.7', 'A.8.7'],
    ['nist-800-53-r5', 'not an id', 'not an id'],
    ['unknown-framework', ' X-1 ', 'X-1'],
  ])('%s %s → %s', (framework, id, canonical) => {
    expect(canonicalId(framework, id)).toBe(canonical);
  });

  it('orders requirements as the catalogue does: family, number, enhancement', () => {
    expect(['AC-10', 'AC-2(1)', 'SI-3', 'AC-2', 'AC-3'].sort(compareIds)).toEqual(['AC-2', 'AC-2(1)', 'AC-3', 'AC-10', 'SI-3']);
    expect(['10.5', '2.7', '10.10', '2.5'].sort(compareIds)).toEqual(['2.5', '2.7', '10.5', '10.10']);
  });

  it('knows which Mappings Explorer framework files map a repository framework', () => {
    expect(frameworkOfExplorer('nist_800_53', 'rev5')?.key).toBe('nist-800-53-r5');
    expect(frameworkOfExplorer('NIST_800_53', 'REV5')?.key).toBe('nist-800-53-r5');
    expect(frameworkOfExplorer('nist_800_53', 'rev4')).toBeUndefined();
    expect(frameworkOfExplorer('aws', '09.21.2021')).toBeUndefined();
    expect(frameworkOfExplorer(undefined, undefined)).toBeUndefined();
  });
});
