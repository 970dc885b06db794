/**
 * What an import needs from the repository, read directly (an import must work on a repository
 * that does not validate yet): detection ids with their techniques, for matching alerts, and the
 * emulation results already recorded, for deduplication. Files that do not parse are listed, not
 * fatal: `tidemark validate` reports them.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { isObject, str } from './json.js';

export const VALIDATIONS_DIR = 'coverage/validations';

async function yamlFiles(repoDir: string, dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    const entries = await readdir(join(repoDir, rel), { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = `${rel}/${entry.name}`;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) out.push(path);
    }
  };
  await walk(dir);
  return out;
}

const parseQuietly = (text: string): unknown => {
  try {
    return parse(text, { uniqueKeys: false, maxAliasCount: 100 });
  } catch {
    return undefined;
  }
};

/** Detection id → technique ids (upper-case): native `techniques`, Sigma `attack.tNNNN` tags. */
export async function readDetectionTechniques(repoDir: string): Promise<Record<string, string[]>> {
  const map: Record<string, string[]> = {};
  for (const file of await yamlFiles(repoDir, 'detections')) {
    const doc = parseQuietly(await readFile(join(repoDir, file), 'utf8').catch(() => ''));
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
  for (const path of await yamlFiles(repoDir, VALIDATIONS_DIR)) {
    const text = await readFile(join(repoDir, path), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const doc = parseQuietly(text);
    const list = Array.isArray(doc) ? doc : isObject(doc) && Array.isArray(doc.validations) ? doc.validations : undefined;
    files.push({ path, text, records: list ?? [], parsed: list !== undefined || doc === null });
  }
  return files;
}
