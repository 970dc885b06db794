/** The article's failure modes (SPEC §9) as the overview names them. */
export const FAILURE_MODES = [
  { code: 'shallow-profile', title: 'Shallow threat modelling', meaning: 'A profiled group contributes no technique: we name an adversary without knowing what it does.' },
  { code: 'validated-but-blind', title: 'Telemetry blind spot', meaning: 'An emulation passed in the lab, but no production log source we collect can see the technique.' },
  { code: 'detection-without-telemetry', title: 'Detection without telemetry', meaning: 'A detection cannot fire because the logs it needs are not collected.' },
  { code: 'stale-profile', title: 'Static threat model', meaning: 'A threat profile has not been reviewed within the review period.' },
] as const;

/** Findings codes in the order the findings page lists their sections. */
export const SEVERITY_ORDER = ['error', 'warning', 'info'];
