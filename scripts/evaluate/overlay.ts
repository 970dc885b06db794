/**
 * The threat profile as technique sets (SPEC §4): each group's set, the baseline, and their union
 * (the overlay) with the weight of every technique and the reasons it is there.
 */
import type { Catalog, Technique } from '../catalog/types.js';
import { byString, sortedUnique } from '../model/order.js';
import type { GroupRecord, Repository } from '../model/repository.js';
import type { Config } from '../model/schemas.js';
import type { DroppedTechniques, GroupSet, Overlay, OverlayEntry, TechniqueReason } from './types.js';

type Policy = Config['policy'];

/** A group's weight: `high`/`medium`/`low` through `policy.relevance`, a number as is. */
export function relevanceWeight(relevance: string | number, policy: Policy): number {
  if (typeof relevance === 'number') return relevance;
  const mapped = (policy.relevance as Record<string, number>)[relevance];
  return typeof mapped === 'number' ? mapped : 0;
}

/**
 * Whether a technique runs on the organisation's platforms. An unset or empty list filters
 * nothing; a technique that lists no platform is kept (nothing says it does not apply).
 */
export function platformFilter(platforms: readonly string[] | undefined): (technique: Technique) => boolean {
  if (!platforms || platforms.length === 0) return () => true;
  const wanted = new Set(platforms.map((p) => p.toLowerCase()));
  return (technique) => technique.platforms.length === 0 || technique.platforms.some((p) => wanted.has(p.toLowerCase()));
}

const refId = (ref: string | { id: string }): string => (typeof ref === 'string' ? ref : ref.id).toUpperCase();

/** The ATT&CK group a profile names, following a revocation to its replacement. */
function attackGroup(catalog: Catalog, id: string) {
  return catalog.groups[id] ?? catalog.groups[catalog.retired[id]?.replacedBy ?? ''];
}

/** The techniques a profile brings before `remove` and the filters, each with why. */
function candidates(profile: GroupRecord, catalog: Catalog, config: Config): Map<string, TechniqueReason[]> {
  const found = new Map<string, TechniqueReason[]>();
  const at = { file: profile.file, path: profile.path };
  const add = (ids: readonly string[], reason: TechniqueReason) => {
    for (const id of ids) {
      const reasons = found.get(id) ?? [];
      if (!reasons.some((r) => r.via === reason.via && r.ref === reason.ref)) reasons.push(reason);
      found.set(id, reasons);
    }
  };
  const { include_campaigns: withCampaigns, include_software: withSoftware } = config.profile;
  const softwareOf = (ids: readonly string[]) => {
    for (const s of ids) add(catalog.software[s]?.techniques ?? [], { group: profile.id, via: 'software', ref: s, ...at });
  };

  if (profile.id.startsWith('C')) {
    const campaign = catalog.campaigns[profile.id] ?? catalog.campaigns[catalog.retired[profile.id]?.replacedBy ?? ''];
    if (campaign) {
      add(campaign.techniques, { group: profile.id, via: 'uses', ref: campaign.id, ...at });
      if (withSoftware) softwareOf(campaign.software);
    }
  } else if (profile.id.startsWith('G')) {
    const group = attackGroup(catalog, profile.id);
    if (group) {
      add(group.techniques, { group: profile.id, via: 'uses', ...(group.id !== profile.id ? { ref: group.id } : {}), ...at });
      if (withCampaigns) {
        for (const c of group.campaigns) add(catalog.campaigns[c]?.techniques ?? [], { group: profile.id, via: 'campaign', ref: c, ...at });
      }
      if (withSoftware) softwareOf(group.software);
    }
  }
  (profile.techniques?.add ?? []).forEach((ref, i) => {
    add([refId(ref)], { group: profile.id, via: 'add', file: profile.file, path: [...profile.path, 'techniques', 'add', i] });
  });
  return found;
}

