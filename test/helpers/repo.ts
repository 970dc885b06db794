/** Temporary repositories written from inline files, and the CLI run in-process with captured output. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../../scripts/cli/main.js';

export const MINIMAL_CONFIG = 'attack: { domain: enterprise-attack, version: "18.1" }\n';

export function makeRepo(files: Record<string, string | Uint8Array>, withConfig = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'tidemark-'));
  const all = withConfig && !('tidemark.yaml' in files) ? { 'tidemark.yaml': MINIMAL_CONFIG, ...files } : files;
  for (const [path, content] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export async function run(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (t) => (stdout += `${t}\n`), err: (t) => (stderr += `${t}\n`) }, env);
  return { code, stdout, stderr };
}
