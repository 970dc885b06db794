import { describe, expect, it } from 'vitest';
import { backlogCsv, csvCell, csvRow } from '../../scripts/emit/csv.js';
import { mdText, summaryMarkdown } from '../../scripts/emit/markdown.js';
import { buildReport } from '../../scripts/emit/report.js';
import { evaluate } from '../../scripts/evaluate/index.js';
import { catalog } from '../fixtures/catalog.js';
import { config, group, NOW, repository, source } from '../evaluate/builders.js';
import { SCENARIO } from '../evaluate/scenario.js';

const meta = { toolVersion: '0.1.0', generatedAt: NOW.toISOString() };

/** A repository whose free text is hostile: a source name and an organisation name full of table breakers. */
const HOSTILE = repository({
  config: config({ organisation: { name: 'Evil | Org <!-- tidemark -->\n# heading' } }),
  groups: [group('X-a', { techniques: { add: ['T1059'] } })],
  telemetry: [source('src', { name: '=HYPERLINK("http://x","y") | `rm` <b>\nnext line <!-- tidemark:sticky -->', data_components: ['DC0064'] })],
});

describe('backlog.csv', () => {
  it('quotes per RFC 4180 and ends lines with CRLF', () => {
    expect(csvRow(['plain', 'a,b', 'say "hi"', 'two\nlines', 3])).toBe('plain,"a,b","say ""hi""","two\nlines",3');
    const csv = backlogCsv(buildReport(evaluate(SCENARIO, catalog, NOW), meta));
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('rank,technique,name,tactics,state,priority,weight,groups,action,tests');
    expect(lines[1]).toBe('1,T1566.001,Spearphishing Attachment,initial-access,failed,5,5,G0016 G0102,"Fix det-phish: not detected on 2026-10-02 (atomic ""Word macro spawns PowerShell"")",');
    expect(lines).toHaveLength(8 + 2); // header, 8 entries, trailing empty string after the last CRLF
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('neutralises spreadsheet formulas: cells starting with = + - @ get a leading apostrophe', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+cmd')).toBe("'+cmd");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(-1)).toBe('-1');
  });

  it('neutralises formulas coming from repository text', () => {
    const report = buildReport(evaluate(HOSTILE, catalog, NOW), meta);
    expect(backlogCsv(report).split('\r\n')[1]).toContain('Write a detection: =HYPERLINK(""http://x"",""y"")');
    const hostile = { ...report, backlog: [{ ...report.backlog[0], name: '=cmd|\' /C calc\'!A0', action: '@SUM(1+1)' }] };
    const row = backlogCsv(hostile).split('\r\n')[1];
    expect(row).toContain(",'=cmd|' /C calc'!A0,");
    expect(row).toContain(",'@SUM(1+1),");
  });
});

describe('summary.md', () => {
  it('shows the score, state counts, the top gaps and the findings count', () => {
    const md = summaryMarkdown(buildReport(evaluate(SCENARIO, catalog, NOW), meta), { siteUrl: 'https://defence.example.org/' });
    expect(md).toContain('**Weighted coverage score: 27.8%** (0.2778) against ATT&CK enterprise-attack 18.1: 9 techniques in the threat overlay, 6 of them gaps.');
    expect(md).toContain('| blind | 3 |');
    expect(md).toContain('| validated | 1 |');
    expect(md).toContain(
      '| 1 | [T1566.001 Spearphishing Attachment](https://defence.example.org/techniques/T1566.001/) | failed | 5 | G0016, G0102 | Fix det-phish: not detected on 2026-10-02 (atomic "Word macro spawns PowerShell") |',
    );
    expect(md).toMatch(/Findings: 0 errors, 1 warning, 1 info\./);
  });

  it('escapes repository text so it cannot break a table, add HTML or a comment marker', () => {
    const md = summaryMarkdown(buildReport(evaluate(HOSTILE, catalog, NOW), meta));
    expect(md).not.toContain('<!-- tidemark');
    expect(md).not.toContain('<!--');
    expect(md).not.toMatch(/<[a-z!]/i);
    // Every row of the gaps table has exactly the table's six cells: no unescaped pipe got through.
    const rows = md.split('\n').filter((l) => l.startsWith('| 1 |'));
    expect(rows).toHaveLength(1);
    const cells = rows[0].split(/(?<!\\)\|/).slice(1, -1);
    expect(cells).toHaveLength(6);
    expect(rows[0]).toContain('\\`rm\\`');
    expect(rows[0]).toContain('&lt;b&gt; next line');
    // The organisation name stays on its heading line.
    expect(md.split('\n')[0]).toBe('### tidemark: ATT&CK coverage of Evil \\| Org &lt;!-- tidemark --&gt; \\# heading');
  });

  it('mdText flattens lines and escapes Markdown and HTML', () => {
    expect(mdText('a|b`c`<i>\r\nd\\e [x](y)')).toBe('a\\|b\\`c\\`&lt;i&gt; d\\\\e \\[x\\](y)');
  });

  it('says so when the backlog is empty', () => {
    expect(summaryMarkdown(buildReport(evaluate(repository(), catalog, NOW), meta))).toContain('The backlog is empty');
  });

  it('links a technique only to a plain http(s) site URL', () => {
    const md = summaryMarkdown(buildReport(evaluate(SCENARIO, catalog, NOW), meta), { siteUrl: 'javascript:alert(1)//' });
    expect(md).not.toContain('](');
  });
});
