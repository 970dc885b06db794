/**
 * Sigma rules are read unchanged (SPEC §5): a YAML document with top-level `logsource` and
 * `detection` is a rule, and becomes a DetectionRecord with the techniques of its ATT&CK tags.
 */
import type { NodePath } from '../model/findings.js';
import type { DetectionRecord } from '../model/repository.js';

export const isSigmaRule = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && 'logsource' in value && 'detection' in value;

/** `attack.t1059.001` in any case → T1059.001. */
export const SIGMA_TECHNIQUE_TAG = /^attack\.(t\d{4}(?:\.\d{3})?)$/i;

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export function sigmaToDetection(rule: Record<string, unknown>, file: string, path: NodePath): DetectionRecord {
  const techniques: string[] = [];
  const techniquePaths: NodePath[] = [];
  const tags = Array.isArray(rule.tags) ? rule.tags : [];
  tags.forEach((tag, index) => {
    const match = typeof tag === 'string' ? SIGMA_TECHNIQUE_TAG.exec(tag.trim()) : null;
    if (match) {
      techniques.push(match[1].toUpperCase());
      techniquePaths.push([...path, 'tags', index]);
    }
  });
  const logsource: Record<string, string> = {};
  if (rule.logsource && typeof rule.logsource === 'object') {
    for (const [key, value] of Object.entries(rule.logsource as Record<string, unknown>)) {
      if (typeof value === 'string') logsource[key] = value;
    }
  }
  return {
    id: text(rule.id) ?? file,
    title: text(rule.title) ?? file,
    kind: 'sigma',
    status: text(rule.status) ?? 'experimental',
    techniques,
    techniquePaths,
    platforms: [],
    telemetry: [],
    logsource,
    description: text(rule.description),
    owner: text(rule.author),
    file,
    path,
  };
}
