import { describe, expect, it } from 'vitest';
import { parseFiles } from '../../scripts/load/files.js';
import { parseYaml } from '../../scripts/load/yaml.js';

const enc = (s: string) => new TextEncoder().encode(s);
const one = (text: string | Uint8Array, path = 'groups/g.yaml') => parseFiles([{ path, bytes: typeof text === 'string' ? enc(text) : text }])[0];

describe('YAML loading with positions', () => {
  it('locates a nested node by its path, also after parsing', () => {
    const parsed = parseYaml('d.yaml', 'id: x\ntechniques:\n  - T1059\n  - T9999\nstatus: stable\n');
    expect(parsed.locate(['techniques', 1])).toEqual({ line: 4, col: 5 });
    expect(parsed.locate(['status'])).toEqual({ line: 5, col: 9 });
    // A missing key points at the deepest node that exists.
    expect(parsed.locate(['query', 'text'])).toEqual({ line: 1, col: 1 });
  });

  it('reports malformed YAML with its line instead of throwing', () => {
    const parsed = one('id: G0016\nrelevance: [high\nrationale: x\n');
    expect(parsed.values).toEqual([]);
    expect(parsed.findings[0]).toMatchObject({ code: 'yaml-syntax', severity: 'error', file: 'groups/g.yaml' });
    expect(parsed.findings[0].line).toBeGreaterThanOrEqual(2);
  });

  it('refuses duplicate keys at the second key', () => {
    const parsed = one('id: G0016\nrelevance: high\nid: G0102\n');
    expect(parsed.findings).toHaveLength(1);
    expect(parsed.findings[0]).toMatchObject({ code: 'yaml-duplicate-key', line: 3, col: 1 });
  });

  it('refuses an alias bomb without expanding it', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const started = performance.now();
    const parsed = one(levels.join('\n'));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(parsed.findings[0]).toMatchObject({ code: 'yaml-too-complex' });
  });

  it('names invalid UTF-8 and binary files with their line', () => {
    const bad = one(new Uint8Array([...enc('id: a\ntitle: '), 0xc3, 0x28, ...enc('\n')]));
    expect(bad.findings[0]).toMatchObject({ code: 'file-encoding', line: 2 });
    const binary = one(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]));
    expect(binary.findings[0]).toMatchObject({ code: 'file-encoding', line: 1 });
    expect(binary.findings[0].message).toContain('binary');
  });

  it('reads a byte-order mark and CRLF line endings', () => {
    const parsed = one(`\ufeffid: G0016\r\nrelevance: high\r\n`);
    expect(parsed.findings).toEqual([]);
    expect(parsed.values[0]).toEqual({ id: 'G0016', relevance: 'high' });
    expect(parsed.locate(['relevance'])).toEqual({ line: 2, col: 12 });
  });

  it('keeps __proto__ as an ordinary key and leaves Object.prototype alone', () => {
    const parsed = one('id: x\n__proto__:\n  polluted: yes\nconstructor: { prototype: { polluted: yes } }\n');
    expect(parsed.findings).toEqual([]);
    const value = parsed.values[0] as Record<string, unknown>;
    expect(Object.keys(value)).toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  });

  it('reports absurd nesting as too complex, not a crash', () => {
    const parsed = one(`${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
    expect(parsed.findings.length).toBeGreaterThan(0);
    expect(parsed.findings[0].severity).toBe('error');
  });

  it('keeps dates and versions as text (YAML 1.2 core schema)', () => {
    const parsed = one('reviewed: 2026-09-01\nversion: "18.1"\n');
    expect(parsed.values[0]).toEqual({ reviewed: '2026-09-01', version: '18.1' });
  });
});
