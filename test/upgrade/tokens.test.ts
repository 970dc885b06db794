/** The pure text steps: finding ids with word boundaries, telling values from mentions, exact edits. */
import { describe, expect, it } from 'vitest';
import { applyEdits, pinEdits, PinNotFound } from '../../scripts/upgrade/rewrite.js';
import { inStyleOf, lineIndex, scanReferences, structuralOffsets } from '../../scripts/upgrade/tokens.js';
import { md } from '../../scripts/upgrade/render.js';

const ids = (text: string) => scanReferences('f.yaml', text).map((r) => `${r.token}@${r.line}:${r.col}${r.structural ? '' : '~'}`);

describe('scanReferences', () => {
  it.each([
    ['techniques: [T1059.001]', ['T1059.001@1:14']],
    ['x: T1059.0011', []],
    ['x: T10590', []],
    ['x: AT1086', []],
    ['x: T1086_old', []],
    ['x: "see T1086."', ['T1086@1:9~']],
    ['x: https://attack.mitre.org/techniques/T1574/002/', ['T1574@1:40~']],
    ['tags: [attack.t1086, attack.T1059.001, ATTACK.G0016, attack.s0154]', ['t1086@1:15', 'T1059.001@1:29', 'G0016@1:47', 's0154@1:61']],
    ['tags: [attack.defense_evasion, attack.t1086x, xattack.t1086]', []],
    ['# T1086 in a comment\nid: M1040', ['T1086@1:3~', 'M1040@2:5']],
    ['mitigations: [m1040]', []],
  ])('%j', (text, expected) => {
    expect(ids(text)).toEqual(expected);
  });

  it('counts columns per line with CRLF endings', () => {
    expect(ids('a: 1\r\nb: [ "T1086" ]\r\n')).toEqual(['T1086@2:7']);
  });

  it('knows values by their YAML node, whatever the quoting or style', () => {
    const text = [
      "a: 'T1086'",
      'b: [ "T1086" ,T1027 ]',
      'c:',
      '  - { id: T1086, note: "T1086 twice" }',
      '  - "attack.t1086"',
      'd: |',
      '  T1086',
      'T1086: key not value',
    ].join('\n');
    const structural = scanReferences('f.yaml', text).map((r) => `${r.line}:${r.col}:${r.structural}`);
    expect(structural).toEqual(['1:5:true', '2:7:true', '2:15:true', '4:11:true', '4:25:false', '5:13:true', '7:3:false', '8:1:false']);
  });

  it('a file that does not parse has no values to rewrite, only mentions', () => {
    expect(structuralOffsets('a: [T1086\nb: ]]')).toEqual(new Set());
    expect(ids('a: [T1086\nb: ]]')).toEqual(['T1086@1:5~']);
  });
});

describe('edits', () => {
  it('keeps the case style of the token', () => {
    expect([inStyleOf('t1086', 'T1059.001'), inStyleOf('T1086', 'T1059.001'), inStyleOf('g0042', 'G0040')]).toEqual(['t1059.001', 'T1059.001', 'g0040']);
  });

  it('applies edits at exact offsets and refuses overlaps', () => {
    expect(applyEdits('ab T1086 cd T1086', [{ offset: 12, length: 5, text: 'X' }, { offset: 3, length: 5, text: 'Y' }])).toBe('ab Y cd X');
    expect(() => applyEdits('abcdef', [{ offset: 0, length: 3, text: '' }, { offset: 2, length: 1, text: '' }])).toThrow(RangeError);
  });

  it.each([
    ['attack:\n  version: "15.1"  # pin\n', 'attack:\n  version: "18.1"  # pin\n'],
    ["attack: { domain: enterprise-attack, version: '15.1' }\r\n", "attack: { domain: enterprise-attack, version: '18.1' }\r\n"],
    ['attack:\n  version: 15.1\n', 'attack:\n  version: 18.1\n'],
  ])('moves the pin keeping its quoting: %j', (before, after) => {
    expect(applyEdits(before, pinEdits(before, '18.1'))).toBe(after);
  });

  it('updates a pinned sha256 with the pin, and says when there is no pin', () => {
    const text = `attack:\n  version: "15.1"\n  sha256: ${'a'.repeat(64)}\n`;
    expect(applyEdits(text, pinEdits(text, '18.1', 'b'.repeat(64)))).toBe(`attack:\n  version: "18.1"\n  sha256: ${'b'.repeat(64)}\n`);
    expect(() => pinEdits('organisation: {}\n', '18.1')).toThrow(PinNotFound);
  });

  it('lineIndex maps offsets to lines and columns', () => {
    const at = lineIndex('ab\ncd\n\nef');
    expect([at(0), at(3), at(4), at(6), at(7)]).toEqual([
      { line: 1, col: 1 },
      { line: 2, col: 1 },
      { line: 2, col: 2 },
      { line: 3, col: 1 },
      { line: 4, col: 1 },
    ]);
  });
});

describe('md', () => {
  it('escapes Markdown, HTML and mentions from repository or ATT&CK text', () => {
    expect(md('a|b <!-- x --> *y* [l](u) @team `c`\nnext')).toBe('a\\|b &lt;!-- x --&gt; \\*y\\* \\[l\\](u) &#64;team \\`c\\` next');
  });
});
