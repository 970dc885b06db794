/**
 * What the hostile corpus, the fuzzing and the fault tests share: a clean repository committed to
 * git with its ATT&CK cache warmed (copied per case, so a case costs a copy, not a catalog build),
 * the CLI run in-process with captured output, a child process that reports its peak memory, and
 * the checks every output of `score` and `gate` must pass whatever the input was.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { loadCatalog } from '../../scripts/catalog/source.js';
import { main } from '../../scripts/cli/main.js';
import { initRepo } from '../helpers/git.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const NOW = '2026-11-01';

/** A Node stack frame in printed output: `\n    at fn (file:line:col)`. */
export const STACK_TRACE = /\n\s+at \S+ \(/;

/** A clean repository against the real ATT&CK 18.1: every kind of file, valid, no warnings. */
export const BASE: Record<string, string> = {
  'tidemark.yaml': [
    'attack: { domain: enterprise-attack, version: "18.1" }',
    'organisation: { name: Example Hostile Corp, platforms: [Windows, Linux] }',
    'site: { url: "https://example.org/coverage/" }',
    '',
  ].join('\n'),
  'groups/apt29.yaml': 'id: G0016\nrelevance: high\nrationale: Espionage against organisations like ours.\nreviewed: 2026-09-01\n',
  'detections/det-ps.yaml': 'id: det-ps\ntitle: Encoded PowerShell\nstatus: stable\ntechniques: [T1059.001]\ntelemetry: [sysmon-process]\n',
  'controls/ctl-asr.yaml': 'id: ctl-asr\ntitle: Attack surface reduction\nstatus: implemented\ntechniques: [T1566.001]\nmitigations: [M1040]\n',
  'coverage/telemetry.yaml': [
    'sources:',
    '  - id: sysmon-process',
    '    name: Sysmon process creation',
    '    status: collected',
    '    data_components: [DC0032]',
    '    sigma: [{ product: windows, category: process_creation }]',
    '',
  ].join('\n'),
  'coverage/validations/2026.yaml': [
    '- technique: T1059.001',
    '  date: 2026-10-01',
    '  outcome: detected',
    '  detection: det-ps',
    '  test: { type: atomic, id: 0d181431-ddf3-4826-8055-2dbf63ae848b, name: encoded command }',
    '  host: ws-1',
    '',
  ].join('\n'),
};

export function writeFiles(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

let template: Promise<string> | undefined;

/**
 * The clean repository once per test file: BASE committed on `main`, `.cache/attack` holding the
 * compact catalog (not committed, as in a real checkout).
 */
export function cleanTemplate(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  template ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidemark-hostile-template-'));
    writeFiles(dir, BASE);
    const git = await initRepo(dir);
    await git.add(['-A']);
    await git.commit('clean base');
    await loadCatalog({ domain: 'enterprise-attack', version: '18.1', mirror: env.TIDEMARK_ATTACK_MIRROR, cacheDir: join(dir, '.cache', 'attack') });
    return dir;
  })();
  return template;
}

/** Removes the clean repository of this test file (call from afterAll). */
export async function removeTemplate(): Promise<void> {
  if (!template) return;
  const dir = await template;
  template = undefined;
  rmSync(dir, { recursive: true, force: true });
}

/** A fresh copy of the clean repository (with its git history and warm cache). */
export async function cleanRepo(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'tidemark-hostile-'));
  cpSync(await cleanTemplate(), dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `tidemark ARGS` through main(), in this process. */
export async function cli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const started = performance.now();
  const code = await main(args, { out: (t) => (stdout += `${t}\n`), err: (t) => (stderr += `${t}\n`) }, env);
  return { code, stdout, stderr, ms: performance.now() - started };
}

export interface Measured {
  code: number;
  maxRssMb: number;
  ms: number;
  stdout: string;
  stderr: string;
}

