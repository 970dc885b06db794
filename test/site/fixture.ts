/**
 * A realistic report for the site tests, made from the real ATT&CK 18.1 bundle in ../shared: every
 * state, several groups, detections, controls, telemetry, emulation runs, findings, and hostile
 * text (markup, an onerror image, a javascript: URL, an id that tries to leave its folder). The
 * figures are consistent with SPEC §9–§10 so the pages read like a real report; the site never
 * recomputes them anyway.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { Report, ReportTechnique } from '../../scripts/model/report.js';
import { STATES, type State } from '../../scripts/model/schemas.js';
import type { History } from '../../scripts/history/types.js';

const ATTACK = fileURLToPath(new URL('../../../shared/attack/enterprise-attack-18.1.json.gz', import.meta.url));

interface Stix {
  type: string;
  id: string;
  name?: string;
  revoked?: boolean;
  x_mitre_deprecated?: boolean;
  x_mitre_shortname?: string;
  x_mitre_platforms?: string[];
  tactic_refs?: string[];
  kill_chain_phases?: { kill_chain_name: string; phase_name: string }[];
  external_references?: { source_name: string; external_id?: string }[];
}

const attackId = (o: Stix) => o.external_references?.find((r) => r.source_name === 'mitre-attack')?.external_id ?? '';
const byStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

let bundle: { tactics: Report['tactics']; catalog: Report['catalog']; dcs: { id: string; name: string }[] } | undefined;

function loadAttack() {
  if (bundle) return bundle;
  const objects = (JSON.parse(gunzipSync(readFileSync(ATTACK)).toString('utf8')) as { objects: Stix[] }).objects;
  const active = (o: Stix) => !o.revoked && !o.x_mitre_deprecated;
  const byStix = new Map(objects.map((o) => [o.id, o]));
  const matrix = objects.find((o) => o.type === 'x-mitre-matrix')!;
  const tactics = matrix.tactic_refs!.map((ref) => byStix.get(ref)!).map((t) => ({ id: attackId(t), shortname: t.x_mitre_shortname!, name: t.name!, score: 0, overlay: 0 }));
  const order = new Map(tactics.map((t, i) => [t.shortname, i]));
  const catalog = objects
    .filter((o) => o.type === 'attack-pattern' && active(o) && attackId(o))
    .map((o) => {
      const id = attackId(o);
      const tacticsOf = (o.kill_chain_phases ?? []).filter((k) => k.kill_chain_name === 'mitre-attack').map((k) => k.phase_name).filter((s) => order.has(s));
      return {
        id,
        name: o.name!,
        tactics: [...new Set(tacticsOf)].sort((a, b) => order.get(a)! - order.get(b)!),
        platforms: [...(o.x_mitre_platforms ?? [])].sort(byStr),
        ...(id.includes('.') ? { parent: id.split('.')[0] } : {}),
      };
    })
    .sort((a, b) => byStr(a.id, b.id));
  const dcs = objects.filter((o) => o.type === 'x-mitre-data-component' && active(o)).map((o) => ({ id: attackId(o), name: o.name! })).sort((a, b) => byStr(a.id, b.id));
  bundle = { tactics, catalog, dcs };
  return bundle;
}

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CREDIT: Record<State, number> = { validated: 1, blocked: 1, detected: 0.5, mitigated: 0.5, failed: 0, visible: 0, blind: 0 };
const round = (n: number) => Math.round(n * 10000) / 10000;

export const HOSTILE = {
  title: '<script>window.__pwned = 1</script>Encoded PowerShell <b>bold</b>',
  description:
    'Catches encoded commands. <img src=x onerror="window.__pwned = 2"> Runbook: javascript:window.__pwned=3 and ' +
    '<a href="javascript:window.__pwned=4">click</a>; the real runbook is https://wiki.example.org/runbooks/powershell.',
  id: 'det <script>/../../escape',
  owner: 'soc@example.org <svg onload="window.__pwned=5">',
};

export interface FixtureOptions {
  /** Overlay size; default 180. */
  overlay?: number;
  seed?: number;
  generatedAt?: string;
}

