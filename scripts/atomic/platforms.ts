/**
 * Where an Atomic Red Team test runs, in ATT&CK platform names. The index CSV does not say, so the
 * executor gives a first answer; an atomics file beside the index gives the real one
 * (`supported_platforms`). ATT&CK renamed platforms over releases (Office 365 → Office Suite,
 * Azure AD → Identity Provider, Network → Network Devices), so every name a release used is listed
 * and matching is by any of them.
 */

/** Executor → platforms; an empty list means the test runs anywhere (manual tests). */
export const EXECUTOR_PLATFORMS: Record<string, string[]> = {
  powershell: ['Windows'],
  command_prompt: ['Windows'],
  sh: ['Linux', 'macOS'],
  bash: ['Linux', 'macOS'],
  manual: [],
};

/** Atomic Red Team `supported_platforms` value → ATT&CK platform names. */
export const ART_PLATFORMS: Record<string, string[]> = {
  windows: ['Windows'],
  linux: ['Linux'],
  macos: ['macOS'],
  'office-365': ['Office Suite', 'Office 365'],
  'azure-ad': ['Identity Provider', 'Azure AD'],
  'google-workspace': ['Office Suite', 'Identity Provider', 'Google Workspace'],
  saas: ['SaaS'],
  iaas: ['IaaS'],
  'iaas:aws': ['IaaS'],
  'iaas:azure': ['IaaS'],
  'iaas:gcp': ['IaaS'],
  containers: ['Containers'],
  esxi: ['ESXi'],
  network: ['Network Devices', 'Network'],
};

export function platformsOfExecutor(executor: string): string[] {
  return EXECUTOR_PLATFORMS[executor.trim().toLowerCase()] ?? [];
}

/** ATT&CK names of ART platform values; unknown values are kept as they are. */
export function attackPlatforms(artPlatforms: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of artPlatforms) for (const name of ART_PLATFORMS[p.trim().toLowerCase()] ?? [p.trim()]) out.add(name);
  return [...out];
}

/** True when a test for `testPlatforms` (empty = anywhere) runs on one of `wanted` (empty = no filter). */
export function runsOn(testPlatforms: readonly string[], wanted: readonly string[] | undefined): boolean {
  if (!wanted?.length || !testPlatforms.length) return true;
  const set = new Set(wanted.map((p) => p.toLowerCase()));
  return testPlatforms.some((p) => set.has(p.toLowerCase()));
}
