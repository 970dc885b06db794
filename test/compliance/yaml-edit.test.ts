import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { appendToList } from '../../scripts/compliance/yaml-edit.js';

describe('appending to a list in a person\'s YAML file', () => {
  it('adds to a flow list before its bracket, keeping the trailing comment and everything else', () => {
    const text = '# why this control exists\nid: c\ntechniques: [T1059.001, "T1204.002"]  # reviewed 2026-09\ncompliance: { nist-800-53-r5: [SI-3] }\n';
    const { text: out, how } = appendToList(text, ['techniques'], ['T1566.001', 'T1078']);
    expect(how).toBe('offsets');
    expect(out).toBe('# why this control exists\nid: c\ntechniques: [T1059.001, "T1204.002", T1566.001, T1078]  # reviewed 2026-09\ncompliance: { nist-800-53-r5: [SI-3] }\n');
  });

  it('fills an empty flow list', () => {
    expect(appendToList('id: c\ntechniques: []\nstatus: planned\n', ['techniques'], ['T1486']).text).toBe('id: c\ntechniques: [T1486]\nstatus: planned\n');
  });

  it('adds lines to a block list at its indentation, after the last entry and its comment, before what follows', () => {
    const text = 'id: c\ntechniques:\n    - T1059.001   # noisy\n    - T1078\n\n# compliance below\ncompliance:\n  cis-v8: ["10.5"]\n';
    const { text: out, how } = appendToList(text, ['techniques'], ['T1486', 'T1490']);
    expect(how).toBe('offsets');
    expect(out).toBe('id: c\ntechniques:\n    - T1059.001   # noisy\n    - T1078\n    - T1486\n    - T1490\n\n# compliance below\ncompliance:\n  cis-v8: ["10.5"]\n');
  });

  it('keeps a folded description after the list byte for byte, and Windows line ends', () => {
    const long = 'A description long enough to be re-wrapped by any YAML printer that folds at eighty columns, which it must not be.';
    const text = `id: c\r\ntechniques:\r\n- T1059\r\ndescription: >-\r\n  ${long}\r\n`;
    const { text: out } = appendToList(text, ['techniques'], ['T1486']);
    expect(out).toBe(`id: c\r\ntechniques:\r\n- T1059\r\n- T1486\r\ndescription: >-\r\n  ${long}\r\n`);
  });

  it('appends mappings to a block list of mappings (telemetry sources), a block scalar last', () => {
    const text = 'sources:\n  - id: a\n    name: A\n    status: collected\n    description: >-\n      folded\n      text\n\n# planned next year\n';
    const { text: out } = appendToList(text, ['sources'], [{ id: 'b', name: 'B', status: 'planned', data_components: ['Process Creation'] }]);
    expect(out).toBe(
      'sources:\n  - id: a\n    name: A\n    status: collected\n    description: >-\n      folded\n      text\n  - id: b\n    name: B\n    status: planned\n    data_components: [Process Creation]\n\n# planned next year\n',
    );
    expect((parse(out) as { sources: unknown[] }).sources).toHaveLength(2);
  });

  it('adds a missing list at the end, and refuses a node that is not a list', () => {
    expect(appendToList('id: c\ntitle: T', ['techniques'], ['T1486']).text).toBe('id: c\ntitle: T\ntechniques: [T1486]\n');
    expect(() => appendToList('techniques: T1486\n', ['techniques'], ['T1059'])).toThrow('`techniques` is not a list');
    expect(() => appendToList('- a\n- b\n', ['techniques'], ['T1059'])).toThrow('not a YAML mapping');
  });

  it('falls back to the Document API for a layout offsets cannot handle, keeping comments', () => {
    const text = '# keep me\nsources: [] # empty for now\n';
    const { text: out, how } = appendToList(text, ['sources'], [{ id: 'b', name: 'B', status: 'planned', sigma: [{ product: 'windows' }] }]);
    expect(how).toBe('document');
    expect(out).toContain('# keep me');
    expect(parse(out)).toEqual({ sources: [{ id: 'b', name: 'B', status: 'planned', sigma: [{ product: 'windows' }] }] });
  });
});
