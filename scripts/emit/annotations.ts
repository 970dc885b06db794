/**
 * GitHub workflow commands (`::error file=…,line=…::message`). Property values and messages are
 * escaped the way the runner decodes them, so repository text cannot end a command early or
 * inject a second one.
 */
import type { Finding, Severity } from '../model/findings.js';

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

const LEVEL: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };

export interface AnnotationTarget {
  file?: string;
  line?: number;
  col?: number;
  title?: string;
}

export function annotation(severity: Severity, target: AnnotationTarget, message: string): string {
  const props = [
    target.file && `file=${escapeProperty(target.file)}`,
    target.line && `line=${target.line}`,
    target.col && `col=${target.col}`,
    target.title && `title=${escapeProperty(target.title)}`,
  ].filter(Boolean);
  return `::${LEVEL[severity]}${props.length ? ` ${props.join(',')}` : ''}::${escapeData(message)}`;
}

export const findingAnnotation = (f: Finding): string => annotation(f.severity, { file: f.file, line: f.line, col: f.col, title: `tidemark ${f.code}` }, f.message);
