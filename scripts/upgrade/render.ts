/**
 * The upgrade report as text for a terminal and as Markdown for a pull-request body. Pure. Long
 * lists are cut (the JSON format has everything); repository and ATT&CK text is escaped so a name
 * cannot inject Markdown or HTML into the pull request.
 */
import { STATES } from '../model/schemas.js';
import type { AffectedReference, ScoreSnapshot, UpgradeReport } from './types.js';

export const UPGRADE_MARKER = '<!-- tidemark:attack-upgrade -->';
export const ATTACK_NOTICE =
  '© The MITRE Corporation. This work is reproduced and distributed with the permission of The MITRE Corporation. ATT&CK® is a registered trademark of The MITRE Corporation.';

const pct = (x: number | undefined) => (x === undefined ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const signed = (added: string[], removed: string[]) => [...added.map((x) => `+${x}`), ...removed.map((x) => `−${x}`)].join(' ');

function counts(r: UpgradeReport): string {
  const t = r.diff.techniques;
  return [
    `${t.added.length} new`,
    `${t.revoked.length} revoked`,
    `${t.deprecated.length} deprecated`,
    ...(t.removed.length ? [`${t.removed.length} removed`] : []),
    `${t.renamed.length} renamed`,
    `${t.tactics.length} moved between tactics`,
    `${t.platforms.length} with changed platforms`,
  ].join(', ');
}

function scoreLine(s: ScoreSnapshot, label: string): string {
  if (s.score === undefined || !s.states) return `  ${label}: not evaluated (${plural(s.errors, 'error')})`;
  const states = STATES.filter((st) => (s.states?.[st] ?? 0) > 0).map((st) => `${st} ${s.states?.[st]}`).join(', ');
  return `  ${label}: score ${pct(s.score)} over ${s.overlay} techniques, ${s.gaps} gaps (${states || 'no techniques'}); ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}`;
}

const where = (r: { file: string; line: number; col: number }) => `${r.file}:${r.line}:${r.col}`;

function action(ref: AffectedReference): string {
  const a = ref.affected;
  if (!ref.structural) return 'mention, left as is';
  if (a.change === 'revoked' && a.replacedBy) return '--write replaces it';
  if (a.change === 'revoked' || a.change === 'deprecated' || a.change === 'removed') return 'needs a person';
  return 'still valid';
}

export function renderText(r: UpgradeReport, options: { mode: 'diff' | 'upgrade'; limit?: number } = { mode: 'diff' }): string {
  const limit = options.limit ?? Infinity;
  const out: string[] = [];
  const cut = <T>(items: T[], line: (x: T) => string) => {
    out.push(...items.slice(0, limit).map(line));
    if (items.length > limit) out.push(`  … and ${items.length - limit} more`);
  };
  const t = r.diff.techniques;
  out.push(`ATT&CK ${r.domain} ${r.from} → ${r.to} (this repository is pinned to ${r.pinned})`, '');
  out.push(`Techniques: ${counts(r)}`);
  cut(t.added, (x) => `  new         ${x.id} ${x.name} [${x.tactics.join(', ')}]`);
  cut(t.revoked, (x) => `  revoked     ${x.id} ${x.name} → ${x.replacedBy ? `${x.replacedBy.id} ${x.replacedBy.name}` : 'no replacement'}`);
  cut(t.deprecated, (x) => `  deprecated  ${x.id} ${x.name}`);
  cut(t.removed, (x) => `  removed     ${x.id} ${x.name}`);
  cut(t.renamed, (x) => `  renamed     ${x.id} "${x.from}" → "${x.to}"`);
  cut(t.tactics, (x) => `  tactics     ${x.id} ${x.name}: ${signed(x.added, x.removed)}`);
  cut(t.platforms, (x) => `  platforms   ${x.id} ${x.name}: ${signed(x.added, x.removed)}`);
  if (r.diff.objects.length) {
    out.push('', `Other objects retired: ${r.diff.objects.length}`);
    cut(r.diff.objects, (o) => `  ${o.objectKind} ${o.id} ${o.name}: ${o.change}${o.replacedBy ? ` → ${o.replacedBy.id} ${o.replacedBy.name}` : ''}`);
  }
  const groups = r.diff.actors.filter((x) => x.kind === 'group');
  out.push('', `ATT&CK groups: ${r.diff.newGroups.length} new groups and campaigns; ${groups.length} groups whose techniques changed`);

  out.push('', 'Profiled groups (groups/):');
  if (!r.profiles.length) out.push('  no change to any profiled group’s technique set');
  cut(r.profiles, (p) => `  ${p.id} ${p.name} (${p.file}): ${signed(p.gained, p.lost)}`);

  out.push('', 'Coverage:', scoreLine(r.scores.from, r.from), scoreLine(r.scores.to, r.to));
  if (r.scores.rewritten) out.push(scoreLine(r.scores.rewritten, `${r.to} after --write`));

  out.push('', `References in this repository to changed ids: ${r.references.length}`);
  cut(r.references, (ref) => `  ${where(ref)}  ${ref.form === 'sigma-tag' ? `attack.${ref.token}` : ref.token}  ${ref.affected.detail}  [${action(ref)}]`);

  out.push('');
  const n = r.rewrite.replacements.length;
  const pin = r.rewrite.pin ? `and pin ${r.to} in tidemark.yaml` : '(the pin is already there)';
  if (r.written) out.push(`Wrote ${plural(r.rewrite.files.length, 'file')}: replaced ${plural(n, 'revoked id')} ${pin}.`);
  else if (n === 0 && !r.rewrite.pin) out.push(`Nothing for --write to change: the pin is ${r.pinned} and no revoked id is used.`);
  else out.push(`${options.mode === 'upgrade' ? 'With --write' : `"attack upgrade --to ${r.to} --write"`} would replace ${plural(n, 'revoked id')} ${pin}.`);
  cut(r.rewrite.replacements, (x) => `  ${where(x)}  ${x.from} → ${x.to}`);

  if (r.manual.length) {
    out.push('', `Needs a person (${r.manual.length}):`);
    for (const m of r.manual) {
      out.push(`  ${m.id} ${m.name}: ${m.why}`);
      cut(m.references, (ref) => `    ${where(ref)}${ref.structural ? '' : ' (mention)'}`);
    }
  }
  return out.join('\n');
}

/** Text from ATT&CK or the repository, safe inside Markdown (tables included) and HTML. */
export function md(text: string): string {
  return text
    .replace(/[\\`*_[\]|~#]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '&#64;')
    .replace(/\r?\n/g, ' ');
}

/** An inline code span that survives a table cell (GFM splits cells on `|` even inside code). */
const code = (text: string) => `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}\``;

function mdScores(r: UpgradeReport): string[] {
  const cols: [string, ScoreSnapshot][] = [
    [r.from, r.scores.from],
    [r.to, r.scores.to],
    ...(r.scores.rewritten ? [[`${r.to} after \`--write\``, r.scores.rewritten] as [string, ScoreSnapshot]] : []),
  ];
  const row = (label: string, f: (s: ScoreSnapshot) => string) => `| ${label} | ${cols.map(([, s]) => f(s)).join(' | ')} |`;
  return [
    `| | ${cols.map(([c]) => c).join(' | ')} |`,
    `| --- | ${cols.map(() => '---:').join(' | ')} |`,
    row('**Coverage score**', (s) => `**${pct(s.score)}**`),
    row('Overlay techniques', (s) => String(s.overlay ?? 'n/a')),
    row('Gaps', (s) => String(s.gaps ?? 'n/a')),
    ...STATES.map((st) => row(st, (s) => String(s.states?.[st] ?? 'n/a'))),
    row('Errors / warnings', (s) => `${s.errors} / ${s.warnings}`),
  ];
}

export function renderMarkdown(r: UpgradeReport, options: { mode: 'diff' | 'upgrade'; limit?: number; maxChars?: number } = { mode: 'diff' }): string {
  const limit = options.limit ?? 100;
  const out: string[] = [UPGRADE_MARKER, `## ATT&CK ${md(r.domain)} ${md(r.from)} → ${md(r.to)}`, ''];
  const table = <T>(head: string[], items: T[], cells: (x: T) => string[]) => {
    out.push(`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`);
    out.push(...items.slice(0, limit).map((x) => `| ${cells(x).join(' | ')} |`));
    if (items.length > limit) out.push(`| … and ${items.length - limit} more | ${head.slice(1).map(() => '').join(' | ')} |`);
  };
  const t = r.diff.techniques;
  out.push(`This repository is pinned to ${md(r.pinned)}. Techniques: ${counts(r)}.`, '');
  out.push('### Coverage', '', ...mdScores(r), '');

  if (options.mode === 'upgrade' || r.rewrite.replacements.length || r.manual.length) {
    out.push(r.written ? '### What this pull request changes' : `### What \`attack upgrade --to ${md(r.to)} --write\` changes`, '');
    if (r.rewrite.pin) out.push(`- \`tidemark.yaml\`: \`attack.version\` ${md(r.pinned)} → ${md(r.to)}`);
    out.push(`- ${plural(r.rewrite.replacements.length, 'revoked id')} replaced by ${r.rewrite.replacements.length === 1 ? 'its replacement' : 'their replacements'}; nothing else in the files changes`, '');
    if (r.rewrite.replacements.length) table(['Where', 'Was', 'Now'], r.rewrite.replacements, (x) => [code(`${x.file}:${x.line}:${x.col}`), code(x.from), code(x.to)]);
    out.push('');
  }
  if (r.manual.length) {
    out.push('### Needs a person', '');
    for (const m of r.manual) {
      const places = m.references.slice(0, 10).map((ref) => code(where(ref))).join(', ');
      const more = m.references.length > 10 ? ` and ${m.references.length - 10} more` : '';
      out.push(`- [ ] **${md(m.id)}** ${md(m.name)}: ${md(m.why)}. Used at ${places}${more}.`);
    }
    out.push('');
  }
  out.push('### Profiled groups', '');
  if (!r.profiles.length) out.push('No profiled group’s technique set changes.', '');
  else {
    table(['Group', 'File', 'Gained', 'Lost'], r.profiles, (p) => [`${md(p.id)} ${md(p.name)}`, code(p.file), p.gained.map(md).join(', '), p.lost.map(md).join(', ')]);
    out.push('');
  }
  out.push('### References to changed ids', '');
  if (!r.references.length) out.push('None of the changed ids is used in this repository.', '');
  else {
    table(['Where', 'Id', 'Change', 'Action'], r.references, (ref) => [code(where(ref)), code(ref.form === 'sigma-tag' ? `attack.${ref.token}` : ref.token), md(ref.affected.detail), action(ref)]);
    out.push('');
  }
  out.push('### ATT&CK changes', '');
  const section = <T>(title: string, items: T[], line: (x: T) => string) => {
    if (!items.length) return;
    out.push(`<details><summary>${md(title)} (${items.length})</summary>`, '');
    out.push(...items.slice(0, limit).map((x) => `- ${line(x)}`));
    if (items.length > limit) out.push(`- … and ${items.length - limit} more`);
    out.push('', '</details>', '');
  };
  section('New techniques', t.added, (x) => `${md(x.id)} ${md(x.name)} (${x.tactics.map(md).join(', ')})`);
  section('Revoked techniques', t.revoked, (x) => `${md(x.id)} ${md(x.name)} → ${x.replacedBy ? `${md(x.replacedBy.id)} ${md(x.replacedBy.name)}` : 'no replacement'}`);
  section('Deprecated techniques', t.deprecated, (x) => `${md(x.id)} ${md(x.name)}`);
  section('Removed techniques', t.removed, (x) => `${md(x.id)} ${md(x.name)}`);
  section('Renamed techniques', t.renamed, (x) => `${md(x.id)}: ${md(x.from)} → ${md(x.to)}`);
  section('Moved between tactics', t.tactics, (x) => `${md(x.id)} ${md(x.name)}: ${md(signed(x.added, x.removed))}`);
  section('Changed platforms', t.platforms, (x) => `${md(x.id)} ${md(x.name)}: ${md(signed(x.added, x.removed))}`);
  section('Other retired objects', r.diff.objects, (o) => `${o.objectKind} ${md(o.id)} ${md(o.name)}: ${o.change}${o.replacedBy ? ` → ${md(o.replacedBy.id)}` : ''}`);
  section('New groups and campaigns', r.diff.newGroups, (g) => `${md(g.id)} ${md(g.name)}`);
  section('ATT&CK groups and campaigns whose techniques changed', r.diff.actors, (g) => `${md(g.id)} ${md(g.name)}: ${md(signed(g.gained, g.lost))}`);
  out.push('---', `<sub>${md(ATTACK_NOTICE)}</sub>`);
  return fit(out.join('\n'), options.maxChars ?? 60_000);
}

/** GitHub refuses bodies over 65,536 characters: cut at a line and say so. */
function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = '\n\n… cut to fit a pull-request body; run `tidemark attack diff` for the whole report.';
  const cut = text.lastIndexOf('\n', max - note.length);
  return text.slice(0, cut) + note;
}
