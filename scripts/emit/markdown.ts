/**
 * `summary.md`: the short Markdown text of the pull-request comment and the job summary — score,
 * state counts, the top gaps and the findings count. Repository text (names, actions, ids) is
 * escaped so it can neither break a table nor smuggle in HTML, links or the comment marker.
 */
import type { Report } from '../model/report.js';
import { STATES } from '../model/schemas.js';

/**
 * Markdown-inert text on one line: safe in a table cell and in running text, with no HTML, no
 * comment marker and no @-mention that would notify someone from a pull-request comment.
 */
export function mdText(value: string | number): string {
  return String(value)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/\r\n?|\n|\u2028|\u2029/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`|*_[\]~#])/g, '\\$1')
    .replace(/@/g, '@&#8203;');
}

/** A link only for a plain http(s) URL; anything else is shown as escaped text. */
function mdLink(label: string, url: string | undefined): string {
  if (!url || !/^https?:\/\/[^\s()<>"'`\\]+$/i.test(url)) return mdText(label);
  return `[${mdText(label)}](${url})`;
}

const percent = (share: number) => `${(Math.round(share * 1000) / 10).toFixed(1)}%`;

export interface SummaryOptions {
  /** How many backlog entries the table shows. */
  top?: number;
  /** The site's address with a trailing slash: techniques link to their pages. */
  siteUrl?: string;
}

export function summaryMarkdown(report: Report, options: SummaryOptions = {}): string {
  const top = options.top ?? 10;
  const { summary } = report;
  const lines: string[] = [];
  lines.push(`### tidemark: ATT&CK coverage of ${mdText(report.organisation.name)}`, '');
  lines.push(
    `**Weighted coverage score: ${percent(summary.score)}** (${summary.score}) against ATT&CK ${mdText(report.attack.domain)} ${mdText(report.attack.version)}: ` +
      `${summary.overlay} techniques in the threat overlay, ${summary.gaps} of them gaps.`,
    '',
  );

  lines.push('| state | techniques |', '| --- | ---: |');
  for (const state of STATES) lines.push(`| ${state} | ${summary.states[state]} |`);
  lines.push('');

  const gaps = report.backlog.slice(0, top);
  if (gaps.length) {
    lines.push(`#### Top ${gaps.length} of ${report.backlog.length} in the backlog`, '');
    lines.push('| # | technique | state | priority | groups | next action |', '| ---: | --- | --- | ---: | --- | --- |');
    gaps.forEach((b, i) => {
      const url = options.siteUrl ? `${options.siteUrl}techniques/${b.id}/` : undefined;
      const groups = b.groups.length ? b.groups.map(mdText).join(', ') : 'baseline';
      lines.push(`| ${i + 1} | ${mdLink(`${b.id} ${b.name}`, url)} | ${b.state} | ${b.priority} | ${groups} | ${mdText(b.action)} |`);
    });
    lines.push('');
  } else {
    lines.push('The backlog is empty: every overlay technique has full credit.', '');
  }

  const counts = { error: 0, warning: 0, info: 0 } as Record<string, number>;
  for (const f of report.findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(
    `Findings: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info. ` +
      `Untested coverage: ${percent(summary.untested_coverage)} of covered techniques are only detected or mitigated. ` +
      `Stale profiles: ${summary.stale_profiles}.`,
    '',
  );
  lines.push(`_Computed at ${mdText(report.generated_at)} by tidemark ${mdText(report.tool.version)}._`, '');
  // The sticky-comment marker is added by whoever posts the comment; the text must never hold one.
  return lines.join('\n').replace(/<!--/g, '&lt;!--');
}
