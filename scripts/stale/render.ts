/** Stale findings as terminal lines and as GitHub issues (title and Markdown body). Pure. */
import { md } from '../upgrade/render.js';
import type { StaleFinding, StaleResult } from './types.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function findingLine(f: StaleFinding): string {
  switch (f.kind) {
    case 'profile':
      return `${f.file}:${f.line} profile ${f.id} ${f.name}: last reviewed ${f.reviewed}${f.ageDays !== undefined ? `, ${f.ageDays} days ago` : ''} (review_max_age_days ${f.maxAgeDays})`;
    case 'evidence': {
      const where = f.results[0] ? ` (${f.results[0].file}:${f.results[0].line})` : '';
      const state = f.stateNow === f.stateLater ? `state ${f.stateNow}` : `state ${f.stateNow} → ${f.stateLater}`;
      return `${f.id} ${f.name}: emulation evidence ${f.expired ? 'expired on' : 'expires on'} ${f.expires}; ${state}${where}`;
    }
    case 'release':
      return `ATT&CK ${f.domain} ${f.newest} is newer than the pinned ${f.pinned}: run "tidemark attack upgrade --to ${f.newest}"`;
  }
}

export function renderText(result: StaleResult): string {
  const day = result.now.slice(0, 10);
  if (!result.findings.length) return `Nothing stale at ${day} (results checked ${result.horizonDays} days ahead; checked: ${result.checked.join(', ')}).`;
  return [`${plural(result.findings.length, 'stale finding')} at ${day} (results checked ${result.horizonDays} days ahead):`, ...result.findings.map((f) => `  ${findingLine(f)}`)].join('\n');
}

export function issueTitle(f: StaleFinding): string {
  switch (f.kind) {
    case 'profile':
      return `Review the threat profile of ${f.id} ${f.name} (last reviewed ${f.reviewed})`;
    case 'evidence':
      return `Re-run the emulation of ${f.id} ${f.name}: its evidence ${f.expired ? 'expired on' : 'expires on'} ${f.expires}`;
    case 'release':
      return `Upgrade ATT&CK ${f.domain} from ${f.pinned} to ${f.newest}`;
  }
}

const code = (text: string) => `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}\``;

function body(f: StaleFinding): string[] {
  switch (f.kind) {
    case 'profile':
      return [
        `The threat profile of **${md(f.id)} ${md(f.name)}** (${code(`${f.file}:${f.line}`)}) was last reviewed on ${md(f.reviewed)}${
          f.ageDays !== undefined ? `, ${f.ageDays} days ago` : ''
        }; the policy asks for a review every ${f.maxAgeDays} days (\`policy.review_max_age_days\`).`,
        '',
        'Check that its relevance and rationale still hold and that its techniques match current intelligence, then update `reviewed`.',
      ];
    case 'evidence': {
      const lines = [
        `The emulation evidence for **${md(f.id)} ${md(f.name)}** ${f.expired ? 'expired on' : 'expires on'} ${f.expires}: results older than ${f.maxAgeDays} days no longer count (\`policy.validation_max_age_days\`).`,
        '',
        f.stateNow === f.stateLater
          ? `Its coverage state is ${f.stateNow}.`
          : `Its coverage state goes from **${f.stateNow}** to **${f.stateLater}**.`,
        '',
        `${f.expired ? 'Latest results' : 'Results that expire'}:`,
        '',
        '| Date | Outcome | Test | Detection | Where |',
        '| --- | --- | --- | --- | --- |',
        ...f.results.map((r) => `| ${md(r.date)} | ${md(r.outcome)} | ${r.test ? code(r.test) : ''} | ${r.detection ? code(r.detection) : ''} | ${code(`${r.file}:${r.line}`)} |`),
        '',
        'Run the emulation again and record the result (`tidemark import`), or accept the lapse.',
      ];
      return lines;
    }
    case 'release':
      return [
        `ATT&CK ${md(f.domain)} **${md(f.newest)}**${f.modified ? ` (${md(f.modified.slice(0, 10))})` : ''} is out; this repository is pinned to ${md(f.pinned)}.`,
        '',
        `Run \`tidemark attack upgrade --to ${md(f.newest)}\` to see what changes for this repository; with \`--write\` it moves the pin and replaces revoked ids. The weekly upkeep workflow opens that pull request.`,
      ];
  }
}

/** The marker goes first and nothing from the repository can produce another (md escapes `<`). */
export function issueBody(marker: string, f: StaleFinding): string {
  return [marker, ...body(f), '', '<sub>Filed by `tidemark stale --open-issues`; closed automatically once it no longer applies.</sub>'].join('\n');
}

export function closingComment(kind: string, day: string): string {
  const why: Record<string, string> = {
    profile: 'the profile was reviewed since, or removed',
    evidence: 'the technique has fresh emulation evidence again, or is no longer in the overlay',
    release: 'the repository is pinned to this release now, or a newer release superseded it',
  };
  return `No longer stale as of ${day}: ${why[kind] ?? 'the finding no longer applies'}. Closed by \`tidemark stale --open-issues\`.`;
}
