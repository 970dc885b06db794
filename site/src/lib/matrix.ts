/**
 * The ATT&CK matrix as plain data for the matrix page: columns in the report's tactic order, each
 * with its techniques (by name, as ATT&CK lists them) and their sub-techniques. A technique under
 * several tactics appears in each column; its first column holds the cell that counts
 * (`primary`), the others repeat it. Overlay techniques the report places under no known tactic
 * get an extra column, so every overlay technique has exactly one primary cell.
 */
import type { State } from '../../../scripts/model/schemas.js';
import type { Model } from './model.js';

export interface Cell {
  id: string;
  name: string;
  /** Undefined: not in the overlay. */
  state?: State;
  /** First column of an overlay technique: the cell tests and the count use. */
  primary: boolean;
  /** Indexes into Matrix.groups / Matrix.platforms. */
  groups: number[];
  platforms: number[];
}

export interface Row {
  cell: Cell;
  subs: Cell[];
  /** Shown in the overlay view: in the overlay, or a parent of overlay sub-techniques. */
  relevant: boolean;
}

export interface Column {
  id: string;
  name: string;
  overlay: number;
  score?: number;
  rows: Row[];
}

export interface Matrix {
  columns: Column[];
  groups: { id: string; name: string }[];
  platforms: string[];
}

const byName = (a: Row, b: Row) => (a.cell.name < b.cell.name ? -1 : a.cell.name > b.cell.name ? 1 : a.cell.id < b.cell.id ? -1 : 1);

export function buildMatrix(m: Model): Matrix {
  const { report } = m;
  const groups = report.groups.map((g) => ({ id: g.id, name: g.name }));
  const groupIndex = new Map(groups.map((g, i) => [g.id, i]));
  const platformSet = new Set<string>([...report.organisation.platforms]);
  for (const t of [...report.catalog, ...report.techniques]) for (const p of t.platforms) platformSet.add(p);
  const org = new Set(report.organisation.platforms);
  // The organisation's platforms first, then the rest, each alphabetically.
  const platforms = [...platformSet].sort((a, b) => Number(org.has(b)) - Number(org.has(a)) || (a < b ? -1 : a > b ? 1 : 0));
  const platformIndex = new Map(platforms.map((p, i) => [p, i]));

  const known = new Set(report.tactics.map((t) => t.shortname));
  /** Every technique that may show: catalog entries plus overlay techniques missing from it. */
  const entries = new Map<string, { id: string; name: string; tactics: string[]; platforms: string[]; parent?: string }>();
  for (const t of report.catalog) if (!entries.has(t.id)) entries.set(t.id, t);
  for (const t of report.techniques) entries.set(t.id, { id: t.id, name: t.name, tactics: t.tactics, platforms: t.platforms, parent: t.parent ?? entries.get(t.id)?.parent });

  const tacticsOf = (e: { tactics: string[] }) => {
    const listed = e.tactics.filter((s) => known.has(s));
    return listed.length ? report.tactics.filter((t) => listed.includes(t.shortname)).map((t) => t.shortname) : ['~other'];
  };
  const firstTactic = new Map<string, string>();
  const makeCell = (id: string, column: string): Cell => {
    const e = entries.get(id)!;
    const t = m.techniques.get(id);
    const first = firstTactic.get(id) ?? tacticsOf(e)[0];
    firstTactic.set(id, first);
    return {
      id,
      name: e.name,
      state: t?.state,
      primary: t !== undefined && first === column,
      groups: (t?.groups ?? []).map((g) => groupIndex.get(g)).filter((i): i is number => i !== undefined),
      platforms: e.platforms.map((p) => platformIndex.get(p)!).filter((i) => i !== undefined),
    };
  };

  const columnIds = [...report.tactics.map((t) => t.shortname), '~other'];
  const columns: Column[] = [];
  for (const column of columnIds) {
    const here = [...entries.values()].filter((e) => tacticsOf(e).includes(column));
    const ids = new Set(here.map((e) => e.id));
    const children = new Map<string, string[]>();
    for (const e of here) if (e.parent && ids.has(e.parent)) (children.get(e.parent) ?? children.set(e.parent, []).get(e.parent)!).push(e.id);
    const rows: Row[] = [];
    for (const e of here) {
      // A sub-technique sits under its parent when the parent is in this column too.
      if (e.parent && ids.has(e.parent)) continue;
      const subs = (children.get(e.id) ?? []).sort().map((id) => makeCell(id, column));
      const cell = makeCell(e.id, column);
      rows.push({ cell, subs, relevant: cell.state !== undefined || subs.some((s) => s.state !== undefined) });
    }
    rows.sort(byName);
    if (column === '~other' && !rows.some((r) => r.relevant)) continue;
    const tactic = report.tactics.find((t) => t.shortname === column);
    columns.push({
      id: column,
      name: tactic?.name ?? 'Other (no tactic in this release)',
      overlay: tactic?.overlay ?? rows.filter((r) => r.relevant).length,
      score: tactic?.score,
      rows,
    });
  }
  return { columns, groups, platforms };
}
