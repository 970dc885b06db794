/**
 * `tidemark import dettect`: the DeTT&CT samples of ../shared/corpora/dettect (read in place)
 * become telemetry sources, native detections and custom groups that pass `tidemark validate`;
 * the rules (latest score, data quality, weights, revoked ids) on inline files.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeRepo, run } from '../helpers/repo.js';
import { shared } from './helpers.js';

const sample = (name: string) => shared(`corpora/dettect/${name}`);
const NOW = '2026-10-01';
const read = (repo: string, path: string) => readFileSync(join(repo, path), 'utf8');
const yaml = <T = Record<string, unknown>>(repo: string, path: string) => parse(read(repo, path)) as T;
const dettect = (repo: string, file: string, ...args: string[]) => run(['import', 'dettect', file, '--repo', repo, '--now', NOW, ...args]);

interface Source {
  id: string;
  name: string;
  status: string;
  platforms?: string[];
  data_components: string[];
}

describe('the DeTT&CT samples', () => {
  let repo: string;
  const results: Record<string, Awaited<ReturnType<typeof run>>> = {};

  beforeAll(async () => {
    // An existing inventory with a comment: the import appends to it.
    repo = makeRepo({ 'coverage/telemetry.yaml': '# Our inventory; DeTT&CT adds below.\nsources:\n  - id: edr\n    name: EDR\n    status: collected\n    data_components: [Process Creation]\n' });
    for (const name of ['data-sources-endpoints.yaml', 'techniques-administration-endpoints.yaml', 'groups.yaml']) results[name] = await dettect(repo, sample(name));
  }, 120_000);

  it('imports all three into a repository that validates', async () => {
    for (const [name, r] of Object.entries(results)) {
      expect(r.stderr, name).toBe('');
      expect(r.code, name).toBe(0);
    }
    const validate = await run(['validate', '--repo', repo]);
    expect(validate.stdout + validate.stderr).toContain('0 error(s)');
    expect(validate.code).toBe(0);
    const score = await run(['score', '--repo', repo, '--now', NOW, '--out', join(repo, 'build'), '--quiet']);
    expect(score.code).toBe(0);
  });

  it('turns data sources into telemetry sources named by ATT&CK data components, platforms from systems', () => {
    const text = read(repo, 'coverage/telemetry.yaml');
    expect(text.startsWith('# Our inventory; DeTT&CT adds below.\nsources:\n  - id: edr\n    name: EDR\n    status: collected\n    data_components: [Process Creation]\n  - id: dettect-')).toBe(true);
    const sources = yaml<{ sources: Source[] }>(repo, 'coverage/telemetry.yaml').sources;
    const sysmon = sources.find((s) => s.id === 'dettect-sysmon-windows-workstations')!;
    expect(sysmon).toMatchObject({ name: 'Sysmon (Windows workstations)', status: 'collected', platforms: ['Windows'] });
    expect(sysmon.data_components).toEqual([
      'Command Execution',
      'Network Connection Creation',
      'OS API Execution',
      'Process Creation',
      'WMI Creation',
      'Windows Registry Key Creation',
      'Windows Registry Key Deletion',
      'Windows Registry Key Modification',
    ]);
    // "Firewall rule modification" is written with ATT&CK's spelling; applicable to all → every system's platforms.
    expect(sources.find((s) => s.id === 'dettect-firewall-appliance-all-systems')).toMatchObject({ data_components: ['Firewall Rule Modification'], platforms: ['Linux', 'Windows'] });
    expect(sources.map((s) => s.id)).toEqual([
      'edr',
      'dettect-ebpf-telemetry-agent-linux-servers',
      'dettect-firewall-appliance-all-systems',
      'dettect-sysmon-windows-workstations',
      'dettect-var-log-auth-log-linux-servers',
      'dettect-windows-security-log-windows-workstations',
    ]);
    const out = results['data-sources-endpoints.yaml'].stdout;
    expect(out).toContain('read 17 entries from data-sources-endpoints.yaml (DeTT&CT data-source-administration)\n');
    expect(out).toContain('  data source "Web [DeTT&CT data source]" is DeTT&CT\'s own, not an ATT&CK data component\n');
    expect(out).toContain('  data source "Internal DNS [DeTT&CT data source]" is DeTT&CT\'s own, not an ATT&CK data component\n');
    expect(out).toContain('1 exception (techniques hidden from the heat map)');
  });

  it('turns detection scores ≥ 1 into native detections (latest logbook entry by date), nothing below', () => {
    const files = readdirSync(join(repo, 'detections/dettect')).sort();
    expect(files).toHaveLength(14);
    // T1569.002's logbook lists the 2021-05 score 2 first and the 2021-10 score 4 second: the latest counts.
    const service = yaml(repo, 'detections/dettect/dettect-t1569-002-windows-workstations.yaml');
    expect(service).toMatchObject({ id: 'dettect-t1569-002-windows-workstations', status: 'stable', techniques: ['T1569.002'], score: 4 });
    expect(service.location).toEqual(['Splunk: use case X7', 'Splunk: use case X8', 'Splunk: use case X9', 'Splunk: use case X10', 'EDR: Rule 1', 'EDR: Rule 2', 'Custom Rule Z']);
    expect(service.description).toContain('Improved the detection after the results and lessons learned from a purple teaming exercise.');
    // The detection's own comment is kept too.
    expect(yaml(repo, 'detections/dettect/dettect-t1033-all-systems.yaml').description).toContain('This technique is also often called "user hunting" by red teams.');
    // One detection per entry: T1055 on Windows (3) and on Linux (1).
    expect(yaml(repo, 'detections/dettect/dettect-t1055-windows-workstations.yaml').score).toBe(3);
    expect(yaml(repo, 'detections/dettect/dettect-t1055-linux-servers.yaml').score).toBe(1);
    // Applicable to all systems: the file's platforms.
    expect(yaml(repo, 'detections/dettect/dettect-t1204-all-systems.yaml')).toMatchObject({ platforms: ['Windows', 'Linux'], location: ['Splunk', 'EDR'], score: 1 });
    const out = results['techniques-administration-endpoints.yaml'].stdout;
    expect(out).toContain('skipped 330: detection score -1 (no detection)\n');
    expect(out).toMatch(/visibility scores of \d+ techniques: no equivalent/);
    expect(files.some((f) => f.startsWith('dettect-t1001'))).toBe(false);
  });

  it('turns groups into custom groups with their techniques, enabled as the file says', () => {
    const scenario = yaml(repo, 'groups/x-red-team-scenario-1.yaml');
    expect(scenario).toMatchObject({ id: 'X-red-team-scenario-1', name: 'Red team, Scenario 1', relevance: 1, reviewed: NOW, enabled: true });
    expect((scenario.techniques as { add: string[] }).add).toHaveLength(21);
    expect(yaml(repo, 'groups/x-red-team-ransomware.yaml')).toMatchObject({ id: 'X-red-team-ransomware', enabled: false });
    const out = results['groups.yaml'].stdout;
    expect(out).toContain('group "Red team, Scenario 1": software S0002 not imported');
    expect(out).toContain("the file's platforms (Windows, Identity Provider)");
  });

  it('adds nothing when imported again, and refuses to overwrite what differs', async () => {
    const again = await dettect(repo, sample('techniques-administration-endpoints.yaml'));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already imported, unchanged:');
    expect(again.stdout).toContain('nothing new to write');
    const groups = await dettect(repo, sample('groups.yaml'), '--now', '2026-11-01');
    expect(groups.code).toBe(1);
    expect(groups.stderr).toContain('groups/x-red-team-scenario-1.yaml exists with other content; not overwritten');
    expect(yaml(repo, 'groups/x-red-team-scenario-1.yaml').reviewed).toBe(NOW);
  });
});

describe('DeTT&CT rules on inline files', () => {
  let warm: string;
  beforeAll(async () => {
    warm = makeRepo({});
    await run(['import', 'dettect', sample('groups.yaml'), '--repo', warm, '--dry-run']);
  }, 120_000);
  const repoWith = (files: Record<string, string> = {}) => {
    const repo = makeRepo(files);
    cpSync(join(warm, '.cache'), join(repo, '.cache'), { recursive: true });
    return repo;
  };
  const input = (repo: string, text: string) => {
    const path = join(repo, 'input.yaml');
    writeFileSync(path, text);
    return path;
  };

  it('collected only when every data quality dimension is above 0; the latest entry per systems counts', async () => {
    const repo = repoWith();
    const q = (n: number, r = n) => `data_quality: { device_completeness: ${n}, data_field_completeness: ${n}, timeliness: ${n}, consistency: ${n}, retention: ${r} }`;
    const file = input(
      repo,
      [
        'version: 1.1',
        'file_type: data-source-administration',
        'domain: enterprise-attack',
        'systems: [{ applicable_to: servers, platform: [Linux] }]',
        'data_sources:',
        '  - data_source_name: Process Creation',
        '    data_source:',
        `      - { applicable_to: [servers], date_registered: 2021-01-01, products: [auditd], ${q(3)} }`,
        `      - { applicable_to: [servers], date_registered: 2022-01-01, products: [auditd], ${q(0)} }`,
        '  - data_source_name: Command Execution',
        '    data_source:',
        `      - { applicable_to: [servers], date_registered: 2022-01-01, products: [auditd], ${q(2, 0)} }`,
        '  - data_source_name: Process monitoring',
        '    data_source:',
        `      - { applicable_to: [servers], products: [auditd], ${q(2)} }`,
        '',
      ].join('\n'),
    );
    const result = await dettect(repo, file);
    expect(result.code).toBe(0);
    const sources = yaml<{ sources: Source[] }>(repo, 'coverage/telemetry.yaml').sources;
    expect(sources).toEqual([
      {
        id: 'dettect-auditd-servers-planned',
        name: 'auditd (servers)',
        status: 'planned',
        platforms: ['Linux'],
        data_components: ['Command Execution', 'Process Creation'],
        description: 'From DeTT&CT input.yaml.',
      },
    ]);
    expect(result.stdout).toContain('skipped 1: older entry for the same systems');
    expect(result.stdout).toContain('data source "Process monitoring" is not a data component of ATT&CK enterprise-attack 18.1');
    expect(result.stdout).toContain('1 data source entry with some data quality dimensions at 0 imported as planned');
    expect((await run(['validate', '--repo', repo])).code).toBe(0);
  });

  it('weights become relevance, one group per weight; revoked ids become their replacement; unknown ones are reported', async () => {
    const repo = repoWith();
    const file = input(
      repo,
      [
        'version: 1',
        'file_type: group-administration',
        'domain: enterprise-attack',
        'groups:',
        '  - group_name: FIN-X',
        '    campaign: ""',
        '    technique_id: { T1566.001: 3, T1059.001: 3, T1574.002: 1, T9999: 2, T1486: 0 }',
        '    software_id: []',
        '    enabled: true',
        '',
      ].join('\n'),
    );
    const result = await dettect(repo, file);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('revoked in ATT&CK 18.1, carried over to the replacement: T1574.002 → T1574.001');
    expect(result.stdout).toContain('group "FIN-X": T9999 is not a technique in ATT&CK enterprise-attack 18.1');
    expect(result.stdout).toContain('group "FIN-X": T1486 has weight 0');
    expect(yaml(repo, 'groups/x-fin-x-w3.yaml')).toMatchObject({ id: 'X-fin-x-w3', name: 'FIN-X (weight 3)', relevance: 3, techniques: { add: ['T1059.001', 'T1566.001'] } });
    expect(yaml(repo, 'groups/x-fin-x-w1.yaml')).toMatchObject({ id: 'X-fin-x-w1', relevance: 1, techniques: { add: ['T1574.001'] } });
    expect((await run(['validate', '--repo', repo])).code).toBe(0);
  });

  it('refuses an id another file already defines, and a file that is not DeTT&CT, writing nothing', async () => {
    const repo = repoWith({ 'detections/native/mine.yaml': 'id: dettect-t1055-all-systems\ntitle: Mine\nstatus: stable\ntechniques: [T1055]\n' });
    const file = input(
      repo,
      [
        'version: 1.2',
        'file_type: technique-administration',
        'domain: enterprise-attack',
        'techniques:',
        '  - technique_id: T1055',
        '    detection: { applicable_to: [all], location: [EDR], comment: "", score_logbook: [{ date: 2021-10-06, score: 2, comment: "" }] }',
        '  - technique_id: T1059',
        '    detection: { applicable_to: [all], location: [SIEM], comment: "", score_logbook: [{ date: 2021-10-06, score: 3, comment: "" }] }',
        '',
      ].join('\n'),
    );
    const result = await dettect(repo, file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('detections/dettect/dettect-t1055-all-systems.yaml: id dettect-t1055-all-systems is already defined in detections/native/mine.yaml');
    expect(() => readdirSync(join(repo, 'detections/dettect'))).toThrow();
    const other = await dettect(repo, input(repo, 'file_type: visibility-heatmap\n'));
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('not a DeTT&CT administration file tidemark reads: file_type is "visibility-heatmap"');
  });
});