export function makeReport(options: FixtureOptions = {}): Report {
  const { tactics, catalog, dcs } = loadAttack();
  const random = rng(options.seed ?? 7);
  const generatedAt = options.generatedAt ?? '2026-09-15T12:00:00.000Z';
  const size = Math.min(options.overlay ?? 180, catalog.length);
  const groups = [
    { id: 'G0016', name: 'APT29', relevance: 'high', weight: 3, reviewed: '2026-06-01', rationale: 'Targets European health ministries and their suppliers; cloud identity abuse seen in 2026 reports. See https://attack.mitre.org/groups/G0016/.' },
    { id: 'G1015', name: 'Scattered Spider', relevance: 'high', weight: 3, reviewed: '2026-03-12', rationale: 'Help-desk social engineering against health insurers; MFA fatigue and SIM swapping.' },
    { id: 'G0034', name: 'Sandworm Team', relevance: 'medium', weight: 2, reviewed: '2026-01-20', rationale: 'Destructive attacks on critical infrastructure in our region.' },
    { id: 'X-regional-ransomware', name: 'Regional ransomware affiliate', relevance: 'low', weight: 1, reviewed: '2024-11-02', rationale: 'Local incident response case IR-2026-014; javascript:alert(1) must stay text.' },
  ];
  // The overlay: a spread of techniques and sub-techniques across the whole catalog.
  const picked = [...catalog].sort(() => random() - 0.5).slice(0, size).sort((a, b) => byStr(a.id, b.id));
  const statesCycle: State[] = ['detected', 'visible', 'blind', 'detected', 'visible', 'validated', 'mitigated', 'visible', 'failed', 'detected', 'blocked', 'visible', 'blind', 'detected', 'validated', 'visible'];
  const sources = [
    { id: 'sysmon-process', name: 'Sysmon process creation (event 1)', status: 'collected', platforms: ['Windows'], data_components: dcs.slice(0, 6).map((d) => d.id) },
    { id: 'mde-edr', name: 'Microsoft Defender for Endpoint advanced hunting', status: 'collected', platforms: ['Windows', 'macOS', 'Linux'], data_components: dcs.slice(4, 14).map((d) => d.id) },
    { id: 'entra-signin', name: 'Entra ID sign-in logs', status: 'collected', platforms: ['Identity Provider'], data_components: dcs.slice(14, 18).map((d) => d.id) },
    { id: 'linux-auditd', name: 'auditd execve and file watches', status: 'collected', platforms: ['Linux'], data_components: dcs.slice(18, 24).map((d) => d.id) },
    { id: 'aws-cloudtrail', name: 'AWS CloudTrail (organisation trail)', status: 'planned', platforms: ['IaaS'], data_components: dcs.slice(40, 48).map((d) => d.id) },
  ];
  const collectedDcs = sources.filter((s) => s.status === 'collected').flatMap((s) => s.data_components);
  const uncollected = dcs.map((d) => d.id).filter((d) => !collectedDcs.includes(d));

  const detections: Report['detections'] = [];
  const controls: Report['controls'] = [];
  const techniques: ReportTechnique[] = picked.map((c, i) => {
    const state = statesCycle[i % statesCycle.length];
    const members = groups.filter((_, g) => (i + g) % (g + 2) === 0 || g === i % groups.length).map((g) => g.id).sort(byStr);
    const weight = groups.filter((g) => members.includes(g.id)).reduce((n, g) => n + g.weight, 0) || 1;
    const credit = CREDIT[state];
    const blind = state === 'blind';
    const dc = blind ? [uncollected[i % uncollected.length]] : [collectedDcs[i % collectedDcs.length], uncollected[(i * 7) % uncollected.length]];
    const telemetry = blind ? [] : sources.filter((s) => s.status === 'collected' && s.data_components.some((d) => dc.includes(d))).map((s) => s.id);
    const det: string[] = [];
    if (state === 'detected' || state === 'validated' || state === 'failed') {
      const id = `det-${c.id.toLowerCase().replace('.', '-')}`;
      det.push(id);
      detections.push({ id, title: `${c.name} activity`, kind: i % 3 === 0 ? 'sigma' : 'native', status: 'stable', techniques: [c.id], telemetry: telemetry.slice(0, 1), counts: true, owner: 'soc@example.org', file: `detections/native/${id}.yaml` });
    }
    const ctl: string[] = [];
    if (state === 'mitigated' || state === 'blocked') {
      const id = `ctl-${c.id.toLowerCase().replace('.', '-')}`;
      ctl.push(id);
      controls.push({ id, title: `Harden against ${c.name}`, status: 'implemented', techniques: [c.id], mitigations: ['M1038'], compliance: { 'nist-800-53-r5': ['CM-7', 'SI-3'], 'cis-v8': ['4.8'] }, file: `controls/${id}.yaml` });
    }
    const validations: ReportTechnique['validations'] = [];
    const outcome = { validated: 'detected', blocked: 'blocked', failed: 'not-detected' }[state as 'validated'];
    if (outcome) {
      validations.push({ date: `2026-0${1 + (i % 8)}-1${i % 10}`, outcome, ...(det[0] ? { detection: det[0] } : {}), test: { type: 'atomic', id: `t-${i}`, name: `Atomic test for ${c.id}` }, host: `ws-0${100 + i}`, fresh: true, file: 'coverage/validations/2026.yaml', line: 3 + i });
      validations.push({ date: '2025-01-15', outcome: 'not-detected', test: { type: 'manual' }, fresh: false, file: 'coverage/validations/2025.yaml', line: 10 + i });
    }
    return {
      id: c.id,
      name: c.name,
      tactics: c.tactics,
      platforms: c.platforms,
      ...(c.parent ? { parent: c.parent } : {}),
      groups: members,
      baseline: false,
      reasons: members.map((g) => ({ group: g, via: g.startsWith('X-') ? ('add' as const) : ('uses' as const), file: `groups/${g.toLowerCase()}.yaml` })),
      weight,
      state,
      credit,
      priority: round(weight * (1 - credit)),
      detections: det,
      controls: ctl,
      validations,
      data_components: [...new Set(dc)].sort(byStr),
      telemetry,
    };
  });

  // Hostile content on a real detected technique.
  const target = techniques.find((t) => t.state === 'detected')!;
  target.detections.push(HOSTILE.id);
  target.detections.sort(byStr);
  detections.push({ id: HOSTILE.id, title: HOSTILE.title, kind: 'native', status: 'experimental', techniques: [target.id], telemetry: ['sysmon-process'], counts: false, reason: 'status experimental is not counted <i>javascript:void(0)</i>', description: HOSTILE.description, owner: HOSTILE.owner, file: 'detections/native/hostile.yaml' });
  detections.sort((a, b) => byStr(a.id, b.id));
  controls.sort((a, b) => byStr(a.id, b.id));

  const count = (list: ReportTechnique[]) => Object.fromEntries(STATES.map((s) => [s, list.filter((t) => t.state === s).length])) as Record<State, number>;
  const weighted = (list: ReportTechnique[]) => {
    const w = list.reduce((n, t) => n + t.weight, 0);
    return w ? round(list.reduce((n, t) => n + t.weight * t.credit, 0) / w) : 0;
  };
  const states = count(techniques);
  const covered = techniques.filter((t) => t.credit > 0);
  const stale = groups.filter((g) => g.reviewed < '2025-09-15');
  const backlog = techniques
    .filter((t) => t.credit < 1)
    .sort((a, b) => b.priority - a.priority || b.groups.length - a.groups.length || byStr(a.id, b.id))
    .map((t) => ({
      id: t.id,
      name: t.name,
      priority: t.priority,
      state: t.state,
      groups: t.groups,
      action: {
        blind: `Collect telemetry: ${t.data_components.map((d) => dcs.find((x) => x.id === d)?.name ?? d).join(', ')}`,
        visible: `Write a detection: ${t.telemetry.join(', ')} already see it`,
        failed: `Fix the detection ${t.detections[0]} (run of ${t.validations[0]?.date} was not detected)`,
        detected: 'Validate it with an emulation run',
        mitigated: 'Validate the control with an emulation run',
      }[t.state as 'blind'],
      ...(t.state === 'detected' ? { tests: [{ guid: 'f7e6ec05-c19e-4a80-a7e7-241027992fdb', name: `Atomic test for ${t.id}` }] } : {}),
    }));
  const usedDcs = new Set([...techniques.flatMap((t) => t.data_components), ...sources.flatMap((s) => s.data_components)]);

  return {
    tool: { name: 'tidemark', version: '0.1.0' },
    generated_at: generatedAt,
    attack: { domain: 'enterprise-attack', version: '18.1' },
    organisation: { name: 'Example Regional Health', platforms: ['IaaS', 'Identity Provider', 'Linux', 'Office Suite', 'Windows', 'macOS'] },
    summary: {
      overlay: techniques.length,
      states,
      score: weighted(techniques),
      gaps: states.failed + states.visible + states.blind,
      untested_coverage: covered.length ? round((states.detected + states.mitigated) / covered.length) : 0,
      stale_profiles: stale.length,
    },
    tactics: tactics.map((t) => {
      const here = techniques.filter((x) => x.tactics.includes(t.shortname));
      return { ...t, score: weighted(here), overlay: here.length };
    }),
    techniques,
    groups: groups.map((g) => {
      const mine = techniques.filter((t) => t.groups.includes(g.id));
      return {
        ...g,
        stale: stale.includes(g),
        enabled: true,
        file: `groups/${g.id.toLowerCase()}.yaml`,
        techniques: mine.map((t) => t.id),
        score: mine.length ? round(mine.reduce((n, t) => n + t.credit, 0) / mine.length) : 0,
        states: count(mine),
      };
    }),
    backlog,
    detections,
    controls,
    telemetry: sources,
    data_components: dcs.filter((d) => usedDcs.has(d.id)),
    catalog,
    findings: [
      { severity: 'warning', code: 'detection-without-telemetry', message: 'Detection det-aws-ec2-discovery does not count: its telemetry aws-cloudtrail (planned) is not collected.', file: 'detections/native/det-aws-ec2-discovery.yaml', line: 6 },
      ...stale.map((g) => ({ severity: 'warning', code: 'stale-profile', message: `Group profile ${g.id} was last reviewed on ${g.reviewed}, more than 365 days ago.`, file: `groups/${g.id.toLowerCase()}.yaml`, line: 4 })),
      { severity: 'warning', code: 'validated-but-blind', message: `${techniques.find((t) => t.state === 'validated')!.id} is validated but no collected source sees it.` },
      { severity: 'info', code: 'untested-coverage', message: `${states.detected + states.mitigated} of ${covered.length} covered overlay techniques are only detected or mitigated.` },
    ],
  };
}

