/**
 * What an import needs from the repository, read directly (an import must work on a repository
 * that does not validate yet): detection ids with their techniques, for matching alerts, and the
 * emulation results already recorded, for deduplication. Files that do not parse are listed, not
 * fatal: `tidemark validate` reports them.
 */
import { parse } from 'yaml';
import { workingTree } from '../load/tree.js';
import { isObject, str } from './json.js';

export const VALIDATIONS_DIR = 'coverage/validations';

export interface RepoFile {
  /** Repository-relative, forward slashes. */
  path: string;
  text: string;
  /** The parsed value; undefined when the file does not parse. */
  value: unknown;
}

export const parseQuietly = (text: string): unknown => {
  try {
    return parse(text, { uniqueKeys: false, maxAliasCount: 100 });
  } catch {
    return undefined;
  }
};

/**
 * Every content file under `dir` (repository-relative), sorted, parsed when possible. Read through
 * the working-tree reader, so links leaving the repository are not followed here either.
 */
export async function readContent(repoDir: string, dir: string): Promise<RepoFile[]> {
  const { files } = await workingTree(repoDir).read();
  const utf8 = new TextDecoder();
  return files
    .filter((f) => f.path.startsWith(`${dir}/`))
    .map((f) => {
      const text = utf8.decode(f.bytes);
      return { path: f.path, text, value: parseQuietly(text) };
    });
}

/** Detection id → technique ids (upper-case): native `techniques`, Sigma `attack.tNNNN` tags. */
export async function readDetectionTechniques(repoDir: string): Promise<Record<string, string[]>> {
  const map: Record<string, string[]> = {};
  for (const { value: doc } of await readContent(repoDir, 'detections')) {
    if (!isObject(doc) || !str(doc.id)) continue;
    const sigma = 'logsource' in doc && 'detection' in doc;
    const techniques = sigma
      ? (Array.isArray(doc.tags) ? doc.tags : [])
          .map((tag) => /^attack\.(t\d{4}(?:\.\d{3})?)$/i.exec(String(tag))?.[1]?.toUpperCase())
          .filter((t): t is string => Boolean(t))
      : (Array.isArray(doc.techniques) ? doc.techniques : []).map((t) => String(t).toUpperCase());
    map[str(doc.id)!] = techniques;
  }
  return map;
}

export interface ExistingFile {
  /** Repository-relative path. */
  path: string;
  text: string;
  /** Records as plain values; empty when the file does not parse. */
  records: unknown[];
  parsed: boolean;
}

/** Every file under coverage/validations/ with its records. */
export async function readValidationFiles(repoDir: string): Promise<ExistingFile[]> {
  const files: ExistingFile[] = [];
  for (const { path, text, value: doc } of await readContent(repoDir, VALIDATIONS_DIR)) {
    const list = Array.isArray(doc) ? doc : isObject(doc) && Array.isArray(doc.validations) ? doc.validations : undefined;
    files.push({ path, text, records: list ?? [], parsed: list !== undefined || doc === null });
  }
  return files;
}
