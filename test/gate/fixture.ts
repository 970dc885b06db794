/**
 * A small organisation for end-to-end gate tests, pinned to enterprise-attack 18.1 (read from the
 * shared mirror that vitest.config.ts names). A custom group keeps the overlay independent of
 * ATT&CK's group data: T1059.001, T1003.001, T1053.005 and T1021.001.
 */
export const CONFIG = `attack: { domain: enterprise-attack, version: "18.1" }
organisation: { name: Gate Test Clinic, platforms: [Windows] }
site: { url: https://defence.example.org/coverage/ }
`;

export const GROUP = `id: X-affiliate
name: Test affiliate
relevance: high
rationale: The affiliate seen in our region.
reviewed: 2026-06-01
techniques:
  add:
    - { id: T1059.001, source: IR-1 }
    - { id: T1003.001, source: IR-1 }
    - { id: T1053.005, source: IR-1 }
    - { id: T1021.001, source: IR-1 }
`;

export const NEW_GROUP = `id: X-newcomer
name: Newcomer crew
relevance: medium
rationale: Started targeting clinics this year.
reviewed: 2026-09-01
techniques:
  add:
    - { id: T1059.001, source: ISAC }
    - { id: T1490, source: ISAC }
    - { id: T1486, source: ISAC }
`;

export const telemetry = (sysmon = 'collected') => `sources:
  - id: sysmon-process
    name: Sysmon process creation
    status: ${sysmon}
    platforms: [Windows]
    data_components: [DC0032]
    sigma:
      - { product: windows, category: process_creation }
  - id: edr-access
    name: EDR process access
    status: collected
    platforms: [Windows]
    data_components: [DC0035]
`;

export const detection = (status = 'stable', owner = 'soc@example.org') => `id: det-encoded-powershell
title: Encoded PowerShell command line
status: ${status}
techniques: [T1059.001]
platforms: [Windows]
telemetry: [sysmon-process]
owner: ${owner}
`;

export const LSASS = `id: det-lsass-access
title: LSASS memory access by unusual process
status: stable
techniques: [T1003.001]
platforms: [Windows]
telemetry: [edr-access]
`;

export const EXPIRING = `- technique: T1053.005
  date: 2026-02-01
  outcome: detected
  test: { type: atomic, id: 42f53695-ad4a-4546-abb6-7d837f644a71 }
`;

export const FAILED = `- technique: T1059.001
  date: 2026-10-01
  outcome: not-detected
  detection: det-encoded-powershell
  test: { type: atomic, id: 0d181431-ddf3-4826-8055-2dbf63ae848b }
`;

export const BASE_FILES: Record<string, string> = {
  '.gitignore': '.cache/\nbuild/\n',
  'tidemark.yaml': CONFIG,
  'groups/x-affiliate.yaml': GROUP,
  'coverage/telemetry.yaml': telemetry(),
  'detections/powershell.yaml': detection(),
  'detections/lsass.yaml': LSASS,
  'coverage/validations/2026-q1.yaml': EXPIRING,
};

/** Evaluation instant of every test: the 2026-02-01 result is expired (180 days). */
export const NOW = '2026-10-15';
