/// <reference types="astro/client" />
/**
 * Internal links and the file names behind them. Every internal link goes through `href`, so the
 * GitHub Pages base path applies everywhere; every id in a URL goes through `slug`, so an id from
 * the repository can never leave its folder or need escaping again.
 */

/** The configured base (`TIDEMARK_SITE_BASE`), always ending with a slash. */
export const BASE: string = import.meta.env.BASE_URL.endsWith('/') ? import.meta.env.BASE_URL : `${import.meta.env.BASE_URL}/`;

/** `href('matrix/')` → `/base/matrix/`. */
export const href = (path = ''): string => `${BASE}${path.replace(/^\/+/, '')}`;

/**
 * A reversible, file-name-safe form of an id: letters, digits, `-`, `_` and `.` stay (except a
 * leading dot), every other byte becomes `~XX`. `T1059.001` stays `T1059.001`; `a/../b` cannot
 * climb out of its folder.
 */
export function slug(id: string): string {
  if (id === '') return '~';
  let out = '';
  const bytes = new TextEncoder().encode(id);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    const c = String.fromCharCode(b);
    const keep = /[A-Za-z0-9_-]/.test(c) || (c === '.' && i > 0);
    out += keep ? c : `~${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export const techniqueHref = (id: string) => href(`techniques/${slug(id)}/`);
export const groupHref = (id: string) => href(`groups/${slug(id)}/`);
export const detectionHref = (id: string) => href(`detections/${slug(id)}/`);
export const controlHref = (id: string) => href(`controls/${slug(id)}/`);
export const telemetryHref = (id: string) => href(`telemetry/#source-${slug(id)}`);
export const dataComponentHref = (id: string) => href(`telemetry/#dc-${slug(id)}`);

/** attack.mitre.org page of a technique (T1059.001 → /techniques/T1059/001/), group or data component; undefined for custom ids. */
export function attackUrl(id: string): string | undefined {
  let m = /^T(\d{4})(?:\.(\d{3}))?$/.exec(id);
  if (m) return `https://attack.mitre.org/techniques/T${m[1]}/${m[2] ? `${m[2]}/` : ''}`;
  m = /^(G|C)\d{4}$/.exec(id);
  if (m) return `https://attack.mitre.org/${m[1] === 'G' ? 'groups' : 'campaigns'}/${id}/`;
  m = /^(DC|M|S)\d{4}$/.exec(id);
  if (m) return `https://attack.mitre.org/${{ DC: 'datacomponents', M: 'mitigations', S: 'software' }[m[1] as 'DC' | 'M' | 'S']}/${id}/`;
  return undefined;
}

/** Only http(s) URLs become links; anything else (javascript:, data:, relative) stays text. */
export function safeUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
