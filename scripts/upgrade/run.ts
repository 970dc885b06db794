/**
 * `attack diff` and `attack upgrade`: the effects around the pure steps. Read the repository once,
 * load both catalogs, evaluate the repository at each release (the pin in tidemark.yaml is swapped
 * in memory, so nothing on disk changes for a report), and with `write` replace the files whole,
 * all of them or none.
 */
import { realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { catalogRequest } from '../pipeline.js';
import { loadCatalog } from '../catalog/source.js';
import { compareVersions, DEFAULT_INDEX_URL, readReleaseIndex } from '../catalog/releases.js';
import type { Catalog } from '../catalog/types.js';
import { decodeText, parseYaml } from '../load/yaml.js';
import type { RepoFile, RepoReader } from '../load/reader.js';
import { analyse, workingTree, type Analysis } from '../pipeline.js';
import { writeFilesAtomic } from '../write/atomic.js';
import { affectedIds } from './affected.js';
import { diffCatalogs } from './diff.js';
import { buildUpgradeReport } from './report.js';
import { applyEdits, pinEdits, PinNotFound, planRewrite } from './rewrite.js';
import { scanReferences } from './tokens.js';
import type { AffectedReference, UpgradeReport } from './types.js';

export const CONFIG_FILE = 'tidemark.yaml';
const BOM = Uint8Array.of(0xef, 0xbb, 0xbf);

/** An input the user can fix (no tidemark.yaml, a release that does not exist): the CLI exits 2. */
export class UpgradeInputError extends Error {
  override name = 'UpgradeInputError';
  readonly exitCode = 2;
}

export interface Pin {
  domain: string;
  version: string;
  sha256?: string;
}

/** The pin in tidemark.yaml, read without validating the rest of the repository. */
export function readPin(text: string): Pin {
  const parsed = parseYaml(CONFIG_FILE, text);
  const attack = (parsed.values[0] as { attack?: Record<string, unknown> } | undefined)?.attack;
  const version = attack?.version;
  if (parsed.findings.length || (typeof version !== 'string' && typeof version !== 'number')) {
    throw new UpgradeInputError(`${CONFIG_FILE} has no readable attack.version; run "tidemark validate" first.`);
  }
  const domain = typeof attack?.domain === 'string' ? attack.domain : 'enterprise-attack';
  const sha256 = typeof attack?.sha256 === 'string' ? attack.sha256 : undefined;
  return { domain, version: String(version), ...(sha256 ? { sha256 } : {}) };
}

/** The newest release of `domain` in the ATT&CK release index (the mirror's index.json, else the network). */
export async function newestRelease(domain: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const newest = await readReleaseIndex(env.TIDEMARK_ATTACK_MIRROR || DEFAULT_INDEX_URL);
  return newest[domain]?.version;
}

interface RepoText {
  file: string;
  text: string;
  bom: boolean;
}

/** A reader serving the given texts in place of the files of the same path. */
function withTexts(files: RepoFile[], texts: RepoText[]): RepoReader {
  const byPath = new Map(texts.map((t) => [t.file, t]));
  return {
    async read() {
      return {
        files: files.map((f) => {
          const t = byPath.get(f.path);
          return t ? { path: f.path, bytes: encode(t) } : f;
        }),
        skipped: [],
      };
    },
  };
}

const encode = (t: RepoText): Uint8Array => {
  const body = Buffer.from(t.text, 'utf8');
  return t.bom ? Buffer.concat([BOM, body]) : body;
};

export interface UpgradeRequest {
  repoDir: string;
  now: Date;
  env: NodeJS.ProcessEnv;
  /** Release A; default the pin (an upgrade, which refuses to move to an older release). */
  from?: string;
  /** Release B, or `latest` for the newest in the release index. */
  to: string;
  write?: boolean;
}

export interface UpgradeOutcome {
  report: UpgradeReport;
  /** Where the catalogs came from, for messages. */
  sources: string[];
  warnings: string[];
}

async function loadRelease(repoDir: string, env: NodeJS.ProcessEnv, domain: string, version: string, sha256?: string) {
  return loadCatalog(catalogRequest({ domain, version, sha256 }, { repoDir, env }));
}

export async function runUpgrade(req: UpgradeRequest): Promise<UpgradeOutcome> {
  const reader = workingTree(req.repoDir);
  const { files, skipped } = await reader.read();
  const warnings = skipped.map((s) => s.message);
  const texts: RepoText[] = [];
  for (const f of files) {
    const decoded = decodeText(f.path, f.bytes);
    if (decoded.text === undefined) warnings.push(`${f.path} is not UTF-8 text; it was not scanned.`);
    else texts.push({ file: f.path, text: decoded.text, bom: f.bytes[0] === 0xef && f.bytes[1] === 0xbb && f.bytes[2] === 0xbf });
  }
  const config = texts.find((t) => t.file === CONFIG_FILE);
  if (!config) throw new UpgradeInputError(`no ${CONFIG_FILE} in ${req.repoDir}; is this a tidemark repository? (--repo DIR)`);
  const pin = readPin(config.text);

  const from = req.from ?? pin.version;
  let to = req.to;
  if (to === 'latest') {
    const newest = await newestRelease(pin.domain, req.env);
    if (!newest) throw new UpgradeInputError(`the ATT&CK release index lists no release of ${pin.domain}.`);
    to = newest;
  }
  if (req.from === undefined && compareVersions(to, from) < 0) {
    throw new UpgradeInputError(`${to} is older than the pinned ${from}; an upgrade only moves forward (compare them with "attack diff ${to} ${from}").`);
  }
  const loadedA = await loadRelease(req.repoDir, req.env, pin.domain, from, from === pin.version ? pin.sha256 : undefined);
  const loadedB = to === from ? loadedA : await loadRelease(req.repoDir, req.env, pin.domain, to);
  warnings.push(...loadedA.warnings, ...(loadedB === loadedA ? [] : loadedB.warnings));
  const [a, b] = [loadedA.catalog, loadedB.catalog];

  const diff = diffCatalogs(a, b);
  const affected = affectedIds(diff, a, b);
  const references: AffectedReference[] = texts.flatMap((t) =>
    scanReferences(t.file, t.text).flatMap((ref) => {
      const hit = affected.get(ref.id);
      return hit ? [{ ...ref, affected: hit }] : [];
    }),
  );
  const pinAt = (text: string, catalog: Catalog) => {
    try {
      return pinEdits(text, catalog.version, pin.sha256 ? catalog.sha256 : undefined);
    } catch (error) {
      if (error instanceof PinNotFound) throw new UpgradeInputError(`${error.message}; run "tidemark validate" first.`);
      throw error;
    }
  };
  const byFile = new Map(texts.map((t) => [t.file, t.text]));
  const plan = planRewrite(byFile, references, { file: CONFIG_FILE, edits: pinAt(config.text, b) });

  const pinnedTo = (catalog: Catalog): RepoText => {
    const edits = pinAt(config.text, catalog);
    return { ...config, text: edits.length ? applyEdits(config.text, edits) : config.text };
  };
  const analyseAt = (catalog: Catalog, replaced: RepoText[]): Promise<Analysis> =>
    analyse(withTexts(files, replaced), { repoDir: req.repoDir, now: req.now, env: req.env, catalog });
  const rewrittenTexts = plan.rewrites.map((r) => ({ file: r.file, text: r.text, bom: texts.find((t) => t.file === r.file)?.bom ?? false }));
  const analyses = {
    from: await analyseAt(a, [pinnedTo(a)]),
    to: await analyseAt(b, [pinnedTo(b)]),
    ...(plan.replacements.length ? { rewritten: await analyseAt(b, rewrittenTexts) } : {}),
  };

  let written = false;
  if (req.write && rewrittenTexts.length) {
    await writeFilesAtomic(req.repoDir, await realTargets(req.repoDir, rewrittenTexts));
    written = true;
  }
  const report = buildUpgradeReport({ domain: pin.domain, pinned: pin.version, diff, references, plan, analyses, written });
  return { report, sources: [...new Set([loadedA.source, loadedB.source])], warnings };
}

/**
 * The files to write, by their real path inside the repository: a content file reached through a
 * link inside the repository is written at its target, so the link stays a link.
 */
async function realTargets(repoDir: string, rewritten: RepoText[]): Promise<Record<string, Uint8Array>> {
  const root = await realpath(repoDir);
  const out: Record<string, Uint8Array> = {};
  for (const t of rewritten) {
    const real = await realpath(join(root, t.file)).catch(() => join(root, t.file));
    const rel = relative(root, real);
    if (rel.startsWith('..') || rel === '') throw new UpgradeInputError(`${t.file} leads outside the repository; not written.`);
    out[rel.split(sep).join('/')] = encode(t);
  }
  return out;
}
