/**
 * UTC calendar days as integers (days since 1970-01-01), so windows are simple comparisons.
 * Content dates are `YYYY-MM-DD` or a date-time; a date-time without a zone is UTC (SPEC §8).
 */
const MS_PER_DAY = 86_400_000;

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** The UTC day of a content date, or undefined when it is not a real date. */
export function dayNumber(value: string | Date): number | undefined {
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) ? undefined : Math.floor(ms / MS_PER_DAY);
  }
  const m = DATE_TIME.exec(String(value).trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = Date.UTC(y, mo - 1, d);
  const check = new Date(date);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  if (m[4] === undefined) return Math.floor(date / MS_PER_DAY);
  const [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (h > 23 || mi > 59 || s > 60) return undefined;
  return Math.floor((date + ((h * 60 + mi) * 60 + s) * 1000 - offsetMinutes(m[7]) * 60_000) / MS_PER_DAY);
}

function offsetMinutes(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const digits = zone.replace(':', '');
  const sign = digits[0] === '-' ? -1 : 1;
  return sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
}

/** YYYY-MM-DD of a day number. */
export const dayString = (day: number): string => new Date(day * MS_PER_DAY).toISOString().slice(0, 10);

/** The UTC day of an instant. */
export const todayOf = (now: Date): number => Math.floor(now.getTime() / MS_PER_DAY);
