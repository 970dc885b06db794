/**
 * The compliance frameworks controls name in `compliance:` (SPEC §6), one table: the key, the name
 * people know it by, how its ids are written canonically, and which CTID Mappings Explorer
 * framework files speak about it. NIST ids are zero-padded in Mappings Explorer (`AC-02`) and not
 * in the catalogue (`AC-2`); both, and `AC-2(1)` / `AC-02(01)` for enhancements, are one id here.
 */

export interface Framework {
  /** The key under `compliance:` in a control. */
  key: string;
  name: string;
  /** The canonical form of an id, or undefined when the text is not an id of this framework. */
  canonical(id: string): string | undefined;
  /** Mappings Explorer `metadata.mapping_framework` / `mapping_framework_version` pairs that map this framework. */
  explorer: { framework: string; version: string }[];
}

const NIST = /^([A-Za-z]{2})-0*([0-9]{1,3})(?:\s*\(0*([0-9]{1,3})\))?$/;
const CIS = /^0*([0-9]{1,2})(?:\.0*([0-9]{1,2}))?$/;
const ISO = /^(?:A\.)?0*([5-8])\.0*([0-9]{1,2})$/i;

export const FRAMEWORKS: Record<string, Framework> = {
  'nist-800-53-r5': {
    key: 'nist-800-53-r5',
    name: 'NIST SP 800-53 Rev. 5',
    canonical: (id) => {
      const m = NIST.exec(id.trim());
      return m ? `${m[1].toUpperCase()}-${m[2]}${m[3] !== undefined ? `(${m[3]})` : ''}` : undefined;
    },
    explorer: [{ framework: 'nist_800_53', version: 'rev5' }],
  },
  'cis-v8': {
    key: 'cis-v8',
    name: 'CIS Critical Security Controls v8',
    canonical: (id) => {
      const m = CIS.exec(id.trim());
      return m ? `${m[1]}${m[2] !== undefined ? `.${m[2]}` : ''}` : undefined;
    },
    explorer: [],
  },
  'iso-27001-2022': {
    key: 'iso-27001-2022',
    name: 'ISO/IEC 27001:2022 Annex A',
    canonical: (id) => {
      const m = ISO.exec(id.trim());
      return m ? `A.${m[1]}.${m[2]}` : undefined;
    },
    explorer: [],
  },
};

/** The framework of a key as written in a control: own keys only, so `constructor` is no framework. */
const frameworkOf = (key: string): Framework | undefined => (Object.hasOwn(FRAMEWORKS, key) ? FRAMEWORKS[key] : undefined);

/** The canonical form of `id` in framework `key`; an id that does not parse (or an unknown framework) stays as written. */
export function canonicalId(key: string, id: string): string {
  return frameworkOf(key)?.canonical(id) ?? id.trim();
}

export const frameworkName = (key: string): string => frameworkOf(key)?.name ?? key;

/** The repository framework a Mappings Explorer file maps, from its metadata; undefined when controls cannot carry its ids. */
export function frameworkOfExplorer(framework: string | undefined, version: string | undefined): Framework | undefined {
  const f = (framework ?? '').trim().toLowerCase();
  const v = (version ?? '').trim().toLowerCase();
  return Object.values(FRAMEWORKS).find((fw) => fw.explorer.some((e) => e.framework === f && e.version === v));
}

/** Compare ids the way people read them: family, then number, then enhancement (AC-2 < AC-2(1) < AC-10). */
export function compareIds(a: string, b: string): number {
  const split = (s: string) => s.split(/([0-9]+)/).map((p) => (/^[0-9]+$/.test(p) ? Number(p) : p));
  const pa = split(a);
  const pb = split(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}
