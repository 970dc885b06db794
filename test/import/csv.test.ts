import { describe, expect, it } from 'vitest';
import { parseCsv, readCsvTable } from '../../scripts/import/csv.js';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, remembering each row\'s first line', () => {
    const { rows, problem } = parseCsv('\uFEFFa,b,c\r\n"x, y","say ""hi""",\n"multi\nline",2,3\n\n4,5,6');
    expect(problem).toBeUndefined();
    expect(rows).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['x, y', 'say "hi"', ''] },
      { line: 3, fields: ['multi\nline', '2', '3'] },
      { line: 6, fields: ['4', '5', '6'] },
    ]);
  });

  it('reports a quoted field that is never closed at the line it opened', () => {
    expect(parseCsv('a,b\n1,2\n"open,3\n4,5\n').problem).toEqual({ line: 3, message: expect.stringMatching(/never closed/) });
  });

  it('reports text after a closing quote', () => {
    expect(parseCsv('a,b\n1,2\n"Dump "LSASS" memory",3\n').problem).toEqual({ line: 3, message: expect.stringMatching(/after a closing quote/) });
  });

  it('keeps a stray quote inside an unquoted field', () => {
    expect(parseCsv('a,b\n5" disk,2\n').rows[1].fields).toEqual(['5" disk', '2']);
  });
});

describe('readCsvTable', () => {
  it('names missing columns, accepts alternatives and loose header spelling', () => {
    const table = readCsvTable(' Time ,HOST,detection\n2026-01-01T00:00:00Z,h,d\n', ['time', 'host', 'rule|detection'], 'alerts file');
    expect(table.problems).toEqual([]);
    expect(table.records[0].get('rule|detection')).toBe('d');
    const missing = readCsvTable('time,rule\n', ['time', 'host', 'rule|detection'], 'alerts file');
    expect(missing.problems).toEqual([{ line: 1, message: expect.stringContaining('lacks column "host"') }]);
  });

  it('flags rows of the wrong width', () => {
    expect(readCsvTable('a,b\n1,2\n3\n', ['a'], 'file').problems).toEqual([{ line: 3, message: 'this row has 1 field(s), the header has 2' }]);
  });
});
