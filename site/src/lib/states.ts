/**
 * How each coverage state reads to a person (SPEC §9): a label, a letter that works without colour,
 * a one-line meaning, and whether it is a gap. Colours live in the stylesheet under `.state-<name>`.
 */
import { STATES, type State } from '../../../scripts/model/schemas.js';

export { STATES, type State };

export interface StateMeta {
  label: string;
  letter: string;
  gap: boolean;
  meaning: string;
}

export const STATE_META: Record<State, StateMeta> = {
  validated: { label: 'Validated', letter: 'V', gap: false, meaning: 'A recent emulation ran the technique and our detection fired.' },
  blocked: { label: 'Blocked', letter: 'B', gap: false, meaning: 'A recent emulation ran the technique and a control stopped it.' },
  detected: { label: 'Detected', letter: 'D', gap: false, meaning: 'A deployed detection covers it; no recent emulation has proven it.' },
  mitigated: { label: 'Mitigated', letter: 'M', gap: false, meaning: 'An implemented preventive control covers it; not proven by emulation.' },
  failed: { label: 'Failed', letter: 'F', gap: true, meaning: 'The latest emulation was not detected: the detection needs fixing.' },
  visible: { label: 'Visible only', letter: 'T', gap: true, meaning: 'We collect telemetry that sees it, but no detection uses it.' },
  blind: { label: 'Blind', letter: 'N', gap: true, meaning: 'Nothing we collect sees it: no telemetry, detection or control.' },
};

export const stateLabel = (s: State) => STATE_META[s].label;
