/** Where the summary goes: `build/gate.md` (atomically) and the job summary (appended). */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Writes to a temporary file beside the target, then renames: readers never see half a file. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${randomUUID()}.tmp`);
  try {
    await writeFile(temp, text);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export interface SummaryTargets {
  /** build/gate.md, absolute. */
  file: string;
  /** `GITHUB_STEP_SUMMARY`, when running in Actions. */
  stepSummary?: string;
}

export async function writeSummary(markdown: string, targets: SummaryTargets): Promise<void> {
  await writeAtomic(targets.file, markdown);
  if (targets.stepSummary) await appendFile(targets.stepSummary, `${markdown}\n`);
}
