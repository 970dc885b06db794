/**
 * The gate's Markdown: the job summary, `build/gate.md` and the pull-request comment are this one
 * text. Everything that comes from the repository (file names, ids, messages, names) goes through
 * `mdText`, so it can neither break a table, open an HTML comment (and forge the sticky
 * marker), nor mention people.
 */
import type { Finding } from '../model/findings.js';
import type { GateResult, Rule, Standing, TechniqueChange } from './types.js';
import { mdText } from '../emit/markdown.js';

/** Finds the sticky comment; always the first line of the body. */
export const MARKER = '<!-- tidemark:gate -->';

/** GitHub refuses comment bodies over 65,536 characters. */
export const MAX_BODY = 60_000;
const MAX_ROWS = 50;
const MAX_FINDINGS = 30;

export interface MarkdownContext {
  /** The base revision as given (`origin/main`) and the commit it resolved to. */
  baseRef?: string;
  baseCommit?: string;
  /** `config.site.url`: where the coverage site is published. */
  siteUrl?: string;
}

const RULE_LABEL: Record<Rule, string> = {
  invalid: 'invalid content',
  regression: 'regression',
  new_gap: 'new gap',
  min_score: 'score below the minimum',
};

const percent = (score: number | undefined) => (score === undefined ? 'n/a' : `${(score * 100).toFixed(1)}%`);

function scoreLine(result: GateResult): string {
  const { before, after } = result.score;
  let delta = '';
  if (before !== undefined && after !== undefined) {
    const points = (after - before) * 100;
    delta = Math.abs(points) < 0.05 ? ' (unchanged)' : ` (${points > 0 ? '+' : '−'}${Math.abs(points).toFixed(1)} pts)`;
  }
  return `**Coverage score** ${percent(before)} → ${percent(after)}${delta}`;
}

const standing = (s: Standing | undefined) => (s ? `${s.state} (${formatCredit(s.credit)})` : '—');
const formatCredit = (credit: number) => String(Math.round(credit * 1000) / 1000);

function cause(change: TechniqueChange): string {
  if (!change.cause) return '—';
  return `${mdText(change.cause.file)}: ${mdText(change.cause.detail)}`;
}

function table(changes: TechniqueChange[]): string[] {
  const rows = changes.slice(0, MAX_ROWS).map((c) => `| ${mdText(c.id)} ${mdText(c.name)} | ${standing(c.before)} | ${standing(c.after)} | ${cause(c)} |`);
  const more = changes.length > MAX_ROWS ? [``, `…and ${changes.length - MAX_ROWS} more (see report.json).`] : [];
  return ['| Technique | Before | After | Caused by |', '| --- | --- | --- | --- |', ...rows, ...more];
}

function findingLine(f: Finding): string {
  const at = f.file ? `${mdText(f.file)}${f.line ? `:${f.line}${f.col ? `:${f.col}` : ''}` : ''}: ` : '';
  return `- **${f.severity}** ${at}${mdText(f.message)} (${mdText(f.code)})`;
}

/** The whole summary, marker first. */
export function renderMarkdown(result: GateResult, context: MarkdownContext = {}): string {
  const out: string[] = [MARKER];
  const counts = [
    result.regressions.length && `${result.regressions.length} regression${result.regressions.length === 1 ? '' : 's'}`,
    result.newGaps.length && `${result.newGaps.length} new gap${result.newGaps.length === 1 ? '' : 's'}`,
    result.errors.length && `${result.errors.length} error${result.errors.length === 1 ? '' : 's'}`,
  ].filter(Boolean);
  out.push(
    result.verdict === 'pass'
      ? `## ✅ tidemark gate passed`
      : `## ❌ tidemark gate failed: ${result.failed.map((r) => RULE_LABEL[r]).join(', ')}`,
    '',
  );
  const against = context.baseRef
    ? ` · compared with ${mdText(context.baseRef)}${context.baseCommit ? ` (${context.baseCommit.slice(0, 7)})` : ''}`
    : '';
  const release = result.attack.head ?? result.attack.base;
  out.push(`${scoreLine(result)}${release ? ` · ATT&CK ${mdText(release)}` : ''}${against}`);
  if (counts.length > 0) out.push('', counts.join(' · '));
  if (result.failed.includes('min_score')) out.push('', `The score is below the required minimum of ${percent(result.policy.min_score)}.`);
  for (const note of result.notes) out.push('', `> ${mdText(note)}`);

  const section = (title: string, changes: TechniqueChange[], intro?: string) => {
    if (changes.length === 0) return;
    out.push('', `### ${title}`, '');
    if (intro) out.push(intro, '');
    out.push(...table(changes));
  };
  section('Regressions', result.regressions, 'In both overlays, with less credit than before.');
  section('New gaps', result.newGaps, 'Failed, visible only or blind, and not a gap before.');
  section(
    'Gaps brought by newly profiled groups (warnings)',
    result.newGroupGaps,
    `New groups: ${result.newGroups.map(mdText).join(', ')}. Allowed while gate.new_groups_may_add_gaps is true; they are now in the backlog.`,
  );
  const flagged = new Set([...result.regressions, ...result.newGaps, ...result.newGroupGaps]);
  const others = result.changes.filter((c) => !flagged.has(c));
  section('Other state changes', others);

  if (result.changes.length === 0 && (result.score.before !== undefined || result.score.after !== undefined)) {
    out.push('', result.changedFiles.length > 0 ? 'Nothing changed in coverage: no technique changed state or credit.' : 'Nothing changed: no content file differs from the base.');
  }

  const findings = [...result.errors, ...result.warnings];
  if (findings.length > 0) {
    out.push('', `### Findings (${result.errors.length} errors, ${result.warnings.length} new warnings)`, '');
    out.push(...findings.slice(0, MAX_FINDINGS).map(findingLine));
    if (findings.length > MAX_FINDINGS) out.push(`- …and ${findings.length - MAX_FINDINGS} more; run \`npx tidemark validate\`.`);
  }
  const site = safeUrl(context.siteUrl);
  if (site) out.push('', `[Coverage map and gap backlog](${site})`);
  return limit(`${out.join('\n')}\n`);
}

/** Only absolute http(s) links, percent-encoded so they cannot close the Markdown link. */
function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    return parsed.href.replace(/[()<>\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  } catch {
    return undefined;
  }
}

/** Keeps a body under GitHub's size limit, cutting at a line. */
export function limit(body: string, max = MAX_BODY): string {
  if (body.length <= max) return body;
  const cut = body.lastIndexOf('\n', max - 200);
  return `${body.slice(0, cut)}\n\n…(truncated; the full summary is in the job summary and build/gate.md)\n`;
}

/**
 * A body from elsewhere (the artifact of a fork's run) made safe to post as the sticky comment:
 * exactly one marker, at the top; no other HTML comment; bounded size.
 */
export function sanitizeBody(body: string): string {
  const text = body.split(MARKER).join('').replace(/<!--/g, '&lt;!--').replace(/^\s+/, '');
  return limit(`${MARKER}\n${text}`);
}
