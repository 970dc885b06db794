/**
 * Integration: the 210 real SigmaHQ rules of ../shared/corpora/sigma, read unchanged from a temporary
 * repository's detections/ (copied there at test time, never into this repository), against the
 * real ATT&CK 18.1 catalog. Many of them already use ATT&CK 19 names.
 */
import { cpSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseYaml } from '../../scripts/load/yaml.js';
import type { Report } from '../../scripts/model/report.js';
import { shapeRepository } from '../../scripts/validate/shape.js';
import { makeRepo, run, type Run } from '../helpers/repo.js';

const CORPUS = fileURLToPath(new URL('../../../shared/corpora/sigma', import.meta.url));
const NOW = '2026-10-15';
const TECHNIQUE_TAG = /^attack\.(t\d{4}(?:\.\d{3})?)$/i;

const CONFIG = `attack: { domain: enterprise-attack, version: "18.1" }
organisation: { name: Corpus Test, platforms: [Windows, Linux, macOS, IaaS, Identity Provider, Office Suite, SaaS, Network Devices] }
profile: { baseline: 60 }
policy:
  # Every status is listed: deprecated and unsupported must still never count.
  counted_statuses: [stable, test, experimental, deprecated, unsupported]
`;

/** Selectors for the common logsources, data components only for others, one planned source. */
const TELEMETRY = `sources:
  - id: sysmon
    name: Sysmon
    status: collected
    platforms: [Windows]
    data_components: [Process Creation, Module Load, Named Pipe Metadata]
    sigma:
      - { product: windows, category: process_creation }
      - { product: windows, category: image_load }
  - id: win-security
    name: Windows Security log
    status: collected
    platforms: [Windows]
    data_components: [User Account Authentication, Logon Session Creation]
  - id: linux-edr
    name: Linux EDR process events
    status: collected
    platforms: [Linux]
    data_components: [Process Creation]
  - id: proxy
    name: Web proxy
    status: collected
    sigma: [{ category: proxy }]
  - id: cloudtrail
    name: AWS CloudTrail
    status: planned
    platforms: [IaaS]
    sigma: [{ product: aws, service: cloudtrail }]
  - id: entra-audit
    name: Entra audit logs
    status: collected
    platforms: [Identity Provider]
    data_components: [User Account Modification, Group Modification]
`;

interface CorpusRule {
  /** Path under detections/ of the temporary repository. */
  file: string;
  id: string;
  status: string;
  tags: string[];
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : /\.ya?ml$/i.test(name) ? [path] : [];
  });
}

type ReportDetection = Report['detections'][number];
type ReportFinding = Report['findings'][number];

let repo: string;
let rules: CorpusRule[];
let validate: Run;
let score: Run;
let report: { detections: ReportDetection[]; findings: ReportFinding[]; attack: { version: string } };
let validateFindings: ReportFinding[];

beforeAll(async () => {
  repo = makeRepo({ 'tidemark.yaml': CONFIG, 'coverage/telemetry.yaml': TELEMETRY });
  cpSync(CORPUS, join(repo, 'detections', 'sigmahq'), { recursive: true, filter: (src) => !/LICENSE$/.test(src) });
  // The corpus has no `unsupported` rule: one real rule with its status changed stands in.
  const source = readFileSync(join(CORPUS, 'rules/windows/process_creation/proc_creation_win_7zip_password_compression.yml'), 'utf8');
  writeFileSync(
    join(repo, 'detections', 'unsupported.yml'),
    source.replace(/^id: .*$/m, 'id: 00000000-0000-4000-8000-000000000001').replace(/^status: .*$/m, 'status: unsupported'),
  );
  rules = walk(join(repo, 'detections')).map((path) => {
    const [doc] = parseAllDocuments(readFileSync(path, 'utf8'));
    const value = doc.toJS() as { id: string; status: string; tags?: string[] };
    return { file: relative(repo, path).split('\\').join('/'), id: value.id, status: value.status, tags: value.tags ?? [] };
  });
  validate = await run(['validate', '--repo', repo, '--format', 'json', '--now', NOW]);
  validateFindings = JSON.parse(validate.stdout || '[]') as ReportFinding[];
  score = await run(['score', '--repo', repo, '--now', NOW, '--out', join(repo, 'build'), '--quiet']);
  report = JSON.parse(readFileSync(join(repo, 'build', 'report.json'), 'utf8'));
}, 180_000);

