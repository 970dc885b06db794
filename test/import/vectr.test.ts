import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { nameIndex, parseVectr } from '../../scripts/import/vectr.js';
import { fixture, shared, validRecord } from './helpers.js';

const corpus = () => readFileSync(shared('corpora/vectr/DEMO_PURPLE_CE.csv'), 'utf8');

/** Technique names straight from the shared ATT&CK 18.1 bundle (independent of the catalog code). */
function attackNames(): Record<string, string> {
  const bundle = JSON.parse(gunzipSync(readFileSync(shared('attack/enterprise-attack-18.1.json.gz'))).toString()) as {
    objects: { type: string; name: string; revoked?: boolean; x_mitre_deprecated?: boolean; external_references?: { source_name: string; external_id?: string }[] }[];
  };
  const names: Record<string, string> = {};
  for (const o of bundle.objects) {
    if (o.type !== 'attack-pattern' || o.revoked || o.x_mitre_deprecated) continue;
    const id = o.external_references?.find((r) => r.source_name === 'mitre-attack')?.external_id;
    if (id) names[id] = o.name;
  }
  return names;
}

describe('VECTR export: the DEMO_PURPLE_CE corpus', () => {
  it('recognises every outcome: Blocked 187, Detected 174, NotDetected 404', () => {
    const result = parseVectr(corpus());
    expect(result.problems).toEqual([]);
    expect(result.read).toBe(765);
    expect(result.tally).toEqual({ Blocked: 187, Detected: 174, NotDetected: 404 });
    // 85 rows have no MitreID: without technique names they wait for them.
    expect(result.needsNames).toBe(true);
    expect(result.records).toHaveLength(680);
  });

  it('every record validates; rows whose Method is no technique name are reported with their lines', () => {
    const result = parseVectr(corpus(), attackNames());
    expect(result.needsNames).toBe(false);
    expect(result.records).toHaveLength(680);
    for (const record of result.records) expect(validRecord(record), `${JSON.stringify(record)}: ${JSON.stringify(validRecord.errors)}`).toBe(true);
    const byOutcome = (o: string) => result.records.filter((r) => r.outcome === o).length;
    expect(byOutcome('blocked') + byOutcome('detected') + byOutcome('not-detected')).toBe(680);
    expect(result.skipped).toHaveLength(85);
    expect(new Set(result.skipped.map((s) => s.reason))).toEqual(new Set(['no MitreID; Method is not a technique name']));
    expect(result.skipped[0]).toEqual({ line: 6, reason: 'no MitreID; Method is not a technique name', detail: 'NAC bypass' });
    expect(result.records[0]).toEqual({
      technique: 'T1040',
      date: '2017-01-17T09:20:25Z',
      outcome: 'blocked',
      test: { type: 'vectr', name: 'Basic Auth & WPAD' },
      notes: 'campaign Network MiTM; detecting tools: Secure Configs',
    });
  });
});

describe('VECTR export: outcomes, TBD and technique names', () => {
  const names = {
    T1566: 'Phishing',
    'T1566.001': 'Spearphishing Attachment',
    T1598: 'Phishing for Information',
    'T1598.002': 'Spearphishing Attachment',
    T1135: 'Network Share Discovery',
    'T1059.001': 'PowerShell',
  };

  it('maps outcomes, skips TBD, resolves unambiguous names and reports the others', () => {
    const result = parseVectr(readFileSync(fixture('vectr/small.csv'), 'utf8'), names);
    expect(result.problems).toEqual([]);
    expect(result.records.map((r) => [r.technique, r.outcome, r.host ?? null, r.test?.name])).toEqual([
      ['T1566.001', 'blocked', 'ws-0142', 'Macro document'],
      ['T1059.001', 'detected', 'ws-0142', 'Encoded PowerShell, "download cradle"'],
      ['T1482', 'not-detected', null, 'Domain trusts'],
      ['T1135', 'not-detected', 'srv-file-01', 'Share enumeration'],
      ['T1566.001', 'detected', 'ws-0142', 'Attachment (full name)'],
    ]);
    expect(result.records[2].notes).toBe('campaign Discovery; targets dc-01,dc-02');
    expect(result.skipped).toEqual([
      { line: 6, reason: 'no MitreID; Method names several techniques', detail: 'Spearphishing Attachment: T1566.001, T1598.002' },
      { line: 8, reason: 'no MitreID; Method is not a technique name', detail: 'Ransomware' },
      { line: 9, reason: 'outcome TBD' },
    ]);
    expect(result.tally).toEqual({ Blocked: 2, Detected: 3, NotDetected: 2, TBD: 1 });
  });

  it('sub-technique names are also known as "Parent: Sub"', () => {
    expect(nameIndex(names).get('phishing: spearphishing attachment')).toEqual(['T1566.001']);
  });

  it('a broken quote is reported at the line it opened; an unknown outcome at its row', () => {
    expect(parseVectr(readFileSync(fixture('vectr/broken-quote.csv'), 'utf8')).problems).toEqual([
      { line: 3, message: expect.stringMatching(/never closed/) },
    ]);
    const text = 'Variant,MitreID,Method,Outcome,Start Time\nv,T1059,m,Prevented,2026-01-01T00:00:00Z\n';
    expect(parseVectr(text).problems).toEqual([{ line: 2, message: 'Outcome "Prevented" is not one of Blocked, Detected, NotDetected, TBD' }]);
  });
});
