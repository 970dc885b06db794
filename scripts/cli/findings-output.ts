/** How findings are printed: `text` for people, `json` for tools, `github` for workflow annotations. */
import { findingAnnotation } from '../emit/annotations.js';
import { CODES, type Code, type Finding } from '../model/findings.js';
import { UsageError } from './command.js';

export const FORMATS = ['text', 'json', 'github'] as const;
export type Format = (typeof FORMATS)[number];

export function parseFormat(value: unknown): Format {
  const format = value ?? 'text';
  if (!FORMATS.includes(format as Format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${String(format)}".`);
  return format as Format;
}

/**
 * Repository text on one printed line: line breaks and other control characters (terminal escape
 * sequences, C1 controls) are shown escaped, so a key or file name can neither forge a line of its
 * own (a `::error::` workflow command in CI) nor drive the terminal.
 */
export const oneLine = (text: string): string =>
  text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const hint = (f: Finding) => (CODES as Record<string, { hint?: string }>)[f.code as Code]?.hint;

export function formatFindings(findings: Finding[], format: Format): string {
  if (format === 'json') return JSON.stringify(findings.map(({ path: _path, ...f }) => ({ ...f, hint: hint(f) })), null, 2);
  if (format === 'github') return findings.map(findingAnnotation).join('\n');
  return findings
    .map((f) => {
      const where = f.file ? `${oneLine(f.file)}:${f.line ?? 1}:${f.col ?? 1}` : 'tidemark';
      const h = hint(f);
      return `${where} ${f.severity} ${f.code} ${oneLine(f.message)}${h && f.severity !== 'info' ? `\n    hint: ${h}` : ''}`;
    })
    .join('\n');
}

export function countLine(findings: Finding[]): string {
  const n = (s: string) => findings.filter((f) => f.severity === s).length;
  return `${n('error')} error(s), ${n('warning')} warning(s)`;
}
