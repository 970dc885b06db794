/**
 * Which ids matter to a repository moving from release A to B: every technique the diff changes,
 * every object B retires, and every id B knows as retired even when A did too (content that was
 * already out of date). One entry per id; its `change` is the most consequential one.
 */
import type { Catalog } from '../catalog/types.js';
import type { Affected, CatalogDiff, ChangeKind } from './types.js';

const RANK: Record<ChangeKind, number> = { revoked: 0, deprecated: 1, removed: 2, renamed: 3, tactics: 4, platforms: 5 };

const signed = (added: string[], removed: string[]) => [...added.map((x) => `+${x}`), ...removed.map((x) => `−${x}`)].join(' ');

export function affectedIds(diff: CatalogDiff, a: Catalog, b: Catalog): Map<string, Affected> {
  const parts = new Map<string, { name: string; change: ChangeKind; replacedBy?: string; before?: boolean; details: string[] }>();
  const note = (id: string, name: string, change: ChangeKind, detail: string, extra: { replacedBy?: string; before?: boolean } = {}) => {
    const entry = parts.get(id);
    if (!entry) {
      parts.set(id, { name, change, ...extra, details: [detail] });
      return;
    }
    entry.details.push(detail);
    if (RANK[change] < RANK[entry.change]) Object.assign(entry, { change, ...extra });
  };
  const replaced = (r?: { id: string; name: string }) => (r ? ` → ${r.id}${r.name ? ` ${r.name}` : ''}` : ' without a replacement');
  const t = diff.techniques;
  for (const r of t.revoked) note(r.id, r.name, 'revoked', `revoked${replaced(r.replacedBy)}`, { replacedBy: r.replacedBy?.id });
  for (const d of t.deprecated) note(d.id, d.name, 'deprecated', 'deprecated');
  for (const d of t.removed) note(d.id, d.name, 'removed', `not in ${diff.to}`);
  for (const r of t.renamed) note(r.id, r.to, 'renamed', `renamed from "${r.from}"`);
  for (const c of t.tactics) note(c.id, c.name, 'tactics', `tactics ${signed(c.added, c.removed)}`);
  for (const c of t.platforms) note(c.id, c.name, 'platforms', `platforms ${signed(c.added, c.removed)}`);
  for (const o of diff.objects) {
    const what = o.change === 'removed' ? `not in ${diff.to}` : o.change === 'revoked' ? `revoked${replaced(o.replacedBy)}` : 'deprecated';
    note(o.id, o.name, o.change, `${o.objectKind} ${what}`, { replacedBy: o.replacedBy?.id });
  }
  // Ids B knows as retired that were not active at A either: already stale content.
  for (const [id, r] of Object.entries(b.retired)) {
    if (parts.has(id)) continue;
    const activeAtA = [a.techniques, a.groups, a.campaigns, a.software, a.mitigations].some((table) => Object.hasOwn(table, id));
    if (activeAtA) continue;
    const kind = r.objectKind && r.objectKind !== 'technique' ? `${r.objectKind} ` : '';
    const what = r.kind === 'revoked' ? `revoked${replaced(r.replacedBy ? { id: r.replacedBy, name: nameOf(b, r.replacedBy) } : undefined)}` : 'deprecated';
    note(id, r.name, r.kind, `${kind}${what} (already before ${diff.from})`, { replacedBy: r.replacedBy, before: true });
  }
  const out = new Map<string, Affected>();
  for (const [id, p] of parts) {
    out.set(id, {
      id,
      name: p.name,
      change: p.change,
      ...(p.before ? { before: true } : {}),
      ...(p.replacedBy ? { replacedBy: p.replacedBy } : {}),
      detail: p.details.join('; '),
    });
  }
  return out;
}

function nameOf(c: Catalog, id: string): string {
  for (const table of [c.techniques, c.groups, c.campaigns, c.software, c.mitigations]) {
    if (Object.hasOwn(table, id)) return (table as Record<string, { name: string }>)[id].name;
  }
  return '';
}
