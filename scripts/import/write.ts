/**
 * Which records are new and where they go (pure). A record is already present when a record with
 * the same technique, date, test id (or name when there is no id), host (any case) and outcome is
 * in coverage/validations/ or earlier in the same import. New records go to
 * `coverage/validations/<kind>-<day>.yaml`; when that file exists as a plain YAML list, they are
 * appended to its text (comments and layout kept), otherwise the next free `<kind>-<day>-N.yaml` is used.
 */
import { dump } from 'js-yaml';
import { parseDocument, isSeq } from 'yaml';
import type { Validation } from '../model/schemas.js';
import { isObject, str } from './json.js';
import type { ExistingFile } from './repository.js';
import { VALIDATIONS_DIR } from './repository.js';
import { isoSeconds, parseUtc } from './time.js';

const normalDate = (value: unknown): string => {
  if (value instanceof Date) return isoSeconds(value.getTime());
  const text = str(value) ?? '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  const ms = parseUtc(text);
  return ms === undefined ? text : isoSeconds(ms);
};

/** The identity of a result for deduplication; undefined for values that are not records. */
export function dedupeKey(record: unknown): string | undefined {
  if (!isObject(record)) return undefined;
  const test = isObject(record.test) ? record.test : {};
  return [
    (str(record.technique) ?? '').toUpperCase(),
    normalDate(record.date),
    (str(test.id) ?? str(test.name) ?? '').toLowerCase(),
    (str(record.host) ?? '').toLowerCase(),
    str(record.outcome) ?? '',
  ].join('\u0000');
}

export interface Fresh {
  /** Index of each new record in the input list. */
  fresh: number[];
  /** Index of each record already present, with where. */
  present: { index: number; where: string }[];
}

export function newRecords(records: readonly Validation[], existing: readonly ExistingFile[]): Fresh {
  const seen = new Map<string, string>();
  for (const file of existing) for (const r of file.records) {
    const key = dedupeKey(r);
    if (key && !seen.has(key)) seen.set(key, file.path);
  }
  const result: Fresh = { fresh: [], present: [] };
  records.forEach((record, index) => {
    const key = dedupeKey(record)!;
    const where = seen.get(key);
    if (where) result.present.push({ index, where });
    else {
      result.fresh.push(index);
      seen.set(key, 'this import');
    }
  });
  return result;
}

/** The records as YAML under a one-line comment (a line break in it, from a file name, would start YAML of its own). */
export const renderRecords = (records: readonly Validation[], comment: string): string =>
  `# ${comment.replace(/[\r\n]+/g, ' ')}\n${dump(records, { flowLevel: 2, lineWidth: -1, noRefs: true })}`;

const isBlockList = (text: string): boolean => {
  const doc = parseDocument(text);
  // An empty (or comments-only) file takes a list as well.
  return doc.errors.length === 0 && (doc.contents === null || (isSeq(doc.contents) && !doc.contents.flow));
};

export interface Target {
  /** Repository-relative path. */
  path: string;
  /** The whole new content of the file. */
  text: string;
  appended: boolean;
}

export function chooseTarget(kind: string, day: string, records: readonly Validation[], comment: string, existing: readonly ExistingFile[]): Target {
  const byPath = new Map(existing.map((f) => [f.path, f]));
  const block = renderRecords(records, comment);
  for (let n = 1; ; n++) {
    const path = `${VALIDATIONS_DIR}/${kind}-${day}${n === 1 ? '' : `-${n}`}.yaml`;
    const file = byPath.get(path);
    if (!file) return { path, text: block, appended: false };
    if (isBlockList(file.text)) {
      const sep = file.text.endsWith('\n') || file.text === '' ? '' : '\n';
      return { path, text: `${file.text}${sep}${block}`, appended: true };
    }
  }
}
