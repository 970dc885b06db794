import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../scripts/catalog/types.js';
import { translateAll, translateTechnique } from '../../scripts/compliance/translate.js';
import { catalog as target } from '../fixtures/catalog.js';

/** An older release: T1566.009 existed there and was revoked towards T1566 before the target; T1500 was revoked by T1193, itself revoked later. */
const source: Catalog = {
  ...target,
  version: '16.1',
  techniques: { ...target.techniques, T1193: { ...target.techniques['T1566.001'], id: 'T1193' } },
  retired: { T1500: { kind: 'revoked', replacedBy: 'T1193', name: 'Compile After Delivery (old)' }, T1555: { kind: 'revoked', replacedBy: 'T9999', name: 'Nowhere' } },
};
const withDeprecated: Catalog = { ...target, retired: { ...target.retired, T1002: { kind: 'deprecated', name: 'Data Compressed', objectKind: 'technique' } } };

describe('technique ids across ATT&CK releases', () => {
  it('keeps active ids, follows revoked-by in the target, then in the source', () => {
    expect(translateTechnique('T1059.001', target, source)).toEqual({ status: 'active', id: 'T1059.001' });
    expect(translateTechnique('T1086', target, source)).toEqual({ status: 'revoked', id: 'T1059.001', from: 'T1086', name: 'PowerShell' });
    // Revoked in the source towards T1193, which the target revoked towards T1566.001.
    expect(translateTechnique('T1500', target, source)).toMatchObject({ status: 'revoked', id: 'T1566.001', from: 'T1500' });
    expect(translateTechnique('T1555', target, source)).toEqual({ status: 'unknown', from: 'T1555' });
    expect(translateTechnique('T1521.003', target, source)).toEqual({ status: 'unknown', from: 'T1521.003' });
    expect(translateTechnique('T1002', withDeprecated)).toEqual({ status: 'deprecated', from: 'T1002', name: 'Data Compressed' });
  });

  it('translates a set once and says what could not be carried over', () => {
    const { map, summary } = translateAll(['T1086', 'T1486', 'T1086', 'T1521.003', 'T1002'], withDeprecated, source);
    expect([...map]).toEqual([
      ['T1086', 'T1059.001'],
      ['T1486', 'T1486'],
    ]);
    expect(summary).toEqual({ revoked: { T1086: 'T1059.001' }, deprecated: ['T1002'], unknown: ['T1521.003'] });
  });
});
