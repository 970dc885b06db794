import { describe, expect, it } from 'vitest';
import { evaluate } from '../../scripts/evaluate/index.js';
import { meanCredit, priorityOf, round, weightedScore } from '../../scripts/evaluate/scores.js';
import { catalog } from '../fixtures/catalog.js';
import { config, NOW, repository } from './builders.js';
import { SCENARIO } from './scenario.js';

describe('scores (SPEC §10), computed by hand', () => {
  const e = evaluate(SCENARIO, catalog, NOW);
  const t = Object.fromEntries(e.techniques.map((x) => [x.id, x]));

  it('gives each technique its weight, state, credit and priority', () => {
    expect(e.techniques.map((x) => [x.id, x.weight, x.state, x.credit, x.priority])).toEqual([
      ['T1059', 2, 'visible', 0, 2],
      ['T1059.001', 3, 'detected', 0.5, 1.5],
      ['T1078', 5, 'validated', 1, 0],
      ['T1078.004', 3, 'blind', 0, 3],
      ['T1200', 2, 'blind', 0, 2],
      ['T1486', 2, 'mitigated', 0.5, 1],
      ['T1490', 2, 'visible', 0, 2],
      ['T1547.015', 3, 'blind', 0, 3],
      ['T1566.001', 5, 'failed', 0, 5],
    ]);
  });

  it('weight(T) = sum of the weights of the enabled groups holding it', () => {
    expect(t.T1078).toMatchObject({ groups: ['G0016', 'G0102'], weight: 5 });
  });

  it('coverage score = Σ weight·credit / Σ weight over the overlay', () => {
    expect(e.summary.score).toBe(0.2778);
    expect(e.summary).toMatchObject({ overlay: 9, gaps: 6 });
    expect(e.summary.states).toEqual({ validated: 1, blocked: 0, detected: 1, mitigated: 1, failed: 1, visible: 2, blind: 3 });
  });

  it('per group: the mean credit over its set', () => {
    const g = Object.fromEntries(e.groups.map((x) => [x.id, x]));
    expect(g.G0016.score).toBe(0.3); // (0.5 + 1 + 0 + 0 + 0) / 5
    expect(g.G0102.score).toBe(0.25); // (0 + 1 + 0 + 0.5 + 0 + 0) / 6
    expect(g.G0016.states).toMatchObject({ detected: 1, validated: 1, blind: 2, failed: 1 });
  });

  it('per tactic: Σ weight·credit / Σ weight over the overlay techniques of the tactic, in matrix order', () => {
    expect(e.tactics.map((x) => [x.shortname, x.score, x.overlay])).toEqual([
      ['resource-development', 0, 0],
      ['initial-access', 0.3333, 4], // 5·1 / (5 + 3 + 2 + 5)
      ['execution', 0.3, 2], // 3·0.5 / (2 + 3)
      ['persistence', 0.4545, 3], // 5 / (5 + 3 + 3)
      ['privilege-escalation', 0.4545, 3],
      ['defense-evasion', 0.625, 2], // 5 / (5 + 3)
      ['credential-access', 0, 0],
      ['impact', 0.25, 2], // 2·0.5 / (2 + 2)
    ]);
  });

  it('credit follows policy.credit', () => {
    const generous = evaluate({ ...SCENARIO, config: config({ profile: { include_campaigns: false }, policy: { credit: { visible: 0.25 } } }) }, catalog, NOW);
    expect(generous.techniques.find((x) => x.id === 'T1059')).toMatchObject({ credit: 0.25, priority: 1.5 });
  });

  it('an empty overlay scores 0', () => {
    const empty = evaluate(repository(), catalog, NOW);
    expect(empty.summary).toMatchObject({ overlay: 0, score: 0, gaps: 0 });
    expect(empty.tactics.every((x) => x.score === 0)).toBe(true);
  });

  it('rounds to four decimals', () => {
    expect(round(1 / 3)).toBe(0.3333);
    expect(round(-0.00001)).toBe(0);
    expect(weightedScore([{ weight: 1, credit: 1 }, { weight: 2, credit: 0 }])).toBe(0.3333);
    expect(meanCredit([])).toBe(0);
    expect(priorityOf(0.1 + 0.2, 0)).toBe(0.3);
  });
});
