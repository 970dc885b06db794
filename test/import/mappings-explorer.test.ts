/**
 * `tidemark import mappings-explorer`: the real CTID file (NIST 800-53 rev5 on ATT&CK 16.1, read in
 * place from ../shared) against a repository pinned to 18.1, with both releases from the offline
 * mirror; and the mapping type variants of other frameworks and releases on inline files.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isNonMappable, mitigates, parseMappingsExplorer, tally } from '../../scripts/import/mappings-explorer.js';
import { makeRepo, run } from '../helpers/repo.js';
import { shared } from './helpers.js';

const FILE = shared('corpora/mappings-explorer/nist_800_53-rev5_attack-16.1-enterprise.json');

interface Row {
  capability_id: string | null;
  mapping_type: string | null;
  attack_object_id: string;
  status: string;
}
const rows = (JSON.parse(readFileSync(FILE, 'utf8')) as { mapping_objects: Row[] }).mapping_objects;

interface Stix {
  type: string;
  id: string;
  revoked?: boolean;
  x_mitre_deprecated?: boolean;
  relationship_type?: string;
  source_ref?: string;
  target_ref?: string;
  external_references?: { source_name: string; external_id?: string }[];
}

/** Technique id → what the bundle says of it: active, deprecated, or revoked with the replacing id. */
function techniqueStates(version: string): Map<string, { revoked: boolean; deprecated: boolean; replacedBy?: string }> {
  const objects = (JSON.parse(gunzipSync(readFileSync(shared(`attack/enterprise-attack-${version}.json.gz`))).toString('utf8')) as { objects: Stix[] }).objects;
  const ext = (o?: Stix) => o?.external_references?.find((r) => r.source_name === 'mitre-attack')?.external_id;
  const byStix = new Map(objects.map((o) => [o.id, o]));
  const states = new Map<string, { revoked: boolean; deprecated: boolean; replacedBy?: string }>();
  for (const o of objects) if (o.type === 'attack-pattern' && ext(o)) states.set(ext(o)!, { revoked: o.revoked === true, deprecated: o.x_mitre_deprecated === true });
  for (const r of objects) {
    if (r.type !== 'relationship' || r.relationship_type !== 'revoked-by') continue;
    const from = byStix.get(r.source_ref!);
    if (from?.type === 'attack-pattern') states.get(ext(from)!)!.replacedBy = ext(byStix.get(r.target_ref!));
  }
  return states;
}

const CONTROL = [
  '# Anti-malware and account management: the audit checks both every year.',
  'id: ctl-endpoint-accounts',
  'title: Endpoint protection and account lifecycle',
  'status: implemented',
  'techniques: [T1204.002]  # the one we proved in the 2026 purple team',
  'compliance: { nist-800-53-r5: [SI-3, AC-2] }',
  'description: >-',
  '  EDR in block mode on every workstation, and joiner-mover-leaver automation in the identity platform, reviewed quarterly by the IAM team.',
  '',
].join('\n');

const SA10 = 'id: ctl-config-mgmt\ntitle: Developer configuration management\nstatus: implemented\ntechniques: []\ncompliance:\n  nist-800-53-r5:\n    - SA-10\n';

