/**
 * Sigma rules as detections (SPEC §5), one behaviour per case, through the CLI in-process on small
 * temporary repositories pinned to the real ATT&CK 18.1 catalog.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../scripts/catalog/source.js';
import { findDataComponent } from '../../scripts/catalog/lookup.js';
import { SIGMA_LOGSOURCES } from '../../scripts/evaluate/sigma-logsources.js';
import type { Report } from '../../scripts/model/report.js';
import { makeRepo, run } from '../helpers/repo.js';

const NOW = '2026-10-15';

type Finding = Report['findings'][number];
type Detection = Report['detections'][number];

const config = (counted = '[stable, test]') => `attack: { domain: enterprise-attack, version: "18.1" }\npolicy: { counted_statuses: ${counted} }\n`;

/** A Sigma rule; `extra` is appended as top-level YAML. */
function rule(id: string, { status = 'test', tags = ['attack.execution', 'attack.t1059.001'], logsource = '{ product: windows, category: process_creation }', extra = '' } = {}): string {
  return [
    `title: Rule ${id}`,
    `id: ${id}`,
    ...(status ? [`status: ${status}`] : []),
    ...(tags.length ? ['tags:', ...tags.map((t) => `    - ${t}`)] : []),
    `logsource: ${logsource}`,
    'detection:',
    '    selection: { CommandLine|contains: " -enc " }',
    '    condition: selection',
    'level: high',
    extra,
  ].join('\n');
}

const SYSMON = `sources:
  - id: sysmon
    name: Sysmon
    status: collected
    platforms: [Windows]
    data_components: [DC0032]
    sigma: [{ product: windows, category: process_creation }]
`;

async function validate(files: Record<string, string>) {
  const repo = makeRepo({ 'tidemark.yaml': config(), ...files });
  const r = await run(['validate', '--repo', repo, '--format', 'json', '--now', NOW]);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  return { code: r.code, findings: JSON.parse(r.stdout || '[]') as Finding[] };
}

async function score(files: Record<string, string>) {
  const repo = makeRepo({ 'tidemark.yaml': config(), ...files });
  const r = await run(['score', '--repo', repo, '--now', NOW, '--quiet']);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  const report = JSON.parse(readFileSync(join(repo, 'build', 'report.json'), 'utf8')) as { detections: Detection[]; findings: Finding[] };
  return { code: r.code, ...report, byId: (id: string) => report.detections.find((d) => d.id === id)! };
}

describe('Sigma tags', () => {
  it('reads technique tags in any case', async () => {
    const { byId } = await score({ 'detections/a.yml': rule('r-a', { tags: ['attack.T1059.001', 'attack.t1003.001', 'ATTACK.T1105'] }) });
    expect(byId('r-a').techniques).toEqual(['T1003.001', 'T1059.001', 'T1105']);
  });

  it('checks tactic tags in either spelling against the pinned release', async () => {
    const tags = ['attack.execution', 'attack.defense-evasion', 'attack.defense_evasion', 'attack.Credential_Access', 'attack.command-and-control', 'attack.t1059.001'];
    const { code, findings } = await validate({ 'detections/a.yml': rule('r-a', { tags }) });
    expect(code).toBe(0);
    expect(findings).toEqual([]);
  });

  it('a tactic or technique from ATT&CK 19 is a warning naming both releases, never an error', async () => {
    const tags = ['attack.stealth', 'attack.defense-impairment', 'attack.t1685', 'attack.t1562.001'];
    const { code, findings } = await validate({ 'detections/a.yml': rule('r-a', { tags }) });
    expect(code).toBe(0);
    const newer = findings.filter((f) => f.code === 'sigma-newer-release');
    expect(newer.map((f) => [f.severity, f.line])).toEqual([
      ['warning', 5],
      ['warning', 6],
      ['warning', 7],
    ]);
    expect(newer[0].message).toBe(
      'attack.stealth: tactic "stealth" is not in ATT&CK enterprise-attack 18.1; it appears to come from a newer release (ATT&CK 19, where Defense Evasion was split into Stealth and Defense Impairment) — the rule is read, the tag ignored.',
    );
    expect(newer[2].message).toMatch(/^attack\.t1685: T1685 is not in ATT&CK enterprise-attack 18\.1; it appears to come from a newer release \(ATT&CK 19 or later: .*\) — the rule is read, the tag ignored\.$/);
  });

  it('a new sub-technique number of an existing technique looks newer too; a gap in the numbering does not', async () => {
    const { findings } = await validate({ 'detections/a.yml': rule('r-a', { tags: ['attack.t1059.099', 'attack.t1000'] }) });
    expect(findings.map((f) => [f.code, f.severity, f.message.split(':')[0]])).toEqual([
      ['sigma-newer-release', 'warning', 'attack.t1059.099'],
      ['technique-unknown', 'warning', 'attack.t1000'],
    ]);
  });

  it('a revoked technique is a warning that names its replacement', async () => {
    const { code, findings } = await validate({ 'detections/a.yml': rule('r-a', { tags: ['attack.t1086'] }) });
    expect(code).toBe(0);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: 'technique-revoked', severity: 'warning' });
    expect(findings[0].message).toContain('its replacement is T1059.001 (PowerShell)');
  });

  it('accepts other namespaces and known groups and software; warns about unknown ones', async () => {
    const tags = ['attack.g0016', 'attack.s0154', 'attack.G9999', 'attack.s9999', 'attack.lateral_movment', 'cve.2021-1675', 'detection.emerging-threats', 'car.2013-05-002', 'tlp.white', 'team.soc'];
    const { code, findings } = await validate({ 'detections/a.yml': rule('r-a', { tags }) });
    expect(code).toBe(0);
    expect(findings.map((f) => [f.code, f.severity, f.message.split(':')[0]])).toEqual([
      ['sigma-tag-unknown', 'warning', 'attack.G9999'],
      ['sigma-tag-unknown', 'warning', 'attack.s9999'],
      ['sigma-tag-unknown', 'warning', 'attack.lateral_movment'],
    ]);
  });
});

