/**
 * RFC 4180 CSV with line numbers: every row remembers the line it starts on, and a broken quote is
 * reported at the line where the quoted field opened. Lenient where real exports are (LF or CRLF,
 * a BOM, blank lines, a stray quote inside an unquoted field); strict where data would be lost
 * (a quoted field never closed, text after a closing quote, rows of the wrong width).
 */
import type { Problem } from './types.js';

export interface CsvRow {
  /** 1-based line on which the row starts. */
  line: number;
  fields: string[];
}

export function parseCsv(text: string): { rows: CsvRow[]; problem?: Problem } {
  const rows: CsvRow[] = [];
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  while (i < n) {
    // Blank line: not a record.
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n')) {
      i += text[i] === '\r' ? 2 : 1;
      line++;
      continue;
    }
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let value = '';
      if (text[i] === '"') {
        const opened = line;
        i++;
        for (;;) {
          if (i >= n) return { rows, problem: { line: opened, message: 'a quoted field opened on this line is never closed (unbalanced ")' } };
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          value += c;
          i++;
        }
        const next = text[i];
        if (i < n && next !== ',' && next !== '\n' && !(next === '\r' && text[i + 1] === '\n')) {
          return { rows, problem: { line, message: `unexpected ${JSON.stringify(next)} after a closing quote; a " inside a quoted field is written ""` } };
        }
      } else {
        const from = i;
        while (i < n && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) i++;
        value = text.slice(from, i);
      }
      fields.push(value);
      if (text[i] === ',') {
        i++;
        continue;
      }
      // End of record: newline or end of text.
      if (i < n) {
        i += text[i] === '\r' ? 2 : 1;
        line++;
      }
      break;
    }
    rows.push({ line: start, fields });
  }
  return { rows };
}

/** The header as found, bounded: a file that is no CSV at all has one enormous "column". */
function foundColumns(fields: string[]): string {
  const shown = fields.slice(0, 12).map((f) => JSON.stringify(f.length > 40 ? `${f.slice(0, 40)}…` : f));
  return `${shown.join(', ')}${fields.length > 12 ? `, … ${fields.length - 12} more` : ''}`;
}

/** Header names compared loosely: case, surrounding spaces and runs of spaces do not matter. */
export const columnKey = (name: string): string => name.trim().replace(/\s+/g, ' ').toLowerCase();

export interface CsvRecord {
  line: number;
  /** The value of a column by name (loosely compared), '' when the column is absent. */
  get(column: string): string;
}

export interface CsvTable {
  columns: string[];
  records: CsvRecord[];
  problems: Problem[];
}

/**
 * A CSV with a header row: checks that `required` columns are there (each entry may list
 * alternatives, `a|b`) and that every row has as many fields as the header.
 */
export function readCsvTable(text: string, required: readonly string[], what: string): CsvTable {
  const { rows, problem } = parseCsv(text);
  const problems: Problem[] = problem ? [problem] : [];
  if (problem) return { columns: [], records: [], problems };
  const [header, ...body] = rows;
  if (!header) return { columns: [], records: [], problems: [{ line: 1, message: `the ${what} is empty: no header row` }] };
  const index = new Map<string, number>();
  header.fields.forEach((name, i) => {
    if (!index.has(columnKey(name))) index.set(columnKey(name), i);
  });
  const missing = required.filter((spec) => !spec.split('|').some((alt) => index.has(columnKey(alt))));
  if (missing.length) {
    problems.push({
      line: header.line,
      message: `the ${what} lacks column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m.replace('|', '" or "')}"`).join(', ')} (found: ${foundColumns(header.fields)})`,
    });
    return { columns: header.fields, records: [], problems };
  }
  const records: CsvRecord[] = [];
  for (const row of body) {
    if (row.fields.length !== header.fields.length) {
      problems.push({ line: row.line, message: `this row has ${row.fields.length} field(s), the header has ${header.fields.length}` });
      continue;
    }
    records.push({
      line: row.line,
      get: (column) => {
        for (const alt of column.split('|')) {
          const at = index.get(columnKey(alt));
          if (at !== undefined) return row.fields[at];
        }
        return '';
      },
    });
  }
  return { columns: header.fields, records, problems };
}