/** `tidemark ARGS` in a child process that reports its peak resident memory. */
export function measured(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'tidemark-measure-'));
  const report = join(dir, 'measure.json');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'hostile', 'measure.ts'), ...args], {
      cwd: ROOT,
      env: { ...env, TIDEMARK_MEASURE_OUT: report },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-200_000)));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-200_000)));
    child.on('error', reject);
    child.on('close', (status) => {
      if (!existsSync(report)) return reject(new Error(`the measured child exited ${status} without a report:\n${stderr.slice(-2000)}`));
      const m = JSON.parse(readFileSync(report, 'utf8')) as { code: number; maxRssKb: number; ms: number };
      rmSync(dir, { recursive: true, force: true });
      resolve({ code: m.code, maxRssMb: m.maxRssKb / 1024, ms: m.ms, stdout, stderr });
    });
  });
}

/** Every file under `dir`, relative, with forward slashes. */
export function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

/** RFC 4180 cells of a CSV text (enough for the checks: quotes, doubled quotes, CRLF). */
export function csvCells(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}

/** Raw HTML that repository text must never become in Markdown: tags that run or load anything, comments. */
const RAW_HTML = /<\s*\/?\s*(script|img|iframe|svg|a|details|style|object|embed|form|input|body|html)\b|<!--|(^|[^\\])\]\(\s*javascript:|<javascript:/i;

export const MARKER = '<!-- tidemark:gate -->';

/** A Markdown table row split into cells at pipes that are not escaped. */
export const tableCells = (line: string): number => line.replace(/\\\\/g, '').replace(/\\\|/g, '').split('|').length;

/**
 * Problems with what `score` wrote to `out`: every JSON parses, CSV cells cannot run as formulas,
 * summary.md holds repository text only as inert Markdown. Empty when all is well.
 */
export function outputProblems(out: string): string[] {
  const problems: string[] = [];
  for (const file of listFiles(out)) {
    const path = join(out, file);
    const text = readFileSync(path, 'utf8');
    if (file.endsWith('.json')) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        problems.push(`${file} is not JSON: ${(error as Error).message}`);
        continue;
      }
      if (file.startsWith('layers/')) {
        const links = JSON.stringify(value).match(/"url":"([^"]*)"/g) ?? [];
        for (const l of links) if (!/^"url":"https?:\/\//.test(l)) problems.push(`${file} links to ${l}`);
      }
    } else if (file.endsWith('.csv')) {
      const rows = csvCells(text);
      const width = rows[0]?.length ?? 0;
      rows.forEach((row, i) => {
        if (row.length !== width) problems.push(`${file} row ${i + 1} has ${row.length} cells, the header ${width}`);
        for (const cell of row) if (/^[=+\-@\t\r]/.test(cell)) problems.push(`${file} row ${i + 1} has a formula cell ${JSON.stringify(cell.slice(0, 40))}`);
      });
    } else if (file.endsWith('.md')) {
      problems.push(...markdownProblems(file, text, file === 'gate.md'));
    } else if (file.endsWith('.yaml') || file.endsWith('.yml')) {
      try {
        parseYaml(text);
      } catch (error) {
        problems.push(`${file} does not parse: ${(error as Error).message}`);
      }
    }
  }
  return problems;
}

/** Markdown from repository text: no raw HTML, tables keep their columns, one marker at most (at the top of gate.md). */
export function markdownProblems(file: string, text: string, isGate: boolean): string[] {
  const problems: string[] = [];
  const withoutMarker = isGate && text.startsWith(`${MARKER}\n`) ? text.slice(MARKER.length + 1) : text;
  if (isGate && !text.startsWith(`${MARKER}\n`)) problems.push(`${file} does not start with the marker`);
  if (withoutMarker.includes(MARKER)) problems.push(`${file} holds a second marker`);
  const html = RAW_HTML.exec(withoutMarker);
  if (html) problems.push(`${file} holds raw HTML ${JSON.stringify(withoutMarker.slice(Math.max(0, html.index - 20), html.index + 40))}`);
  // Rows of one table (consecutive lines starting with `|`) have as many cells as its header.
  let width: number | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith('|')) {
      width = undefined;
      continue;
    }
    const cells = tableCells(line);
    if (width === undefined) width = cells;
    else if (cells !== width) problems.push(`${file}: a table row has ${cells - 2} cells, its header ${width - 2}: ${line.slice(0, 120)}`);
  }
  return problems;
}