describe('Sigma statuses', () => {
  it('a missing or unknown status is a warning', async () => {
    const { code, findings } = await validate({
      'detections/a.yml': rule('r-a', { status: '' }),
      'detections/b.yml': rule('r-b', { status: 'production' }),
      'detections/c.yml': rule('r-c', { status: 'Stable' }),
    });
    expect(code).toBe(0);
    expect(findings.map((f) => [f.file, f.code, f.severity])).toEqual([
      ['detections/a.yml', 'sigma-status', 'warning'],
      ['detections/b.yml', 'sigma-status', 'warning'],
    ]);
    expect(findings[0].message).toContain('has no status; it is read as experimental');
  });

  it('deprecated and unsupported never count, whatever counted_statuses says', async () => {
    const repo = makeRepo({
      'tidemark.yaml': config('[stable, test, deprecated, unsupported]'),
      'coverage/telemetry.yaml': SYSMON,
      'detections/a.yml': rule('r-dep', { status: 'deprecated' }),
      'detections/b.yml': rule('r-uns', { status: 'unsupported' }),
      'detections/c.yml': rule('r-ok', { status: 'test' }),
    });
    expect((await run(['score', '--repo', repo, '--now', NOW, '--quiet'])).code).toBe(0);
    const { detections } = JSON.parse(readFileSync(join(repo, 'build', 'report.json'), 'utf8')) as { detections: Detection[] };
    expect(detections.map((d) => [d.id, d.counts, d.reason])).toEqual([
      ['r-dep', false, 'status deprecated never counts'],
      ['r-ok', true, undefined],
      ['r-uns', false, 'status unsupported never counts'],
    ]);
  });
});

describe('Sigma related', () => {
  it('a rule another rule obsoletes or merges does not count, with a note naming the newer rule', async () => {
    const newer = rule('r-new', { extra: 'related:\n    - { id: r-old, type: obsolete }\n    - { id: r-merged, type: merged }\n    - { id: r-similar, type: similar }\n    - { id: r-derived, type: derived }\n' });
    const { byId, findings } = await score({
      'coverage/telemetry.yaml': SYSMON,
      'detections/new.yml': newer,
      'detections/old.yml': rule('r-old'),
      'detections/merged.yml': rule('r-merged'),
      'detections/similar.yml': rule('r-similar'),
      'detections/derived.yml': rule('r-derived'),
    });
    expect(byId('r-new').counts).toBe(true);
    expect(byId('r-old')).toMatchObject({ counts: false, reason: 'superseded by r-new (Rule r-new), which lists it as obsolete' });
    expect(byId('r-merged')).toMatchObject({ counts: false, reason: 'superseded by r-new (Rule r-new), which lists it as merged' });
    expect(byId('r-similar').counts).toBe(true);
    expect(byId('r-derived').counts).toBe(true);
    const notes = findings.filter((f) => f.code === 'sigma-superseded');
    expect(notes.map((f) => [f.file, f.severity, f.line])).toEqual([
      ['detections/merged.yml', 'info', 2],
      ['detections/old.yml', 'info', 2],
    ]);
    expect(notes[1].message).toContain('Sigma rule r-new (Rule r-new, detections/new.yml) lists it as obsolete');
  });

  it('a malformed related entry is a warning', async () => {
    const { findings } = await validate({ 'detections/a.yml': rule('r-a', { extra: 'related:\n    - { id: r-b, type: replaces }\n    - { type: derived }\n' }) });
    expect(findings.map((f) => [f.code, f.severity])).toEqual([
      ['sigma-related', 'warning'],
      ['sigma-related', 'warning'],
    ]);
  });
});

