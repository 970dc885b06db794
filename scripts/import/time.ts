/** Times in emulation logs: ISO 8601 with or without a zone (no zone = UTC, as the tools write it). */

const STAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Epoch milliseconds of a timestamp, or undefined when it is not one. */
export function parseUtc(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = STAMP.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${frac.slice(0, 4)}${offset}`);
  if (Number.isNaN(ms)) return undefined;
  // Date.parse rolls 2026-02-31 over to March: refuse dates that do not exist.
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return undefined;
  return ms;
}

/** `YYYY-MM-DDTHH:MM:SSZ`: second precision, so the same run logged twice (CSV and ATTiRe) compares equal. */
export const isoSeconds = (ms: number): string => `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;

export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/i;

/** `90s`, `15m`, `1h`, `1h30m` → milliseconds; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m || !text.trim() || (!m[1] && !m[2] && !m[3])) return undefined;
  return ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000;
}
