/**
 * Findings that name the article's failure modes (SPEC §9). Detection-level findings
 * (telemetry, parent-and-sub) come from detections.ts; these look at groups and states.
 */
import { finding, type Finding } from '../model/findings.js';
import { dayNumber } from './dates.js';
import type { GroupSet, Summary, TechniqueEvaluation } from './types.js';

/** `reviewed` older than `maxAgeDays` at `today` (an unreadable date counts as stale). */
export function isStale(reviewed: string, today: number, maxAgeDays: number): boolean {
  const day = dayNumber(reviewed);
  return day === undefined || today - day > maxAgeDays;
}

export function staleProfile(group: GroupSet, maxAgeDays: number): Finding {
  return finding(
    'stale-profile',
    `Group profile ${group.id} was last reviewed on ${group.reviewed}, more than ${maxAgeDays} days ago. Review its rationale and techniques, then update "reviewed".`,
    { file: group.file, path: [...group.path, 'reviewed'] },
  );
}

/** An enabled group that contributes no technique to the overlay. */
export function shallowProfile(group: GroupSet): Finding | undefined {
  if (!group.enabled || group.techniques.length > 0) return undefined;
  const { removed, inactive, platform } = group.dropped;
  const why = [
    removed.length && `${removed.length} removed`,
    inactive.length && `${inactive.length} not active in the pinned ATT&CK release`,
    platform.length && `${platform.length} outside organisation.platforms`,
  ].filter(Boolean);
  const detail = why.length ? `all of its techniques were dropped (${why.join(', ')})` : 'it brings no technique at all';
  return finding(
    'shallow-profile',
    `Group ${group.id} contributes no technique to the overlay: ${detail}. Add the techniques observed (techniques.add) or disable the profile.`,
    { file: group.file, path: group.path },
  );
}

/** Validated or blocked in a lab, yet no collected source sees it in production. */
export function validatedButBlind(t: TechniqueEvaluation): Finding | undefined {
  if ((t.state !== 'validated' && t.state !== 'blocked') || t.telemetry.length > 0 || !t.decisive) return undefined;
  return finding(
    'validated-but-blind',
    `${t.id} ${t.name} is ${t.state} by the run of ${t.decisive.day}, but no collected telemetry source provides its data components; production may not see it.`,
    { file: t.decisive.file, path: t.decisive.path },
  );
}

export function untestedCoverage(summary: Pick<Summary, 'states'>): { share: number; finding: Finding } {
  const { validated, blocked, detected, mitigated } = summary.states;
  const covered = validated + blocked + detected + mitigated;
  const untested = detected + mitigated;
  const share = covered ? untested / covered : 0;
  const percent = Math.round(share * 1000) / 10;
  return {
    share,
    finding: finding(
      'untested-coverage',
      covered
        ? `${untested} of ${covered} covered overlay techniques (${percent}%) are only detected or mitigated, never validated by an emulation.`
        : 'No overlay technique is covered yet, so none is untested.',
    ),
  };
}