describe('Sigma telemetry needs', () => {
  const INVENTORY = `sources:
  - id: edr-win
    name: Windows EDR
    status: collected
    platforms: [Windows]
    data_components: [Process Creation, Module Load]
  - id: auditd
    name: Linux auditd
    status: planned
    platforms: [Linux]
    data_components: [Process Creation, Command Execution]
  - id: fw
    name: Firewall
    status: collected
    sigma: [{ category: firewall }]
    data_components: [Network Traffic Flow]
`;

  it('a selector answers first: data components are only asked when no selector matches', async () => {
    const { byId } = await score({ 'coverage/telemetry.yaml': INVENTORY, 'detections/a.yml': rule('r-fw', { logsource: '{ category: firewall }' }) });
    expect(byId('r-fw')).toMatchObject({ telemetry: ['fw'], counts: true });
    const planned = `sources:
  - { id: fw, name: Firewall, status: planned, sigma: [{ category: firewall }] }
  - { id: netflow, name: NetFlow, status: collected, data_components: [Network Traffic Flow] }
`;
    const second = await score({ 'coverage/telemetry.yaml': planned, 'detections/a.yml': rule('r-fw', { logsource: '{ category: firewall }' }) });
    expect(second.byId('r-fw')).toMatchObject({ telemetry: ['fw'], counts: false });
  });

  it('without a selector, a collected source providing one of the logsource’s data components answers it', async () => {
    const { byId, findings } = await score({
      'coverage/telemetry.yaml': INVENTORY,
      'detections/a.yml': rule('r-win', { logsource: '{ product: windows, category: process_creation }' }),
      'detections/b.yml': rule('r-img', { logsource: '{ product: windows, category: image_load }' }),
    });
    expect(byId('r-win')).toMatchObject({ telemetry: ['edr-win'], counts: true });
    expect(byId('r-img')).toMatchObject({ telemetry: ['edr-win'], counts: true });
    expect(findings.filter((f) => f.file?.startsWith('detections/') && f.severity !== 'info')).toEqual([]);
  });

  it('a source for another operating system does not answer, and one not collected blocks', async () => {
    const { byId, findings } = await score({
      'coverage/telemetry.yaml': INVENTORY,
      'detections/a.yml': rule('r-lnx', { logsource: '{ product: linux, category: process_creation }' }),
      'detections/b.yml': rule('r-mac', { logsource: '{ product: macos, category: process_creation }' }),
    });
    expect(byId('r-lnx')).toMatchObject({ telemetry: ['auditd'], counts: false });
    expect(byId('r-lnx').reason).toBe('no collected source provides its logsource\'s data components (Process Creation): auditd (planned)');
    expect(findings.find((f) => f.code === 'detection-without-telemetry' && f.file === 'detections/a.yml')).toMatchObject({ severity: 'warning', line: 7 });
    // macOS: nobody answers, by selector or by data component: a warning, and it still counts.
    expect(byId('r-mac')).toMatchObject({ telemetry: [], counts: true });
    expect(findings.find((f) => f.code === 'telemetry-need-unanswered' && f.file === 'detections/b.yml')?.message).toContain(
      'nor provides its data components (Process Creation)',
    );
  });

  it('every data component name in the logsource table exists in ATT&CK 18.1', async () => {
    const { catalog } = await loadCatalog({ domain: 'enterprise-attack', version: '18.1', mirror: process.env.TIDEMARK_ATTACK_MIRROR, cacheDir: join(makeRepo({}), '.cache') });
    const names = [...new Set(SIGMA_LOGSOURCES.flatMap((e) => e.components))];
    expect(names.filter((n) => !findDataComponent(catalog, n))).toEqual([]);
  });
});