describe('the SigmaHQ corpus as detections', () => {
  it('holds the sampled rules, in every folder', () => {
    expect(rules.length).toBeGreaterThanOrEqual(211);
    for (const folder of ['rules/', 'rules-emerging-threats/', 'deprecated/']) expect(rules.some((r) => r.file.includes(`sigmahq/${folder}`))).toBe(true);
  });

  it('validate and score run without a crash', () => {
    for (const r of [validate, score]) {
      expect([0, 1]).toContain(r.code);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(report.attack.version).toBe('18.1');
  });

  it('reads every rule as one Sigma detection', () => {
    const byFile = new Map(report.detections.map((d) => [d.file, d]));
    for (const rule of rules) {
      expect(byFile.get(rule.file), rule.file).toMatchObject({ id: rule.id, kind: 'sigma' });
    }
  });

  it('reads exactly the techniques of each rule’s tags', () => {
    const byFile = new Map(report.detections.map((d) => [d.file, d]));
    let tagged = 0;
    for (const rule of rules) {
      const expected = [...new Set(rule.tags.flatMap((t) => TECHNIQUE_TAG.exec(t)?.[1].toUpperCase() ?? []))].sort();
      if (expected.length) tagged++;
      expect(byFile.get(rule.file)?.techniques, rule.file).toEqual(expected);
    }
    expect(tagged).toBeGreaterThan(150);
  });

  it('the loader reads each rule’s technique tags in file order, upper-cased', () => {
    for (const rule of rules) {
      const shaped = shapeRepository([parseYaml('tidemark.yaml', CONFIG), parseYaml(rule.file, readFileSync(join(repo, rule.file), 'utf8'))]);
      const expected = rule.tags.flatMap((t) => TECHNIQUE_TAG.exec(t)?.[1].toUpperCase() ?? []);
      expect(shaped.repository?.detections.map((d) => d.techniques), rule.file).toEqual([expected]);
    }
  });

  it('never counts deprecated or unsupported rules, whatever counted_statuses says', () => {
    const retired = report.detections.filter((d) => d.status === 'deprecated' || d.status === 'unsupported');
    expect(retired.filter((d) => d.status === 'deprecated').length).toBeGreaterThanOrEqual(8);
    expect(retired.filter((d) => d.status === 'unsupported').length).toBe(1);
    for (const d of retired) expect(d, d.file).toMatchObject({ counts: false, reason: `status ${d.status} never counts` });
    expect(report.detections.some((d) => d.counts)).toBe(true);
  });

  it('reports ATT&CK 19 tags as warnings that name both releases, never as errors', () => {
    for (const findings of [validateFindings, report.findings]) {
      const sigmaErrors = findings.filter((f) => f.severity === 'error' && f.file?.startsWith('detections/'));
      expect(sigmaErrors).toEqual([]);
    }
    const newer = validateFindings.filter((f) => f.code === 'sigma-newer-release');
    for (const f of newer) {
      expect(f.severity).toBe('warning');
      expect(f.message).toMatch(/is not in ATT&CK enterprise-attack 18\.1; it appears to come from a newer release \(ATT&CK 19\b/);
      expect(f.message).toMatch(/the rule is read, the tag ignored/);
    }
    // Each ATT&CK 19 tag of a rule (the new tactics, T1685 and T1686 with their sub-techniques) has
    // its warning, and every such warning names a tag of that rule.
    for (const rule of rules) {
      const ahead = rule.tags.filter((t) => /^attack\.(stealth|defense-impairment|t168[56](\.\d{3})?)$/i.test(t)).map((t) => t.toLowerCase());
      const named = newer.filter((f) => f.file === rule.file).map((f) => f.message.slice(0, f.message.indexOf(':')).toLowerCase());
      expect(named.sort(), rule.file).toEqual(ahead.sort());
    }
    expect(newer.length).toBeGreaterThan(50);
  });

  it('accepts tactic tags in either spelling and tags of other namespaces', () => {
    const flagged = new Set(validateFindings.filter((f) => f.code === 'sigma-tag-unknown').map((f) => f.message.split(':')[0]));
    for (const tag of ['attack.defense_evasion', 'attack.credential_access', 'attack.execution', 'attack.s0029', 'cve.2021-1675', 'detection.emerging-threats', 'car.2013-05-002']) {
      expect(flagged.has(tag)).toBe(false);
    }
  });

  it('answers telemetry needs by selector first, then by data component', () => {
    const byFile = new Map(report.detections.map((d) => [d.file, d]));
    const find = (path: string) => byFile.get(`detections/sigmahq/${path}`)!;
    // A selector answers Windows process creation.
    expect(find('rules/windows/process_creation/proc_creation_win_7zip_password_compression.yml').telemetry).toEqual(['sysmon']);
    // Linux process creation: no selector; the Linux EDR provides Process Creation (Sysmon lists only Windows).
    const linux = rules.find((r) => r.file.includes('/linux/process_creation/') && r.status === 'test')!;
    expect(byFile.get(linux.file)).toMatchObject({ telemetry: ['linux-edr'], counts: true });
    // Windows Security: no selector; the source providing its data components answers it.
    const security = report.detections.find((d) => d.file.includes('/builtin/security/') && d.status === 'test')!;
    expect(security).toMatchObject({ telemetry: ['win-security'], counts: true });
    // Entra ID audit logs: the Identity Provider source answers; Windows Security, which also
    // provides account data components, does not (its platform is Windows).
    const entra = report.detections.filter((d) => d.file.includes('/cloud/azure/audit_logs/'));
    expect(entra.length).toBeGreaterThan(0);
    for (const d of entra) expect(d.telemetry, d.file).toEqual(['entra-audit']);
    // CloudTrail: the only matching source is planned.
    const aws = report.detections.find((d) => d.file.includes('/cloud/aws/') && d.status === 'test')!;
    expect(aws).toMatchObject({ counts: false, telemetry: ['cloudtrail'] });
  });
});
