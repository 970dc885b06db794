/** The site re-validates its one input: a report that does not match ReportSchema stops the build with a clear message. */
import { describe, expect, it } from 'vitest';
import { parseReport, ReportError, readReport } from '../../site/src/lib/report.js';
import { linkify } from '../../site/src/lib/text.js';
import { makeReport } from './fixture.js';

describe('report loading', () => {
  const valid = makeReport({ overlay: 40 });

  it('accepts a report that matches the schema', () => {
    expect(parseReport(JSON.stringify(valid), 'build/report.json').summary.overlay).toBe(40);
  });

  it('names each schema error with its path and says how to regenerate the report', () => {
    const broken = { ...valid, summary: { ...valid.summary, score: 'high' }, techniques: [{ id: 'T1059' }] };
    const error = (() => {
      try {
        parseReport(JSON.stringify(broken), 'build/report.json');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(ReportError);
    expect(error?.message).toMatch(/^build\/report\.json is not a valid tidemark report \(\d+ schema errors\):/);
    expect(error?.message).toContain('/summary/score must be number');
    expect(error?.message).toMatch(/\/techniques\/0 must have required property '\w+'/);
    expect(error?.message).toContain('Run `npx tidemark score`');
  });

  it('explains a missing or unparsable report', () => {
    expect(() => readReport('/nonexistent/report.json')).toThrow(/No report at \/nonexistent\/report\.json \(ENOENT\)\. Run `npx tidemark score`/);
    expect(() => parseReport('{"tool":', 'r.json')).toThrow(/r\.json is not JSON/);
  });
});

describe('repository text', () => {
  it('links only http(s) URLs', () => {
    expect(linkify('see https://example.org/a, javascript:alert(1) and data:text/html,x or http://x.test/b.')).toEqual([
      { text: 'see ' },
      { text: 'https://example.org/a', url: 'https://example.org/a' },
      { text: ', javascript:alert(1) and data:text/html,x or ' },
      { text: 'http://x.test/b', url: 'http://x.test/b' },
      { text: '.' },
    ]);
    expect(linkify('<a href="javascript:x">https://ok.test/"onmouseover=x</a>')).toEqual([
      { text: '<a href="javascript:x">' },
      { text: 'https://ok.test/', url: 'https://ok.test/' },
      { text: '"onmouseover=x</a>' },
    ]);
  });
});
