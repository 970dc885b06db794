/** Where the summary goes: `build/gate.md` (atomically) and the job summary (appended). */
import { appendFile } from 'node:fs/promises';
import { writeFileAtomic } from '../write/atomic.js';

export interface SummaryTargets {
  /** build/gate.md, absolute. */
  file: string;
  /** `GITHUB_STEP_SUMMARY`, when running in Actions. */
  stepSummary?: string;
}

export async function writeSummary(markdown: string, targets: SummaryTargets): Promise<void> {
  await writeFileAtomic(targets.file, markdown);
  if (targets.stepSummary) await appendFile(targets.stepSummary, `${markdown}\n`);
}
