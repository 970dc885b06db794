import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../scripts/catalog/build.js';
import { findDataComponent, findTactic, resolveId, subTechniquesOf, techniqueUrl } from '../../scripts/catalog/lookup.js';
import { miniBundle } from '../fixtures/attack/mini-bundle.js';

const catalog = buildCatalog(miniBundle(), 'x', { domain: 'enterprise-attack', version: '1.0' });

describe('resolveId', () => {
  it.each([
    ['T1001', { status: 'active' }],
    ['G0001', { status: 'active' }],
    ['C0001', { status: 'active' }],
    ['S0002', { status: 'active' }],
    ['M1001', { status: 'active' }],
    ['T1090', { status: 'revoked', replacedBy: 'T1001', name: 'Old Alpha' }],
    ['G0009', { status: 'revoked', replacedBy: 'G0001', name: 'Old Group' }],
    ['T1099', { status: 'deprecated', name: 'Retired Thing' }],
    ['T9999', { status: 'unknown' }],
    ['constructor', { status: 'unknown' }],
  ])('%s', (id, expected) => {
    expect(resolveId(catalog, id)).toEqual(expected);
  });

  it('answers only for the kind asked about', () => {
    expect(resolveId(catalog, 'T1001', 'group')).toEqual({ status: 'unknown' });
    expect(resolveId(catalog, 'T1090', 'mitigation')).toEqual({ status: 'unknown' });
    expect(resolveId(catalog, 'G0009', 'group')).toMatchObject({ status: 'revoked' });
  });
});

describe('findDataComponent', () => {
  it('finds by id, exact name, or data source and name', () => {
    expect(findDataComponent(catalog, 'DC0001')?.name).toBe('Process Creation');
    expect(findDataComponent(catalog, 'Command Execution')?.id).toBe('DC0002');
    expect(findDataComponent(catalog, 'Process: Process Creation')?.id).toBe('DC0001');
    expect(findDataComponent(catalog, 'process creation')).toBeUndefined();
    expect(findDataComponent(catalog, 'Old Component')).toBeUndefined();
  });
});

describe('other helpers', () => {
  it('finds tactics as Sigma writes them', () => {
    expect(findTactic(catalog, 'defense_evasion')?.id).toBe('TA0005');
    expect(findTactic(catalog, 'TA0002')?.shortname).toBe('execution');
    expect(findTactic(catalog, 'Initial Access')?.id).toBe('TA0001');
    expect(findTactic(catalog, 'legacy')).toBeUndefined();
  });

  it('gives technique urls and sub-techniques', () => {
    expect(techniqueUrl(catalog, 'T1001.001')).toBe('https://attack.mitre.org/techniques/T1001/001');
    expect(techniqueUrl(catalog, 'T1090')).toBeUndefined();
    expect(subTechniquesOf(catalog, 'T1001')).toEqual(['T1001.001', 'T1001.002']);
  });
});