describe('Sigma rule collections', () => {
  const COLLECTION = `action: global
title: Encoded PowerShell, two log sources
id: 11111111-2222-4333-8444-555555555555
status: test
tags:
    - attack.execution
    - attack.t1059.001
detection:
    condition: selection
---
logsource:
    product: windows
    category: process_creation
detection:
    selection:
        CommandLine|contains: ' -enc '
---
logsource:
    product: windows
    service: security
detection:
    selection:
        EventID: 4688
        CommandLine|contains: ' -enc '
`;

  it('merges the global document into each rule document: one rule with both logsources', async () => {
    expect(await validate({ 'detections/collection.yml': COLLECTION })).toEqual({ code: 0, findings: [] });
    const { findings, detections } = await score({ 'coverage/telemetry.yaml': SYSMON, 'detections/collection.yml': COLLECTION });
    expect(detections.map((d) => [d.id, d.status, d.techniques, d.telemetry, d.counts])).toEqual([['11111111-2222-4333-8444-555555555555', 'test', ['T1059.001'], ['sysmon'], true]]);
    const notes = findings.filter((f) => f.file === 'detections/collection.yml');
    expect(notes.map((f) => [f.code, f.severity, f.line])).toEqual([['sigma-collection', 'info', 11]]);
    expect(notes[0].message).toContain('(global document 0; rule documents 1, 2, counting from 0) as one rule with 2 logsources');
  });

  it('counts when a collected source answers any of its logsources', async () => {
    const security = `sources:\n  - id: sec\n    name: Security log\n    status: collected\n    sigma: [{ product: windows, service: security }]\n`;
    const { byId, detections } = await score({ 'coverage/telemetry.yaml': security, 'detections/collection.yml': COLLECTION });
    expect(detections).toHaveLength(1);
    expect(byId('11111111-2222-4333-8444-555555555555')).toMatchObject({ techniques: ['T1059.001'], telemetry: ['sec'], counts: true });
  });

  it('honours reset and repeat', async () => {
    const text = `action: global
status: test
tags: [attack.t1059.001]
---
id: r-one
title: One
logsource: { product: windows, category: process_creation }
detection: { selection: { Image|endswith: '\\\\a.exe' }, condition: selection }
---
action: repeat
id: r-two
title: Two
---
action: reset
---
id: r-three
title: Three
logsource: { product: windows, category: process_creation }
detection: { selection: { Image|endswith: '\\\\b.exe' }, condition: selection }
`;
    const { detections, findings } = await score({ 'coverage/telemetry.yaml': SYSMON, 'detections/c.yml': text });
    expect(detections.map((d) => [d.id, d.status, d.techniques, d.counts])).toEqual([
      ['r-one', 'test', ['T1059.001'], true],
      ['r-three', 'experimental', [], false],
      ['r-two', 'test', ['T1059.001'], true],
    ]);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(findings.find((f) => f.code === 'sigma-status')?.line).toBe(16);
  });
});

describe('Sigma rules written oddly', () => {
  it('never crashes and never errors on values of the wrong type', async () => {
    const odd = [
      'title: [not, a, string]\nid: 42\nstatus: 3\ntags: { attack: t1059 }\nrelated: nope\nlogsource: [windows]\ndetection: { condition: x }\n',
      'title: Only detection\nid: r-only\nstatus: test\ntags: [attack.t1059.001, 7, null]\ndetection: { sel: { a: b }, condition: sel }\n',
      'action: global\ntags: [attack.t1059.001]\n---\naction: repeat\nid: r-rep\n---\n---\naction: bogus\nlogsource: {}\ndetection: {}\n',
    ];
    const files = Object.fromEntries(odd.map((text, i) => [`detections/odd-${i}.yml`, text]));
    const v = await validate(files);
    expect(v.code).toBe(0);
    expect(v.findings.every((f) => f.severity === 'warning')).toBe(true);
    expect(new Set(v.findings.map((f) => f.code))).toEqual(new Set(['sigma-rule', 'sigma-status', 'sigma-tag-unknown']));
    const s = await score({ 'coverage/telemetry.yaml': SYSMON, ...files });
    expect(s.code).toBe(0);
  });
});
