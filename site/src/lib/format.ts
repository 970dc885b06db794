/** Numbers and dates as people read them. Everything is UTC so the site is the same wherever it is built. */

export const percent = (share: number, digits = 0): string => `${(Math.round(share * 100 * 10 ** digits) / 10 ** digits).toFixed(digits)}%`;

export const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `2026-09-15T12:00:00Z` → `15 September 2026, 12:00 UTC`; a bare day stays a day; anything else is shown as is. */
export function formatDate(value: string, withTime = true): string {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return value;
  const day = `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
  if (!withTime || /^\d{4}-\d{2}-\d{2}$/.test(value)) return day;
  const hh = String(date.getUTCHours()).padStart(2, '0');
  const mm = String(date.getUTCMinutes()).padStart(2, '0');
  return `${day}, ${hh}:${mm} UTC`;
}

/** Short form for tables: `2026-09-15`. */
export const isoDay = (value: string): string => {
  const date = new Date(value);
  return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : Number.isNaN(date.getTime()) ? value : date.toISOString().slice(0, 10);
};

export const number = (n: number, digits = 2): string => String(Math.round(n * 10 ** digits) / 10 ** digits);
