import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, formatAnnotation } from '../../scripts/emit/annotations.js';
import { gateAnnotations } from '../../scripts/gate/annotations.js';
import { compare } from '../../scripts/gate/compare.js';
import { mdText as escapeMarkdown } from '../../scripts/emit/markdown.js';
import { MARKER, limit, renderMarkdown, sanitizeBody } from '../../scripts/gate/markdown.js';
import { DEFAULT_GATE_POLICY } from '../../scripts/gate/types.js';
import { snapshot } from './reports.js';

const hostileFile = 'detections/a|b`c<!-- tidemark:gate -->\nd @team [x](http://evil).yaml';

function hostileResult() {
  const base = snapshot({ techniques: [{ id: 'T1059.001', state: 'detected', detections: ['det-x'] }], detections: [{ id: 'det-x', file: hostileFile }] }, { [hostileFile]: 'id: det-x\n' });
  const head = snapshot({ techniques: [{ id: 'T1059.001', state: 'visible', name: 'Power|Shell\n<b>' }] }, {}, [
    { severity: 'error', code: 'schema', message: 'bad <!-- x --> | value\nsecond line', file: hostileFile, line: 2, col: 3 },
  ]);
  return compare(base, head);
}

describe('Markdown summary', () => {
  it('starts with the marker, which repository text cannot repeat', () => {
    const md = renderMarkdown(hostileResult(), { baseRef: 'origin/main', baseCommit: 'a'.repeat(40) });
    expect(md.startsWith(`${MARKER}\n`)).toBe(true);
    expect(md.split('<!--')).toHaveLength(2);
    expect(md).not.toContain('<b>');
    expect(md).not.toContain(' @team');
    expect(md).not.toMatch(/[^\\]\[x\]\(http/);
  });

  it('keeps every table row on one line with the right number of cells', () => {
    const md = renderMarkdown(hostileResult());
    const rows = md.split('\n').filter((l) => l.startsWith('| T1059.001'));
    expect(rows).toHaveLength(2); // a regression that is also a new gap: listed under both
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length - 2).toBe(4);
    expect(rows[0]).toContain('a\\|b\\`c&lt;!-- tidemark:gate --&gt; d @&#8203;team \\[x\\](http://evil).yaml');
  });

  it('escapes what GitHub Markdown would interpret', () => {
    expect(escapeMarkdown('a|b')).toBe('a\\|b');
    expect(escapeMarkdown('`x`')).toBe('\\`x\\`');
    expect(escapeMarkdown('1\r\n2\n3\u20284')).toBe('1 2 3 4');
    expect(escapeMarkdown('<!-- m -->')).toBe('&lt;!-- m --&gt;');
    expect(escapeMarkdown('a\\|')).toBe('a\\\\\\|');
    expect(escapeMarkdown('@octocat')).toBe('@&#8203;octocat');
  });

  it('links the published site only for http(s) URLs', () => {
    const result = compare(snapshot({ techniques: [] }), snapshot({ techniques: [] }));
    expect(renderMarkdown(result, { siteUrl: 'https://example.org/cov/' })).toContain('[Coverage map and gap backlog](https://example.org/cov/)');
    expect(renderMarkdown(result, { siteUrl: 'javascript:alert(1)' })).not.toContain('Coverage map');
    expect(renderMarkdown(result, { siteUrl: 'https://example.org/a)b' })).toContain('(https://example.org/a%29b)');
  });

  it('reports the score before and after', () => {
    const result = compare(snapshot({ techniques: [{ id: 'T1', state: 'detected' }] }), snapshot({ techniques: [{ id: 'T1', state: 'validated' }] }));
    const md = renderMarkdown(result);
    expect(md).toContain('**Coverage score** 50.0% → 100.0% (+50.0 pts)');
    expect(md).toContain('### Other state changes');
    expect(md).toContain('✅ tidemark gate passed');
  });

  it('stays under the comment size limit', () => {
    const body = `${MARKER}\n${'line of text\n'.repeat(10_000)}`;
    const cut = limit(body, 5_000);
    expect(cut.length).toBeLessThan(5_000);
    expect(cut).toContain('truncated');
  });

  it('sanitizes a body from an artifact: one marker first, no other HTML comment', () => {
    const body = sanitizeBody(`intro\n${MARKER}\n<!-- tidemark:gate -->\n<!--x-->`);
    expect(body.startsWith(`${MARKER}\n`)).toBe(true);
    expect(body.split('<!--')).toHaveLength(2);
  });
});

describe('annotations', () => {
  it('escapes data and properties as the runner decodes them', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
    expect(formatAnnotation({ level: 'error', file: 'groups/a,b:c.yaml', line: 3, col: 5, title: 'x: y', message: 'm::n\n' })).toBe(
      '::error file=groups/a%2Cb%3Ac.yaml,line=3,col=5,title=x%3A y::m::n%0A',
    );
    expect(formatAnnotation({ level: 'warning', message: 'plain' })).toBe('::warning::plain');
  });

  it('errors for failing rules, warnings for rules not in fail_on and for new groups', () => {
    const base = snapshot({ techniques: [{ id: 'T1', state: 'detected' }] });
    const head = snapshot({ techniques: [{ id: 'T1', state: 'visible' }, { id: 'T2', state: 'blind', groups: ['G9'] }], groups: [{ id: 'G0001' }, { id: 'G9' }] });
    const levels = (policy = DEFAULT_GATE_POLICY) => gateAnnotations(compare(base, head, policy)).map((a) => `${a.level} ${a.title}`);
    expect(levels()).toEqual(['error tidemark regression and new gap: T1', 'warning tidemark gap from a new group: T2']);
    expect(levels({ ...DEFAULT_GATE_POLICY, fail_on: ['invalid'] })[0]).toBe('warning tidemark regression and new gap: T1');
  });
});
