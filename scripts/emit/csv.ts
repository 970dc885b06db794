/**
 * `backlog.csv`: the gap backlog for spreadsheets. RFC 4180 (CRLF, quotes doubled, a field quoted
 * when it holds a comma, quote or line break), and safe to open: a cell that a spreadsheet would
 * run as a formula (= + - @, or a leading tab / carriage return) gets a leading apostrophe.
 */
import type { Report } from '../model/report.js';

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: formula injection neutralised, then quoted when RFC 4180 needs it. */
export function csvCell(value: string | number | boolean | undefined | null): string {
  let text = value === undefined || value === null ? '' : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvRow = (cells: readonly (string | number | boolean | undefined | null)[]): string => cells.map(csvCell).join(',');

export const BACKLOG_COLUMNS = ['rank', 'technique', 'name', 'tactics', 'state', 'priority', 'weight', 'groups', 'action', 'tests'] as const;

/** The backlog in its order, with a header row; every line ends with CRLF. */
export function backlogCsv(report: Report): string {
  const byId = new Map(report.techniques.map((t) => [t.id, t]));
  const rows = report.backlog.map((b, i) => {
    const t = byId.get(b.id);
    return csvRow([
      i + 1,
      b.id,
      b.name,
      (t?.tactics ?? []).join(' '),
      b.state,
      b.priority,
      t?.weight,
      b.groups.join(' '),
      b.action,
      (b.tests ?? []).map((x) => `${x.name} (${x.guid})`).join('; '),
    ]);
  });
  return [csvRow([...BACKLOG_COLUMNS]), ...rows].map((line) => `${line}\r\n`).join('');
}