/** A plausible history ending at the report's score. */
export function makeHistory(report: Report, points = 24): History {
  const end = report.summary.score;
  return Array.from({ length: points }, (_, i) => {
    const score = round(Math.max(0, end - (points - 1 - i) * 0.012 + (i % 3 === 0 ? 0.004 : 0)));
    const scale = (n: number) => Math.round(n * (0.6 + (0.4 * i) / (points - 1)));
    return {
      commit: (i + 1).toString(16).padStart(40, 'a'),
      date: new Date(Date.UTC(2026, 0, 5 + i * 10, 9)).toISOString(),
      score: i === points - 1 ? end : score,
      states: Object.fromEntries(STATES.map((s) => [s, scale(report.summary.states[s])])) as History[number]['states'],
      overlay: scale(report.summary.overlay),
    };
  });
}

/** Writes report.json and the files `tidemark score` and `tidemark history` put beside it. Returns the report path. */
export function writeBuild(dir: string, report: Report, history?: History): string {
  mkdirSync(join(dir, 'layers'), { recursive: true });
  const path = join(dir, 'report.json');
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  const layer = (name: string) => JSON.stringify({ name, versions: { layer: '4.5', navigator: '5.1.0', attack: report.attack.version }, domain: report.attack.domain, techniques: report.techniques.map((t) => ({ techniqueID: t.id, score: t.credit })) });
  writeFileSync(join(dir, 'layers', 'coverage.json'), layer('coverage'));
  writeFileSync(join(dir, 'layers', 'overlay.json'), layer('overlay'));
  for (const g of report.groups) if (/^[A-Za-z0-9._-]+$/.test(g.id)) writeFileSync(join(dir, 'layers', `group-${g.id}.json`), layer(g.name));
  writeFileSync(join(dir, 'backlog.csv'), ['id,name,priority,state,groups,action', ...report.backlog.map((b) => [b.id, JSON.stringify(b.name), b.priority, b.state, b.groups.join(' '), JSON.stringify(b.action)].join(','))].join('\n') + '\n');
  writeFileSync(join(dir, 'summary.md'), `# Coverage\n\nScore ${report.summary.score}\n`);
  if (history) writeFileSync(join(dir, 'history.json'), `${JSON.stringify(history, null, 2)}\n`);
  return path;
}
