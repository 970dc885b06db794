/** Raw files → parsed YAML documents with positions, plus findings for files that could not be read. */
import { CODES, type Finding } from '../model/findings.js';
import type { RepoFile, Skipped } from './reader.js';
import { decodeText, parseYaml, type ParsedFile } from './yaml.js';

export function parseFiles(files: RepoFile[]): ParsedFile[] {
  return files.map(({ path, bytes }) => {
    const decoded = decodeText(path, bytes);
    if (decoded.text === undefined) return { file: path, text: '', values: [], findings: decoded.findings, locate: () => ({ line: 1, col: 1 }) };
    return parseYaml(path, decoded.text);
  });
}

export const skippedFindings = (skipped: Skipped[]): Finding[] =>
  skipped.map((s) => ({ severity: CODES[s.reason].severity, code: s.reason, message: s.message, file: s.path, line: 1, col: 1 }));

/** Fills line and column from each finding's node path; findings without a file stay as they are. */
export function resolvePositions(findings: Finding[], parsed: ParsedFile[]): Finding[] {
  const byFile = new Map(parsed.map((p) => [p.file, p]));
  return findings.map((f) => {
    if (f.line !== undefined || !f.file) return f;
    const source = byFile.get(f.file);
    const { path, onKey, ...rest } = f;
    if (!source) return { ...rest, line: 1, col: 1 };
    return { ...rest, ...source.locate(path ?? [], onKey) };
  });
}