export interface ProfiledSet extends GroupSet {
  reasons: Record<string, TechniqueReason[]>;
}

/** One profile's technique set (SPEC §4): candidates minus `remove`, active and on the organisation's platforms. */
export function groupSet(profile: GroupRecord, catalog: Catalog, config: Config): ProfiledSet {
  const removed = new Set((profile.techniques?.remove ?? []).map(refId));
  const onPlatform = platformFilter(config.organisation.platforms);
  const dropped: DroppedTechniques = { removed: [], inactive: [], platform: [] };
  const reasons: Record<string, TechniqueReason[]> = {};
  for (const [id, why] of [...candidates(profile, catalog, config)].sort((a, b) => byString(a[0], b[0]))) {
    const technique = catalog.techniques[id];
    if (removed.has(id)) dropped.removed.push(id);
    else if (!technique) dropped.inactive.push(id);
    else if (!onPlatform(technique)) dropped.platform.push(id);
    else reasons[id] = why;
  }
  const group = profile.id.startsWith('C') ? catalog.campaigns[profile.id] : attackGroup(catalog, profile.id);
  return {
    id: profile.id,
    name: profile.name ?? group?.name ?? profile.id,
    enabled: profile.enabled !== false,
    relevance: profile.relevance,
    weight: relevanceWeight(profile.relevance, config.policy),
    rationale: profile.rationale,
    reviewed: String(profile.reviewed),
    file: profile.file,
    path: profile.path,
    techniques: Object.keys(reasons).sort(byString),
    dropped,
    reasons,
  };
}

/**
 * The baseline (SPEC §4): the `n` techniques with the most active ATT&CK groups having a direct
 * `uses` to them, ties by id, among techniques that pass `keep` (the platform filter).
 */
export function baselineTechniques(catalog: Catalog, n: number, keep: (technique: Technique) => boolean): string[] {
  if (n <= 0) return [];
  const users = new Map<string, number>();
  for (const group of Object.values(catalog.groups)) {
    for (const id of new Set(group.techniques)) users.set(id, (users.get(id) ?? 0) + 1);
  }
  return [...users]
    .filter(([id]) => catalog.techniques[id] !== undefined && keep(catalog.techniques[id]))
    .sort((a, b) => b[1] - a[1] || byString(a[0], b[0]))
    .slice(0, n)
    .map(([id]) => id);
}

/** Every profile's set, the baseline and their union over enabled groups. */
export function buildOverlay(repo: Repository, catalog: Catalog): Overlay {
  const sets = repo.groups
    .map((profile) => groupSet(profile, catalog, repo.config))
    .sort((a, b) => byString(a.id, b.id) || byString(a.file, b.file));
  const baseline = baselineTechniques(catalog, repo.config.profile.baseline, platformFilter(repo.config.organisation.platforms));

  const entries = new Map<string, { groups: string[]; weight: number; reasons: TechniqueReason[] }>();
  const entry = (id: string) => {
    let e = entries.get(id);
    if (!e) entries.set(id, (e = { groups: [], weight: 0, reasons: [] }));
    return e;
  };
  for (const set of sets) {
    if (!set.enabled) continue;
    for (const id of set.techniques) {
      const e = entry(id);
      e.groups.push(set.id);
      e.weight += set.weight;
      for (const reason of set.reasons[id]) e.reasons.push(reason); // a group may list one technique very many times
    }
  }
  for (const id of baseline) entry(id).reasons.push({ group: 'baseline', via: 'baseline' });

  const techniques: OverlayEntry[] = [...entries]
    .sort((a, b) => byString(a[0], b[0]))
    .map(([id, e]) => ({
      id,
      groups: sortedUnique(e.groups),
      baseline: e.groups.length === 0,
      weight: e.groups.length === 0 ? 1 : e.weight,
      reasons: e.reasons,
    }));
  return { groups: sets.map(({ reasons: _reasons, ...set }) => set), baseline, techniques };
}
