/**
 * GitHub workflow commands (`::error file=…,line=…::message`). Property values and messages are
 * escaped the way the runner decodes them, so repository text cannot end a command early or
 * inject a second one.
 */
import type { Finding, Severity } from '../model/findings.js';

/** Message text: `%`, CR and LF are encoded (as @actions/core does). */
export const escapeData = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** Property values additionally encode `:` and `,`, which delimit properties. */
export const escapeProperty = (text: string): string => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  title?: string;
  file?: string;
  line?: number;
  col?: number;
}

export function formatAnnotation(a: Annotation): string {
  const properties = [
    a.file !== undefined && `file=${escapeProperty(a.file)}`,
    a.line !== undefined && `line=${a.line}`,
    a.col !== undefined && `col=${a.col}`,
    a.title !== undefined && `title=${escapeProperty(a.title)}`,
  ].filter((p): p is string => typeof p === 'string');
  return `::${a.level}${properties.length > 0 ? ` ${properties.join(',')}` : ''}::${escapeData(a.message)}`;
}

const LEVEL: Record<Severity, Annotation['level']> = { error: 'error', warning: 'warning', info: 'notice' };

export const findingAnnotation = (f: Finding): string =>
  formatAnnotation({ level: LEVEL[f.severity], file: f.file, line: f.line, col: f.col, title: `tidemark ${f.code}`, message: f.message });