describe('the NIST 800-53 rev5 / ATT&CK 16.1 file against an 18.1 pin', () => {
  let repo: string;
  let first: Awaited<ReturnType<typeof run>>;
  let v16: ReturnType<typeof techniqueStates>;
  let v18: ReturnType<typeof techniqueStates>;

  beforeAll(async () => {
    v16 = techniqueStates('16.1');
    v18 = techniqueStates('18.1');
    repo = makeRepo({ 'controls/ctl-endpoint-accounts.yaml': CONTROL, 'controls/ctl-config-mgmt.yaml': SA10 });
    first = await run(['import', 'mappings-explorer', FILE, '--repo', repo]);
  }, 120_000);

  it('reads all 5,410 objects and prints counts per mapping type and of non-mappable rows', () => {
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(rows).toHaveLength(5410);
    expect(first.stdout).toContain('read 5410 mapping objects from nist_800_53-rev5_attack-16.1-enterprise.json: nist_800_53 rev5 on ATT&CK enterprise-attack 16.1\n');
    const byType = new Map<string, number>();
    for (const r of rows) {
      const key = r.status === 'non_mappable' ? 'non-mappable' : r.mapping_type!;
      byType.set(key, (byType.get(key) ?? 0) + 1);
    }
    expect([...byType]).toEqual([
      ['non-mappable', 96],
      ['mitigates', 5314],
    ]);
    expect(first.stdout).toContain('  by mapping type: mitigates 5314, non-mappable 96\n');
    expect(first.stdout).toContain('  non-mappable rows (techniques no nist_800_53 rev5 control addresses): 96\n');
    const parsed = parseMappingsExplorer(readFileSync(FILE, 'utf8'));
    expect(parsed.read).toBe(5410);
    expect(parsed.rows.filter(isNonMappable)).toHaveLength(96);
    expect(parsed.rows.filter(mitigates)).toHaveLength(5314);
  });

  it('translates ids revoked between 16.1 and 18.1: T1574.002 (DLL Side-Loading) became T1574.001', () => {
    // Verified from the bundles: active in 16.1, revoked by T1574.001 in 18.1.
    expect(v16.get('T1574.002')).toEqual({ revoked: false, deprecated: false });
    expect(v18.get('T1574.002')).toMatchObject({ revoked: true, replacedBy: 'T1574.001' });
    expect(rows.some((r) => r.attack_object_id === 'T1574.002')).toBe(true);
    expect(first.stdout).toContain('ATT&CK 16.1 → 18.1 (the repository\'s pin): 1 technique revoked and replaced: T1574.002 → T1574.001; 1 unknown to ATT&CK 18.1, dropped: T1521.003\n');
    // Every id of the file that 18.1 revoked is named with its replacement.
    const revoked = [...new Set(rows.map((r) => r.attack_object_id))].filter((id) => v18.get(id)?.revoked);
    for (const id of revoked) expect(first.stdout).toContain(`${id} → ${v18.get(id)!.replacedBy}`);
  });

  it('proposes exactly the techniques the file lists for SI-3 and AC-2 (zero-padded there) that the control lacks', async () => {
    const listed = rows.filter((r) => (r.capability_id === 'SI-03' || r.capability_id === 'AC-02') && r.mapping_type === 'mitigates').map((r) => r.attack_object_id);
    const in18 = (id: string) => {
      const s = v18.get(id);
      if (!s) return undefined;
      return s.revoked ? s.replacedBy : s.deprecated ? undefined : id;
    };
    const expected = [...new Set(listed.map(in18).filter((id): id is string => Boolean(id)))].filter((id) => id !== 'T1204.002').sort();
    expect(expected.length).toBeGreaterThan(300);
    expect(first.stdout).toContain(`  ctl-endpoint-accounts (controls/ctl-endpoint-accounts.yaml, implemented) AC-2, SI-3: ${expected.length + 1} techniques mapped, ${expected.length} not listed yet\n`);

    const copy = makeRepo({ 'controls/ctl-endpoint-accounts.yaml': CONTROL });
    cpSync(join(repo, '.cache'), join(copy, '.cache'), { recursive: true });
    const written = await run(['import', 'mappings-explorer', FILE, '--repo', copy, '--write']);
    expect(written.code).toBe(0);
    expect(written.stdout).toContain(`added ${expected.length} techniques to 1 control: controls/ctl-endpoint-accounts.yaml\n`);
    const text = readFileSync(join(copy, 'controls/ctl-endpoint-accounts.yaml'), 'utf8');
    const control = parse(text) as { techniques: string[] };
    expect(control.techniques).toEqual(['T1204.002', ...expected]);
    // Nothing else of the file changed: comments, the flow list's trailing comment, the folded description.
    expect(text).toBe(CONTROL.replace('[T1204.002]', `[T1204.002, ${expected.join(', ')}]`));
    expect((await run(['validate', '--repo', copy])).code).toBe(0);
    const again = await run(['import', 'mappings-explorer', FILE, '--repo', copy, '--write']);
    expect(again.stdout).toContain('nothing to add: every control lists the techniques its requirements mitigate\n');
    expect(readFileSync(join(copy, 'controls/ctl-endpoint-accounts.yaml'), 'utf8')).toBe(text);
  });

  it('proposes the replacement of a revoked id, never the revoked one, in a block list', async () => {
    const sa10 = rows.filter((r) => r.capability_id === 'SA-10' && r.mapping_type === 'mitigates').map((r) => r.attack_object_id);
    expect(sa10).toContain('T1574.002');
    expect(sa10).not.toContain('T1574.001');
    const copy = makeRepo({ 'controls/ctl-config-mgmt.yaml': SA10.replace('techniques: []', 'techniques:\n  - T1195.001 # supply chain') });
    cpSync(join(repo, '.cache'), join(copy, '.cache'), { recursive: true });
    expect((await run(['import', 'mappings-explorer', FILE, '--repo', copy, '--write'])).code).toBe(0);
    const text = readFileSync(join(copy, 'controls/ctl-config-mgmt.yaml'), 'utf8');
    const techniques = (parse(text) as { techniques: string[] }).techniques;
    expect(techniques).toContain('T1574.001');
    expect(techniques).not.toContain('T1574.002');
    expect(text.startsWith('id: ctl-config-mgmt\ntitle: Developer configuration management\nstatus: implemented\ntechniques:\n  - T1195.001 # supply chain\n  - ')).toBe(true);
    expect((await run(['validate', '--repo', copy])).code).toBe(0);
  });

  it('writes nothing without --write, and nothing with --dry-run', () => {
    expect(readFileSync(join(repo, 'controls/ctl-endpoint-accounts.yaml'), 'utf8')).toBe(CONTROL);
    expect(first.stdout).toMatch(/techniques to add to 2 controls; review them, then run again with --write/);
  });

  it('says when a requirement is an enhancement the mapping only knows by its base', async () => {
    const copy = makeRepo({ 'controls/ctl-allow.yaml': 'id: ctl-allow\ntitle: Allow-listing\nstatus: implemented\ntechniques: []\ncompliance: { nist-800-53-r5: [CM-7(5), CM-07] }\n' });
    cpSync(join(repo, '.cache'), join(copy, '.cache'), { recursive: true });
    const result = await run(['import', 'mappings-explorer', FILE, '--repo', copy, '--dry-run', '--write']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('    CM-7(5) is not in the mapping (it maps the base control CM-7; list CM-7 too if the control implements it)\n');
    expect(result.stdout).toMatch(/would add \d+ techniques to 1 control: controls\/ctl-allow\.yaml/);
    expect(readFileSync(join(copy, 'controls/ctl-allow.yaml'), 'utf8')).toContain('techniques: []');
  });
});

describe('mapping types of other frameworks and releases', () => {
  const file = (metadata: Record<string, unknown>, objects: Record<string, unknown>[]) => JSON.stringify({ metadata, mapping_objects: objects }, null, 2);
  const row = (capability: string | null, type: string | null, technique: string, extra: Record<string, unknown> = {}) => ({
    capability_id: capability,
    capability_description: 'x',
    capability_group: null,
    mapping_type: type,
    attack_object_id: technique,
    attack_object_name: 'x',
    references: [],
    status: type === null ? 'non_mappable' : 'complete',
    ...extra,
  });

  it('counts every variant and takes only those that mitigate', () => {
    const text = file({ mapping_framework: 'azure', mapping_framework_version: '12.28.2021', attack_version: '16.1', technology_domain: 'enterprise' }, [
      row('azure_ad_mfa', 'technique_scores', 'T1078', { score_category: 'protect', score_value: 'significant' }),
      row('azure_ad_mfa', 'technique_scores', 'T1110', { score_category: 'detect', score_value: 'partial' }),
      row('azure_sentinel', 'technique_scores', 'T1110', { score_category: 'respond', score_value: 'minimal' }),
      row('waf', 'protects', 'T1190'),
      row('CVE-2021-44228', 'related_to', 'T1190'),
      row('AC-02', 'mitigates', 'T1078'),
      row(null, null, 'T1496.002'),
    ]);
    const parsed = parseMappingsExplorer(text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.read).toBe(7);
    expect(tally(parsed.rows)).toEqual({
      mitigates: 1,
      'non-mappable': 1,
      protects: 1,
      related_to: 1,
      'technique_scores detect': 1,
      'technique_scores protect': 1,
      'technique_scores respond': 1,
    });
    expect(parsed.rows.filter(mitigates).map((r) => `${r.capability} ${r.technique}`)).toEqual(['azure_ad_mfa T1078', 'waf T1190', 'AC-02 T1078']);
  });

  it('reports malformed objects with their line and reads nothing', () => {
    const text = file({ attack_version: '16.1' }, [row('AC-02', 'mitigates', 'T1078'), { ...row('AC-03', 'mitigates', 'T1078'), attack_object_id: 'M1032' }, row(null, 'mitigates', 'T1078', { status: 'complete' })]);
    const parsed = parseMappingsExplorer(text);
    expect(parsed.problems.map((p) => p.message)).toEqual(['"M1032" is not an ATT&CK technique id', 'mapping object 3 (mitigates) lacks `capability_id`']);
    expect(parsed.problems[0].line).toBe(text.split('\n').findIndex((l) => l.includes('M1032')) + 1);
    expect(parseMappingsExplorer('{"mapping_objects": 3}').problems[0].message).toContain('no `mapping_objects` list');
    expect(parseMappingsExplorer('{').problems[0].message).toContain('not valid JSON');
  });

  it('reads a framework controls cannot carry, proposes nothing, and refuses another domain', async () => {
    const repo = makeRepo({ 'controls/c.yaml': 'id: c\ntitle: C\nstatus: implemented\ntechniques: []\ncompliance: { nist-800-53-r5: [AC-2] }\n' });
    const aws = join(repo, 'aws.json');
    writeFileSync(aws, file({ mapping_framework: 'aws', mapping_framework_version: '09.21.2021', attack_version: '18.1', technology_domain: 'enterprise' }, [row('aws_guardduty', 'technique_scores', 'T1078', { score_category: 'detect', score_value: 'minimal' })]));
    const result = await run(['import', 'mappings-explorer', aws, '--repo', repo]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('  by mapping type: technique_scores detect 1\n');
    expect(result.stdout).toContain('none of them is aws 09.21.2021: nothing to propose');
    const mobile = join(repo, 'mobile.json');
    writeFileSync(mobile, file({ mapping_framework: 'nist_800_53', mapping_framework_version: 'rev5', attack_version: '18.1', technology_domain: 'mobile' }, [row('AC-02', 'mitigates', 'T1521.003')]));
    const refused = await run(['import', 'mappings-explorer', mobile, '--repo', repo]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('the mapping is for ATT&CK mobile-attack; this repository pins enterprise-attack');
  });

  it('rejects flags of other kinds (exit 2)', async () => {
    const repo = makeRepo({});
    const result = await run(['import', 'mappings-explorer', FILE, '--repo', repo, '--threshold', '3']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--threshold does not apply to mappings-explorer');
    expect((await run(['import', 'vectr', FILE, '--repo', repo, '--write'])).stderr).toContain('--write and --threshold do not apply to vectr');
  });
});
